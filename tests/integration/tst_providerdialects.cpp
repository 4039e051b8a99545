#include "FakeOpenAiServer.h"
#include "RecordingSink.h"
#include "providers/ProviderClient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QMutex>
#include <QMutexLocker>
#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

// Every wire protocol (OpenAI, Azure OpenAI, Anthropic, Gemini) against the in-process fake
// server: success, headers, body shape, each fault, the self-explaining errors and streaming.
// Every case also checks the call log, since that is what a user inspects afterwards.

namespace {

const QString kKey = u"sk-test-SECRETKEY-0123456789abcdef"_s;
const QString kKeyVariable = u"TEST_PROVIDER_KEY"_s;

// Deltas arrive on the client's worker thread.
struct DeltaLog
{
    QMutex mutex;
    QStringList deltas;
    int restarts = 0;

    void attach(ChatRequest *request)
    {
        request->onDelta = [this](const QString &delta) {
            QMutexLocker lock(&mutex);
            deltas.append(delta);
        };
        request->onRestart = [this] {
            QMutexLocker lock(&mutex);
            deltas.clear();
            ++restarts;
        };
    }
    QStringList all()
    {
        QMutexLocker lock(&mutex);
        return deltas;
    }
};

RetryPolicy fastRetries()
{
    RetryPolicy policy;
    policy.baseDelayMs = 20;
    policy.maxDelayMs = 3000;
    policy.jitter = 0.0;
    return policy;
}

ChatResult callOnWorker(ProviderClient &client, const ChatRequest &request, CallSink *sink)
{
    const CancelFlag cancel = makeCancelFlag();
    QFuture<ChatResult> future = QtConcurrent::run([&client, request, sink, cancel] {
        return client.complete(request, sink, cancel);
    });
    future.waitForFinished();
    return future.result();
}

QString provider(const QString &dialect)
{
    if (dialect == u"azure")
        return u"azure-openai"_s;
    return dialect;
}

QString recordText(const CallRecord &r)
{
    return QStringList{r.baseUrl, r.requestJson, r.replyText, r.responseBody, r.error}.join(u"\n"_s);
}

QList<int> statuses(const QVector<CallRecord> &records)
{
    QList<int> out;
    for (const CallRecord &r : records)
        out.append(r.httpStatus);
    return out;
}

QList<int> attemptNumbers(const QVector<CallRecord> &records)
{
    QList<int> out;
    for (const CallRecord &r : records)
        out.append(r.attempt);
    return out;
}

} // namespace

class TestProviderDialects : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void success_data() { dialects(); }
    void success();
    void headers_data() { dialects(); }
    void headers();
    void bodyShape_data() { dialects(); }
    void bodyShape();
    void anthropicDefaultMaxTokens();
    void rateLimitWithRetryAfter_data() { dialects(); }
    void rateLimitWithRetryAfter();
    void rateLimitWithoutRetryAfter_data() { dialects(); }
    void rateLimitWithoutRetryAfter();
    void serverErrorsRetried_data() { dialects(); }
    void serverErrorsRetried();
    void connectionResetRetried_data() { dialects(); }
    void connectionResetRetried();
    void hangPastDeadline_data() { dialects(); }
    void hangPastDeadline();
    void malformedJson_data() { dialects(); }
    void malformedJson();
    void emptyReply_data() { dialects(); }
    void emptyReply();
    void refusedKey_data() { dialects(); }
    void refusedKey();
    void unknownModelListsModels_data() { dialects(); }
    void unknownModelListsModels();
    void notFoundForAListedModelBlamesTheAddress();
    void contextLengthNamesCall_data() { dialects(); }
    void contextLengthNamesCall();
    void contentFilter_data() { dialects(); }
    void contentFilter();
    void azureNeedsDeployment();

    void streamDeltas_data() { streamingDialects(); }
    void streamDeltas();
    void streamWithoutUsageIsEstimated();
    void streamContentFilter_data() { streamingDialects(); }
    void streamContentFilter();
    void truncatedStreamIsAnError_data() { streamingDialects(); }
    void truncatedStreamIsAnError();
    void truncatedStreamRetriedToSuccess_data() { streamingDialects(); }
    void truncatedStreamRetriedToSuccess();
    void slowDripSucceeds_data() { streamingDialects(); }
    void slowDripSucceeds();
    void silenceTimesOut_data() { streamingDialects(); }
    void silenceTimesOut();

