#include "providers/ProviderClient.h"

#include "providers/HttpAttempt.h"
#include "providers/ModelCatalog.h"
#include "providers/ProviderEndpoint.h"
#include "providers/ProviderPresets.h"
#include "providers/Redaction.h"
#include "providers/SseParser.h"
#include "providers/dialects/ProviderDialect.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QThread>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

constexpr int kPollMs = 50;              // cancel checks while backing off
constexpr int kErrorExcerptChars = 4096; // stored body excerpt for failed attempts
constexpr int kMessageExcerptChars = 300;
constexpr int kMaxListedModels = 30;     // in "unknown model" messages

QString formatSeconds(double seconds)
{
    return QString::number(seconds, 'g', 4) + u"s"_s;
}

QString excerpt(const QString &text, int maxChars = kMessageExcerptChars)
{
    const QString simplified = text.simplified();
    if (simplified.size() <= maxChars)
        return simplified;
    return simplified.left(maxChars) + u"…"_s;
}

int estimateTokens(qsizetype chars)
{
    return int((chars + 3) / 4);
}

int estimatePromptTokens(const ChatRequest &request)
{
    qsizetype chars = 0;
    for (const ChatMessage &message : request.messages)
        chars += message.content.size();
    return estimateTokens(chars);
}

// "the backward call for node "answer" (sample 3 of train, step 2)": which call went wrong.
QString describeCall(const CallTag &tag)
{
    QString out = u"the "_s + callPurposeName(tag.purpose) + u" call"_s;
    if (!tag.nodeId.isEmpty())
        out += u" for node \""_s + tag.nodeId + u"\""_s;
    QStringList where;
    if (tag.sampleIndex >= 0)
        where.append(u"sample "_s + QString::number(tag.sampleIndex)
                     + (tag.split.isEmpty() ? QString() : u" of "_s + tag.split));
    if (tag.step > 0)
        where.append(u"step "_s + QString::number(tag.step));
    if (!where.isEmpty())
        out += u" ("_s + where.join(u", "_s) + u")"_s;
    return out;
}

struct Outcome
{
    bool ok = false;
    bool retryable = false;
    CallErrorKind kind = CallErrorKind::None;
    QString error;      // without the engine prefix
    QString text;
    int promptTokens = 0;
    int completionTokens = 0;
    bool tokensEstimated = false;
};

// Everything one call needs, fixed before the first attempt.
struct Call
{
    const ChatRequest &request;
    const ProviderEndpoint &endpoint;
    const KeySource &keys;
    const CancelFlag &cancel;
    HttpRequestSpec spec;
    bool streaming = false;
};

QString statusText(const HttpAttempt &attempt)
{
    return attempt.reason.isEmpty() ? QString::number(attempt.httpStatus)
                                    : QString::number(attempt.httpStatus) + u" "_s + attempt.reason;
}

QString serverMessage(const Call &call, const QByteArray &body)
{
    const QString message = call.endpoint.dialect->errorMessage(body);
    return excerpt(message.isEmpty() ? QString::fromUtf8(body) : message);
}

Outcome finish(Outcome out, const Call &call, int prompt, int completion)
{
    if (prompt >= 0 || completion >= 0) {
        out.promptTokens = std::max(0, prompt);
        out.completionTokens = std::max(0, completion);
    }
    if (prompt < 0 || completion < 0) {
        // Servers without usage (many local ones, streams without include_usage): estimate.
        if (prompt < 0)
            out.promptTokens = estimatePromptTokens(call.request);
        if (completion < 0)
            out.completionTokens = estimateTokens(out.text.size());
        out.tokensEstimated = true;
    }
    return out;
}

Outcome contentFiltered(const Call &call, const QString &detail, const QString &partial)
{
    Outcome out;
    out.kind = CallErrorKind::ContentFilter;
    out.error = describeCall(call.request.tag) + u" was stopped by the content filter at "_s + call.endpoint.host
                + u" ("_s + detail + u")"_s;
    if (!partial.isEmpty())
        out.error += u": "_s + excerpt(partial);
    return out;
}

Outcome parseWhole(const HttpAttempt &attempt, const Call &call)
{
    Outcome out;
    out.kind = CallErrorKind::BadReply;
    const QString bodyExcerpt = excerpt(QString::fromUtf8(attempt.body));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(attempt.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        out.error = u"the reply from "_s + call.endpoint.host + u" is not a JSON object ("_s
                    + (parseError.error != QJsonParseError::NoError ? parseError.errorString() : u"wrong type"_s)
                    + u"): "_s + bodyExcerpt;
        return out;
    }
    const DialectReply reply = call.endpoint.dialect->parseReply(attempt.body);
    if (reply.kind == CallErrorKind::ContentFilter)
        return contentFiltered(call, reply.problem, bodyExcerpt);
    if (!reply.ok) {
        out.error = u"the reply from "_s + call.endpoint.host + u" "_s + reply.problem + u": "_s + bodyExcerpt;
        return out;
    }
    out.ok = true;
    out.kind = CallErrorKind::None;
    out.text = reply.text;
    return finish(out, call, reply.promptTokens, reply.completionTokens);
}

