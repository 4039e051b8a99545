#include "history/HistoryWorker.h"

using namespace Qt::StringLiterals;

HistoryWorker::HistoryWorker(QObject *parent)
    : QObject(parent)
{
}

HistoryWorker::~HistoryWorker() = default;

void HistoryWorker::setStorePath(const QString &path)
{
    if (path == m_path)
        return;
    m_store.close();
    m_path = path;
}

RunStore *HistoryWorker::store(QString *error)
{
    if (m_path.isEmpty()) {
        *error = u"no project file is open"_s;
        return nullptr;
    }
    if (!m_store.isOpen() && !m_store.open(m_path, error))
        return nullptr;
    return &m_store;
}