private:
    void dialects();
    void streamingDialects();
    ChatRequest request(const QString &dialect) const;
    ProviderClient client() const;

    std::unique_ptr<FakeLlmServer> m_server;
};

void TestProviderDialects::init()
{
    m_server = std::make_unique<FakeLlmServer>();
    QVERIFY(m_server->start());
}

void TestProviderDialects::cleanup()
{
    m_server.reset();
}

void TestProviderDialects::dialects()
{
    QTest::addColumn<QString>("dialect");
    for (const QString &d : {u"openai"_s, u"azure"_s, u"anthropic"_s, u"gemini"_s})
        QTest::newRow(qPrintable(d)) << d;
}

void TestProviderDialects::streamingDialects()
{
    QTest::addColumn<QString>("dialect");
    for (const QString &d : {u"openai"_s, u"anthropic"_s})
        QTest::newRow(qPrintable(d)) << d;
}

ChatRequest TestProviderDialects::request(const QString &dialect) const
{
    ChatRequest request;
    request.engine.name = u"student"_s;
    request.engine.provider = provider(dialect);
    request.engine.baseUrl = dialect == u"openai" ? m_server->baseUrl() : m_server->rootUrl();
    request.engine.model = u"fake-model"_s;
    request.engine.apiKeyEnv = kKeyVariable;
    if (dialect == u"azure")
        request.engine.deployment = u"prod-4o"_s;
    request.engine.timeoutSeconds = 10;
    request.engine.inactivitySeconds = 10;
    request.engine.maxRetries = 2;
    request.messages = {{u"system"_s, u"You add numbers."_s}, {u"user"_s, u"What is 2+2?"_s}};
    request.tag.runId = u"run-1"_s;
    request.tag.step = 2;
    request.tag.purpose = CallPurpose::Forward;
    request.tag.nodeId = u"answer"_s;
    request.tag.sampleIndex = 3;
    request.tag.split = u"train"_s;
    return request;
}

ProviderClient TestProviderDialects::client() const
{
    QProcessEnvironment env;
    env.insert(kKeyVariable, kKey);
    return ProviderClient(env, fastRetries());
}

void TestProviderDialects::success()
{
    QFETCH(QString, dialect);
    m_server->enqueue(FakeReply::completion(u"4"_s).withUsage(11, 7));
    ProviderClient c = client();
    RecordingSink sink;
    const ChatResult result = callOnWorker(c, request(dialect), &sink);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.text, u"4"_s);
    QCOMPARE(result.promptTokens, 11);
    QCOMPARE(result.completionTokens, 7);
    QVERIFY(!result.tokensEstimated);
    QCOMPARE(result.attempts, 1);

    const auto records = sink.records();
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().attempt, 1);
    QCOMPARE(records.first().httpStatus, 200);
    QCOMPARE(records.first().replyText, u"4"_s);
    QCOMPARE(records.first().promptTokens, 11);
    QCOMPARE(records.first().provider, provider(dialect));
    QVERIFY(records.first().error.isEmpty());
    QVERIFY(!recordText(records.first()).contains(kKey));

    const FakeRequest sent = m_server->lastRequest();
    QCOMPARE(sent.dialect, dialect);
    QCOMPARE(sent.method, "POST"_ba);
    if (dialect == u"openai")
        QCOMPARE(sent.path, "/v1/chat/completions"_ba);
    else if (dialect == u"azure")
        QCOMPARE(sent.path, "/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21"_ba);
    else if (dialect == u"anthropic")
        QCOMPARE(sent.path, "/v1/messages"_ba);
    else
        QCOMPARE(sent.path, "/v1beta/models/fake-model:generateContent"_ba);
    QCOMPARE(sent.lastMessage(), u"What is 2+2?"_s);
}

