#include "FakeOpenAiServer.h"
#include "RecordingSink.h"
#include "ScriptedClient.h"
#include "providers/ProviderClient.h"
#include "providers/ThrottledClient.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QMutex>
#include <QMutexLocker>
#include <QTest>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <atomic>
#include <functional>

using namespace Qt::StringLiterals;

namespace {

// Counts the calls running at once inside an inner client.
struct ConcurrencyProbe
{
    std::atomic_int now{0};
    std::atomic_int max{0};

    void enter()
    {
        const int n = ++now;
        int seen = max.load();
        while (n > seen && !max.compare_exchange_weak(seen, n)) {
        }
    }
    void leave() { --now; }
};

// An inner client whose single attempt ends with an HTTP status chosen per request, recorded
// the way ProviderClient records one (the attempt's start time included).
class StatusClient : public LlmClient
{
public:
    using StatusFor = std::function<int(const ChatRequest &)>;
    StatusClient(StatusFor statusFor, int sleepMs)
        : m_statusFor(std::move(statusFor))
        , m_sleepMs(sleepMs)
    {
    }

    ChatResult complete(const ChatRequest &request, CallSink *sink, const CancelFlag &) override
    {
        const QDateTime started = QDateTime::currentDateTimeUtc();
        probe.enter();
        QThread::msleep(ulong(m_sleepMs));
        probe.leave();
        const int status = m_statusFor(request);
        ChatResult result;
        result.attempts = 1;
        result.ok = status == 200;
        result.text = result.ok ? u"ok"_s : QString();
        result.errorKind = result.ok ? CallErrorKind::None
                                     : (status == 429 ? CallErrorKind::RateLimited : CallErrorKind::Server);
        if (sink) {
            CallRecord record;
            record.tag = request.tag;
            record.engineName = request.engine.name;
            record.model = request.engine.model;
            record.httpStatus = status;
            record.error = result.ok ? QString() : u"status "_s + QString::number(status);
            record.startedAt = started;
            result.callId = sink->record(record);
        }
        return result;
    }

    ConcurrencyProbe probe;

private:
    StatusFor m_statusFor;
    int m_sleepMs;
};

ChatRequest requestFor(const QString &engineName, const QString &model, const QString &baseUrl)
{
    ChatRequest request;
    request.engine.name = engineName;
    request.engine.provider = u"openai-compatible"_s;
    request.engine.baseUrl = baseUrl;
    request.engine.model = model;
    request.messages = {{u"user"_s, u"What is 2+2?"_s}};
    return request;
}

ChatRequest studentRequest()
{
    return requestFor(u"student"_s, u"small-model"_s, u"http://127.0.0.1:9/v1"_s);
}

ThrottledClient::Settings throttle(int initial, int max, int increaseAfter)
{
    ThrottledClient::Settings s;
    s.initialLimit = initial;
    s.maxLimit = max;
    s.increaseAfter = increaseAfter;
    return s;
}

// Runs `count` calls at once on their own pool threads (as the trainer's workers do) and
// returns their results in order.
QVector<ChatResult> runConcurrently(LlmClient &client, const QVector<ChatRequest> &requests, CallSink *sink,
                                    const CancelFlag &cancel = makeCancelFlag())
{
    QThreadPool pool;
    pool.setMaxThreadCount(int(requests.size()));
    QVector<QFuture<ChatResult>> futures;
    for (const ChatRequest &request : requests)
        futures.append(QtConcurrent::run(&pool, [&client, request, sink, cancel] {
            return client.complete(request, sink, cancel);
        }));
    QVector<ChatResult> results;
    for (QFuture<ChatResult> &future : futures)
        results.append(future.result());
    return results;
}

} // namespace

class TestThrottledClient : public QObject
{
    Q_OBJECT

private slots:
    void engineKeySharesEquivalentEngines();
    void atMostLimitCallsRun();
    void recordsAndIdsPassThrough();
    void burstOfRateLimitsHalvesTheLimit();
    void repeatedRateLimitsShrinkToOne();
    void successesRaiseTheLimitAgain();
    void cancelWhileWaitingForASlot();
    void enginesAreIndependent();
    void providerClientRecoversFromRateLimits();
};

void TestThrottledClient::engineKeySharesEquivalentEngines()
{
    EngineConfig a;
    a.name = u"student"_s;
    a.provider = u"openai"_s;
    a.model = u"gpt-4o-mini"_s;
    EngineConfig b = a;
    b.name = u"judge"_s;
    b.baseUrl = defaultBaseUrl(u"openai"_s) + u"/"_s;
    QCOMPARE(ThrottledClient::engineKey(a), ThrottledClient::engineKey(b));
    QCOMPARE(ThrottledClient::engineKey(a), u"gpt-4o-mini @ "_s + defaultBaseUrl(u"openai"_s));

    EngineConfig other = a;
    other.model = u"gpt-4o"_s;
    QVERIFY(ThrottledClient::engineKey(other) != ThrottledClient::engineKey(a));
    EngineConfig local = a;
    local.baseUrl = u"http://localhost:8000/v1"_s;
    QVERIFY(ThrottledClient::engineKey(local) != ThrottledClient::engineKey(a));
}

