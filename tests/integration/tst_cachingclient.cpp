// The response cache end to end below the CLI: CachingClient over a scripted provider and a real
// project file. Misses then hits, what the key is sensitive to, errors never cached, repeats
// within a run, many threads at once, stats and clear; then the trainer: a second identical run
// served from the cache, and cost per phase in the run summary.

#include "RecordingSink.h"
#include "ScriptedClient.h"
#include "TestPipelines.h"

#include "cost/PriceTable.h"
#include "providers/CachingClient.h"
#include "providers/ResponseCache.h"
#include "store/RunStore.h"
#include "training/RunSummary.h"
#include "training/Trainer.h"

#include <QJsonArray>
#include <QMutex>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QtTest>

#include <atomic>

using namespace Qt::StringLiterals;

namespace {

ChatRequest request(const QString &runId, const QString &question = u"What is 2+2?"_s)
{
    ChatRequest r;
    r.engine.name = u"student"_s;
    r.engine.provider = u"openai-compatible"_s;
    r.engine.baseUrl = u"http://127.0.0.1:9/v1"_s;
    r.engine.model = u"student-model"_s;
    r.engine.temperature = 0.0;
    r.messages = {ChatMessage{u"system"_s, u"You are careful."_s}, ChatMessage{u"user"_s, question}};
    r.tag.runId = runId;
    r.tag.purpose = CallPurpose::Forward;
    return r;
}

ScriptedClient::Reply echo(const ChatRequest &r)
{
    return ScriptedClient::text(u"echo: "_s + ScriptedClient::lastUser(r));
}

qint64 entries(const QString &db)
{
    ResponseCacheStats stats;
    QString error;
    if (!ResponseCache::stats(db, &stats, &error))
        qWarning() << error;
    return stats.entries;
}

} // namespace

