// What the workbench needs from the training loop besides training: pause (no new call while
// paused; cancel while paused), a budget that stops a run resumably, the queue of runs kept in
// the project file, the live activity of nodes and calls, and running totals.

#include "ScriptedClient.h"
#include "TestPipelines.h"

#include "store/RunStore.h"
#include "training/Trainer.h"

#include <QMutex>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <thread>

using namespace Qt::StringLiterals;

namespace {

ScriptedClient::Reply neverPerfect(const ChatRequest &r)
{
    switch (r.tag.purpose) {
    case CallPurpose::Backward:
        return ScriptedClient::text(u"Be more precise."_s);
    case CallPurpose::Optimizer:
        return ScriptedClient::text(u"<IMPROVED_VARIABLE>Attempt %1.</IMPROVED_VARIABLE>"_s.arg(r.tag.step));
    default:
        return ScriptedClient::text(u"0"_s);
    }
}

TrainingData additions(int train)
{
    TrainingData d;
    d.train = TestPipelines::additions(train);
    return d;
}

// Three steps of 3B+1 = 10 calls with B = 3, one call at a time.
Pipeline threeSteps()
{
    Pipeline p = TestPipelines::parse(TestPipelines::arithmeticJson());
    p.optimizer.maxSteps = 3;
    p.optimizer.batchSize = 3;
    p.optimizer.epochs = 3;
    p.optimizer.validation = u"none"_s;
    p.optimizer.stopWhenPerfect = false;
    p.optimizer.concurrency = 1;
    return p;
}

class Recorder : public RunObserver
{
public:
    void progress(const RunProgress &p) override
    {
        QMutexLocker lock(&mutex);
        last = p;
    }
    void nodeActivity(const NodeActivity &a) override
    {
        QMutexLocker lock(&mutex);
        activities.append(a);
    }
    void callDelta(const CallDelta &d) override
    {
        QMutexLocker lock(&mutex);
        deltas.append(d);
    }
    QMutex mutex;
    RunProgress last;
    QVector<NodeActivity> activities;
    QVector<CallDelta> deltas;
};

} // namespace

class TestTrainerControl : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_db = 0;
    QString freshDb() { return m_dir.filePath(u"c%1.tgdb"_s.arg(++m_db)); }