Outcome parseStream(const HttpAttempt &attempt, const Call &call, const StreamState &state, bool sawEvents)
{
    // A server that ignores "stream" answers with one JSON document.
    if (!sawEvents && QJsonDocument::fromJson(attempt.body).isObject())
        return parseWhole(attempt, call);
    Outcome out;
    if (!state.error.isEmpty()) {
        out.kind = CallErrorKind::Server;
        out.retryable = true;
        out.error = u"the stream from "_s + call.endpoint.host + u" reported an error: "_s + excerpt(state.error);
        return out;
    }
    if (state.contentFiltered)
        return contentFiltered(call, u"finish reason "_s + state.finishReason, state.text);
    if (!state.done) {
        // A cut stream must never pass for a short answer.
        out.kind = CallErrorKind::Connection;
        out.retryable = true;
        out.error = u"the stream from "_s + call.endpoint.host + u" ended before its end marker after "_s
                    + QString::number(state.text.size()) + u" characters of text"_s;
        return out;
    }
    if (state.text.isEmpty()) {
        out.kind = CallErrorKind::BadReply;
        out.error = u"the stream from "_s + call.endpoint.host + u" carried no text: "_s
                    + excerpt(QString::fromUtf8(attempt.body));
        return out;
    }
    out.ok = true;
    out.text = state.text;
    return finish(out, call, state.promptTokens, state.completionTokens);
}

// A 404 or "model not found" reply. The server's model list (when it gives one) tells a
// misspelt model, which it lists the alternatives for, from a wrong baseUrl or path.
Outcome unknownModel(const Call &call, const HttpAttempt &attempt, const QString &what)
{
    const EngineConfig &engine = call.request.engine;
    const bool azure = engine.provider == u"azure-openai";
    QString model = engine.model;
    if (model.startsWith(u"models/"))
        model.remove(0, 7);
    const QString subject = azure ? QString(u"deployment \""_s + engine.deployment + u"\" (model \""_s + engine.model + u"\")"_s)
                                  : QString(u"model \""_s + engine.model + u"\""_s);
    const ModelListing listing = ModelCatalog::list(engine, call.keys, call.cancel,
                                                    int(std::min(engine.timeoutSeconds, 10.0) * 1000));
    Outcome out;
    out.kind = CallErrorKind::UnknownModel;
    if (listing.ok && !azure && listing.models.contains(model)) {
        // The server has the model, so the 404 is about the address.
        out.kind = CallErrorKind::BadRequest;
        out.error = u"not found"_s + what + u" at "_s
                    + call.spec.url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery) + u"; the server offers "_s
                    + subject + u", so check the baseUrl: "_s + serverMessage(call, attempt.body);
        return out;
    }
    out.error = subject + u" is not offered at "_s + call.endpoint.host + what + u": "_s
                + serverMessage(call, attempt.body);
    if (listing.ok && !listing.models.isEmpty()) {
        QStringList shown = listing.models.mid(0, kMaxListedModels);
        if (listing.models.size() > kMaxListedModels)
            shown.append(u"… ("_s + QString::number(listing.models.size()) + u" in all)"_s);
        out.error += u"; the server offers: "_s + shown.join(u", "_s);
    } else {
        out.error += u"; check the model name and the baseUrl ("_s
                     + call.spec.url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery) + u")"_s;
    }
    return out;
}