class TestCachingClient : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;

    QString freshDb() { return m_dir.filePath(u"c%1.tgdb"_s.arg(++m_counter)); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        qunsetenv("TEXTGRAD_PRICES");
        PriceTable::setActive(std::make_shared<const PriceTable>(PriceTable::builtin()));
    }

    void missThenHit()
    {
        const QString db = freshDb();
        ScriptedClient inner(echo);
        CachingClient client(&inner, db);
        RecordingSink sink;

        ChatResult first = client.complete(request(u"run-1"_s), &sink, makeCancelFlag());
        QVERIFY(first.ok);
        QCOMPARE(inner.count(), 1);
        QCOMPARE(entries(db), 1);

        const ChatResult second = client.complete(request(u"run-2"_s), &sink, makeCancelFlag());
        QVERIFY(second.ok);
        QCOMPARE(inner.count(), 1);   // not sent again
        QCOMPARE(second.text, first.text);
        QCOMPARE(second.promptTokens, first.promptTokens);
        QCOMPARE(second.completionTokens, first.completionTokens);
        QCOMPARE(second.attempts, 0);
        QCOMPARE(client.hits(), 1);
        QCOMPARE(client.misses(), 1);

        const QVector<CallRecord> records = sink.records();
        QCOMPARE(records.size(), 2);   // one for the call sent, one for the hit
        QVERIFY(!records.at(0).cached);
        const CallRecord &hit = records.at(1);
        QVERIFY(hit.cached);
        QCOMPARE(hit.attempt, 1);
        QCOMPARE(hit.tag.runId, u"run-2"_s);
        QCOMPARE(hit.replyText, first.text);
        QCOMPARE(hit.requestJson, records.at(0).requestJson);   // the redacted request as sent
        QVERIFY(hit.costKnown);
        QCOMPARE(hit.costUsd, 0.0);
        QVERIFY(hit.error.isEmpty());
        QCOMPARE(second.callId, RecordingSink::kFirstId + 1);
    }

    void repeatsWithinARunStillGoOutAndReplayInOrder()
    {
        const QString db = freshDb();
        std::atomic_int n{0};
        ScriptedClient inner([&n](const ChatRequest &) { return ScriptedClient::text(u"sample %1"_s.arg(++n)); });
        CachingClient client(&inner, db);
        // Three identical requests in one run: three answers, as without a cache.
        QStringList firstRun;
        for (int i = 0; i < 3; ++i)
            firstRun.append(client.complete(request(u"a"_s), nullptr, makeCancelFlag()).text);
        QCOMPARE(inner.count(), 3);
        QCOMPARE(firstRun, (QStringList{u"sample 1"_s, u"sample 2"_s, u"sample 3"_s}));
        // The next run replays the same sequence, sending nothing; a fourth repeat is new.
        CachingClient later(&inner, db);
        QStringList secondRun;
        for (int i = 0; i < 4; ++i)
            secondRun.append(later.complete(request(u"b"_s), nullptr, makeCancelFlag()).text);
        QCOMPARE(secondRun, (QStringList{u"sample 1"_s, u"sample 2"_s, u"sample 3"_s, u"sample 4"_s}));
        QCOMPARE(inner.count(), 4);
    }

    void keySensitivity_data()
    {
        QTest::addColumn<bool>("differs");
        QTest::addColumn<std::function<void(ChatRequest &)>>("change");
        using Change = std::function<void(ChatRequest &)>;
        QTest::newRow("temperature") << true << Change([](ChatRequest &r) { r.engine.temperature = 0.7; });
        QTest::newRow("temperature unset") << true << Change([](ChatRequest &r) { r.engine.temperature.reset(); });
        QTest::newRow("model") << true << Change([](ChatRequest &r) { r.engine.model = u"other-model"_s; });
        QTest::newRow("message") << true << Change([](ChatRequest &r) { r.messages[1].content += u" "_s; });
        QTest::newRow("role") << true << Change([](ChatRequest &r) { r.messages[0].role = u"user"_s; });
        QTest::newRow("extra message") << true << Change([](ChatRequest &r) { r.messages.append(ChatMessage{u"user"_s, u"?"_s}); });
        QTest::newRow("base URL") << true << Change([](ChatRequest &r) { r.engine.baseUrl = u"http://127.0.0.1:10/v1"_s; });
        QTest::newRow("provider") << true << Change([](ChatRequest &r) { r.engine.provider = u"ollama"_s; });
        QTest::newRow("stop") << true << Change([](ChatRequest &r) { r.engine.stop = QStringList{u"\n"_s}; });
        QTest::newRow("topP") << true << Change([](ChatRequest &r) { r.engine.topP = 0.9; });
        QTest::newRow("maxTokens") << true << Change([](ChatRequest &r) { r.engine.maxTokens = 64; });
        QTest::newRow("seed") << true << Change([](ChatRequest &r) { r.engine.seed = 1; });
        QTest::newRow("extra engine key") << true << Change([](ChatRequest &r) { r.engine.extra.insert(u"apiVersion"_s, u"2024-06-01"_s); });
        // What does not reach the model does not split the cache.
        QTest::newRow("engine name") << false << Change([](ChatRequest &r) { r.engine.name = u"teacher"_s; });
        QTest::newRow("key variable") << false << Change([](ChatRequest &r) { r.engine.apiKeyEnv = u"OTHER_KEY"_s; });
        QTest::newRow("timeouts and retries") << false << Change([](ChatRequest &r) {
            r.engine.timeoutSeconds = 5;
            r.engine.inactivitySeconds = 5;
            r.engine.maxRetries = 0;
        });
        QTest::newRow("trailing slash") << false << Change([](ChatRequest &r) { r.engine.baseUrl += u"/"_s; });
        QTest::newRow("tag") << false << Change([](ChatRequest &r) {
            r.tag.purpose = CallPurpose::Validation;
            r.tag.step = 3;
            r.tag.nodeId = u"x"_s;
        });
    }

    void keySensitivity()
    {
        QFETCH(bool, differs);
        QFETCH(std::function<void(ChatRequest &)>, change);
        const QString db = freshDb();
        ScriptedClient inner(echo);
        CachingClient client(&inner, db);
        QVERIFY(client.complete(request(u"prime"_s), nullptr, makeCancelFlag()).ok);
        QCOMPARE(inner.count(), 1);

        ChatRequest changed = request(u"probe"_s);
        change(changed);
        QCOMPARE(CachingClient::cacheKey(changed) != CachingClient::cacheKey(request(u"prime"_s)), differs);
        QVERIFY(client.complete(changed, nullptr, makeCancelFlag()).ok);
        QCOMPARE(inner.count(), differs ? 2 : 1);
    }

    void keyIsAHexSha256OfACanonicalDocument()
    {
        const QByteArray key = CachingClient::cacheKey(request(u"r"_s));
        QCOMPARE(key.size(), 64);
        QCOMPARE(key, CachingClient::cacheKey(request(u"other run"_s)));
        const QJsonObject canonical = CachingClient::canonicalRequest(request(u"r"_s));
        QCOMPARE(canonical.value(u"baseUrl"_s).toString(), u"http://127.0.0.1:9/v1"_s);
        QCOMPARE(canonical.value(u"settings"_s).toObject().value(u"temperature"_s).toDouble(), 0.0);
        QVERIFY(!canonical.value(u"settings"_s).toObject().contains(u"maxRetries"_s));
    }

    void errorsAreNeverCached()
    {
        const QString db = freshDb();
        std::atomic_int n{0};
        ScriptedClient inner([&n](const ChatRequest &r) {
            return ++n == 1 ? ScriptedClient::failure(u"server error (500)"_s) : echo(r);
        });
        CachingClient client(&inner, db);
        RecordingSink sink;
        QVERIFY(!client.complete(request(u"a"_s), &sink, makeCancelFlag()).ok);
        QCOMPARE(entries(db), 0);
        QCOMPARE(sink.records().size(), 1);
        QVERIFY(!sink.records().first().cached);
        QVERIFY(client.complete(request(u"b"_s), &sink, makeCancelFlag()).ok);
        QCOMPARE(inner.count(), 2);
        QCOMPARE(entries(db), 1);
    }

    void cancelledCallsAreNotAnswered()
    {
        const QString db = freshDb();
        ScriptedClient inner(echo);
        CachingClient client(&inner, db);
        QVERIFY(client.complete(request(u"a"_s), nullptr, makeCancelFlag()).ok);
        CancelFlag cancel = makeCancelFlag();
        cancel->store(true);
        const ChatResult r = client.complete(request(u"b"_s), nullptr, cancel);
        QVERIFY(!r.ok);
        QCOMPARE(r.errorKind, CallErrorKind::Cancelled);
    }

    void manyThreadsAtOnce()
    {
        const QString db = freshDb();
        ScriptedClient inner(echo);
        CachingClient client(&inner, db);
        RecordingSink sink;
        constexpr int kThreads = 6;
        constexpr int kEach = 15;
        std::atomic_int failures{0};
        auto runAll = [&](const QString &runId) {
            QThreadPool pool;
            pool.setMaxThreadCount(kThreads);
            for (int t = 0; t < kThreads; ++t) {
                pool.start([&, t, runId] {
                    for (int i = 0; i < kEach; ++i) {
                        // Every thread also asks the question all others ask.
                        const QString q = i == 0 ? u"shared"_s : u"t%1 q%2"_s.arg(t).arg(i);
                        if (!client.complete(request(runId, q), &sink, makeCancelFlag()).ok)
                            ++failures;
                    }
                });
            }
            pool.waitForDone();
        };
        runAll(u"first"_s);
        QCOMPARE(failures.load(), 0);
        QCOMPARE(inner.count(), kThreads * kEach);    // within a run nothing is answered twice
        QCOMPARE(entries(db), qint64(kThreads * kEach));
        runAll(u"second"_s);
        QCOMPARE(failures.load(), 0);
        QCOMPARE(inner.count(), kThreads * kEach);    // everything replayed
        QCOMPARE(client.hits(), kThreads * kEach);
        QVERIFY2(client.lastError().isEmpty(), qPrintable(client.lastError()));
        int cached = 0;
        for (const CallRecord &r : sink.records())
            cached += r.cached ? 1 : 0;
        QCOMPARE(cached, kThreads * kEach);
    }

    void statsAndClear()
    {
        const QString db = freshDb();
        ScriptedClient inner(echo);
        CachingClient client(&inner, db);
        for (int i = 0; i < 5; ++i)
            QVERIFY(client.complete(request(u"a"_s, u"q%1"_s.arg(i)), nullptr, makeCancelFlag()).ok);
        ResponseCacheStats stats;
        QString error;
        QVERIFY2(ResponseCache::stats(db, &stats, &error), qPrintable(error));
        QCOMPARE(stats.entries, 5);
        QVERIFY(stats.bytes > 5 * 10);
        qint64 removed = -1;
        QVERIFY2(ResponseCache::clear(db, &removed, &error), qPrintable(error));
        QCOMPARE(removed, 5);
        QVERIFY(ResponseCache::stats(db, &stats, &error));
        QCOMPARE(stats.entries, 0);
        QCOMPARE(stats.bytes, 0);
        QVERIFY(client.complete(request(u"b"_s, u"q0"_s), nullptr, makeCancelFlag()).ok);
        QCOMPARE(inner.count(), 6);
        QVERIFY(!ResponseCache::stats(m_dir.filePath(u"nowhere.tgdb"_s), &stats, &error));
        QVERIFY(error.contains(u"nowhere.tgdb"_s));
    }

    void secondIdenticalRunIsServedFromTheCache()
    {
        const QString db = freshDb();
        RunStore store;
        QVERIFY(store.open(db, nullptr));
        ScriptedClient inner([](const ChatRequest &r) { return ScriptedClient::text(TestPipelines::arithmeticWorld(r)); });
        const Pipeline p = TestPipelines::parse(TestPipelines::arithmeticJson());
        TrainingData data;
        data.train = TestPipelines::additions(6);
        data.validation = TestPipelines::additions(3, 100);
        data.test = TestPipelines::additions(2, 200);

        CachingClient cached(&inner, db);
        RunOutcome first;
        {
            Trainer trainer(&store, &cached);
            first = trainer.start(p, data, {});
        }
        QVERIFY2(first.ok, qPrintable(first.error));
        const int sent = inner.count();
        QVERIFY(sent > 0);
        const CallTotals firstTotals = store.callTotals(first.runId);
        QCOMPARE(firstTotals.total, sent);
        QCOMPARE(firstTotals.cached, 0);

        CachingClient again(&inner, db);   // a new process, as the CLI would have
        RunOutcome second;
        {
            Trainer trainer(&store, &again);
            second = trainer.start(p, data, {});
        }
        QVERIFY2(second.ok, qPrintable(second.error));
        QCOMPARE(inner.count(), sent);
        const QJsonObject summary = RunSummary::build(store, second.runId);
        const QJsonObject calls = summary.value(u"calls"_s).toObject();
        QCOMPARE(calls.value(u"total"_s).toInt(), 0);
        QCOMPARE(calls.value(u"cached"_s).toInt(), sent);
        QCOMPARE(summary.value(u"cost"_s).toObject().value(u"total"_s).toDouble(), 0.0);
        QCOMPARE(summary.value(u"tokens"_s).toObject().value(u"prompt"_s).toDouble(), 0.0);
        // Same answers, same run.
        const QJsonObject firstSummary = RunSummary::build(store, first.runId);
        QCOMPARE(summary.value(u"finalParameters"_s), firstSummary.value(u"finalParameters"_s));
        QCOMPARE(summary.value(u"steps"_s).toArray().size(), firstSummary.value(u"steps"_s).toArray().size());

        // Without the cache (--no-cache) everything is sent again.
        {
            Trainer trainer(&store, &inner);
            const RunOutcome third = trainer.start(p, data, {});
            QVERIFY(third.ok);
            QCOMPARE(store.callTotals(third.runId).total, sent);
        }
        QCOMPARE(inner.count(), 2 * sent);
    }

    void costPerPhaseInTheSummary()
    {
        RunStore store;
        QVERIFY(store.open(freshDb(), nullptr));
        ScriptedClient inner([](const ChatRequest &r) { return ScriptedClient::text(TestPipelines::arithmeticWorld(r)); });
        Pipeline p = TestPipelines::parse(TestPipelines::arithmeticJson());
        EngineConfig &student = p.engines[u"student"_s];
        student.provider = u"openai"_s;
        student.baseUrl.clear();
        student.model = u"gpt-4o-mini-2024-07-18"_s;
        EngineConfig &teacher = p.engines[u"teacher"_s];
        teacher.provider = u"openai"_s;
        teacher.baseUrl.clear();
        teacher.model = u"mystery-teacher"_s;    // no price: unknown, not free
        p.optimizer.maxSteps = 1;
        TrainingData data;
        data.train = TestPipelines::additions(3);
        data.validation = TestPipelines::additions(2, 100);
        data.test = TestPipelines::additions(2, 200);

        Trainer trainer(&store, &inner);
        const RunOutcome out = trainer.start(p, data, {});
        QVERIFY2(out.ok, qPrintable(out.error));

        QMap<QString, double> expected;
        int unknown = 0;
        const PriceTable prices = PriceTable::builtin();
        for (const CallRecord &c : store.calls(out.runId)) {
            const std::optional<double> cost = prices.cost(c.provider, c.baseUrl, c.model, c.promptTokens, c.completionTokens);
            if (cost)
                expected[callPurposeName(c.tag.purpose)] += *cost;
            else
                ++unknown;
            QCOMPARE(c.costKnown, cost.has_value());
        }
        const QJsonObject summary = RunSummary::build(store, out.runId);
        const QJsonObject cost = summary.value(u"cost"_s).toObject();
        QCOMPARE(cost.value(u"currency"_s).toString(), u"USD"_s);
        const QJsonObject byPurpose = cost.value(u"byPurpose"_s).toObject();
        double total = 0;
        for (const QString &purpose : {u"forward"_s, u"loss"_s, u"backward"_s, u"optimizer"_s, u"validation"_s, u"test"_s}) {
            QVERIFY2(byPurpose.contains(purpose), qPrintable(purpose));
            QVERIFY(qFuzzyCompare(1.0 + byPurpose.value(purpose).toDouble(), 1.0 + expected.value(purpose)));
            total += expected.value(purpose);
        }
        QVERIFY(byPurpose.value(u"forward"_s).toDouble() > 0);
        QVERIFY(byPurpose.value(u"validation"_s).toDouble() > 0);
        QVERIFY(byPurpose.value(u"test"_s).toDouble() > 0);
        QCOMPARE(byPurpose.value(u"backward"_s).toDouble(), 0.0);
        QVERIFY(qFuzzyCompare(cost.value(u"total"_s).toDouble(), total));
        const QJsonObject calls = summary.value(u"calls"_s).toObject();
        QCOMPARE(unknown, calls.value(u"backward"_s).toInt() + calls.value(u"optimizer"_s).toInt());
        QCOMPARE(cost.value(u"unknownCalls"_s).toInt(), unknown);

        const QString text = RunSummary::toText(summary);
        QVERIFY2(text.contains(u"cost: $"_s), qPrintable(text));
        QVERIFY2(text.contains(u"%1 calls of unknown price"_s.arg(unknown)), qPrintable(text));
    }
};

QTEST_GUILESS_MAIN(TestCachingClient)
#include "tst_cachingclient.moc"
