#include "providers/ProviderClient.h"

#include "providers/Redaction.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QThread>
#include <QThreadStorage>
#include <QTimer>
#include <QUrl>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

constexpr int kPollMs = 50;              // cancel, deadline and inactivity checks
constexpr int kErrorExcerptChars = 4096; // stored body excerpt for failed attempts
constexpr int kMessageExcerptChars = 300;

// QNetworkAccessManager may only be used from the thread that created it; QThreadStorage
// deletes each thread's manager when that thread ends.
QNetworkAccessManager *threadNetworkManager()
{
    static QThreadStorage<QNetworkAccessManager *> storage;
    if (!storage.hasLocalData())
        storage.setLocalData(new QNetworkAccessManager);
    return storage.localData();
}

QString formatSeconds(double seconds)
{
    return QString::number(seconds, 'g', 4) + u"s"_s;
}

QString excerpt(const QString &text, int maxChars)
{
    const QString simplified = text.simplified();
    if (simplified.size() <= maxChars)
        return simplified;
    return simplified.left(maxChars) + u"…"_s;
}

// The server's own explanation, when it sent an OpenAI-style {"error": {"message": ...}}.
QString serverMessage(const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isObject()) {
        const QJsonValue error = doc.object().value(u"error"_s);
        if (error.isObject()) {
            const QString message = error.toObject().value(u"message"_s).toString();
            if (!message.isEmpty())
                return excerpt(message, kMessageExcerptChars);
        } else if (error.isString()) {
            return excerpt(error.toString(), kMessageExcerptChars);
        }
    }
    return excerpt(QString::fromUtf8(body), kMessageExcerptChars);
}

int estimateTokens(qsizetype chars)
{
    return int((chars + 3) / 4);
}

struct Target
{
    QUrl url;
    QString baseUrl;
    QString host;        // host[:port], for messages
    QString keyEnv;
    QString key;
};

enum class Abort { None, Cancelled, Deadline, Inactivity };

struct Attempt
{
    int httpStatus = 0;
    QString reason;
    QByteArray body;
    QByteArray retryAfter;
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QString networkErrorText;
    Abort abort = Abort::None;
    qint64 latencyMs = 0;
    QDateTime startedAt;
};

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

QByteArray requestBody(const ChatRequest &request)
{
    const EngineConfig &engine = request.engine;
    QJsonArray messages;
    for (const ChatMessage &message : request.messages)
        messages.append(QJsonObject{{u"role"_s, message.role}, {u"content"_s, message.content}});
    QJsonObject body{{u"model"_s, engine.model}, {u"messages"_s, messages}};
    if (engine.temperature)
        body.insert(u"temperature"_s, *engine.temperature);
    if (engine.topP)
        body.insert(u"top_p"_s, *engine.topP);
    if (engine.maxTokens)
        body.insert(u"max_tokens"_s, *engine.maxTokens);
    if (engine.seed)
        body.insert(u"seed"_s, *engine.seed);
    if (!engine.stop.isEmpty())
        body.insert(u"stop"_s, QJsonArray::fromStringList(engine.stop));
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

Attempt runAttempt(const QNetworkRequest &networkRequest, const QByteArray &body,
                   const EngineConfig &engine, const CancelFlag &cancel)
{
    Attempt attempt;
    attempt.startedAt = QDateTime::currentDateTimeUtc();
    QElapsedTimer clock;
    clock.start();

    QNetworkAccessManager *manager = threadNetworkManager();
    QEventLoop loop;
    QNetworkReply *reply = manager->post(networkRequest, body);

    const qint64 deadlineMs = engine.timeoutSeconds > 0 ? qint64(engine.timeoutSeconds * 1000.0) : -1;
    const qint64 inactivityMs = engine.inactivitySeconds > 0 ? qint64(engine.inactivitySeconds * 1000.0) : -1;
    qint64 lastActivityMs = 0;

    auto noteActivity = [&lastActivityMs, &clock] { lastActivityMs = clock.elapsed(); };
    QObject::connect(reply, &QNetworkReply::downloadProgress, &loop, noteActivity);
    QObject::connect(reply, &QNetworkReply::readyRead, &loop, noteActivity);
    QObject::connect(reply, &QNetworkReply::uploadProgress, &loop, noteActivity);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);

    QTimer poll;
    poll.setInterval(kPollMs);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        const qint64 now = clock.elapsed();
        if (cancel && cancel->load())
            attempt.abort = Abort::Cancelled;
        else if (deadlineMs >= 0 && now >= deadlineMs)
            attempt.abort = Abort::Deadline;
        else if (inactivityMs >= 0 && now - lastActivityMs >= inactivityMs)
            attempt.abort = Abort::Inactivity;
        if (attempt.abort != Abort::None) {
            poll.stop();
            reply->abort();
            loop.quit();
        }
    });
    poll.start();

    // The loop runs only this request's signals and timers in this worker thread; the poll
    // timer sees a cancel set before exec() on its first tick.
    if (!reply->isFinished())
        loop.exec();
    poll.stop();

    attempt.latencyMs = clock.elapsed();
    attempt.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    attempt.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    attempt.retryAfter = reply->rawHeader("Retry-After");
    attempt.networkError = reply->error();
    attempt.networkErrorText = reply->errorString();
    if (attempt.abort == Abort::None)
        attempt.body = reply->readAll();
    else
        attempt.httpStatus = 0;
    // Outside the reply's own signal handlers, so deleting it now is safe and frees it before
    // this thread's next event loop, which may be minutes away in a thread-pool thread.
    delete reply;
    return attempt;
}

