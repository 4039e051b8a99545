#pragma once

#include "store/RunRecords.h"
#include "training/RunObserver.h"
#include "training/Trainer.h"

#include <QJsonObject>
#include <QMutex>
#include <QObject>

#include <functional>
#include <memory>

class PauseGate;

// Runs the project's runs, one at a time. LIVES ON RunController's WORKER THREAD, never on the
// GUI thread: each command (runNext, resumeRun) blocks that thread for the whole run. It opens
// its own RunStore on the project file and builds the client stack (cache, throttle, provider)
// the run's settings ask for, like the CLI does.
//
// Commands come in by queued invocations (QMetaObject::invokeMethod with Qt::QueuedConnection);
// setPaused() and cancel() are called directly from the GUI thread and only touch the running
// Trainer's pause gate and cancel flag, so they never wait. Results go out as value signals;
// nodeActivity and callDelta are emitted from the provider-call threads of the run.
class RunWorker : public QObject
{
    Q_OBJECT
public:
    explicit RunWorker(QObject *parent = nullptr);
    ~RunWorker() override;

    // Thread-safe, non-blocking.
    void setPaused(bool paused);
    void cancel();

public Q_SLOTS:
    // Takes the oldest queued run of the project and runs it; queueEmpty() when there is none.
    void runNext(const QString &projectPath);
    // Continues a cut-off, cancelled or failed run (settingsPatch: e.g. a raised budget).
    void resumeRun(const QString &projectPath, const QString &runId, const QJsonObject &settingsPatch);

Q_SIGNALS:
    void runStarted(const QString &runId, const QString &pipelineName, const QJsonObject &pipeline);
    void progress(const RunProgress &progress);
    void nodeActivity(const NodeActivity &activity);
    void callDelta(const CallDelta &delta);
    void stepFinished(const StepRecord &step);
    void message(const QString &text);
    void finished(const RunOutcome &outcome);
    void queueEmpty();
    // The run could not start (project file, unknown run); finished() follows with the outcome.
    void error(const QString &text);

private:
    class Forwarder;
    void execute(const QString &projectPath, const QString &runId,
                 const std::function<RunOutcome(Trainer &)> &action);

    std::unique_ptr<Forwarder> m_forwarder;
    QMutex m_mutex;   // guards the live trainer's handles below
    CancelFlag m_cancel;
    std::shared_ptr<PauseGate> m_pause;
    bool m_pausedRequest = false;
    bool m_cancelRequest = false;
};
