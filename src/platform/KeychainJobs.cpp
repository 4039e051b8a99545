#include "KeychainJobs.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QMutex>
#include <QMutexLocker>
#include <QObject>
#include <QThread>
#include <QWaitCondition>

#include <qt6keychain/keychain.h>

#include <atomic>
#include <functional>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

// One job's outcome, shared by the keychain thread (which fills it) and the caller (which may
// have stopped waiting: then the keychain thread still has somewhere safe to write).
struct Pending
{
    QMutex mutex;
    QWaitCondition finished;
    bool done = false;
    KeychainJobs::Result result;
};

std::atomic_bool g_unavailable{false};
std::atomic_bool g_shutDown{false};
QMutex g_serial;                   // one job at a time, process-wide

// The thread every QtKeychain job runs on, and an object living there to queue work to.
// Created on first use (needs a QCoreApplication); stopped from the application's destructor.
class JobThread
{
public:
    static JobThread *instance()
    {
        static JobThread *thread = create();
        return g_shutDown.load() ? nullptr : thread;
    }

    QObject *context() const { return m_context; }

private:
    static JobThread *create()
    {
        if (!QCoreApplication::instance())
            return nullptr;
        auto *jobThread = new JobThread;
        jobThread->m_thread.setObjectName(u"keychain"_s);
        jobThread->m_context = new QObject;
        jobThread->m_context->moveToThread(&jobThread->m_thread);
        QObject::connect(&jobThread->m_thread, &QThread::finished, jobThread->m_context, &QObject::deleteLater);
        jobThread->m_thread.start();
        s_running = jobThread;
        qAddPostRoutine(&JobThread::shutDown);
        return jobThread;
    }

    static void shutDown()
    {
        g_shutDown = true;
        JobThread *jobThread = s_running;
        if (!jobThread)
            return;
        jobThread->m_thread.quit();
        // A keychain stuck in a D-Bus call is left behind rather than holding up the exit.
        if (jobThread->m_thread.wait(2000))
            delete jobThread;
    }

    static inline JobThread *s_running = nullptr;
    QThread m_thread;
    QObject *m_context = nullptr;
};

KeychainJobs::Result translate(QKeychain::Job *job)
{
    KeychainJobs::Result result;
    result.message = job->errorString();
    switch (job->error()) {
    case QKeychain::NoError:
        result.status = KeychainJobs::Status::Ok;
        result.message.clear();
        if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(job))
            result.secret = read->textData();
        break;
    case QKeychain::EntryNotFound:
        result.status = KeychainJobs::Status::NotFound;
        break;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        result.status = KeychainJobs::Status::Denied;
        break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        result.status = KeychainJobs::Status::Unavailable;
        break;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        result.status = KeychainJobs::Status::Failed;
        break;
    }
    return result;
}

// Starts a job made by makeJob on the keychain thread and waits for it until the deadline.
KeychainJobs::Result run(const std::function<QKeychain::Job *()> &makeJob, int timeoutMs)
{
    KeychainJobs::Result unavailable;
    unavailable.status = KeychainJobs::Status::Unavailable;
    if (g_unavailable.load())
        return unavailable;

    QMutexLocker serial(&g_serial);
    JobThread *jobThread = JobThread::instance();
    if (g_unavailable.load() || !jobThread)
        return unavailable;

    auto pending = std::make_shared<Pending>();
    QMetaObject::invokeMethod(jobThread->context(), [pending, makeJob] {
        QKeychain::Job *job = makeJob();
        // Never QtKeychain's plain-text QSettings fallback: a key must not land in a file.
        job->setInsecureFallback(false);
        job->setAutoDelete(true);
        QObject::connect(job, &QKeychain::Job::finished, job, [pending](QKeychain::Job *finishedJob) {
            const KeychainJobs::Result result = translate(finishedJob);
            QMutexLocker lock(&pending->mutex);
            pending->result = result;
            pending->done = true;
            pending->finished.wakeAll();
        });
        job->start();
    }, Qt::QueuedConnection);

    QDeadlineTimer deadline(timeoutMs);
    QMutexLocker lock(&pending->mutex);
    while (!pending->done) {
        if (!pending->finished.wait(&pending->mutex, deadline))
            break;
    }
    if (!pending->done) {
        g_unavailable = true;
        unavailable.message = u"the system keychain did not answer within "_s + QString::number(timeoutMs)
                + u" ms"_s;
        return unavailable;
    }
    const KeychainJobs::Result result = pending->result;
    // Not found and denied are answers from a working keychain; anything else means there is
    // no usable keychain in this session, and asking again would only wait again.
    if (result.status == KeychainJobs::Status::Unavailable || result.status == KeychainJobs::Status::Failed)
        g_unavailable = true;
    return result;
}

} // namespace

KeychainJobs::Result KeychainJobs::read(const QString &service, const QString &account, int timeoutMs)
{
    return run([service, account]() -> QKeychain::Job * {
        auto *job = new QKeychain::ReadPasswordJob(service);
        job->setKey(account);
        return job;
    }, timeoutMs);
}

KeychainJobs::Result KeychainJobs::write(const QString &service, const QString &account, const QString &secret,
                                         int timeoutMs)
{
    return run([service, account, secret]() -> QKeychain::Job * {
        auto *job = new QKeychain::WritePasswordJob(service);
        job->setKey(account);
        job->setTextData(secret);
        return job;
    }, timeoutMs);
}

KeychainJobs::Result KeychainJobs::remove(const QString &service, const QString &account, int timeoutMs)
{
    return run([service, account]() -> QKeychain::Job * {
        auto *job = new QKeychain::DeletePasswordJob(service);
        job->setKey(account);
        return job;
    }, timeoutMs);
}

bool KeychainJobs::mayBeAvailable()
{
    return !g_unavailable.load() && !g_shutDown.load() && QCoreApplication::instance();
}
