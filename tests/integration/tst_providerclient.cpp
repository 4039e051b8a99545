#include "FakeOpenAiServer.h"
#include "RecordingSink.h"
#include "providers/ProviderClient.h"
#include "providers/ProviderPresets.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QMutex>
#include <QMutexLocker>
#include <QTest>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

#include <thread>

using namespace Qt::StringLiterals;

namespace {

const QString kKey = u"sk-test-SECRETKEY-0123456789abcdef"_s;

RetryPolicy fastRetries()
{
    RetryPolicy policy;
    policy.baseDelayMs = 20;
    policy.maxDelayMs = 3000;
    policy.jitter = 0.0;
    return policy;
}

QProcessEnvironment environmentWithKey()
{
    QProcessEnvironment env;
    env.insert(u"TEST_PROVIDER_KEY"_s, kKey);
    return env;
}

// The product calls complete() from worker threads only; the tests do the same.
ChatResult callOnWorker(ProviderClient &client, const ChatRequest &request, CallSink *sink,
                        const CancelFlag &cancel = makeCancelFlag())
{
    QFuture<ChatResult> future = QtConcurrent::run([&client, request, sink, cancel] {
        return client.complete(request, sink, cancel);
    });
    future.waitForFinished();
    return future.result();
}

bool recordContains(const CallRecord &record, const QString &needle)
{
    const QStringList fields{record.engineName, record.provider, record.model, record.baseUrl, record.requestJson,
                             record.replyText, record.responseBody, record.error};
    for (const QString &field : fields) {
        if (field.contains(needle))
            return true;
    }
    return false;
}

} // namespace

class TestProviderClient : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void successRecordsUsage();
    void samplingSettingsPassedThrough();
    void tokensEstimatedWithoutUsage();
    void keySentButNeverStored();
    void rateLimitHonoursRetryAfter();
    void serverErrorThenSuccess();
    void serverErrorForever();
    void unauthorizedIsNotRetried();
    void badRequestIsNotRetried();
    void notFoundNamesModel();
    void malformedJsonIsBadReply();
    void emptyChoicesIsBadReply();
    void closedConnectionIsRetried();
    void connectionRefused();
    void deadlineTimesOut();
    void inactivityTimesOut();
    void cancelWhileHanging();
    void cancelDuringBackoff();
    void missingKeyFailsFast();
    void unsupportedProvider();
    void compatibleNeedsBaseUrl();
    void concurrentCallsFromPoolThreads();
    void callsFromPlainThreads();
    void truncatedReplyIsRetried();

private:
    ChatRequest request() const;

    std::unique_ptr<FakeOpenAiServer> m_server;
};

void TestProviderClient::init()
{
    m_server = std::make_unique<FakeOpenAiServer>();
    QVERIFY(m_server->start());
}

void TestProviderClient::cleanup()
{
    m_server.reset();
}

ChatRequest TestProviderClient::request() const
{
    ChatRequest request;
    request.engine.name = u"student"_s;
    request.engine.provider = u"openai-compatible"_s;
    request.engine.baseUrl = m_server->baseUrl();
    request.engine.model = u"fake-model"_s;
    request.engine.timeoutSeconds = 10;
    request.engine.inactivitySeconds = 10;
    request.engine.maxRetries = 2;
    request.messages = {{u"system"_s, u"You add numbers."_s}, {u"user"_s, u"What is 2+2?"_s}};
    request.tag.runId = u"run-1"_s;
    request.tag.step = 3;
    request.tag.purpose = CallPurpose::Backward;
    request.tag.nodeId = u"answer"_s;
    request.tag.sampleIndex = 5;
    request.tag.split = u"train"_s;
    return request;
}