void TestProviderDialects::headers()
{
    QFETCH(QString, dialect);
    ProviderClient c = client();
    const ChatResult result = callOnWorker(c, request(dialect), nullptr);
    QVERIFY2(result.ok, qPrintable(result.error));
    const FakeRequest sent = m_server->lastRequest();
    QVERIFY(sent.header("Content-Type").startsWith("application/json"));
    QVERIFY(!sent.path.contains(kKey.toUtf8()));
    QVERIFY(!sent.path.contains("key="));
    const QByteArray key = kKey.toUtf8();
    if (dialect == u"openai") {
        QCOMPARE(sent.header("Authorization"), "Bearer " + key);
    } else if (dialect == u"azure") {
        QCOMPARE(sent.header("api-key"), key);
        QVERIFY(sent.header("Authorization").isEmpty());
    } else if (dialect == u"anthropic") {
        QCOMPARE(sent.header("x-api-key"), key);
        QCOMPARE(sent.header("anthropic-version"), "2023-06-01"_ba);
        QVERIFY(sent.header("Authorization").isEmpty());
    } else {
        QCOMPARE(sent.header("x-goog-api-key"), key);
        QVERIFY(sent.header("Authorization").isEmpty());
    }
}

void TestProviderDialects::bodyShape()
{
    QFETCH(QString, dialect);
    ChatRequest req = request(dialect);
    req.engine.temperature = 0.25;
    req.engine.topP = 0.5;
    req.engine.maxTokens = 64;
    req.engine.seed = 7;
    req.engine.stop = {u"END"_s, u"STOP"_s};
    ProviderClient c = client();
    RecordingSink sink;
    const ChatResult result = callOnWorker(c, req, &sink);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(sink.records().size(), 1);
    const FakeRequest sent = m_server->lastRequest();
    const QJsonObject json = sent.json;
    // The fake server normalises every dialect back to a system + user conversation.
    QCOMPARE(sent.messages.size(), 2);
    QCOMPARE(sent.messages.at(0).role, u"system"_s);
    QCOMPARE(sent.messages.at(0).content, u"You add numbers."_s);

    if (dialect == u"openai" || dialect == u"azure") {
        QCOMPARE(json.value(u"messages"_s).toArray().first().toObject().value(u"role"_s).toString(), u"system"_s);
        QCOMPARE(json.value(u"temperature"_s).toDouble(), 0.25);
        QCOMPARE(json.value(u"top_p"_s).toDouble(), 0.5);
        QCOMPARE(json.value(u"max_tokens"_s).toInt(), 64);
        QCOMPARE(json.value(u"seed"_s).toInt(), 7);
        QCOMPARE(json.value(u"stop"_s).toArray().size(), 2);
        QVERIFY(!json.contains(u"stream"_s));
    } else if (dialect == u"anthropic") {
        QCOMPARE(json.value(u"system"_s).toString(), u"You add numbers."_s);
        const QJsonArray messages = json.value(u"messages"_s).toArray();
        QCOMPARE(messages.size(), 1);
        QCOMPARE(messages.first().toObject().value(u"role"_s).toString(), u"user"_s);
        QCOMPARE(json.value(u"max_tokens"_s).toInt(), 64);
        QCOMPARE(json.value(u"temperature"_s).toDouble(), 0.25);
        QCOMPARE(json.value(u"top_p"_s).toDouble(), 0.5);
        QCOMPARE(json.value(u"stop_sequences"_s).toArray().at(1).toString(), u"STOP"_s);
        QVERIFY(!json.contains(u"seed"_s));
        QVERIFY(!json.contains(u"stop"_s));
        // The stored request says the seed was not applied.
        QVERIFY2(sink.records().first().requestJson.contains(u"\"x-textgrad-not-sent\":[\"seed\"]"_s),
                 qPrintable(sink.records().first().requestJson));
    } else {
        QCOMPARE(json.value(u"systemInstruction"_s).toObject().value(u"parts"_s).toArray().first().toObject()
                     .value(u"text"_s).toString(),
                 u"You add numbers."_s);
        const QJsonArray contents = json.value(u"contents"_s).toArray();
        QCOMPARE(contents.size(), 1);
        QCOMPARE(contents.first().toObject().value(u"role"_s).toString(), u"user"_s);
        const QJsonObject config = json.value(u"generationConfig"_s).toObject();
        QCOMPARE(config.value(u"temperature"_s).toDouble(), 0.25);
        QCOMPARE(config.value(u"topP"_s).toDouble(), 0.5);
        QCOMPARE(config.value(u"maxOutputTokens"_s).toInt(), 64);
        QCOMPARE(config.value(u"seed"_s).toInt(), 7);
        QCOMPARE(config.value(u"stopSequences"_s).toArray().first().toString(), u"END"_s);
        QVERIFY(!json.contains(u"model"_s));
    }
}