void TestThrottledClient::atMostLimitCallsRun()
{
    ConcurrencyProbe probe;
    ScriptedClient inner([&probe](const ChatRequest &) {
        probe.enter();
        QThread::msleep(30);
        probe.leave();
        return ScriptedClient::text(u"4"_s);
    });
    ThrottledClient client(&inner, throttle(3, 3, 5));
    RecordingSink sink;
    const QVector<ChatResult> results = runConcurrently(client, QVector<ChatRequest>(12, studentRequest()), &sink);

    for (const ChatResult &result : results)
        QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(inner.count(), 12);
    QCOMPARE(probe.max.load(), 3);   // twelve callers, three at a time
    const QVector<ThrottledClient::EngineLimit> limits = client.snapshot();
    QCOMPARE(limits.size(), 1);
    QCOMPARE(limits.first().state.inFlight, 0);
    QCOMPARE(limits.first().state.waiting, 0);
}

void TestThrottledClient::recordsAndIdsPassThrough()
{
    ScriptedClient inner([](const ChatRequest &) { return ScriptedClient::text(u"4"_s); });
    ThrottledClient client(&inner, throttle(2, 2, 5));
    RecordingSink sink;
    const ChatResult result = runConcurrently(client, {studentRequest()}, &sink).first();
    QVERIFY(result.ok);
    QCOMPARE(result.callId, RecordingSink::kFirstId);
    QCOMPARE(sink.records().size(), 1);
    QCOMPARE(sink.records().first().httpStatus, 200);

    // No sink from the caller: the limiter still observes, nothing is forwarded.
    const ChatResult unrecorded = runConcurrently(client, {studentRequest()}, nullptr).first();
    QVERIFY(unrecorded.ok);
    QCOMPARE(unrecorded.callId, 0);
}

void TestThrottledClient::burstOfRateLimitsHalvesTheLimit()
{
    StatusClient inner([](const ChatRequest &) { return 429; }, 40);
    ThrottledClient client(&inner, throttle(8, 8, 5));
    RecordingSink sink;
    const QVector<ChatResult> results = runConcurrently(client, QVector<ChatRequest>(8, studentRequest()), &sink);

    QCOMPARE(sink.records().size(), 8);
    for (const ChatResult &result : results)
        QCOMPARE(result.errorKind, CallErrorKind::RateLimited);
    // Eight attempts sent together and refused together are one signal, not eight.
    const QString key = ThrottledClient::engineKey(studentRequest().engine);
    QCOMPARE(client.currentLimit(key), 4);
    QCOMPARE(client.snapshot().first().state.decreases, 1);
}

void TestThrottledClient::repeatedRateLimitsShrinkToOne()
{
    StatusClient inner([](const ChatRequest &) { return 429; }, 2);
    ThrottledClient client(&inner, throttle(8, 8, 5));
    const QString key = ThrottledClient::engineKey(studentRequest().engine);
    QVector<int> limits;
    for (int i = 0; i < 5; ++i) {
        runConcurrently(client, {studentRequest()}, nullptr);
        limits.append(client.currentLimit(key));
    }
    QCOMPARE(limits, (QVector<int>{4, 2, 1, 1, 1}));
}

void TestThrottledClient::successesRaiseTheLimitAgain()
{
    std::atomic_int calls{0};
    StatusClient inner([&calls](const ChatRequest &) { return ++calls == 1 ? 429 : 200; }, 1);
    ThrottledClient client(&inner, throttle(4, 6, 2));
    const QString key = ThrottledClient::engineKey(studentRequest().engine);
    QCOMPARE(client.currentLimit(key), 4);   // not called yet: the initial limit
    runConcurrently(client, {studentRequest()}, nullptr);
    QCOMPARE(client.currentLimit(key), 2);
    for (int i = 0; i < 20; ++i)
        runConcurrently(client, {studentRequest()}, nullptr);
    QCOMPARE(client.currentLimit(key), 6);   // back up, and past the start, to the maximum
    const AimdLimiter::Snapshot state = client.snapshot().first().state;
    QCOMPARE(state.lowestLimit, 2);
    QCOMPARE(state.increases, 4);
}

