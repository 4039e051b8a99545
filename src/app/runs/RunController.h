#pragma once

#include "data/Dataset.h"
#include "graph/Pipeline.h"
#include "store/RunRecords.h"
#include "training/RunObserver.h"
#include "training/Trainer.h"
#include "training/TrainingData.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QThread>
#include <QThreadPool>
#include <QVector>

class RunWorker;

// The workbench's runs, driven from the GUI thread (it lives there). It owns one worker thread
// and its RunWorker; the GUI thread never waits on a run: commands go to the worker by queued
// calls, pause and cancel flip flags, and store chores (queueing, listing) run on the thread
// pool with their own connection.
//
// The queue lives in the project file: enqueue() stores the run as "queued" and the controller
// runs queued runs one after another, oldest first, while it is not stopped. A user's cancel()
// stops the current run and holds the queue (the rest waits until the next enqueue() or
// runQueue()). Closing the window: shutdown() cancels cleanly, the run stays resumable.
//
// How the main window wires it:
//   controller->setProjectPath(projectFile);
//   RunSetupDialog accepted  -> controller->enqueue(dialog.pipeline(), dialog.data(), dialog.settings())
//   LiveRunPanel::setController(controller)   (buttons, progress, streaming text, run lists)
//   nodeActivity -> GraphScene::setRunActivity;  finished -> GraphScene::clearRunActivity
//   closeEvent: controller->shutdown() (the destructor waits for the cancelled run to stop)
class RunController : public QObject
{
    Q_OBJECT
public:
    explicit RunController(QObject *parent = nullptr);
    ~RunController() override;

    void setProjectPath(const QString &path);
    QString projectPath() const { return m_projectPath; }

    // Stores the run in the project's queue (off the GUI thread), then runs the queue.
    // queued(runId) or error() follows.
    void enqueue(const Pipeline &pipeline, const TrainingData &data, const QJsonObject &settings);
    // Runs what is queued when idle (after a cancel held the queue, or a project was opened).
    void runQueue();
    // Continues a run after its last completed step (settingsPatch: e.g. {"budgetCalls": 500}).
    // Refused with error() while another run is in progress.
    void resumeRun(const QString &runId, const QJsonObject &settingsPatch = QJsonObject());
    void removeQueued(const QString &runId);

    void pause();
    void resume();
    void cancel();
    // Cancels the current run and runs nothing more. Call from the window's closeEvent.
    void shutdown();

    bool isRunning() const { return m_busy; }
    bool isPaused() const { return m_paused; }
    QString currentRunId() const { return m_currentRunId; }
    qint64 elapsedMs() const;   // since the current run started; 0 when idle

    // Lists (off the GUI thread) the queued runs and the runs a user may resume: cut off
    // ("running" with no worker here), cancelled or failed. runsListed() follows.
    void refreshRuns();

Q_SIGNALS:
    void runningChanged(bool running);
    void pausedChanged(bool paused);
    void runStarted(const QString &runId, const QString &pipelineName);
    void progress(const RunProgress &progress);
    void nodeActivity(const NodeActivity &activity);
    void callDelta(const CallDelta &delta);
    void stepFinished(const StepRecord &step);
    void message(const QString &text);
    void finished(const RunOutcome &outcome);
    void error(const QString &text);
    void queued(const QString &runId);
    void runsListed(const QVector<RunInfo> &queued, const QVector<RunInfo> &resumable);

private:
    void onRunStarted(const QString &runId, const QString &pipelineName, const QJsonObject &pipeline);
    void onFinished(const RunOutcome &outcome);
    void onQueueEmpty();
    void startNext();
    void setBusy(bool busy);

    QString m_projectPath;
    QThread m_thread;
    QThreadPool m_chores;            // one thread: store chores run in the order asked

    RunWorker *m_worker = nullptr;   // lives on m_thread; deleted there when it finishes
    bool m_busy = false;
    bool m_paused = false;
    bool m_held = false;             // a user's cancel holds the queue
    bool m_stopping = false;
    QString m_currentRunId;
    QElapsedTimer m_clock;
};
