// CurveData: the series of a run's score curves, with exact numbers from a hand-made store and
// the figures of a real (scripted) run checked against the calls it recorded.

#include "CurveRuns.h"

#include "history/CurveData.h"
#include "store/RunStore.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

CallRecord call(const QString &runId, int step, CallPurpose purpose, int promptTokens,
                int completionTokens, double cost, bool costKnown = true, bool cached = false)
{
    CallRecord c;
    c.tag.runId = runId;
    c.tag.step = step;
    c.tag.purpose = purpose;
    c.promptTokens = promptTokens;
    c.completionTokens = completionTokens;
    c.costUsd = cost;
    c.costKnown = costKnown;
    c.cached = cached;
    c.startedAt = QDateTime::currentDateTimeUtc();
    return c;
}

StepRecord step(int number, double train, double val, double best, bool accepted)
{
    StepRecord s;
    s.step = number;
    s.epoch = 1;
    s.trainScore = train;
    s.valScore = val;
    s.bestValScore = best;
    s.accepted = accepted;
    s.finishedAt = QDateTime::currentDateTimeUtc();
    return s;
}

QVector<double> vec(std::initializer_list<double> values)
{
    return QVector<double>(values);
}

} // namespace

class TestCurveData : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;
    QString freshDb() { return m_dir.filePath(u"c%1.tgdb"_s.arg(++m_counter)); }

    // Three steps: accepted, rejected, accepted; a test score; calls with known, unknown and
    // cached prices at every step and for the test.
    void fillHandMadeRun(RunStore &store)
    {
        RunInfo run;
        run.id = u"r1"_s;
        run.pipelineName = u"Support triage"_s;
        run.status = RunStatus::Completed;
        QVERIFY(store.createRun(run));
        QVERIFY(store.setInitialValScore(u"r1"_s, 0.25));
        QVERIFY(store.saveStep(u"r1"_s, step(1, 0.5, 0.5, 0.5, true)));
        QVERIFY(store.saveStep(u"r1"_s, step(2, 0.75, 0.25, 0.5, false)));
        QVERIFY(store.saveStep(u"r1"_s, step(3, 1.0, 0.75, 0.75, true)));
        QVERIFY(store.setTestScore(u"r1"_s, 0.8));
        const QVector<CallRecord> calls {
            call(u"r1"_s, 0, CallPurpose::Validation, 10, 5, 0.001),
            call(u"r1"_s, 0, CallPurpose::Validation, 10, 5, 0.001),
            call(u"r1"_s, 1, CallPurpose::Forward, 20, 10, 0.002),
            call(u"r1"_s, 1, CallPurpose::Forward, 20, 10, 0.0, true, /*cached=*/true),
            call(u"r1"_s, 1, CallPurpose::Optimizer, 7, 3, 0.0, /*costKnown=*/false),
            call(u"r1"_s, 2, CallPurpose::Backward, 100, 50, 0.01),
            call(u"r1"_s, 3, CallPurpose::Validation, 30, 0, 0.004),
            call(u"r1"_s, 3, CallPurpose::Test, 40, 10, 0.003),
            call(u"r1"_s, 3, CallPurpose::Test, 40, 10, 0.003),
            call(u"other"_s, 1, CallPurpose::Forward, 1000, 1000, 1.0),
        };
        QCOMPARE(store.appendCalls(calls).size(), calls.size());
    }