void TestProviderClient::successRecordsUsage()
{
    m_server->setResponder([](const FakeRequest &) { return FakeReply::completion(u"4"_s).withUsage(11, 7); });
    ProviderClient client(QProcessEnvironment(), fastRetries());
    RecordingSink sink;
    const ChatResult result = callOnWorker(client, request(), &sink);

    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.text, u"4"_s);
    QCOMPARE(result.promptTokens, 11);
    QCOMPARE(result.completionTokens, 7);
    QVERIFY(!result.tokensEstimated);
    QCOMPARE(result.attempts, 1);

    const auto records = sink.records();
    QCOMPARE(records.size(), 1);
    const CallRecord &record = records.first();
    QCOMPARE(result.callId, 1001);
    QCOMPARE(record.attempt, 1);
    QCOMPARE(record.httpStatus, 200);
    QCOMPARE(record.replyText, u"4"_s);
    QCOMPARE(record.promptTokens, 11);
    QCOMPARE(record.completionTokens, 7);
    QCOMPARE(record.engineName, u"student"_s);
    QCOMPARE(record.provider, u"openai-compatible"_s);
    QCOMPARE(record.model, u"fake-model"_s);
    QCOMPARE(record.baseUrl, m_server->baseUrl());
    QCOMPARE(record.tag.runId, u"run-1"_s);
    QCOMPARE(record.tag.purpose, CallPurpose::Backward);
    QCOMPARE(record.tag.sampleIndex, 5);
    QVERIFY(record.requestJson.contains(u"What is 2+2?"_s));
    QVERIFY(record.responseBody.contains(u"chat.completion"_s));
    QVERIFY(record.error.isEmpty());
    QVERIFY(record.startedAt.isValid());
    QVERIFY(record.latencyMs >= 0);

    const FakeRequest sent = m_server->lastRequest();
    QCOMPARE(sent.method, "POST"_ba);
    QCOMPARE(sent.path, "/v1/chat/completions"_ba);
    QVERIFY(sent.header("Authorization").isEmpty());
    QVERIFY(sent.header("Content-Type").startsWith("application/json"));
}

void TestProviderClient::samplingSettingsPassedThrough()
{
    ChatRequest req = request();
    req.engine.temperature = 0.25;
    req.engine.topP = 0.5;
    req.engine.maxTokens = 64;
    req.engine.seed = 7;
    req.engine.stop = {u"END"_s, u"\n\n"_s};
    ProviderClient client(QProcessEnvironment(), fastRetries());
    const ChatResult result = callOnWorker(client, req, nullptr);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.callId, 0);

    const FakeRequest sent = m_server->lastRequest();
    QCOMPARE(sent.model, u"fake-model"_s);
    QCOMPARE(sent.messages.size(), 2);
    QCOMPARE(sent.messages.at(0).role, u"system"_s);
    QCOMPARE(sent.messages.at(0).content, u"You add numbers."_s);
    QCOMPARE(sent.lastMessage(), u"What is 2+2?"_s);
    QCOMPARE(sent.json.value(u"temperature"_s).toDouble(), 0.25);
    QCOMPARE(sent.json.value(u"top_p"_s).toDouble(), 0.5);
    QCOMPARE(sent.json.value(u"max_tokens"_s).toInt(), 64);
    QCOMPARE(sent.json.value(u"seed"_s).toInt(), 7);
    const QJsonArray stop = sent.json.value(u"stop"_s).toArray();
    QCOMPARE(stop.size(), 2);
    QCOMPARE(stop.at(0).toString(), u"END"_s);

    // Unset settings are left to the server's defaults rather than sent as nulls.
    const FakeRequest plain = [&] {
        callOnWorker(client, request(), nullptr);
        return m_server->lastRequest();
    }();
    QVERIFY(!plain.json.contains(u"temperature"_s));
    QVERIFY(!plain.json.contains(u"seed"_s));
    QVERIFY(!plain.json.contains(u"stop"_s));
}

void TestProviderClient::tokensEstimatedWithoutUsage()
{
    m_server->setResponder([](const FakeRequest &) {
        return FakeReply::completion(u"forty characters of reply text, roughly."_s).withoutUsage();
    });
    ProviderClient client(QProcessEnvironment(), fastRetries());
    RecordingSink sink;
    const ChatResult result = callOnWorker(client, request(), &sink);
    QVERIFY2(result.ok, qPrintable(result.error));
    QVERIFY(result.tokensEstimated);
    QCOMPARE(result.completionTokens, 10);
    QVERIFY(result.promptTokens > 0);
    QVERIFY(sink.records().first().tokensEstimated);
}

