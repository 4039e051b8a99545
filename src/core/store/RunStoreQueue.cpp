#include "store/RunStore.h"
#include "store/StoreQuery.h"
#include "store/StoreRows.h"

using namespace Qt::StringLiterals;
using namespace StoreQuery;
using namespace StoreRows;

// The queue of runs and the runs a user may resume. A queued run is an ordinary runs row whose
// status is "queued", so the queue needs no table of its own and survives a crash.

QVector<RunInfo> RunStore::runsWithStatus(const QString &status) const
{
    QVector<RunInfo> result;
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"listing %1 runs"_s.arg(status);
    // rowid keeps the order of runs queued within the same millisecond.
    if (!prepare(q, selectSql(u"runs"_s, runColumns()) % u" WHERE status = ? ORDER BY created_at, rowid"_s,
            what, m_lastError))
        return result;
    Binder(q) << status;
    if (!exec(q, what, m_lastError))
        return result;
    return readEach(q, [](Cursor &c) { return readRun(c, /*withData=*/false); });
}

bool RunStore::claimQueuedRun(const QString &id)
{
    const QString what = u"starting queued run %1"_s.arg(id);
    QSqlQuery q(connectionNamed(m_connection));
    // One statement: SQLite serialises writers, so only one claimant sees a changed row.
    if (!prepare(q, u"UPDATE runs SET status = ?, updated_at = ? WHERE id = ? AND status = ?"_s, what,
            m_lastError))
        return false;
    Binder(q) << RunStatus::Running << nowText() << id << RunStatus::Queued;
    if (!exec(q, what, m_lastError))
        return false;
    return q.numRowsAffected() > 0
        || failed(m_lastError, what, u"the run is no longer waiting in the queue"_s);
}

bool RunStore::removeQueuedRun(const QString &id)
{
    const QString what = u"removing queued run %1"_s.arg(id);
    QSqlQuery q(connectionNamed(m_connection));
    if (!prepare(q, u"DELETE FROM runs WHERE id = ? AND status = ?"_s, what, m_lastError))
        return false;
    Binder(q) << id << RunStatus::Queued;
    if (!exec(q, what, m_lastError))
        return false;
    return q.numRowsAffected() > 0
        || failed(m_lastError, what, u"the run is not queued (it started or was removed)"_s);
}

bool RunStore::setRunSettings(const QString &id, const QJsonObject &settings)
{
    const QString what = u"saving the settings of run %1"_s.arg(id);
    QSqlQuery q(connectionNamed(m_connection));
    if (!prepare(q, u"UPDATE runs SET settings_json = ?, updated_at = ? WHERE id = ?"_s, what,
            m_lastError))
        return false;
    Binder(q) << jsonText(settings) << nowText() << id;
    if (!exec(q, what, m_lastError))
        return false;
    return q.numRowsAffected() > 0 || failed(m_lastError, what, u"no such run"_s);
}