private slots:
    void stepUsageGroupsCallsByStepWithTestApart()
    {
        RunStore store;
        QVERIFY(store.open(freshDb(), nullptr));
        fillHandMadeRun(store);
        const QVector<StepUsage> usage = store.stepUsage(u"r1"_s);
        QCOMPARE(usage.size(), 5);
        QCOMPARE(usage.at(0).step, 0);
        QCOMPARE(usage.at(0).calls, 2);
        QCOMPARE(usage.at(0).promptTokens, 20);
        QCOMPARE(usage.at(0).completionTokens, 10);
        QCOMPARE(usage.at(0).costUsd, 0.002);
        // The cached call is free and counted apart; the unpriced one is counted as unknown.
        QCOMPARE(usage.at(1).step, 1);
        QCOMPARE(usage.at(1).calls, 2);
        QCOMPARE(usage.at(1).cached, 1);
        QCOMPARE(usage.at(1).promptTokens, 27);
        QCOMPARE(usage.at(1).completionTokens, 13);
        QCOMPARE(usage.at(1).costUsd, 0.002);
        QCOMPARE(usage.at(1).unknownCostCalls, 1);
        QCOMPARE(usage.at(3).step, 3);
        QVERIFY(!usage.at(3).test);
        QCOMPARE(usage.at(4).step, 3);
        QVERIFY(usage.at(4).test);
        QCOMPARE(usage.at(4).calls, 2);
        QCOMPARE(usage.at(4).costUsd, 0.006);
        QVERIFY(store.stepUsage(u"nothing"_s).isEmpty());
    }

    void seriesOfAHandMadeRun()
    {
        RunStore store;
        QVERIFY(store.open(freshDb(), nullptr));
        fillHandMadeRun(store);
        const CurveData data = CurveData::load(store, u"r1"_s);
        QCOMPARE(data.runId(), u"r1"_s);
        QVERIFY(data.label().contains(u"Support triage"_s));
        QCOMPARE(data.points().size(), 4);   // step 0 (initial validation) and three steps

        const CurveSeries train = data.train(CurveAxis::Step);
        QCOMPARE(train.x, vec({1, 2, 3}));
        QCOMPARE(train.y, vec({0.5, 0.75, 1.0}));
        const CurveSeries val = data.validation(CurveAxis::Step);
        QCOMPARE(val.x, vec({0, 1, 2, 3}));
        QCOMPARE(val.y, vec({0.25, 0.5, 0.25, 0.75}));
        QCOMPARE(val.steps, QVector<int>({0, 1, 2, 3}));
        QCOMPARE(data.acceptedSteps(CurveAxis::Step).x, vec({1, 3}));
        QCOMPARE(data.rejectedSteps(CurveAxis::Step).x, vec({2}));
        QCOMPARE(data.rejectedSteps(CurveAxis::Step).y, vec({0.25}));
        QCOMPARE(data.bestSoFar(CurveAxis::Step).y, vec({0.25, 0.5, 0.5, 0.75}));
        QCOMPARE(data.testScore(), 0.8);
        QCOMPARE(data.testX(CurveAxis::Step), 3.0);

        // Cumulative spending at the end of each step; the test evaluation is only in totals.
        const CurveSeries byCost = data.validation(CurveAxis::Cost);
        QCOMPARE(byCost.y, val.y);
        QCOMPARE(byCost.x.size(), 4);
        QCOMPARE(byCost.x.at(0), 0.002);
        QCOMPARE(byCost.x.at(1), 0.004);
        QCOMPARE(byCost.x.at(2), 0.014);
        QCOMPARE(byCost.x.at(3), 0.018);
        QCOMPARE(data.testX(CurveAxis::Cost), 0.024);
        QCOMPARE(data.validation(CurveAxis::Tokens).x, vec({30, 70, 220, 250}));
        QCOMPARE(data.train(CurveAxis::Tokens).x, vec({70, 220, 250}));
        QCOMPARE(data.testX(CurveAxis::Tokens), 350.0);
        QCOMPARE(data.totalTokens(), 350);
        QCOMPARE(data.points().at(1).unknownCostCalls, 1);
        QCOMPARE(data.unknownCostCalls(), 1);
    }

    void runWithoutValidationHasNoInitialPointAndNoMarkers()
    {
        RunStore store;
        QVERIFY(store.open(freshDb(), nullptr));
        RunInfo run;
        run.id = u"nv"_s;
        run.status = RunStatus::Completed;
        QVERIFY(store.createRun(run));
        QVERIFY(store.saveStep(u"nv"_s, step(1, 0.2, noScore(), noScore(), true)));
        QVERIFY(store.saveStep(u"nv"_s, step(2, 0.4, noScore(), noScore(), true)));
        const CurveData data = CurveData::load(store, u"nv"_s);
        QCOMPARE(data.label(), u"nv"_s);
        QCOMPARE(data.train(CurveAxis::Step).y, vec({0.2, 0.4}));
        QVERIFY(data.validation(CurveAxis::Step).isEmpty());
        QVERIFY(data.acceptedSteps(CurveAxis::Step).isEmpty());
        QVERIFY(data.bestSoFar(CurveAxis::Step).isEmpty());
        QVERIFY(!hasScore(data.testScore()));
        QVERIFY(CurveData::load(store, u"missing"_s).isEmpty());
    }

    void appendStepExtendsOrReplaces()
    {
        RunStore store;
        QVERIFY(store.open(freshDb(), nullptr));
        fillHandMadeRun(store);
        CurveData data = CurveData::load(store, u"r1"_s);
        data.appendStep(step(4, 0.6, 0.9, 0.9, true));
        QCOMPARE(data.validation(CurveAxis::Step).x, vec({0, 1, 2, 3, 4}));
        // Spending of a step not yet totalled carries over from the step before.
        QCOMPARE(data.validation(CurveAxis::Cost).x.last(), 0.018);
        data.appendStep(step(2, 0.7, 0.3, 0.5, false));
        QCOMPARE(data.validation(CurveAxis::Step).y, vec({0.25, 0.5, 0.3, 0.75, 0.9}));
        QCOMPARE(data.points().size(), 5);
    }

    void gradedRunFromTheTrainer()
    {
        RunStore store;
        QVERIFY(store.open(freshDb(), nullptr));
        QString error;
        const QString runId = CurveRuns::gradedRun(store, {2, 1, 3, 4}, &error);
        QVERIFY2(!runId.isEmpty(), qPrintable(error));
        const CurveData data = CurveData::load(store, runId);

        // Validation has 8 rows; level L gets 2L of them right. Level 1 (step 2) is rejected.
        QCOMPARE(data.validation(CurveAxis::Step).y, vec({0.25, 0.5, 0.25, 0.75, 1.0}));
        QCOMPARE(data.acceptedSteps(CurveAxis::Step).x, vec({1, 3, 4}));
        QCOMPARE(data.rejectedSteps(CurveAxis::Step).x, vec({2}));
        QCOMPARE(data.bestSoFar(CurveAxis::Step).y, vec({0.25, 0.5, 0.5, 0.75, 1.0}));
        QCOMPARE(data.testScore(), 1.0);
        QCOMPARE(data.testX(CurveAxis::Step), 4.0);

        // Training scores are the stored means of each step's batch.
        const QVector<StepRecord> steps = store.steps(runId);
        const CurveSeries train = data.train(CurveAxis::Step);
        QCOMPARE(train.size(), 4);
        for (int i = 0; i < steps.size(); ++i)
            QCOMPARE(train.y.at(i), steps.at(i).trainScore);

        // Cost and tokens recomputed from the call rows, one by one.
        const QVector<CallRecord> calls = store.calls(runId);
        QVERIFY(!calls.isEmpty());
        for (const CurvePoint &p : data.points()) {
            double cost = 0.0;
            qint64 tokens = 0;
            for (const CallRecord &c : calls) {
                if (c.tag.step <= p.step && c.tag.purpose != CallPurpose::Test && !c.cached) {
                    cost += c.costUsd;
                    tokens += c.promptTokens + c.completionTokens;
                }
            }
            QCOMPARE(p.tokens, tokens);
            QVERIFY(qAbs(p.costUsd - cost) < 1e-12);
            QVERIFY(p.costUsd > 0.0);
            QCOMPARE(p.unknownCostCalls, 0);
        }
        const CallTotals totals = store.callTotals(runId);
        QCOMPARE(data.totalTokens(), totals.promptTokens + totals.completionTokens);
        QVERIFY(qAbs(data.totalCostUsd() - totals.costUsd) < 1e-12);
        QVERIFY(data.testX(CurveAxis::Cost) > data.validation(CurveAxis::Cost).x.last());
        // Spending only grows.
        const QVector<double> xs = data.validation(CurveAxis::Tokens).x;
        for (int i = 1; i < xs.size(); ++i)
            QVERIFY(xs.at(i) > xs.at(i - 1));
    }
};

QTEST_GUILESS_MAIN(TestCurveData)
#include "tst_curvedata.moc"
