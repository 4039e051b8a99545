#include "runs/RunController.h"

#include "runs/RunWorker.h"
#include "store/RunRecords.h"
#include "store/RunStore.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace {

struct QueueResult
{
    QString runId;
    QString error;
};

struct Listing
{
    QVector<RunInfo> queued;
    QVector<RunInfo> resumable;
};

// Store chores run on the thread pool: each opens its own connection, as a RunStore belongs
// to the thread that opened it.
template<typename T, typename Done>
void offThread(QObject *context, QThreadPool *pool, std::function<T()> work, Done done)
{
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcher<T>::finished, context, [watcher, done] {
        done(watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run(pool, std::move(work)));
}

} // namespace

RunController::RunController(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<RunProgress>();
    qRegisterMetaType<NodeActivity>();
    qRegisterMetaType<CallDelta>();
    qRegisterMetaType<StepRecord>();
    qRegisterMetaType<RunOutcome>();
    qRegisterMetaType<RunInfo>();
    qRegisterMetaType<QVector<RunInfo>>();
    m_chores.setMaxThreadCount(1);
    m_thread.setObjectName(u"run worker"_s);
    m_worker = new RunWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &RunWorker::runStarted, this, &RunController::onRunStarted);
    connect(m_worker, &RunWorker::progress, this, &RunController::progress);
    connect(m_worker, &RunWorker::nodeActivity, this, &RunController::nodeActivity);
    connect(m_worker, &RunWorker::callDelta, this, &RunController::callDelta);
    connect(m_worker, &RunWorker::stepFinished, this, &RunController::stepFinished);
    connect(m_worker, &RunWorker::message, this, &RunController::message);
    connect(m_worker, &RunWorker::error, this, &RunController::error);
    connect(m_worker, &RunWorker::finished, this, &RunController::onFinished);
    connect(m_worker, &RunWorker::queueEmpty, this, &RunController::onQueueEmpty);
    m_thread.start();
}

RunController::~RunController()
{
    shutdown();
    m_thread.quit();
    // The run was cancelled: in-flight requests abort within ~50 ms and the Trainer writes its
    // final status, so this wait is short; it is the one place where the GUI thread waits.
    m_thread.wait();
    m_chores.waitForDone();
}

void RunController::setProjectPath(const QString &path)
{
    m_projectPath = path;
}

qint64 RunController::elapsedMs() const
{
    return m_busy && m_clock.isValid() ? m_clock.elapsed() : 0;
}

void RunController::enqueue(const Pipeline &pipeline, const TrainingData &data, const QJsonObject &settings)
{
    if (m_projectPath.isEmpty()) {
        Q_EMIT error(u"Open or create a project first: runs are kept in the project file."_s);
        return;
    }
    const QString path = m_projectPath;
    offThread<QueueResult>(this, &m_chores, std::function<QueueResult()>([path, pipeline, data, settings] {
        QueueResult r;
        RunStore store;
        if (!store.open(path, &r.error))
            return r;
        // No client is needed to store a run; the worker builds one when it starts it.
        Trainer trainer(&store, nullptr);
        r.runId = trainer.enqueue(pipeline, data, settings, &r.error);
        return r;
    }), [this](const QueueResult &r) {
        if (r.runId.isEmpty()) {
            Q_EMIT error(u"The run could not be queued: "_s + r.error);
            return;
        }
        Q_EMIT queued(r.runId);
        m_held = false;
        startNext();
        refreshRuns();
    });
}

void RunController::runQueue()
{
    m_held = false;
    startNext();
}

void RunController::startNext()
{
    if (m_busy || m_held || m_stopping || m_projectPath.isEmpty())
        return;
    setBusy(true);
    QMetaObject::invokeMethod(m_worker, "runNext", Qt::QueuedConnection, Q_ARG(QString, m_projectPath));
}

void RunController::resumeRun(const QString &runId, const QJsonObject &settingsPatch)
{
    if (m_busy) {
        Q_EMIT error(u"Run %1 cannot resume while another run is in progress; wait for it or cancel it."_s.arg(runId));
        return;
    }
    if (m_stopping || m_projectPath.isEmpty())
        return;
    m_held = false;
    setBusy(true);
    QMetaObject::invokeMethod(m_worker, "resumeRun", Qt::QueuedConnection, Q_ARG(QString, m_projectPath),
                              Q_ARG(QString, runId), Q_ARG(QJsonObject, settingsPatch));
}

void RunController::removeQueued(const QString &runId)
{
    const QString path = m_projectPath;
    offThread<QString>(this, &m_chores, std::function<QString()>([path, runId] {
        RunStore store;
        QString why;
        if (!store.open(path, &why) || !store.removeQueuedRun(runId))
            return why.isEmpty() ? store.lastError() : why;
        return QString();
    }), [this](const QString &why) {
        if (!why.isEmpty())
            Q_EMIT error(why);
        refreshRuns();
    });
}

void RunController::pause()
{
    if (!m_busy || m_paused)
        return;
    m_paused = true;
    m_worker->setPaused(true);
    Q_EMIT pausedChanged(true);
}

void RunController::resume()
{
    if (!m_paused)
        return;
    m_paused = false;
    m_worker->setPaused(false);
    Q_EMIT pausedChanged(false);
}

void RunController::cancel()
{
    if (!m_busy)
        return;
    m_held = true;
    m_worker->cancel();
    if (m_paused) {
        m_paused = false;
        Q_EMIT pausedChanged(false);
    }
}

void RunController::shutdown()
{
    m_stopping = true;
    if (m_busy)
        m_worker->cancel();
}

void RunController::refreshRuns()
{
    if (m_projectPath.isEmpty())
        return;
    const QString path = m_projectPath;
    const QString live = m_currentRunId;
    offThread<Listing>(this, &m_chores, std::function<Listing()>([path, live] {
        Listing l;
        RunStore store;
        if (!store.open(path, nullptr))
            return l;
        l.queued = store.runsWithStatus(RunStatus::Queued);
        for (const RunInfo &r : store.runs()) {
            const bool stopped = r.status == RunStatus::Cancelled || r.status == RunStatus::Failed
                || (r.status == RunStatus::Running && r.id != live);
            if (stopped && r.settings.value(u"mode"_s).toString() != u"eval"_s)
                l.resumable.append(r);
        }
        return l;
    }), [this](const Listing &l) { Q_EMIT runsListed(l.queued, l.resumable); });
}

void RunController::onRunStarted(const QString &runId, const QString &pipelineName, const QJsonObject &)
{
    m_currentRunId = runId;
    m_clock.start();
    Q_EMIT runStarted(runId, pipelineName);
    refreshRuns();
}

void RunController::onFinished(const RunOutcome &outcome)
{
    m_currentRunId.clear();
    if (m_paused) {
        m_paused = false;
        Q_EMIT pausedChanged(false);
    }
    setBusy(false);
    Q_EMIT finished(outcome);
    refreshRuns();
    startNext();
}

void RunController::onQueueEmpty()
{
    setBusy(false);
}

void RunController::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    Q_EMIT runningChanged(busy);
}