void TestThrottledClient::cancelWhileWaitingForASlot()
{
    std::atomic_bool releaseFirst{false};
    ScriptedClient inner([&releaseFirst](const ChatRequest &) {
        QElapsedTimer guard;
        guard.start();
        while (!releaseFirst.load() && guard.elapsed() < 5000)
            QThread::msleep(5);
        return ScriptedClient::text(u"done"_s);
    });
    ThrottledClient client(&inner, throttle(1, 1, 5));
    QThreadPool pool;
    pool.setMaxThreadCount(2);
    const CancelFlag firstCancel = makeCancelFlag();
    QFuture<ChatResult> first = QtConcurrent::run(&pool, [&] {
        return client.complete(studentRequest(), nullptr, firstCancel);
    });
    QTRY_COMPARE(inner.count(), 1);

    const CancelFlag cancel = makeCancelFlag();
    std::atomic<qint64> returnedAfterMs{-1};
    QElapsedTimer clock;
    QFuture<ChatResult> second = QtConcurrent::run(&pool, [&] {
        const ChatResult r = client.complete(studentRequest(), nullptr, cancel);
        returnedAfterMs = clock.elapsed();
        return r;
    });
    QTRY_COMPARE(client.snapshot().first().state.waiting, 1);
    clock.start();
    cancel->store(true);
    const ChatResult cancelled = second.result();
    QCOMPARE(cancelled.errorKind, CallErrorKind::Cancelled);
    QVERIFY(!cancelled.ok);
    QVERIFY(cancelled.error.contains(u"student"_s));
    QVERIFY2(returnedAfterMs.load() < 200, qPrintable(QString::number(returnedAfterMs.load()) + u" ms"_s));
    QCOMPARE(inner.count(), 1);   // the cancelled call never reached the inner client

    releaseFirst = true;
    QVERIFY(first.result().ok);
    QCOMPARE(client.snapshot().first().state.inFlight, 0);
}

void TestThrottledClient::enginesAreIndependent()
{
    const ChatRequest slow = requestFor(u"student"_s, u"limited-model"_s, u"http://127.0.0.1:9/v1"_s);
    const ChatRequest fast = requestFor(u"judge"_s, u"other-model"_s, u"http://127.0.0.1:9/v1"_s);
    StatusClient inner([](const ChatRequest &r) { return r.engine.model == u"limited-model"_s ? 429 : 200; }, 20);
    ThrottledClient client(&inner, throttle(4, 4, 100));

    // Rate limits on one engine...
    for (int i = 0; i < 3; ++i)
        runConcurrently(client, {slow}, nullptr);
    const QString slowKey = ThrottledClient::engineKey(slow.engine);
    const QString fastKey = ThrottledClient::engineKey(fast.engine);
    QCOMPARE(client.currentLimit(slowKey), 1);
    // ...leave the other at its own limit, and its calls still run four at a time.
    const QVector<ChatResult> results = runConcurrently(client, QVector<ChatRequest>(8, fast), nullptr);
    for (const ChatResult &result : results)
        QVERIFY(result.ok);
    QCOMPARE(client.currentLimit(fastKey), 4);
    QCOMPARE(inner.probe.max.load(), 4);
    QCOMPARE(client.snapshot().size(), 2);
}

void TestThrottledClient::providerClientRecoversFromRateLimits()
{
    FakeOpenAiServer server;
    QVERIFY(server.start());
    // The first twelve requests are refused, as a provider does when a burst exceeds its
    // per-minute quota; after that it keeps up.
    std::atomic_int served{0};
    server.setResponder([&served](const FakeRequest &) {
        if (++served <= 12)
            return FakeReply::error(429, u"Rate limit reached, slow down"_s);
        return FakeReply::completion(u"4"_s).withDelay(5);
    });

    RetryPolicy retry;
    retry.baseDelayMs = 20;
    retry.maxDelayMs = 200;
    retry.jitter = 0.0;
    ProviderClient inner(QProcessEnvironment(), retry);
    ThrottledClient client(&inner, throttle(8, 8, 2));
    RecordingSink sink;

    ChatRequest request = requestFor(u"student"_s, u"fake-model"_s, server.baseUrl());
    request.engine.maxRetries = 12;
    request.engine.timeoutSeconds = 10;
    const QVector<ChatResult> results = runConcurrently(client, QVector<ChatRequest>(40, request), &sink);

    for (const ChatResult &result : results)
        QVERIFY2(result.ok, qPrintable(result.error));
    const QVector<CallRecord> records = sink.records();
    const int refused = int(std::count_if(records.cbegin(), records.cend(),
                                          [](const CallRecord &r) { return r.httpStatus == 429; }));
    QCOMPARE(refused, 12);
    QCOMPARE(records.size(), 52);

    const AimdLimiter::Snapshot state = client.snapshot().first().state;
    QVERIFY2(state.lowestLimit <= 4, qPrintable(QString::number(state.lowestLimit)));
    QVERIFY(state.decreases >= 1);
    QCOMPARE(state.limit, 8);   // forty successes later it is back where it started
    QCOMPARE(state.inFlight, 0);
}

QTEST_GUILESS_MAIN(TestThrottledClient)
#include "tst_throttledclient.moc"
