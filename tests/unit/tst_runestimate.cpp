// RunEstimate: its call counts match what the trainer really sends when a run goes to its last
// step; token figures follow the data; cost is priced per engine, zero for local servers and
// unknown (never zero) for a model without a price.

#include "ScriptedClient.h"
#include "TestPipelines.h"

#include "store/RunStore.h"
#include "training/RunEstimate.h"
#include "training/Trainer.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

// A provider that never lets a run stop early: every answer is wrong, every judge gives the
// lowest score, and the optimizer always proposes a new value (so validation runs each step).
ScriptedClient::Reply stubborn(const ChatRequest &r)
{
    switch (r.tag.purpose) {
    case CallPurpose::Backward:
        return ScriptedClient::text(u"Be more precise."_s);
    case CallPurpose::Optimizer:
        return ScriptedClient::text(u"<IMPROVED_VARIABLE>Attempt %1 at %2.</IMPROVED_VARIABLE>"_s
                                        .arg(r.tag.step)
                                        .arg(r.tag.nodeId));
    case CallPurpose::Loss:
    case CallPurpose::Validation:
    case CallPurpose::Test:
        if (ScriptedClient::systemText(r).contains(u"Rubric"_s))
            return ScriptedClient::text(u"<CRITIQUE>Wrong.</CRITIQUE><SCORES>Correctness: 1\nBrevity: 1\nCorrect: 0</SCORES>"_s);
        return ScriptedClient::text(u"0"_s);
    default:
        return ScriptedClient::text(u"0"_s);
    }
}

Dataset rows(int count, int offset, int questionPadding = 0)
{
    Dataset d = TestPipelines::additions(count, offset);
    for (DataRow &r : d.rows)
        r.fields[u"question"_s] += QString(questionPadding, u' ');
    return d;
}

} // namespace

class TestRunEstimate : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_db = 0;

