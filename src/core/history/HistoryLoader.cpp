#include "history/HistoryLoader.h"

using namespace Qt::StringLiterals;

HistoryLoader::HistoryLoader(QObject *parent)
    : QObject(parent)
{
    m_browseThread.setObjectName(u"history-browse"_s);
    m_searchThread.setObjectName(u"history-search"_s);
    m_browse = new HistoryWorker;
    m_search = new HistoryWorker;
    m_browse->moveToThread(&m_browseThread);
    m_search->moveToThread(&m_searchThread);
    // Each worker is deleted on its own thread, after the queries queued before it.
    connect(&m_browseThread, &QThread::finished, m_browse, &QObject::deleteLater);
    connect(&m_searchThread, &QThread::finished, m_search, &QObject::deleteLater);
    m_browseThread.start();
    m_searchThread.start();
}

HistoryLoader::~HistoryLoader()
{
    // Queries still queued are dropped; each worker (and its connection) is then deleted on
    // its own thread as that thread finishes.
    m_browseThread.quit();
    m_searchThread.quit();
    m_browseThread.wait();
    m_searchThread.wait();
}

void HistoryLoader::setStorePath(const QString &path)
{
    m_path = path;
    for (HistoryWorker *worker : { m_browse, m_search }) {
        QMetaObject::invokeMethod(
            worker, [worker, path] { worker->setStorePath(path); }, Qt::QueuedConnection);
    }
}

HistoryWorker *HistoryLoader::workerFor(Lane lane) const
{
    return lane == Lane::Search ? m_search : m_browse;
}
