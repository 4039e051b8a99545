#include "providers/CachingClient.h"

#include "graph/PipelineJson.h"
#include "providers/Redaction.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDebug>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutexLocker>

using namespace Qt::StringLiterals;

namespace {

// Bumped when the canonical form changes, so old entries simply stop matching.
constexpr int kKeyFormat = 1;

// Engine keys that do not reach the model: how long to wait, how often to retry, where the key
// is. Everything else the pipeline format knows about an engine is part of the key.
const QStringList kTransportKeys = {u"apiKeyEnv"_s, u"timeoutSeconds"_s, u"inactivitySeconds"_s,
                                    u"maxRetries"_s};

// The engine as the pipeline format writes it. Going through the format's own writer means a
// setting added to EngineConfig later reaches the key without anyone remembering the cache.
QJsonObject engineSettings(const EngineConfig &engine)
{
    Pipeline pipeline;
    pipeline.engines.insert(u"e"_s, engine);
    QJsonObject settings = PipelineJson::toJson(pipeline).value(u"engines"_s).toObject()
                               .value(u"e"_s).toObject();
    for (const QString &key : kTransportKeys)
        settings.remove(key);
    for (const QString &key : {u"provider"_s, u"baseUrl"_s, u"model"_s})
        settings.remove(key);
    return settings;
}

QString effectiveBaseUrl(const EngineConfig &engine)
{
    QString url = engine.baseUrl.isEmpty() ? defaultBaseUrl(engine.provider) : engine.baseUrl;
    while (url.endsWith(u'/'))
        url.chop(1);
    return url;
}

// Forwards every attempt to the run's sink and keeps the last one, whose redacted request and
// body are what the cache stores next to the reply. Used on one thread, for one call.
class CapturingSink : public CallSink
{
public:
    explicit CapturingSink(CallSink *inner)
        : m_inner(inner)
    {
    }
    qint64 record(const CallRecord &record) override
    {
        m_last = record;
        m_have = true;
        return m_inner ? m_inner->record(record) : 0;
    }
    bool have() const { return m_have; }
    const CallRecord &last() const { return m_last; }

private:
    CallSink *m_inner;
    CallRecord m_last;
    bool m_have = false;
};

} // namespace

CachingClient::CachingClient(LlmClient *inner, const QString &projectPath)
    : m_inner(inner)
    , m_cache(projectPath)
{
}

QJsonObject CachingClient::canonicalRequest(const ChatRequest &request)
{
    const EngineConfig &engine = request.engine;
    QJsonArray messages;
    for (const ChatMessage &m : request.messages)
        messages.append(QJsonObject{{u"role"_s, m.role}, {u"content"_s, m.content}});
    // QJsonObject keeps its keys sorted, so the compact text is canonical.
    return QJsonObject{
        {u"format"_s, kKeyFormat},
        {u"provider"_s, engine.provider},
        {u"baseUrl"_s, effectiveBaseUrl(engine)},
        {u"model"_s, engine.model},
        {u"messages"_s, messages},
        {u"settings"_s, engineSettings(engine)},
    };
}

QByteArray CachingClient::cacheKey(const ChatRequest &request)
{
    const QByteArray canonical = QJsonDocument(canonicalRequest(request)).toJson(QJsonDocument::Compact);
    return QCryptographicHash::hash(canonical, QCryptographicHash::Sha256).toHex();
}

int CachingClient::nextOccurrence(const QString &runId, const QByteArray &key)
{
    QMutexLocker lock(&m_mutex);
    return m_occurrences[runId.toUtf8() + '\n' + key]++;
}

void CachingClient::noteError(const QString &error)
{
    QMutexLocker lock(&m_mutex);
    // Once per distinct problem: a broken cache would otherwise warn on every call.
    if (error != m_lastError)
        qWarning().noquote() << "response cache:" << error;
    m_lastError = error;
}

ChatResult CachingClient::complete(const ChatRequest &request, CallSink *sink, const CancelFlag &cancel)
{
    if (cancel && cancel->load())
        return m_inner->complete(request, sink, cancel);   // the inner client reports the cancel

    QElapsedTimer clock;
    clock.start();
    const QDateTime startedAt = QDateTime::currentDateTimeUtc();
    const QByteArray key = cacheKey(request);
    const int occurrence = nextOccurrence(request.tag.runId, key);
    QString error;
    const std::optional<CachedResponse> hit = m_cache.lookup(key, occurrence, &error);
    if (!error.isEmpty())
        noteError(error);

    if (hit) {
        {
            QMutexLocker lock(&m_mutex);
            ++m_hits;
        }
        ChatResult result;
        result.ok = true;
        result.text = hit->text;
        result.promptTokens = hit->promptTokens;
        result.completionTokens = hit->completionTokens;
        result.tokensEstimated = hit->tokensEstimated;
        result.attempts = 0;   // nothing was sent
        if (sink) {
            CallRecord record;
            record.tag = request.tag;
            record.engineName = request.engine.name;
            record.provider = request.engine.provider;
            record.model = request.engine.model;
            record.baseUrl = hit->baseUrl.isEmpty() ? Redaction::redact(effectiveBaseUrl(request.engine))
                                                    : hit->baseUrl;
            record.requestJson = hit->requestJson;
            record.replyText = hit->text;
            // The tokens the answer cost when it was bought; totals leave cached calls out.
            record.promptTokens = hit->promptTokens;
            record.completionTokens = hit->completionTokens;
            record.tokensEstimated = hit->tokensEstimated;
            record.latencyMs = clock.elapsed();
            record.attempt = 1;
            record.cached = true;
            record.costUsd = 0.0;
            record.costKnown = true;
            record.startedAt = startedAt;
            result.callId = sink->record(record);
        }
        return result;
    }

    {
        QMutexLocker lock(&m_mutex);
        ++m_misses;
    }
    CapturingSink capture(sink);
    ChatResult result = m_inner->complete(request, &capture, cancel);
    if (!result.ok)
        return result;

    CachedResponse entry;
    entry.text = result.text;
    entry.promptTokens = result.promptTokens;
    entry.completionTokens = result.completionTokens;
    entry.tokensEstimated = result.tokensEstimated;
    entry.provider = request.engine.provider;
    entry.model = request.engine.model;
    if (capture.have()) {
        const CallRecord &last = capture.last();
        entry.baseUrl = last.baseUrl;
        entry.httpStatus = last.httpStatus;
        entry.requestJson = last.requestJson;
        entry.responseBody = last.responseBody;
    } else {
        entry.baseUrl = Redaction::redact(effectiveBaseUrl(request.engine));
        entry.requestJson = Redaction::redact(QString::fromUtf8(
            QJsonDocument(canonicalRequest(request)).toJson(QJsonDocument::Compact)));
    }
    error.clear();
    if (!m_cache.store(key, occurrence, entry, &error))
        noteError(error);
    return result;
}

int CachingClient::hits() const
{
    QMutexLocker lock(&m_mutex);
    return m_hits;
}

int CachingClient::misses() const
{
    QMutexLocker lock(&m_mutex);
    return m_misses;
}

QString CachingClient::lastError() const
{
    QMutexLocker lock(&m_mutex);
    return m_lastError;
}