QString statusText(const Attempt &attempt)
{
    return attempt.reason.isEmpty() ? QString::number(attempt.httpStatus)
                                    : QString::number(attempt.httpStatus) + u" "_s + attempt.reason;
}

Outcome parseSuccess(const Attempt &attempt, const ChatRequest &request, const Target &target)
{
    Outcome out;
    out.kind = CallErrorKind::BadReply;
    const QString bodyExcerpt = excerpt(QString::fromUtf8(attempt.body), kMessageExcerptChars);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(attempt.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        out.error = u"the reply from "_s + target.host + u" is not a JSON object ("_s
                + (parseError.error != QJsonParseError::NoError ? parseError.errorString() : u"wrong type"_s)
                + u"): "_s + bodyExcerpt;
        return out;
    }
    const QJsonObject root = doc.object();
    const QJsonArray choices = root.value(u"choices"_s).toArray();
    if (choices.isEmpty()) {
        out.error = u"the reply from "_s + target.host + u" has no choices: "_s + bodyExcerpt;
        return out;
    }
    const QJsonValue content = choices.first().toObject().value(u"message"_s).toObject().value(u"content"_s);
    if (!content.isString() || content.toString().isEmpty()) {
        out.error = u"the reply from "_s + target.host + u" has no message content: "_s + bodyExcerpt;
        return out;
    }
    out.ok = true;
    out.kind = CallErrorKind::None;
    out.text = content.toString();

    const QJsonObject usage = root.value(u"usage"_s).toObject();
    if (usage.contains(u"prompt_tokens"_s) || usage.contains(u"completion_tokens"_s)) {
        out.promptTokens = usage.value(u"prompt_tokens"_s).toInt();
        out.completionTokens = usage.value(u"completion_tokens"_s).toInt();
    } else {
        qsizetype promptChars = 0;
        for (const ChatMessage &message : request.messages)
            promptChars += message.content.size();
        out.promptTokens = estimateTokens(promptChars);
        out.completionTokens = estimateTokens(out.text.size());
        out.tokensEstimated = true;
    }
    return out;
}

Outcome classify(const Attempt &attempt, const ChatRequest &request, const Target &target)
{
    const EngineConfig &engine = request.engine;
    Outcome out;
    switch (attempt.abort) {
    case Abort::Cancelled:
        out.kind = CallErrorKind::Cancelled;
        out.error = u"cancelled"_s;
        return out;
    case Abort::Deadline:
        out.kind = CallErrorKind::Timeout;
        out.retryable = true;
        out.error = u"the request to "_s + target.host + u" timed out after "_s
                + formatSeconds(engine.timeoutSeconds);
        return out;
    case Abort::Inactivity:
        out.kind = CallErrorKind::Timeout;
        out.retryable = true;
        out.error = u"no data from "_s + target.host + u" for "_s + formatSeconds(engine.inactivitySeconds);
        return out;
    case Abort::None:
        break;
    }

    // Transport errors (below 100) can come after a status line, e.g. a body cut off short of
    // its Content-Length; such a reply is as lost as one that never came.
    const bool transportError = attempt.networkError != QNetworkReply::NoError && int(attempt.networkError) < 100;
    if (transportError && attempt.httpStatus != 0) {
        out.kind = CallErrorKind::Connection;
        out.retryable = true;
        out.error = u"the reply from "_s + target.host + u" was cut off ("_s + statusText(attempt) + u" received): "_s
                + attempt.networkErrorText;
        return out;
    }
    const int status = attempt.httpStatus;
    if (status == 0) {
        out.kind = CallErrorKind::Connection;
        out.retryable = true;
        out.error = u"could not get a reply from "_s + target.host + u": "_s + attempt.networkErrorText;
        // The usual cause with a local server is that it is not started.
        if (attempt.networkError == QNetworkReply::ConnectionRefusedError)
            out.error += u" (is the server running and listening on "_s + target.host + u"?)"_s;
        return out;
    }
    if (status >= 200 && status < 300)
        return parseSuccess(attempt, request, target);

    out.retryable = RetryPolicy::isRetryable(status);
    const QString what = u" ("_s + statusText(attempt) + u")"_s;
    if (status == 401 || status == 403) {
        // The server's own message is left out: providers echo part of the rejected key in it.
        out.kind = CallErrorKind::Auth;
        if (target.key.isEmpty())
            out.error = u"the server at "_s + target.host + u" requires a key"_s + what
                    + u"; set apiKeyEnv to the environment variable that holds it"_s;
        else
            out.error = u"the server refused the key from "_s + target.keyEnv + what + u" at "_s + target.host;
    } else if (status == 429) {
        out.kind = CallErrorKind::RateLimited;
        out.error = u"rate limited"_s + what + u" at "_s + target.host + u": "_s + serverMessage(attempt.body);
    } else if (status >= 500) {
        out.kind = CallErrorKind::Server;
        out.error = u"server error"_s + what + u" at "_s + target.host + u": "_s + serverMessage(attempt.body);
    } else if (status == 404) {
        out.kind = CallErrorKind::BadRequest;
        out.error = u"not found"_s + what + u" at "_s + target.url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery)
                + u"; check the model name \""_s + engine.model + u"\" and the baseUrl: "_s
                + serverMessage(attempt.body);
    } else if (status == 408) {
        out.kind = CallErrorKind::Timeout;
        out.error = u"the server timed out"_s + what + u" at "_s + target.host;
    } else {
        out.kind = CallErrorKind::BadRequest;
        out.error = u"the server rejected the request"_s + what + u" at "_s + target.host + u": "_s
                + serverMessage(attempt.body);
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

} // namespace