void TestProviderClient::keySentButNeverStored()
{
    ChatRequest req = request();
    req.engine.apiKeyEnv = u"TEST_PROVIDER_KEY"_s;
    // A server that echoes the key back, as some do in error messages, must not leak it either.
    m_server->setResponder([](const FakeRequest &r) {
        return FakeReply::completion(u"you sent "_s + QString::fromLatin1(r.header("Authorization")));
    });
    ProviderClient client(environmentWithKey(), fastRetries());
    RecordingSink sink;
    const ChatResult result = callOnWorker(client, req, &sink);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(m_server->lastRequest().header("Authorization"), "Bearer " + kKey.toLatin1());
    for (const CallRecord &record : sink.records())
        QVERIFY(!recordContains(record, kKey));
}

void TestProviderClient::rateLimitHonoursRetryAfter()
{
    m_server->enqueue(FakeReply::rateLimited(1));
    ProviderClient client(QProcessEnvironment(), fastRetries());
    RecordingSink sink;
    QElapsedTimer clock;
    clock.start();
    const ChatResult result = callOnWorker(client, request(), &sink);
    const qint64 elapsed = clock.elapsed();

    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.attempts, 2);
    const auto records = sink.records();
    QCOMPARE(records.size(), 2);
    QCOMPARE(records.at(0).attempt, 1);
    QCOMPARE(records.at(0).httpStatus, 429);
    QVERIFY(records.at(0).error.contains(u"429"_s));
    QVERIFY(records.at(0).responseBody.contains(u"Rate limit"_s));
    QCOMPARE(records.at(1).attempt, 2);
    QCOMPARE(records.at(1).httpStatus, 200);
    QCOMPARE(result.callId, 1002);
    QVERIFY2(elapsed >= 950, qPrintable(QString::number(elapsed)));
    QCOMPARE(m_server->requestCount(), 2);
}

void TestProviderClient::serverErrorThenSuccess()
{
    m_server->enqueue(FakeReply::error(500, u"upstream exploded"_s));
    ProviderClient client(QProcessEnvironment(), fastRetries());
    RecordingSink sink;
    const ChatResult result = callOnWorker(client, request(), &sink);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.attempts, 2);
    QCOMPARE(sink.records().size(), 2);
    QCOMPARE(sink.records().at(0).httpStatus, 500);
}

void TestProviderClient::serverErrorForever()
{
    m_server->setResponder([](const FakeRequest &) { return FakeReply::error(503, u"overloaded"_s); });
    ProviderClient client(QProcessEnvironment(), fastRetries());
    RecordingSink sink;
    const ChatResult result = callOnWorker(client, request(), &sink);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorKind, CallErrorKind::Server);
    QCOMPARE(result.attempts, 3);
    QCOMPARE(sink.records().size(), 3);
    QCOMPARE(m_server->requestCount(), 3);
    QVERIFY2(result.error.contains(u"3 attempts"_s), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"engine \"student\""_s), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"503"_s), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"overloaded"_s), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"127.0.0.1:"_s + QString::number(m_server->port())), qPrintable(result.error));
}

void TestProviderClient::unauthorizedIsNotRetried()
{
    ChatRequest req = request();
    req.engine.apiKeyEnv = u"TEST_PROVIDER_KEY"_s;
    m_server->setResponder([](const FakeRequest &) {
        return FakeReply::error(401, u"Incorrect API key provided: "_s + kKey);
    });
    ProviderClient client(environmentWithKey(), fastRetries());
    RecordingSink sink;
    const ChatResult result = callOnWorker(client, req, &sink);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorKind, CallErrorKind::Auth);
    QCOMPARE(result.attempts, 1);
    QCOMPARE(m_server->requestCount(), 1);
    QVERIFY2(result.error.contains(u"TEST_PROVIDER_KEY"_s), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"401"_s), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"127.0.0.1"_s), qPrintable(result.error));
    QVERIFY(!result.error.contains(kKey));
    QVERIFY(!result.error.contains(u"SECRETKEY"_s));
    const auto records = sink.records();
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().httpStatus, 401);
    QVERIFY(!recordContains(records.first(), kKey));
}