void TestProviderDialects::anthropicDefaultMaxTokens()
{
    ProviderClient c = client();
    const ChatResult result = callOnWorker(c, request(u"anthropic"_s), nullptr);
    QVERIFY2(result.ok, qPrintable(result.error));
    // The Messages API refuses a request without max_tokens.
    QCOMPARE(m_server->lastRequest().json.value(u"max_tokens"_s).toInt(), 4096);
}

void TestProviderDialects::rateLimitWithRetryAfter()
{
    QFETCH(QString, dialect);
    m_server->enqueue(FakeReply::rateLimited(1));
    m_server->enqueue(FakeReply::completion(u"ok"_s));
    ProviderClient c = client();
    RecordingSink sink;
    QElapsedTimer clock;
    clock.start();
    const ChatResult result = callOnWorker(c, request(dialect), &sink);
    QVERIFY2(result.ok, qPrintable(result.error));
    QVERIFY2(clock.elapsed() >= 950, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(result.attempts, 2);
    const auto records = sink.records();
    QCOMPARE(statuses(records), (QList<int>{429, 200}));
    QCOMPARE(attemptNumbers(records), (QList<int>{1, 2}));
    QVERIFY(records.first().error.contains(u"Rate limit"_s));
}

void TestProviderDialects::rateLimitWithoutRetryAfter()
{
    QFETCH(QString, dialect);
    m_server->enqueue(FakeReply::rateLimitedNoRetryAfter());
    m_server->enqueue(FakeReply::rateLimitedNoRetryAfter());
    m_server->enqueue(FakeReply::completion(u"ok"_s));
    ProviderClient c = client();
    RecordingSink sink;
    QElapsedTimer clock;
    clock.start();
    const ChatResult result = callOnWorker(c, request(dialect), &sink);
    QVERIFY2(result.ok, qPrintable(result.error));
    // Back-off 20 ms then 40 ms: well under a Retry-After second.
    QVERIFY2(clock.elapsed() >= 60 && clock.elapsed() < 900, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(result.attempts, 3);
    QCOMPARE(statuses(sink.records()), (QList<int>{429, 429, 200}));
    QCOMPARE(attemptNumbers(sink.records()), (QList<int>{1, 2, 3}));
}

void TestProviderDialects::serverErrorsRetried()
{
    QFETCH(QString, dialect);
    m_server->enqueue(FakeReply::error(500, u"boom"_s));
    m_server->enqueue(FakeReply::error(502, u"bad gateway"_s));
    m_server->enqueue(FakeReply::error(503, u"overloaded"_s));
    m_server->enqueue(FakeReply::completion(u"ok"_s));
    ChatRequest req = request(dialect);
    req.engine.maxRetries = 3;
    ProviderClient c = client();
    RecordingSink sink;
    const ChatResult result = callOnWorker(c, req, &sink);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.text, u"ok"_s);
    QCOMPARE(result.attempts, 4);
    QCOMPARE(statuses(sink.records()), (QList<int>{500, 502, 503, 200}));
    QCOMPARE(attemptNumbers(sink.records()), (QList<int>{1, 2, 3, 4}));
    QVERIFY2(sink.records().at(2).error.contains(u"overloaded"_s), qPrintable(sink.records().at(2).error));
}

void TestProviderDialects::connectionResetRetried()
{
    QFETCH(QString, dialect);
    // Qt itself resends once or twice when a connection dies before any reply byte.
    for (int i = 0; i < 3; ++i)
        m_server->enqueue(FakeReply::closeConnection());
    ChatRequest req = request(dialect);
    req.engine.maxRetries = 4;
    ProviderClient c = client();
    RecordingSink sink;
    const ChatResult result = callOnWorker(c, req, &sink);
    QVERIFY2(result.ok, qPrintable(result.error));
    const auto records = sink.records();
    QVERIFY(records.size() >= 2);
    QCOMPARE(records.first().httpStatus, 0);
    QCOMPARE(records.first().attempt, 1);
    QCOMPARE(records.last().httpStatus, 200);
    QCOMPARE(records.last().attempt, records.size());
    QCOMPARE(result.attempts, records.size());
}

void TestProviderDialects::hangPastDeadline()
{
    QFETCH(QString, dialect);
    m_server->enqueue(FakeReply::hang());
    ChatRequest req = request(dialect);
    req.engine.timeoutSeconds = 0.6;
    req.engine.maxRetries = 0;
    ProviderClient c = client();
    RecordingSink sink;
    const ChatResult result = callOnWorker(c, req, &sink);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorKind, CallErrorKind::Timeout);
    QVERIFY2(result.error.contains(u"timed out"_s), qPrintable(result.error));
    QCOMPARE(result.attempts, 1);
    QCOMPARE(statuses(sink.records()), (QList<int>{0}));
    QCOMPARE(attemptNumbers(sink.records()), (QList<int>{1}));
}