ProviderClient::ProviderClient(QProcessEnvironment environment, RetryPolicy retry)
    : m_environment(std::move(environment))
    , m_retry(retry)
{
}

bool ProviderClient::supportsProvider(const QString &provider)
{
    return provider == u"openai" || provider == u"openai-compatible" || provider == u"ollama";
}

ChatResult ProviderClient::complete(const ChatRequest &request, CallSink *sink, const CancelFlag &cancel)
{
    const EngineConfig &engine = request.engine;
    const QString &provider = engine.provider;
    if (provider.isEmpty())
        return configError(engine, u"no provider is set"_s);
    if (!supportsProvider(provider))
        return configError(engine, u"provider \""_s + provider + u"\" is not supported in this build yet"_s);

    Target target;
    target.baseUrl = engine.baseUrl.isEmpty() ? defaultBaseUrl(provider) : engine.baseUrl;
    if (target.baseUrl.isEmpty())
        return configError(engine, u"provider \""_s + provider + u"\" needs a baseUrl"_s);
    while (target.baseUrl.endsWith(u'/'))
        target.baseUrl.chop(1);
    target.url = QUrl(target.baseUrl + u"/chat/completions"_s);
    if (!target.url.isValid() || target.url.host().isEmpty()
        || (target.url.scheme() != u"http" && target.url.scheme() != u"https"))
        return configError(engine, u"the baseUrl \""_s + Redaction::redact(target.baseUrl)
                                   + u"\" is not a valid http(s) URL"_s);
    target.host = target.url.host() + (target.url.port() >= 0 ? u":"_s + QString::number(target.url.port()) : QString());

    target.keyEnv = engine.apiKeyEnv.isEmpty() ? defaultApiKeyEnv(provider) : engine.apiKeyEnv;
    if (!target.keyEnv.isEmpty())
        target.key = m_environment.value(target.keyEnv).trimmed();
    // Local OpenAI-compatible servers accept anonymous calls, so only the cloud needs a key up front.
    if (provider == u"openai" && target.key.isEmpty())
        return configError(engine, u"the environment variable "_s + target.keyEnv
                                   + u" is not set (needed for "_s + target.baseUrl + u")"_s);

    const QStringList secrets = target.key.isEmpty() ? QStringList() : QStringList{target.key};
    const QByteArray body = requestBody(request);
    const QString storedRequest = Redaction::redact(QString::fromUtf8(body), secrets);

    QNetworkRequest networkRequest(target.url);
    networkRequest.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    networkRequest.setRawHeader("Accept", "application/json"_ba);
    networkRequest.setRawHeader("User-Agent", "textgrad-workbench/" TEXTGRAD_VERSION);
    if (!target.key.isEmpty())
        networkRequest.setRawHeader("Authorization", "Bearer " + target.key.toUtf8());

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
        const Attempt attempt = runAttempt(networkRequest, body, engine, cancel);
        outcome = classify(attempt, request, target);
        result.attempts = attemptNumber;
        const int recordedStatus = outcome.kind == CallErrorKind::Connection ? 0 : attempt.httpStatus;

        if (sink) {
            CallRecord record;
            record.tag = request.tag;
            record.engineName = engine.name;
            record.provider = provider;
            record.model = engine.model;
            record.baseUrl = Redaction::redact(target.baseUrl, secrets);
            record.requestJson = storedRequest;
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