private slots:
    void pauseStopsNewCallsAndResumeFinishes()
    {
        RunStore store;
        QVERIFY(store.open(freshDb(), nullptr));
        Trainer *trainerPtr = nullptr;
        std::atomic_int calls{0};
        ScriptedClient client([&](const ChatRequest &r) {
            if (++calls == 3)
                trainerPtr->setPaused(true);   // this call is in flight: it still finishes
            return neverPerfect(r);
        });
        Trainer trainer(&store, &client);
        trainerPtr = &trainer;
        int whilePaused = -1;
        bool reportedPaused = false;
        std::thread helper([&] {
            while (calls.load() < 3)
                QThread::msleep(5);
            QThread::msleep(300);   // time enough for a wrongly started call to show up
            whilePaused = client.count();
            reportedPaused = trainer.isPaused();
            trainer.setPaused(false);
        });
        const RunOutcome out = trainer.start(threeSteps(), additions(9), {});
        helper.join();
        QVERIFY2(out.ok, qPrintable(out.error));
        QVERIFY(reportedPaused);
        QCOMPARE(whilePaused, 3);
        QCOMPARE(client.count(), 30);
        QCOMPARE(store.steps(out.runId).size(), 3);
    }

    void cancelWhilePaused()
    {
        RunStore store;
        QVERIFY(store.open(freshDb(), nullptr));
        Trainer *trainerPtr = nullptr;
        std::atomic_int calls{0};
        ScriptedClient client([&](const ChatRequest &r) {
            if (++calls == 12)   // in step 2
                trainerPtr->setPaused(true);
            return neverPerfect(r);
        });
        Trainer trainer(&store, &client);
        trainerPtr = &trainer;
        std::thread helper([&] {
            while (calls.load() < 12)
                QThread::msleep(5);
            QThread::msleep(100);
            trainer.cancel();
        });
        const RunOutcome out = trainer.start(threeSteps(), additions(9), {});
        helper.join();
        QCOMPARE(out.status, RunStatus::Cancelled);
        QCOMPARE(client.count(), 12);
        QCOMPARE(store.steps(out.runId).size(), 1);   // step 2 never completed, so never saved
        QCOMPARE(store.run(out.runId).status, RunStatus::Cancelled);

        // The cancelled run resumes at step 2 and finishes.
        client.clear();
        Trainer again(&store, &client);
        const RunOutcome resumed = again.resume(out.runId);
        QVERIFY2(resumed.ok, qPrintable(resumed.error));
        QCOMPARE(store.steps(out.runId).size(), 3);
        QCOMPARE(client.count(), 20);
    }

    void budgetStopsResumably()
    {
        RunStore store;
        QVERIFY(store.open(freshDb(), nullptr));
        ScriptedClient client(neverPerfect);
        Trainer trainer(&store, &client);
        const RunOutcome out = trainer.start(threeSteps(), additions(9), QJsonObject{{u"budgetCalls"_s, 12}});
        QCOMPARE(out.status, RunStatus::Cancelled);
        QVERIFY2(out.error.contains(u"budget"_s), qPrintable(out.error));
        QCOMPARE(client.count(), 12);                  // never more than the budget
        QCOMPARE(store.callTotals(out.runId).total, 12);
        QCOMPARE(store.steps(out.runId).size(), 1);
        bool event = false;
        for (const RunEvent &e : store.events(out.runId))
            event = event || e.kind == u"budget-reached"_s;
        QVERIFY(event);

        // Resuming with the same budget stops again at once, without a call.
        client.clear();
        {
            Trainer same(&store, &client);
            const RunOutcome again = same.resume(out.runId);
            QCOMPARE(again.status, RunStatus::Cancelled);
            QCOMPARE(client.count(), 0);
        }
        // A raised budget (saved with the run) lets it finish.
        Trainer raised(&store, &client);
        const RunOutcome done = raised.resume(out.runId, QJsonObject{{u"budgetCalls"_s, 100}});
        QVERIFY2(done.ok, qPrintable(done.error));
        QCOMPARE(store.steps(out.runId).size(), 3);
        QCOMPARE(store.run(out.runId).settings.value(u"budgetCalls"_s).toInt(), 100);
        QCOMPARE(store.callTotals(out.runId).total, 30 + 2);   // step 2 redone: 2 calls of it were lost
    }

    void budgetInDollars()
    {
        RunStore store;
        QVERIFY(store.open(freshDb(), nullptr));
        Pipeline p = threeSteps();
        for (auto it = p.engines.begin(); it != p.engines.end(); ++it) {
            it->provider = u"openai"_s;
            it->baseUrl = u"https://api.openai.com/v1"_s;
            it->model = u"gpt-4.1"_s;
        }
        ScriptedClient client(neverPerfect);
        Trainer trainer(&store, &client);
        // Whatever the scripted usage, a tiny budget stops the run after its first priced call.
        const RunOutcome out = trainer.start(p, additions(9), QJsonObject{{u"budgetUsd"_s, 1e-9}});
        QCOMPARE(out.status, RunStatus::Cancelled);
        QVERIFY2(out.error.contains(u"budget"_s), qPrintable(out.error));
        QCOMPARE(client.count(), 1);
    }

    void queueLivesInTheProject()
    {
        const QString path = freshDb();
        RunStore store;
        QVERIFY(store.open(path, nullptr));
        ScriptedClient client(neverPerfect);
        Trainer trainer(&store, &client);
        QString error;
        const QString first = trainer.enqueue(threeSteps(), additions(9), {}, &error);
        QVERIFY2(!first.isEmpty(), qPrintable(error));
        const QString second = trainer.enqueue(threeSteps(), additions(9), {}, &error);
        QVERIFY(!second.isEmpty());
        QCOMPARE(client.count(), 0);

        // Another connection (another window) sees the queue, in order.
        {
            RunStore other;
            QVERIFY(other.open(path, nullptr));
            const QVector<RunInfo> queued = other.runsWithStatus(RunStatus::Queued);
            QCOMPARE(queued.size(), 2);
            QCOMPARE(queued.at(0).id, first);
            QCOMPARE(queued.at(1).id, second);
            QVERIFY(other.removeQueuedRun(second));
            QVERIFY(!other.removeQueuedRun(second));
        }
        const RunOutcome out = trainer.startQueued(first);
        QVERIFY2(out.ok, qPrintable(out.error));
        QCOMPARE(store.steps(first).size(), 3);
        // A run no longer queued is not started twice.
        const RunOutcome twice = trainer.startQueued(first);
        QVERIFY(!twice.ok);
        QVERIFY(store.runsWithStatus(RunStatus::Queued).isEmpty());
        QVERIFY(!store.runExists(second));
    }

    void activityAndTotals()
    {
        RunStore store;
        QVERIFY(store.open(freshDb(), nullptr));
        ScriptedClient client(neverPerfect);
        Recorder rec;
        Trainer trainer(&store, &client, &rec);
        Pipeline p = threeSteps();
        p.optimizer.maxSteps = 1;
        const RunOutcome out = trainer.start(p, additions(3), {});
        QVERIFY2(out.ok, qPrintable(out.error));

        QSet<QString> seen;
        int started = 0;
        int finished = 0;
        for (const NodeActivity &a : rec.activities) {
            if (a.state == NodeActivity::State::Started)
                ++started;
            else if (a.state == NodeActivity::State::Finished)
                ++finished;
            seen.insert(activityPhaseName(a.phase) + u':' + a.sourceNodeId + u"->"_s + a.nodeId);
            QCOMPARE(a.step, 1);
        }
        QCOMPARE(started, 10);
        QCOMPARE(finished, 10);
        QVERIFY(seen.contains(u"forward:->answer"_s));
        // The backward pass travels the edges answer -> score and system_prompt -> answer.
        QVERIFY(seen.contains(u"backward:answer->score"_s));
        QVERIFY(seen.contains(u"backward:system_prompt->answer"_s));
        QVERIFY(seen.contains(u"optimizer:->system_prompt"_s));
        // Non-streaming calls hand over their whole reply once done.
        int whole = 0;
        for (const CallDelta &d : rec.deltas)
            whole += d.complete && d.text == u"Be more precise."_s ? 1 : 0;
        QCOMPARE(whole, 6);

        const CallTotals stored = store.callTotals(out.runId);
        QCOMPARE(rec.last.totals.total, stored.total);
        QCOMPARE(rec.last.totals.promptTokens, stored.promptTokens);
        QCOMPARE(rec.last.totals.completionTokens, stored.completionTokens);
        QCOMPARE(rec.last.phase, u"done"_s);
    }
};

QTEST_GUILESS_MAIN(TestTrainerControl)
#include "tst_trainercontrol.moc"
