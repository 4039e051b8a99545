#include "store/RunStore.h"
#include "store/StoreQuery.h"
#include "store/StoreRows.h"

using namespace Qt::StringLiterals;
using namespace StoreQuery;
using namespace StoreRows;

// Queries behind the score curves and the comparison of runs.

QVector<StepUsage> RunStore::stepUsage(const QString &runId) const
{
    QVector<StepUsage> result;
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"totalling the calls of run %1 by step"_s.arg(runId);
    if (!prepare(q,
            u"SELECT step, purpose = 'test', SUM(cached = 0), SUM(cached <> 0), "
            "SUM(CASE WHEN cached = 0 THEN prompt_tokens ELSE 0 END), "
            "SUM(CASE WHEN cached = 0 THEN completion_tokens ELSE 0 END), "
            "TOTAL(CASE WHEN cached = 0 THEN cost_usd END), "
            "SUM(cached = 0 AND cost_usd IS NULL) "
            "FROM calls WHERE run_id = ? GROUP BY step, purpose = 'test' ORDER BY step, 2"_s,
            what, m_lastError))
        return result;
    Binder(q) << runId;
    if (!exec(q, what, m_lastError))
        return result;
    while (q.next()) {
        StepUsage usage;
        usage.step = q.value(0).toInt();
        usage.test = q.value(1).toInt() != 0;
        usage.calls = q.value(2).toInt();
        usage.cached = q.value(3).toInt();
        usage.promptTokens = q.value(4).toLongLong();
        usage.completionTokens = q.value(5).toLongLong();
        usage.costUsd = q.value(6).toDouble();
        usage.unknownCostCalls = q.value(7).toInt();
        result.append(usage);
    }
    return result;
}
