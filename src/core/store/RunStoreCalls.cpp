#include "store/RunStore.h"
#include "store/StoreQuery.h"
#include "store/StoreRows.h"

using namespace Qt::StringLiterals;
using namespace StoreQuery;
using namespace StoreRows;

// The call log: the part of the store written most often (every HTTP attempt) and browsed in
// pages, so writes are batched and reads are keyset-paged.

QVector<qint64> RunStore::appendCalls(const QVector<CallRecord> &calls)
{
    QVector<qint64> ids;
    if (calls.isEmpty())
        return ids;
    const QString what = u"recording %1 provider calls"_s.arg(calls.size());
    QSqlDatabase db = connectionNamed(m_connection);
    WriteTransaction tx(db);
    if (!tx.begin(what, m_lastError))
        return ids;
    QSqlQuery q(db);
    if (!prepare(q, insertSql(u"calls"_s, callColumns()), what, m_lastError))
        return ids;
    ids.reserve(calls.size());
    for (const CallRecord &call : calls) {
        Binder b(q);
        bindCall(b, call);
        if (!exec(q, what, m_lastError))
            return {};
        ids.append(q.lastInsertId().toLongLong());
    }
    q.finish();
    if (!tx.commit(what, m_lastError))
        return {};
    return ids;
}

QVector<CallRecord> RunStore::calls(const QString &runId) const
{
    QVector<CallRecord> result;
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"reading the calls of run %1"_s.arg(runId);
    if (!prepare(q, selectSql(u"calls"_s, callColumns()) % u" WHERE run_id = ? ORDER BY id"_s, what,
            m_lastError))
        return result;
    Binder(q) << runId;
    if (!exec(q, what, m_lastError))
        return result;
    return readEach(q, readCall);
}

QVector<StoredCall> RunStore::callsAfter(const QString &runId, qint64 afterId, int limit) const
{
    QVector<StoredCall> result;
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"reading calls of run %1 after %2"_s.arg(runId).arg(afterId);
    if (!prepare(q,
            selectSql(u"calls"_s, callColumns() + QStringList { u"id"_s })
                % u" WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?"_s,
            what, m_lastError))
        return result;
    Binder(q) << runId << afterId << qMax(0, limit);
    if (!exec(q, what, m_lastError))
        return result;
    return readStoredCalls(q);
}

CallTotals RunStore::callTotals(const QString &runId) const
{
    // Cached hits cost nothing, so they count apart and add no tokens or cost; errors count
    // wherever they happened. A NULL cost_usd is a call of unknown price.
    CallTotals totals;
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"totalling the calls of run %1"_s.arg(runId);
    if (!prepare(q,
            u"SELECT purpose, cached, COUNT(*), SUM(prompt_tokens), "
            "SUM(completion_tokens), SUM(error <> ''), TOTAL(cost_usd), "
            "SUM(cost_usd IS NULL) FROM calls WHERE run_id = ? "
            "GROUP BY purpose, cached"_s,
            what, m_lastError))
        return totals;
    Binder(q) << runId;
    if (!exec(q, what, m_lastError))
        return totals;
    while (q.next()) {
        const QString purpose = q.value(0).toString();
        const bool cached = q.value(1).toInt() != 0;
        const int count = q.value(2).toInt();
        totals.errors += q.value(5).toInt();
        if (cached) {
            totals.cached += count;
            continue;
        }
        totals.total += count;
        totals.byPurpose[purpose] += count;
        totals.promptTokens += q.value(3).toLongLong();
        totals.completionTokens += q.value(4).toLongLong();
        totals.costUsd += q.value(6).toDouble();
        totals.costByPurpose[purpose] += q.value(6).toDouble();
        totals.unknownCostCalls += q.value(7).toInt();
    }
    return totals;
}