void TestProviderDialects::malformedJson()
{
    QFETCH(QString, dialect);
    m_server->enqueue(FakeReply::malformedJson());
    ProviderClient c = client();
    RecordingSink sink;
    const ChatResult result = callOnWorker(c, request(dialect), &sink);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorKind, CallErrorKind::BadReply);
    QVERIFY2(result.error.contains(u"chatcmpl-broken"_s), qPrintable(result.error));
    QCOMPARE(result.attempts, 1);
    QCOMPARE(statuses(sink.records()), (QList<int>{200}));
    QVERIFY(sink.records().first().responseBody.contains(u"chatcmpl-broken"_s));
}

void TestProviderDialects::emptyReply()
{
    QFETCH(QString, dialect);
    m_server->enqueue(FakeReply::emptyChoices());
    ProviderClient c = client();
    RecordingSink sink;
    const ChatResult result = callOnWorker(c, request(dialect), &sink);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorKind, CallErrorKind::BadReply);
    const QString expected = dialect == u"anthropic" ? u"no content blocks"_s
                             : dialect == u"gemini"  ? u"no candidates"_s
                                                     : u"no choices"_s;
    QVERIFY2(result.error.contains(expected), qPrintable(result.error));
    QCOMPARE(result.attempts, 1);
    QCOMPARE(statuses(sink.records()), (QList<int>{200}));
}

void TestProviderDialects::refusedKey()
{
    QFETCH(QString, dialect);
    // Providers echo part of the rejected key; the client must not pass it on.
    m_server->enqueue(FakeReply::error(401, u"Incorrect API key provided: "_s + kKey));
    ProviderClient c = client();
    RecordingSink sink;
    const ChatResult result = callOnWorker(c, request(dialect), &sink);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorKind, CallErrorKind::Auth);
    QVERIFY2(result.error.contains(u"the environment variable TEST_PROVIDER_KEY"_s), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"127.0.0.1:"_s + QString::number(m_server->port())), qPrintable(result.error));
    QVERIFY(!result.error.contains(u"SECRETKEY"_s));
    QCOMPARE(result.attempts, 1);
    QCOMPARE(statuses(sink.records()), (QList<int>{401}));
    QVERIFY(!recordText(sink.records().first()).contains(u"SECRETKEY"_s));
}

void TestProviderDialects::unknownModelListsModels()
{
    QFETCH(QString, dialect);
    m_server->setModels({u"zeta-large"_s, u"alpha-small"_s});
    m_server->enqueue(FakeReply::unknownModel());
    ChatRequest req = request(dialect);
    req.engine.model = u"no-such-model"_s;
    ProviderClient c = client();
    RecordingSink sink;
    const ChatResult result = callOnWorker(c, req, &sink);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorKind, CallErrorKind::UnknownModel);
    QVERIFY2(result.error.contains(u"\"no-such-model\""_s), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"alpha-small, zeta-large"_s), qPrintable(result.error));
    QCOMPARE(result.attempts, 1);
    QCOMPARE(statuses(sink.records()), (QList<int>{404}));

    // The listing asked the same server, in the same dialect, with the key in a header.
    const FakeRequest listing = m_server->lastRequest();
    QCOMPARE(listing.method, "GET"_ba);
    QCOMPARE(listing.dialect, dialect);
    QVERIFY(!listing.path.contains("key="));
}

void TestProviderDialects::notFoundForAListedModelBlamesTheAddress()
{
    // fake-model is on the list, so a 404 means the request went to the wrong place.
    m_server->enqueue(FakeReply::error(404, u"no route"_s));
    ProviderClient c = client();
    RecordingSink sink;
    const ChatResult result = callOnWorker(c, request(u"anthropic"_s), &sink);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorKind, CallErrorKind::BadRequest);
    QVERIFY2(result.error.contains(u"check the baseUrl"_s), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"/v1/messages"_s), qPrintable(result.error));
    QCOMPARE(statuses(sink.records()), (QList<int>{404}));
}

