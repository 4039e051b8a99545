#include "store/RunStore.h"

#include "store/StoreQuery.h"

#include <QFileInfo>
#include <QSqlQuery>

using namespace Qt::StringLiterals;
using namespace StoreQuery;

bool RunStore::removePipeline(qint64 id)
{
    const QString what = u"removing pipeline %1"_s.arg(id);
    QSqlQuery q(connectionNamed(m_connection));
    if (!prepare(q, u"DELETE FROM pipelines WHERE id = ?"_s, what, m_lastError))
        return false;
    q.addBindValue(id);
    if (!exec(q, what, m_lastError))
        return false;
    return q.numRowsAffected() > 0 || failed(m_lastError, what, u"there is no such pipeline"_s);
}

namespace {

qint64 latestId(const QString &connection, const QString &table, QString &lastError)
{
    const QString what = u"finding the latest row of %1"_s.arg(table);
    QSqlQuery q(connectionNamed(connection));
    // updated_at is ISO text with milliseconds; id breaks ties between saves in the same ms.
    if (!prepare(q, u"SELECT id FROM "_s + table + u" ORDER BY updated_at DESC, id DESC LIMIT 1"_s,
            what, lastError)
        || !exec(q, what, lastError) || !q.next())
        return 0;
    return q.value(0).toLongLong();
}

} // namespace

qint64 RunStore::latestPipelineId() const
{
    return latestId(m_connection, u"pipelines"_s, m_lastError);
}

qint64 RunStore::latestDatasetId() const
{
    return latestId(m_connection, u"datasets"_s, m_lastError);
}

bool RunStore::copyTo(const QString &path, QString *error)
{
    const QString what = u"copying project file %1 to %2"_s.arg(m_path, path);
    QSqlQuery q(connectionNamed(m_connection));
    // VACUUM INTO reads through this connection, so the copy includes pages still in the WAL and
    // comes out defragmented; copying the file itself would miss them.
    const bool ok = QFileInfo::exists(path)
        ? failed(m_lastError, what, u"the target exists"_s)
        : prepare(q, u"VACUUM INTO ?"_s, what, m_lastError)
            && (q.addBindValue(path), exec(q, what, m_lastError));
    if (!ok && error)
        *error = m_lastError;
    return ok;
}