void TestProviderClient::badRequestIsNotRetried()
{
    m_server->setResponder([](const FakeRequest &) {
        return FakeReply::error(400, u"Unrecognized request argument supplied: frobnicate"_s);
    });
    ProviderClient client(QProcessEnvironment(), fastRetries());
    const ChatResult result = callOnWorker(client, request(), nullptr);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorKind, CallErrorKind::BadRequest);
    QCOMPARE(result.attempts, 1);
    QCOMPARE(m_server->requestCount(), 1);
    QVERIFY2(result.error.contains(u"frobnicate"_s), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"400"_s), qPrintable(result.error));
}

void TestProviderClient::notFoundNamesModel()
{
    ChatRequest req = request();
    req.engine.model = u"gpt-nonexistent"_s;
    m_server->setResponder([](const FakeRequest &r) {
        return FakeReply::error(404, u"The model `"_s + r.model + u"` does not exist"_s);
    });
    ProviderClient client(QProcessEnvironment(), fastRetries());
    const ChatResult result = callOnWorker(client, req, nullptr);
    QVERIFY(!result.ok);
    QCOMPARE(result.attempts, 1);
    QVERIFY2(result.error.contains(u"\"gpt-nonexistent\""_s), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"404"_s), qPrintable(result.error));
}

void TestProviderClient::malformedJsonIsBadReply()
{
    m_server->enqueue(FakeReply::malformedJson());
    ProviderClient client(QProcessEnvironment(), fastRetries());
    RecordingSink sink;
    const ChatResult result = callOnWorker(client, request(), &sink);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorKind, CallErrorKind::BadReply);
    QCOMPARE(result.attempts, 1);
    QVERIFY2(result.error.contains(u"chatcmpl-broken"_s), qPrintable(result.error));
    QVERIFY(sink.records().first().responseBody.contains(u"chatcmpl-broken"_s));
}

void TestProviderClient::emptyChoicesIsBadReply()
{
    m_server->enqueue(FakeReply::emptyChoices());
    ProviderClient client(QProcessEnvironment(), fastRetries());
    const ChatResult result = callOnWorker(client, request(), nullptr);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorKind, CallErrorKind::BadReply);
    QVERIFY2(result.error.contains(u"no choices"_s), qPrintable(result.error));
}

void TestProviderClient::closedConnectionIsRetried()
{
    // A connection that dies before any reply byte is retried by the client's own loop, and
    // every request the server saw is one recorded attempt: Qt must not resend on its own,
    // or the call log would undercount what the provider received (and billed).
    m_server->clearRequests();
    m_server->enqueue(FakeReply::closeConnection());
    m_server->enqueue(FakeReply::closeConnection());
    ChatRequest req = request();
    req.engine.maxRetries = 4;
    ProviderClient client(QProcessEnvironment(), fastRetries());
    RecordingSink sink;
    const ChatResult result = callOnWorker(client, req, &sink);
    QVERIFY2(result.ok, qPrintable(result.error));
    const auto records = sink.records();
    QCOMPARE(records.size(), 3);
    QCOMPARE(records.at(0).httpStatus, 0);
    QCOMPARE(records.at(1).httpStatus, 0);
    QVERIFY(!records.first().error.isEmpty());
    QCOMPARE(records.last().httpStatus, 200);
    QCOMPARE(records.last().attempt, 3);
    QCOMPARE(result.attempts, records.size());
    QCOMPARE(m_server->requestCount(), records.size());
    QCOMPARE(m_server->pendingScripted(), 0);
}

void TestProviderClient::connectionRefused()
{
    ChatRequest req = request();
    req.engine.maxRetries = 1;
    const QString host = u"127.0.0.1:"_s + QString::number(m_server->port());
    m_server->stop();   // nothing listens on the port any more
    ProviderClient client(QProcessEnvironment(), fastRetries());
    RecordingSink sink;
    const ChatResult result = callOnWorker(client, req, &sink);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorKind, CallErrorKind::Connection);
    QCOMPARE(result.attempts, 2);
    QCOMPARE(sink.records().size(), 2);
    QVERIFY2(result.error.contains(host), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"2 attempts"_s), qPrintable(result.error));
}