void TestProviderDialects::contextLengthNamesCall()
{
    QFETCH(QString, dialect);
    m_server->enqueue(FakeReply::contextLength());
    ProviderClient c = client();
    RecordingSink sink;
    const ChatResult result = callOnWorker(c, request(dialect), &sink);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorKind, CallErrorKind::ContextLength);
    QVERIFY2(result.error.contains(u"engine \"student\""_s), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"forward call for node \"answer\""_s), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"sample 3 of train"_s), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"tokens (estimated)"_s), qPrintable(result.error));
    QCOMPARE(result.attempts, 1);
    QCOMPARE(statuses(sink.records()), (QList<int>{400}));
}

void TestProviderDialects::contentFilter()
{
    QFETCH(QString, dialect);
    m_server->enqueue(FakeReply::contentFiltered());
    ProviderClient c = client();
    RecordingSink sink;
    const ChatResult result = callOnWorker(c, request(dialect), &sink);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorKind, CallErrorKind::ContentFilter);
    QVERIFY2(result.error.contains(u"forward call for node \"answer\""_s), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"content filter"_s), qPrintable(result.error));
    QCOMPARE(result.attempts, 1);
    QCOMPARE(statuses(sink.records()), (QList<int>{200}));
}

void TestProviderDialects::azureNeedsDeployment()
{
    ChatRequest req = request(u"azure"_s);
    req.engine.deployment.clear();
    ProviderClient c = client();
    RecordingSink sink;
    const ChatResult result = callOnWorker(c, req, &sink);
    QCOMPARE(result.errorKind, CallErrorKind::Config);
    QVERIFY2(result.error.contains(u"deployment"_s), qPrintable(result.error));
    QCOMPARE(result.attempts, 0);
    QCOMPARE(sink.records().size(), 0);
    QCOMPARE(m_server->requestCount(), 0);
}

void TestProviderDialects::streamDeltas()
{
    QFETCH(QString, dialect);
    const QStringList chunks{u"Hel"_s, u"lo "_s, u"wör"_s, u"ld"_s};
    m_server->enqueue(FakeReply::stream(chunks).withUsage(12, 4));
    ChatRequest req = request(dialect);
    req.engine.stream = true;
    DeltaLog log;
    log.attach(&req);
    ProviderClient c = client();
    RecordingSink sink;
    const ChatResult result = callOnWorker(c, req, &sink);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(log.all(), chunks);
    QCOMPARE(result.text, log.all().join(QString()));
    QCOMPARE(result.promptTokens, 12);
    QCOMPARE(result.completionTokens, 4);
    QVERIFY(!result.tokensEstimated);
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(result.attempts, 1);
    QCOMPARE(statuses(sink.records()), (QList<int>{200}));
    QCOMPARE(sink.records().first().replyText, u"Hello wörld"_s);

    const QJsonObject json = m_server->lastRequest().json;
    QVERIFY(json.value(u"stream"_s).toBool());
    if (dialect == u"openai")
        QVERIFY(json.value(u"stream_options"_s).toObject().value(u"include_usage"_s).toBool());
    QCOMPARE(m_server->lastRequest().header("Accept"), "text/event-stream"_ba);
}

void TestProviderDialects::streamWithoutUsageIsEstimated()
{
    // Compatible servers are not sent stream_options and may send no usage at all.
    m_server->enqueue(FakeReply::stream({u"a"_s, u"b"_s}));
    ChatRequest req = request(u"openai"_s);
    req.engine.provider = u"openai-compatible"_s;
    req.engine.stream = true;
    ProviderClient c = client();
    RecordingSink sink;
    const ChatResult result = callOnWorker(c, req, &sink);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.text, u"ab"_s);
    QVERIFY(result.tokensEstimated);
    QVERIFY(!m_server->lastRequest().json.contains(u"stream_options"_s));
    QCOMPARE(statuses(sink.records()), (QList<int>{200}));
}

