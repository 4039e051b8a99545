#include "runs/RunWorker.h"

#include "ClientStack.h"
#include "store/RunStore.h"
#include "training/RunGate.h"

#include <QMutexLocker>

using namespace Qt::StringLiterals;

// The Trainer's observer: turns its callbacks into the worker's signals. Emitting from the
// provider-call threads is safe: receivers on the GUI thread get queued copies.
class RunWorker::Forwarder : public RunObserver
{
public:
    explicit Forwarder(RunWorker *worker)
        : m_worker(worker)
    {
    }
    void progress(const RunProgress &p) override { Q_EMIT m_worker->progress(p); }
    void stepFinished(const StepRecord &s) override { Q_EMIT m_worker->stepFinished(s); }
    void message(const QString &text) override { Q_EMIT m_worker->message(text); }
    void nodeActivity(const NodeActivity &a) override { Q_EMIT m_worker->nodeActivity(a); }
    void callDelta(const CallDelta &d) override { Q_EMIT m_worker->callDelta(d); }

private:
    RunWorker *m_worker;
};

RunWorker::RunWorker(QObject *parent)
    : QObject(parent)
    , m_forwarder(std::make_unique<Forwarder>(this))
{
}

RunWorker::~RunWorker() = default;

void RunWorker::setPaused(bool paused)
{
    QMutexLocker lock(&m_mutex);
    m_pausedRequest = paused;
    if (m_pause)
        m_pause->setPaused(paused);
}

void RunWorker::cancel()
{
    QMutexLocker lock(&m_mutex);
    if (m_cancel)
        m_cancel->store(true);
    else
        m_cancelRequest = true;   // between runs: meant for the run about to start
    if (m_pause)
        m_pause->setPaused(false);
}

void RunWorker::runNext(const QString &projectPath)
{
    QString runId;
    {
        RunStore store;
        QString why;
        if (!store.open(projectPath, &why)) {
            Q_EMIT error(u"Cannot open the project file %1: %2"_s.arg(projectPath, why));
            Q_EMIT queueEmpty();
            return;
        }
        const QVector<RunInfo> queued = store.runsWithStatus(RunStatus::Queued);
        if (queued.isEmpty()) {
            QMutexLocker lock(&m_mutex);
            m_cancelRequest = false;
            m_pausedRequest = false;
            lock.unlock();
            Q_EMIT queueEmpty();
            return;
        }
        runId = queued.first().id;
    }
    execute(projectPath, runId, [runId](Trainer &t) { return t.startQueued(runId); });
}

void RunWorker::resumeRun(const QString &projectPath, const QString &runId, const QJsonObject &settingsPatch)
{
    execute(projectPath, runId, [runId, settingsPatch](Trainer &t) { return t.resume(runId, settingsPatch); });
}

void RunWorker::execute(const QString &projectPath, const QString &runId,
                        const std::function<RunOutcome(Trainer &)> &action)
{
    RunStore store;
    QString why;
    if (!store.open(projectPath, &why)) {
        const QString text = u"Cannot open the project file %1: %2"_s.arg(projectPath, why);
        Q_EMIT error(text);
        Q_EMIT finished(RunOutcome{false, runId, RunStatus::Failed, text});
        return;
    }
    const RunInfo info = store.run(runId);
    if (info.id.isEmpty()) {
        const QString text = u"There is no run %1 in %2."_s.arg(runId, projectPath);
        Q_EMIT error(text);
        Q_EMIT finished(RunOutcome{false, runId, RunStatus::Failed, text});
        return;
    }
    // The same client the CLI builds, with the run's own settings: a run started without the
    // cache keeps bypassing it when resumed.
    const int concurrency = info.pipeline.value(u"optimizer"_s).toObject().value(u"concurrency"_s)
                                .toInt(OptimizerSettings().concurrency);
    ClientStack stack(ClientStack::Options{projectPath, !info.settings.value(u"noCache"_s).toBool(), concurrency});
    Trainer trainer(&store, stack.client(), m_forwarder.get());
    {
        QMutexLocker lock(&m_mutex);
        m_cancel = trainer.cancelFlag();
        m_pause = trainer.pauseGate();
        if (m_cancelRequest)
            trainer.cancel();
        trainer.setPaused(m_pausedRequest && !m_cancelRequest);
        m_cancelRequest = false;
    }
    Q_EMIT runStarted(runId, info.pipelineName, info.pipeline);
    const RunOutcome outcome = action(trainer);
    {
        QMutexLocker lock(&m_mutex);
        m_cancel.reset();
        m_pause.reset();
        m_pausedRequest = false;
    }
    Q_EMIT finished(outcome);
}