Outcome classify(const HttpAttempt &attempt, const Call &call, const StreamState &state, bool sawEvents)
{
    const EngineConfig &engine = call.request.engine;
    const QString &host = call.endpoint.host;
    Outcome out;
    switch (attempt.abort) {
    case HttpAttempt::Abort::Cancelled:
        out.kind = CallErrorKind::Cancelled;
        out.error = u"cancelled"_s;
        return out;
    case HttpAttempt::Abort::Deadline:
        out.kind = CallErrorKind::Timeout;
        out.retryable = true;
        out.error = u"the request to "_s + host + u" timed out after "_s + formatSeconds(engine.timeoutSeconds);
        return out;
    case HttpAttempt::Abort::Inactivity:
        out.kind = CallErrorKind::Timeout;
        out.retryable = true;
        out.error = u"no data from "_s + host + u" for "_s + formatSeconds(engine.inactivitySeconds);
        return out;
    case HttpAttempt::Abort::None:
        break;
    }

    // Transport errors (below 100) can come after a status line, e.g. a body cut off short of
    // its Content-Length; such a reply is as lost as one that never came.
    const bool transportError = attempt.networkError != QNetworkReply::NoError && int(attempt.networkError) < 100;
    const int status = attempt.httpStatus;
    if (transportError && status != 0) {
        out.kind = CallErrorKind::Connection;
        out.retryable = true;
        out.error = u"the reply from "_s + host + u" was cut off ("_s + statusText(attempt) + u" received): "_s
                    + attempt.networkErrorText;
        return out;
    }
    if (status == 0) {
        out.kind = CallErrorKind::Connection;
        out.retryable = true;
        out.error = u"could not get a reply from "_s + host + u": "_s + attempt.networkErrorText;
        // The usual cause with a local server is that it is not started.
        if (attempt.networkError == QNetworkReply::ConnectionRefusedError)
            out.error += u" (is the server running and listening on "_s + host + u"?)"_s;
        return out;
    }
    if (status >= 200 && status < 300)
        return call.streaming ? parseStream(attempt, call, state, sawEvents) : parseWhole(attempt, call);

    out.retryable = RetryPolicy::isRetryable(status);
    const QString what = u" ("_s + statusText(attempt) + u")"_s;
    const ProviderDialect &dialect = *call.endpoint.dialect;
    if (status == 401 || status == 403) {
        // The server's own message is left out: providers echo part of the rejected key in it.
        out.kind = CallErrorKind::Auth;
        if (call.endpoint.key.isEmpty())
            out.error = u"the server at "_s + host + u" requires a key"_s + what
                        + u"; set apiKeyEnv to the environment variable that holds it"_s;
        else
            out.error = u"the server at "_s + host + u" refused the key from "_s + call.endpoint.keyDescription
                        + what;
    } else if (status == 429) {
        out.kind = CallErrorKind::RateLimited;
        out.error = u"rate limited"_s + what + u" at "_s + host + u": "_s + serverMessage(call, attempt.body);
    } else if (status >= 500) {
        out.kind = CallErrorKind::Server;
        out.error = u"server error"_s + what + u" at "_s + host + u": "_s + serverMessage(call, attempt.body);
    } else if (dialect.isContextLengthError(status, attempt.body)) {
        out.kind = CallErrorKind::ContextLength;
        out.error = describeCall(call.request.tag) + u" does not fit the context of model \""_s + engine.model
                    + u"\": its prompt is about "_s + QString::number(estimatePromptTokens(call.request))
                    + u" tokens (estimated)"_s
                    + (engine.maxTokens ? u" plus maxTokens "_s + QString::number(*engine.maxTokens) : QString())
                    + what + u": "_s + serverMessage(call, attempt.body);
    } else if (dialect.isUnknownModelError(status, attempt.body)) {
        return unknownModel(call, attempt, what);
    } else if (status == 408) {
        out.kind = CallErrorKind::Timeout;
        out.error = u"the server timed out"_s + what + u" at "_s + host;
    } else {
        out.kind = CallErrorKind::BadRequest;
        out.error = u"the server rejected the request"_s + what + u" at "_s + host + u": "_s
                    + serverMessage(call, attempt.body);
    }
    return out;
}

ChatResult configError(const EngineConfig &engine, const QString &message)
{
    ChatResult result;
    result.errorKind = CallErrorKind::Config;
    result.error = u"engine \""_s + engine.name + u"\": "_s + message;
    return result;
}

// Sleeps in short slices so a cancel is seen within kPollMs; false when cancelled.
bool sleepUnlessCancelled(int delayMs, const CancelFlag &cancel)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < delayMs) {
        if (cancel && cancel->load())
            return false;
        QThread::msleep(ulong(std::min<qint64>(kPollMs, delayMs - clock.elapsed())));
    }
    return !(cancel && cancel->load());
}

// The body as sent, plus the settings the API could not take, so a stored call shows that
// (for example) its seed was not applied. The extra key cannot be mistaken for an API field.
QString storedRequest(const QByteArray &body, const QStringList &notSent, const QStringList &secrets)
{
    QByteArray stored = body;
    if (!notSent.isEmpty()) {
        QJsonObject o = QJsonDocument::fromJson(body).object();
        o.insert(u"x-textgrad-not-sent"_s, QJsonArray::fromStringList(notSent));
        stored = QJsonDocument(o).toJson(QJsonDocument::Compact);
    }
    return Redaction::redact(QString::fromUtf8(stored), secrets);
}

} // namespace

ProviderClient::ProviderClient(std::shared_ptr<const KeySource> keys, RetryPolicy retry)
    : m_keys(keys ? std::move(keys) : std::make_shared<EnvironmentKeySource>())
    , m_retry(retry)
{
}