void TestProviderDialects::streamContentFilter()
{
    QFETCH(QString, dialect);
    FakeReply reply = FakeReply::stream({u"Sure, here is how to"_s});
    reply.filtered = true;
    m_server->enqueue(reply);
    ChatRequest req = request(dialect);
    req.engine.stream = true;
    ProviderClient c = client();
    RecordingSink sink;
    const ChatResult result = callOnWorker(c, req, &sink);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorKind, CallErrorKind::ContentFilter);
    QVERIFY2(result.error.contains(u"forward call for node \"answer\""_s), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"Sure, here is how to"_s), qPrintable(result.error));
    QCOMPARE(result.attempts, 1);
    QCOMPARE(statuses(sink.records()), (QList<int>{200}));
}

void TestProviderDialects::truncatedStreamIsAnError()
{
    QFETCH(QString, dialect);
    for (int i = 0; i < 3; ++i)
        m_server->enqueue(FakeReply::truncatedStream({u"The answer "_s, u"is"_s}));
    ChatRequest req = request(dialect);
    req.engine.stream = true;
    DeltaLog log;
    log.attach(&req);
    ProviderClient c = client();
    RecordingSink sink;
    const ChatResult result = callOnWorker(c, req, &sink);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorKind, CallErrorKind::Connection);
    QVERIFY2(result.error.contains(u"ended before its end marker"_s), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"3 attempts"_s), qPrintable(result.error));
    QCOMPARE(result.attempts, 3);
    QCOMPARE(attemptNumbers(sink.records()), (QList<int>{1, 2, 3}));
    QCOMPARE(statuses(sink.records()), (QList<int>{0, 0, 0}));
    QCOMPARE(log.restarts, 2);
    QVERIFY(result.text.isEmpty());
}

void TestProviderDialects::truncatedStreamRetriedToSuccess()
{
    QFETCH(QString, dialect);
    m_server->enqueue(FakeReply::truncatedStream({u"The answer "_s, u"is"_s}));
    m_server->enqueue(FakeReply::stream({u"The answer "_s, u"is 4"_s}));
    ChatRequest req = request(dialect);
    req.engine.stream = true;
    DeltaLog log;
    log.attach(&req);
    ProviderClient c = client();
    RecordingSink sink;
    const ChatResult result = callOnWorker(c, req, &sink);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.text, u"The answer is 4"_s);
    QCOMPARE(log.restarts, 1);
    QCOMPARE(log.all().join(QString()), result.text);
    QCOMPARE(statuses(sink.records()), (QList<int>{0, 200}));
    QCOMPARE(attemptNumbers(sink.records()), (QList<int>{1, 2}));
}

void TestProviderDialects::slowDripSucceeds()
{
    QFETCH(QString, dialect);
    // Six pauses of 250 ms: 1.5 s in all, past the inactivity limit, but never silent for it.
    m_server->enqueue(FakeReply::stream({u"a"_s, u"b"_s, u"c"_s}, 250));
    ChatRequest req = request(dialect);
    req.engine.stream = true;
    req.engine.inactivitySeconds = 0.8;
    req.engine.maxRetries = 0;
    ProviderClient c = client();
    RecordingSink sink;
    QElapsedTimer clock;
    clock.start();
    const ChatResult result = callOnWorker(c, req, &sink);
    QVERIFY2(result.ok, qPrintable(result.error));
    QVERIFY2(clock.elapsed() > 800, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(result.text, u"abc"_s);
    QCOMPARE(statuses(sink.records()), (QList<int>{200}));
}

void TestProviderDialects::silenceTimesOut()
{
    QFETCH(QString, dialect);
    m_server->enqueue(FakeReply::stream({u"a"_s, u"b"_s, u"c"_s}).withStallAfter(4));
    ChatRequest req = request(dialect);
    req.engine.stream = true;
    req.engine.inactivitySeconds = 0.6;
    req.engine.maxRetries = 0;
    DeltaLog log;
    log.attach(&req);
    ProviderClient c = client();
    RecordingSink sink;
    const ChatResult result = callOnWorker(c, req, &sink);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorKind, CallErrorKind::Timeout);
    QVERIFY2(result.error.contains(u"no data from"_s), qPrintable(result.error));
    QVERIFY(!log.all().isEmpty());
    QCOMPARE(result.attempts, 1);
    QCOMPARE(statuses(sink.records()), (QList<int>{0}));
}

QTEST_GUILESS_MAIN(TestProviderDialects)
#include "tst_providerdialects.moc"