void TestProviderClient::deadlineTimesOut()
{
    m_server->setResponder([](const FakeRequest &) { return FakeReply::hang(); });
    ChatRequest req = request();
    req.engine.timeoutSeconds = 1;
    req.engine.maxRetries = 0;
    ProviderClient client(QProcessEnvironment(), fastRetries());
    RecordingSink sink;
    QElapsedTimer clock;
    clock.start();
    const ChatResult result = callOnWorker(client, req, &sink);
    QVERIFY(clock.elapsed() < 3000);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorKind, CallErrorKind::Timeout);
    QVERIFY2(result.error.contains(u"timed out after 1s"_s), qPrintable(result.error));
    QCOMPARE(sink.records().size(), 1);
    QCOMPARE(sink.records().first().httpStatus, 0);
}

void TestProviderClient::inactivityTimesOut()
{
    m_server->setResponder([](const FakeRequest &) { return FakeReply::hang(); });
    ChatRequest req = request();
    req.engine.inactivitySeconds = 0.5;
    req.engine.maxRetries = 1;
    ProviderClient client(QProcessEnvironment(), fastRetries());
    QElapsedTimer clock;
    clock.start();
    const ChatResult result = callOnWorker(client, req, nullptr);
    QVERIFY(clock.elapsed() < 3000);
    QCOMPARE(result.errorKind, CallErrorKind::Timeout);
    QCOMPARE(result.attempts, 2);   // a stalled attempt is worth another try
    QVERIFY2(result.error.contains(u"no data"_s), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"2 attempts"_s), qPrintable(result.error));
}

void TestProviderClient::cancelWhileHanging()
{
    m_server->setResponder([](const FakeRequest &) { return FakeReply::hang(); });
    ProviderClient client(QProcessEnvironment(), fastRetries());
    RecordingSink sink;
    const CancelFlag cancel = makeCancelFlag();
    const ChatRequest req = request();
    QFuture<ChatResult> future = QtConcurrent::run([&client, req, &sink, cancel] {
        return client.complete(req, &sink, cancel);
    });
    QVERIFY(m_server->waitForRequests(1, 5000));
    QElapsedTimer clock;
    clock.start();
    cancel->store(true);
    future.waitForFinished();
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
    const ChatResult result = future.result();
    QCOMPARE(result.errorKind, CallErrorKind::Cancelled);
    QCOMPARE(result.attempts, 1);
    QCOMPARE(sink.records().size(), 1);
}

void TestProviderClient::cancelDuringBackoff()
{
    m_server->setResponder([](const FakeRequest &) { return FakeReply::error(500, u"down"_s); });
    RetryPolicy slow = fastRetries();
    slow.baseDelayMs = 20000;
    slow.maxDelayMs = 20000;
    ProviderClient client(QProcessEnvironment(), slow);
    const CancelFlag cancel = makeCancelFlag();
    const ChatRequest req = request();
    QFuture<ChatResult> future = QtConcurrent::run([&client, req, cancel] {
        return client.complete(req, nullptr, cancel);
    });
    QVERIFY(m_server->waitForRequests(1, 5000));
    QTest::qSleep(200);   // the reply arrived and the client is sleeping before its retry
    QElapsedTimer clock;
    clock.start();
    cancel->store(true);
    future.waitForFinished();
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(future.result().errorKind, CallErrorKind::Cancelled);
    QCOMPARE(m_server->requestCount(), 1);
}

void TestProviderClient::missingKeyFailsFast()
{
    ChatRequest req = request();
    req.engine.name = u"teacher"_s;
    req.engine.provider = u"openai"_s;   // the cloud needs a key; the URL points here to prove nothing is sent
    ProviderClient client(QProcessEnvironment(), fastRetries());
    RecordingSink sink;
    const ChatResult result = callOnWorker(client, req, &sink);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorKind, CallErrorKind::Config);
    QVERIFY2(result.error.contains(u"engine \"teacher\""_s), qPrintable(result.error));
    QVERIFY2(result.error.contains(u"OPENAI_API_KEY is not set"_s), qPrintable(result.error));
    QCOMPARE(result.attempts, 0);
    QCOMPARE(sink.records().size(), 0);
    QCOMPARE(m_server->requestCount(), 0);

    req.engine.baseUrl.clear();
    const ChatResult defaults = callOnWorker(client, req, nullptr);
    QVERIFY2(defaults.error.contains(u"https://api.openai.com/v1"_s), qPrintable(defaults.error));
}