private slots:
    void callsMatchTheTrainer_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<int>("train");
        QTest::addColumn<int>("val");
        QTest::addColumn<int>("test");
        QTest::addColumn<int>("steps");
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("epochs");
        QTest::addColumn<int>("expectedCalls");

        // 3B+1 per step with B = 3.
        QTest::newRow("metric, one step") << TestPipelines::arithmeticJson() << 6 << 0 << 0 << 1 << 3 << 1 << 10;
        // 4 steps of 3B+1, validation 4 x (1 + 4), test 3.
        QTest::newRow("metric, val and test") << TestPipelines::arithmeticJson() << 6 << 4 << 3 << 4 << 3 << 2
                                              << 4 * 10 + 20 + 3;
        // Steps are capped by epochs x batches: 5 rows, B = 2, one epoch = 3 steps of 3, 3 and 1
        // samples (the last batch is short): (7 + 7 + 4) calls.
        QTest::newRow("short last batch") << TestPipelines::arithmeticJson() << 5 << 0 << 0 << 10 << 2 << 1 << 18;
        // 4B+1 with a judge, B = 2.
        QTest::newRow("judge") << TestPipelines::judgedJson() << 4 << 0 << 0 << 1 << 2 << 1 << 9;
        // Two llm nodes and two trainables: 2 forward, 4 backward, 2 optimizer per sample step.
        QTest::newRow("chain") << TestPipelines::chainJson() << 2 << 0 << 0 << 2 << 1 << 1 << 16;
        // Test-time: 1 loss + 1 backward + 1 optimizer per iteration, then 1 final loss.
        QTest::newRow("test-time") << TestPipelines::testTimeJson() << 0 << 0 << 0 << 3 << 1 << 1 << 10;
    }

    void callsMatchTheTrainer()
    {
        QFETCH(QString, json);
        QFETCH(int, train);
        QFETCH(int, val);
        QFETCH(int, test);
        QFETCH(int, steps);
        QFETCH(int, batch);
        QFETCH(int, epochs);
        QFETCH(int, expectedCalls);

        Pipeline p = TestPipelines::parse(json);
        p.optimizer.maxSteps = steps;
        p.optimizer.batchSize = batch;
        p.optimizer.epochs = epochs;
        p.optimizer.stopWhenPerfect = false;
        TrainingData data;
        if (!p.isTestTime()) {
            data.train = rows(train, 0);
            data.validation = rows(val, 100);
            data.test = rows(test, 200);
        }
        const RunEstimate e = RunEstimate::compute(p, data, PriceTable::builtin());
        QCOMPARE(e.calls, expectedCalls);

        RunStore store;
        QVERIFY(store.open(m_dir.filePath(u"e%1.tgdb"_s.arg(++m_db)), nullptr));
        ScriptedClient client(stubborn);
        Trainer trainer(&store, &client);
        const RunOutcome out = trainer.start(p, data, {});
        QVERIFY2(out.ok, qPrintable(out.error));
        QCOMPARE(client.count(), expectedCalls);
        const CallTotals totals = store.callTotals(out.runId);
        for (auto it = totals.byPurpose.cbegin(); it != totals.byPurpose.cend(); ++it)
            QCOMPARE(e.callsByPurpose.value(it.key()), it.value());
        QCOMPARE(e.steps, store.steps(out.runId).size());
    }

    void tokensFollowTheData()
    {
        Pipeline p = TestPipelines::parse(TestPipelines::arithmeticJson());
        p.optimizer.maxSteps = 1;
        TrainingData small;
        small.train = rows(6, 0);
        TrainingData large;
        large.train = rows(6, 0, 400);   // 400 more characters in every question
        const RunEstimate a = RunEstimate::compute(p, small, PriceTable::builtin());
        const RunEstimate b = RunEstimate::compute(p, large, PriceTable::builtin());
        QVERIFY(a.promptTokens > 0);
        QVERIFY(a.completionTokens > 0);
        const auto student = [](const RunEstimate &e) {
            for (const RunEstimate::Engine &en : e.engines) {
                if (en.name == u"student"_s)
                    return en;
            }
            return RunEstimate::Engine();
        };
        // Three forward calls, each 100 tokens longer (chars / 4).
        QCOMPARE(student(b).calls, 3);
        QCOMPARE(student(b).promptTokens - student(a).promptTokens, 300);
        // The backward calls quote the question too.
        QVERIFY(b.promptTokens - a.promptTokens > 300);
    }

    void costPerEngine_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("baseUrl");
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("expect");   // 0: free, 1: priced, 2: unknown
        QTest::newRow("loopback server") << u"openai-compatible"_s << u"http://127.0.0.1:8080/v1"_s << u"whatever"_s << 0;
        QTest::newRow("ollama") << u"ollama"_s << QString() << u"llama3"_s << 0;
        QTest::newRow("openai priced") << u"openai"_s << QString() << u"gpt-4.1"_s << 1;
        QTest::newRow("unknown model") << u"openai-compatible"_s << u"https://llm.example.com/v1"_s << u"house-model"_s << 2;
    }

    void costPerEngine()
    {
        QFETCH(QString, provider);
        QFETCH(QString, baseUrl);
        QFETCH(QString, model);
        QFETCH(int, expect);
        Pipeline p = TestPipelines::parse(TestPipelines::arithmeticJson());
        for (auto it = p.engines.begin(); it != p.engines.end(); ++it) {
            it->provider = provider;
            it->baseUrl = baseUrl;
            it->model = model;
        }
        TrainingData data;
        data.train = rows(6, 0);
        const RunEstimate e = RunEstimate::compute(p, data, PriceTable::builtin());
        switch (expect) {
        case 0:
            QVERIFY(e.costUsd.has_value());
            QCOMPARE(*e.costUsd, 0.0);
            QCOMPARE(e.costText(), u"$0 (local models)"_s);
            break;
        case 1: {
            QVERIFY(e.costUsd.has_value());
            // gpt-4.1: $2 per million prompt tokens, $8 per million completion tokens.
            const double expected = (e.promptTokens * 2.0 + e.completionTokens * 8.0) / 1e6;
            QVERIFY(qAbs(*e.costUsd - expected) < 1e-9);
            QVERIFY(*e.costUsd > 0.0);
            QVERIFY(e.costText().startsWith(u'$'));
            break;
        }
        default:
            QVERIFY(!e.costUsd.has_value());
            QVERIFY(e.costText().startsWith(u"unknown"_s));
            QVERIFY(e.costText().contains(u"house-model"_s));
            break;
        }
    }
};

QTEST_GUILESS_MAIN(TestRunEstimate)
#include "tst_runestimate.moc"
