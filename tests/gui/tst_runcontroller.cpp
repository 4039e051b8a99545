// Runs driven from the GUI side: RunController on the GUI thread, its RunWorker on a worker
// thread, the real client stack over HTTP to the in-process fake OpenAI-compatible server, and
// a real project file. Progress and finished arrive as signals; pause stops new calls; cancel
// leaves a consistent, resumable run; the queue runs in order; the GUI thread keeps running.

#include "FakeOpenAiServer.h"
#include "TestPipelines.h"

#include "runs/RunController.h"
#include "store/RunStore.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <atomic>

using namespace Qt::StringLiterals;

namespace {

enum class Kind { Forward, Backward, Optimizer };

Kind classify(const FakeRequest &r)
{
    const QString user = r.lastMessage(u"user"_s);
    if (user.contains(u"<IMPROVED_VARIABLE>"_s))
        return Kind::Optimizer;
    if (user.contains(u"<TEXT_TO_CRITICISE>"_s))
        return Kind::Backward;
    return Kind::Forward;
}

} // namespace

class TestRunController : public QObject
{
    Q_OBJECT

private:
    FakeOpenAiServer m_server;
    QTemporaryDir m_dir;
    int m_projects = 0;
    std::atomic_int m_delayMs{0};
    std::atomic_bool m_stream{false};

    QString freshProject() { return m_dir.filePath(u"project%1.tgdb"_s.arg(++m_projects)); }

    // Two steps of 3B+1 calls with B = 2 (no validation), one call at a time, never perfect.
    Pipeline pipeline(int steps = 2)
    {
        Pipeline p = TestPipelines::parse(TestPipelines::arithmeticJson(m_server.baseUrl()));
        p.optimizer.maxSteps = steps;
        p.optimizer.batchSize = 2;
        p.optimizer.epochs = 10;
        p.optimizer.validation = u"none"_s;
        p.optimizer.stopWhenPerfect = false;
        p.optimizer.concurrency = 1;
        for (auto it = p.engines.begin(); it != p.engines.end(); ++it)
            it->maxRetries = 0;
        return p;
    }

    static TrainingData data()
    {
        TrainingData d;
        d.train = TestPipelines::additions(6);
        return d;
    }

    static QJsonObject settings() { return QJsonObject{{u"noCache"_s, true}}; }