void TestProviderClient::unsupportedProvider()
{
    for (const ProviderPreset &preset : ProviderPresets::all())
        QVERIFY2(ProviderClient::supportsProvider(preset.name), qPrintable(preset.name));
    for (const QString &provider : {u"nonsense"_s, u"claude"_s}) {
        ChatRequest req = request();
        req.engine.provider = provider;
        ProviderClient client(environmentWithKey(), fastRetries());
        const ChatResult result = callOnWorker(client, req, nullptr);
        QVERIFY(!result.ok);
        QCOMPARE(result.errorKind, CallErrorKind::Config);
        QVERIFY2(result.error.contains(u"provider \""_s + provider + u"\" is not supported"_s),
                 qPrintable(result.error));
    }
    QCOMPARE(m_server->requestCount(), 0);
}

void TestProviderClient::compatibleNeedsBaseUrl()
{
    ChatRequest req = request();
    req.engine.baseUrl.clear();
    ProviderClient client(QProcessEnvironment(), fastRetries());
    const ChatResult result = callOnWorker(client, req, nullptr);
    QCOMPARE(result.errorKind, CallErrorKind::Config);
    QVERIFY2(result.error.contains(u"baseUrl"_s), qPrintable(result.error));

    req.engine.baseUrl = u"not a url"_s;
    QCOMPARE(callOnWorker(client, req, nullptr).errorKind, CallErrorKind::Config);
}

void TestProviderClient::concurrentCallsFromPoolThreads()
{
    m_server->setResponder([](const FakeRequest &r) {
        return FakeReply::completion(u"echo: "_s + r.lastMessage()).withDelay(50);
    });
    ProviderClient client(QProcessEnvironment(), fastRetries());
    RecordingSink sink;
    QList<QFuture<ChatResult>> futures;
    for (int i = 0; i < 8; ++i) {
        ChatRequest req = request();
        req.messages = {{u"user"_s, u"question "_s + QString::number(i)}};
        futures.append(QtConcurrent::run([&client, req, &sink] { return client.complete(req, &sink, makeCancelFlag()); }));
    }
    for (int i = 0; i < futures.size(); ++i) {
        futures[i].waitForFinished();
        const ChatResult result = futures[i].result();
        QVERIFY2(result.ok, qPrintable(result.error));
        QCOMPARE(result.text, u"echo: question "_s + QString::number(i));
    }
    QCOMPARE(sink.records().size(), 8);
}

void TestProviderClient::callsFromPlainThreads()
{
    // A QThread running only our lambda and a thread Qt did not create have no event loop of
    // their own; the client's local loop must still drive the request there.
    ProviderClient client(QProcessEnvironment(), fastRetries());
    const ChatRequest req = request();
    ChatResult fromQThread;
    std::unique_ptr<QThread> thread(QThread::create([&] { fromQThread = client.complete(req, nullptr, makeCancelFlag()); }));
    thread->start();
    QVERIFY(thread->wait(10000));
    QVERIFY2(fromQThread.ok, qPrintable(fromQThread.error));

    ChatResult fromStdThread;
    std::thread plain([&] { fromStdThread = client.complete(req, nullptr, makeCancelFlag()); });
    plain.join();
    QVERIFY2(fromStdThread.ok, qPrintable(fromStdThread.error));
    QCOMPARE(m_server->requestCount(), 2);
}

void TestProviderClient::truncatedReplyIsRetried()
{
    m_server->enqueue(FakeReply::truncated(u"this reply is cut in half by the server"_s));
    ProviderClient client(QProcessEnvironment(), fastRetries());
    RecordingSink sink;
    const ChatResult result = callOnWorker(client, request(), &sink);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.attempts, 2);
    QCOMPARE(sink.records().first().httpStatus, 0);
    QVERIFY(!sink.records().first().error.isEmpty());
}

QTEST_GUILESS_MAIN(TestProviderClient)
#include "tst_providerclient.moc"