ProviderClient::ProviderClient(QProcessEnvironment environment, RetryPolicy retry)
    : ProviderClient(std::make_shared<EnvironmentKeySource>(std::move(environment)), retry)
{
}

bool ProviderClient::supportsProvider(const QString &provider)
{
    return ProviderPresets::find(provider) != nullptr;
}

ChatResult ProviderClient::complete(const ChatRequest &request, CallSink *sink, const CancelFlag &cancel)
{
    const EngineConfig &engine = request.engine;
    ProviderEndpoint endpoint;
    QString problem;
    if (!ProviderEndpoint::resolve(engine, *m_keys, &endpoint, &problem))
        return configError(engine, problem);

    QStringList notSent;
    Call call{request, endpoint, *m_keys, cancel, {}, false};
    call.spec = endpoint.dialect->chatRequest(request, endpoint.baseUrl, endpoint.key, &notSent);
    call.streaming = call.spec.stream;
    const QStringList secrets = endpoint.key.isEmpty() ? QStringList() : QStringList{endpoint.key};
    const QString stored = storedRequest(call.spec.body, notSent, secrets);

    const QString prefix = u"engine \""_s + engine.name + u"\": "_s;
    const int maxAttempts = 1 + std::max(0, engine.maxRetries);
    ChatResult result;
    Outcome outcome;
    for (int attemptNumber = 1; attemptNumber <= maxAttempts; ++attemptNumber) {
        if (cancel && cancel->load()) {
            outcome = Outcome{};
            outcome.kind = CallErrorKind::Cancelled;
            outcome.error = u"cancelled"_s;
            break;
        }
        SseParser parser;
        StreamState state;
        bool sawEvents = false;
        bool deltasSent = false;
        std::function<void(const QByteArray &)> onData;
        if (call.streaming) {
            onData = [&](const QByteArray &piece) {
                for (const SseEvent &event : parser.feed(piece)) {
                    sawEvents = true;
                    const QString delta = endpoint.dialect->streamEvent(event, &state);
                    if (!delta.isEmpty() && request.onDelta) {
                        request.onDelta(delta);
                        deltasSent = true;
                    }
                }
            };
        }
        const HttpAttempt attempt = HttpAttempt::run(call.spec, engine.timeoutSeconds, engine.inactivitySeconds,
                                                     cancel, onData);
        outcome = classify(attempt, call, state, sawEvents);
        const int recordedStatus = outcome.kind == CallErrorKind::Connection ? 0 : attempt.httpStatus;

        result.attempts = attemptNumber;

        if (sink) {
            CallRecord record;
            record.tag = request.tag;
            record.engineName = engine.name;
            record.provider = engine.provider;
            record.model = engine.model;
            record.baseUrl = Redaction::redact(endpoint.baseUrl, secrets);
            record.requestJson = stored;
            record.replyText = Redaction::redact(outcome.text, secrets);
            const QString responseText = QString::fromUtf8(attempt.body);
            record.responseBody = Redaction::redact(
                outcome.ok ? responseText : responseText.left(kErrorExcerptChars), secrets);
            record.httpStatus = recordedStatus;
            record.error = outcome.ok ? QString() : Redaction::redact(prefix + outcome.error, secrets);
            record.promptTokens = outcome.promptTokens;
            record.completionTokens = outcome.completionTokens;
            record.tokensEstimated = outcome.tokensEstimated;
            record.latencyMs = attempt.latencyMs;
            record.attempt = attemptNumber;
            record.startedAt = attempt.startedAt;
            result.callId = sink->record(record);
        }

        if (outcome.ok || !outcome.retryable || attemptNumber == maxAttempts)
            break;
        const int delay = m_retry.delayMs(attemptNumber + 1, attempt.retryAfter,
                                          QRandomGenerator::global()->generate());
        if (!sleepUnlessCancelled(delay, cancel)) {
            outcome = Outcome{};
            outcome.kind = CallErrorKind::Cancelled;
            outcome.error = u"cancelled"_s;
            break;
        }
        if (deltasSent && request.onRestart)
            request.onRestart();
    }

    result.ok = outcome.ok;
    if (outcome.ok) {
        result.text = outcome.text;
        result.promptTokens = outcome.promptTokens;
        result.completionTokens = outcome.completionTokens;
        result.tokensEstimated = outcome.tokensEstimated;
        return result;
    }
    result.errorKind = outcome.kind;
    QString error = prefix + outcome.error;
    if (outcome.retryable && result.attempts > 1)
        error += u" (gave up after "_s + QString::number(result.attempts) + u" attempts)"_s;
    result.error = Redaction::redact(error, secrets);
    return result;
}