    static RunOutcome outcomeAt(const QSignalSpy &spy, int i) { return spy.at(i).at(0).value<RunOutcome>(); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_server.start());
        m_server.setResponder([this](const FakeRequest &r) {
            FakeReply reply;
            switch (classify(r)) {
            case Kind::Backward:
                reply = FakeReply::completion(u"Ask the assistant to add carefully."_s);
                break;
            case Kind::Optimizer:
                reply = FakeReply::completion(u"<IMPROVED_VARIABLE>You add numbers. Attempt %1.</IMPROVED_VARIABLE>"_s
                                                  .arg(QDateTime::currentMSecsSinceEpoch()));
                break;
            case Kind::Forward:
                reply = m_stream.load() ? FakeReply::stream({u"The sum "_s, u"is "_s, u"0"_s})
                                        : FakeReply::completion(u"0"_s);
                break;
            }
            return m_delayMs.load() > 0 ? reply.withDelay(m_delayMs.load()) : reply;
        });
    }

    void init()
    {
        m_delayMs = 0;
        m_stream = false;
        m_server.clearRequests();
    }

    void runFinishesWithProgressActivityAndStreaming()
    {
        RunController controller;
        controller.setProjectPath(freshProject());
        QSignalSpy progress(&controller, &RunController::progress);
        QSignalSpy finished(&controller, &RunController::finished);
        QSignalSpy started(&controller, &RunController::runStarted);
        QSignalSpy activity(&controller, &RunController::nodeActivity);
        QSignalSpy deltas(&controller, &RunController::callDelta);
        QSignalSpy running(&controller, &RunController::runningChanged);
        m_stream = true;
        Pipeline p = pipeline();
        p.engines[u"student"_s].stream = true;
        controller.enqueue(p, data(), settings());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        const RunOutcome out = outcomeAt(finished, 0);
        QVERIFY2(out.ok, qPrintable(out.error));
        QCOMPARE(started.count(), 1);
        QCOMPARE(started.at(0).at(0).toString(), out.runId);
        QVERIFY(progress.count() > 0);
        const RunProgress last = progress.last().at(0).value<RunProgress>();
        QCOMPARE(last.phase, u"done"_s);
        QCOMPARE(last.totals.total, 14);
        QCOMPARE(m_server.requestCount(), 14);

        bool forward = false;
        bool backwardEdge = false;
        for (const QList<QVariant> &args : activity) {
            const NodeActivity a = args.at(0).value<NodeActivity>();
            forward = forward || (a.phase == ActivityPhase::Forward && a.nodeId == u"answer"_s);
            backwardEdge = backwardEdge
                || (a.phase == ActivityPhase::Backward && a.nodeId == u"answer"_s && a.sourceNodeId == u"system_prompt"_s);
        }
        QVERIFY(forward);
        QVERIFY(backwardEdge);
        // The student streams: its text arrives in pieces, before the call ends.
        QMap<QString, QString> streamed;   // per call: step and sample
        for (const QList<QVariant> &args : deltas) {
            const CallDelta d = args.at(0).value<CallDelta>();
            if (d.nodeId == u"answer"_s && !d.complete)
                streamed[u"%1/%2"_s.arg(d.step).arg(d.sampleIndex)] += d.text;
        }
        QCOMPARE(streamed.size(), 4);   // 2 steps x 2 samples
        for (const QString &text : std::as_const(streamed))
            QCOMPARE(text, u"The sum is 0"_s);
        QTRY_VERIFY(!controller.isRunning());
        QVERIFY(running.count() >= 2);

        RunStore store;
        QVERIFY(store.open(controller.projectPath(), nullptr));
        QCOMPARE(store.run(out.runId).status, RunStatus::Completed);
        QCOMPARE(store.steps(out.runId).size(), 2);
    }

    void pauseStopsNewCallsAndResumeFinishes()
    {
        m_delayMs = 40;
        RunController controller;
        controller.setProjectPath(freshProject());
        QSignalSpy finished(&controller, &RunController::finished);
        QSignalSpy paused(&controller, &RunController::pausedChanged);
        controller.enqueue(pipeline(), data(), settings());
        QTRY_VERIFY_WITH_TIMEOUT(m_server.requestCount() >= 3, 30000);
        controller.pause();
        QVERIFY(controller.isPaused());
        QCOMPARE(paused.count(), 1);
        // The call in flight finishes; after that nothing new reaches the server.
        QTest::qWait(400);
        const int atPause = m_server.requestCount();
        QTest::qWait(600);
        QCOMPARE(m_server.requestCount(), atPause);
        QVERIFY(atPause < 14);
        QCOMPARE(finished.count(), 0);
        controller.resume();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QVERIFY2(outcomeAt(finished, 0).ok, qPrintable(outcomeAt(finished, 0).error));
        QCOMPARE(m_server.requestCount(), 14);
    }

    void cancelKeepsTheStoreConsistentAndResumeFinishes()
    {
        m_delayMs = 30;
        RunController controller;
        controller.setProjectPath(freshProject());
        QSignalSpy finished(&controller, &RunController::finished);
        QSignalSpy steps(&controller, &RunController::stepFinished);
        controller.enqueue(pipeline(3), data(), settings());
        QTRY_COMPARE_WITH_TIMEOUT(steps.count(), 1, 60000);
        controller.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        const RunOutcome out = outcomeAt(finished, 0);
        QCOMPARE(out.status, RunStatus::Cancelled);
        {
            RunStore store;
            QVERIFY(store.open(controller.projectPath(), nullptr));
            QCOMPARE(store.run(out.runId).status, RunStatus::Cancelled);
            // Only whole steps are stored, numbered from 1 without gaps.
            const QVector<StepRecord> saved = store.steps(out.runId);
            QVERIFY(!saved.isEmpty() && saved.size() < 3);
            for (int i = 0; i < saved.size(); ++i)
                QCOMPARE(saved.at(i).step, i + 1);
        }
        // It is offered for resuming, and a resume finishes it.
        QSignalSpy listed(&controller, &RunController::runsListed);
        controller.refreshRuns();
        QTRY_VERIFY(!listed.isEmpty());
        const QVector<RunInfo> resumable = listed.last().at(1).value<QVector<RunInfo>>();
        QVERIFY(std::any_of(resumable.cbegin(), resumable.cend(), [&](const RunInfo &r) { return r.id == out.runId; }));

        m_delayMs = 0;
        controller.resumeRun(out.runId);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);
        QVERIFY2(outcomeAt(finished, 1).ok, qPrintable(outcomeAt(finished, 1).error));
        RunStore store;
        QVERIFY(store.open(controller.projectPath(), nullptr));
        QCOMPARE(store.steps(out.runId).size(), 3);
        QCOMPARE(store.run(out.runId).status, RunStatus::Completed);
    }

    void queuedRunStartsAfterTheFirst()
    {
        RunController controller;
        controller.setProjectPath(freshProject());
        QSignalSpy started(&controller, &RunController::runStarted);
        QSignalSpy finished(&controller, &RunController::finished);
        QSignalSpy queued(&controller, &RunController::queued);
        m_delayMs = 20;
        Pipeline first = pipeline(1);
        first.name = u"first"_s;
        Pipeline second = pipeline(1);
        second.name = u"second"_s;
        controller.enqueue(first, data(), settings());
        controller.enqueue(second, data(), settings());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);
        QCOMPARE(queued.count(), 2);
        QCOMPARE(started.count(), 2);
        QCOMPARE(started.at(0).at(1).toString(), u"first"_s);
        QCOMPARE(started.at(1).at(1).toString(), u"second"_s);
        QCOMPARE(outcomeAt(finished, 0).runId, started.at(0).at(0).toString());
        QVERIFY(outcomeAt(finished, 0).ok);
        QVERIFY(outcomeAt(finished, 1).ok);
        // One after the other: the second run's first call came after the first run's last.
        QCOMPARE(m_server.requestCount(), 14);
    }

    void guiThreadStaysResponsive()
    {
        m_delayMs = 60;   // a slow server: the run takes about a second
        RunController controller;
        controller.setProjectPath(freshProject());
        QSignalSpy finished(&controller, &RunController::finished);
        int ticks = 0;
        QTimer timer;
        timer.setInterval(20);
        connect(&timer, &QTimer::timeout, this, [&ticks] { ++ticks; });
        timer.start();
        controller.enqueue(pipeline(), data(), settings());
        QTRY_VERIFY_WITH_TIMEOUT(controller.isRunning(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        // 14 calls of 60 ms: the GUI timer kept firing the whole time.
        QVERIFY2(ticks >= 10, qPrintable(QString::number(ticks)));
        QVERIFY(outcomeAt(finished, 0).ok);
    }

    void closingTheWindowLeavesTheRunResumable()
    {
        m_delayMs = 40;
        const QString project = freshProject();
        QString runId;
        {
            RunController controller;
            controller.setProjectPath(project);
            QSignalSpy started(&controller, &RunController::runStarted);
            controller.enqueue(pipeline(3), data(), settings());
            QTRY_VERIFY_WITH_TIMEOUT(m_server.requestCount() >= 2, 30000);
            QVERIFY(!started.isEmpty());
            runId = started.at(0).at(0).toString();
            controller.shutdown();
        }   // the destructor waits for the cancelled run to stop
        RunStore store;
        QVERIFY(store.open(project, nullptr));
        QCOMPARE(store.run(runId).status, RunStatus::Cancelled);

        // A run left "running" by a crash is listed as interrupted by the next window.
        RunInfo crashed = store.run(runId);
        crashed.id = u"crashed-run"_s;
        crashed.status = RunStatus::Running;
        QVERIFY(store.createRun(crashed));
        RunController next;
        next.setProjectPath(project);
        QSignalSpy listed(&next, &RunController::runsListed);
        next.refreshRuns();
        QTRY_VERIFY(!listed.isEmpty());
        const QVector<RunInfo> resumable = listed.last().at(1).value<QVector<RunInfo>>();
        QStringList ids;
        for (const RunInfo &r : resumable)
            ids.append(r.id);
        QVERIFY(ids.contains(u"crashed-run"_s));
        QVERIFY(ids.contains(runId));
    }
};

QTEST_MAIN(TestRunController)
#include "tst_runcontroller.moc"
