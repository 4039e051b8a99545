#include "store/RunStore.h"
#include "store/StoreQuery.h"
#include "store/StoreRows.h"

using namespace Qt::StringLiterals;
using namespace StoreQuery;
using namespace StoreRows;

// Reads for the results matrix and the exports. The matrix asks for scores only (a long run has
// a row per sample and step) and for one cell's texts and calls when it is opened; the exports
// read everything once. The indexes sample_results_by_step and calls_by_step serve all of them.

QVector<RunStore::ResultScore> RunStore::resultScores(
    const QString &runId, const QString &split) const
{
    QVector<ResultScore> result;
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"reading the %1 scores of run %2"_s.arg(split, runId);
    if (!prepare(q,
            u"SELECT step, sample_index, line, score, error <> '' FROM sample_results "
            "WHERE run_id = ? AND split = ? ORDER BY sample_index, step, id"_s,
            what, m_lastError))
        return result;
    Binder(q) << runId << split;
    if (!exec(q, what, m_lastError))
        return result;
    while (q.next()) {
        Cursor c(q);
        ResultScore score;
        score.step = c.integer();
        score.sampleIndex = c.integer();
        score.line = c.integer();
        score.score = c.score();
        score.failed = c.flag();
        result.append(score);
    }
    return result;
}

SampleResult RunStore::sampleResult(
    const QString &runId, int step, const QString &split, int sampleIndex) const
{
    SampleResult result;
    result.sampleIndex = -1;
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"reading %1 sample %2 of step %3 of run %4"_s.arg(split)
                             .arg(sampleIndex)
                             .arg(step)
                             .arg(runId);
    if (!prepare(q,
            selectSql(u"sample_results"_s, sampleColumns())
                % u" WHERE run_id = ? AND step = ? AND split = ? AND sample_index = ? "
                  "ORDER BY id LIMIT 1"_s,
            what, m_lastError))
        return result;
    Binder(q) << runId << step << split << sampleIndex;
    if (exec(q, what, m_lastError) && q.next()) {
        Cursor c(q);
        result = readSample(c);
    }
    return result;
}

QVector<SampleResult> RunStore::allSampleResults(const QString &runId) const
{
    QVector<SampleResult> result;
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"reading the sample results of run %1"_s.arg(runId);
    if (!prepare(q,
            selectSql(u"sample_results"_s, sampleColumns())
                % u" WHERE run_id = ? ORDER BY CASE split WHEN 'validation' THEN 0 "
                  "WHEN 'train' THEN 1 WHEN 'test' THEN 2 ELSE 3 END, split, step, "
                  "sample_index, id"_s,
            what, m_lastError))
        return result;
    Binder(q) << runId;
    if (!exec(q, what, m_lastError))
        return result;
    return readEach(q, readSample);
}

QVector<StoredCall> RunStore::sampleCalls(
    const QString &runId, int step, const QString &split, int sampleIndex) const
{
    QVector<StoredCall> result;
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"reading the calls for %1 sample %2 of step %3 of run %4"_s.arg(split)
                             .arg(sampleIndex)
                             .arg(step)
                             .arg(runId);
    if (!prepare(q,
            selectSql(u"calls"_s, callColumns() + QStringList { u"id"_s })
                % u" WHERE run_id = ? AND step = ? AND split = ? AND sample_index = ? "
                  "ORDER BY id"_s,
            what, m_lastError))
        return result;
    Binder(q) << runId << step << split << sampleIndex;
    if (!exec(q, what, m_lastError))
        return result;
    return readStoredCalls(q);
}

QVector<RunStore::SampleCallTotals> RunStore::sampleCallTotals(
    const QString &runId, const QString &split) const
{
    // As in callTotals(): a cached hit was not sent, so it adds no call, token or cost; a NULL
    // cost_usd is a call of unknown price.
    QVector<SampleCallTotals> result;
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"totalling the %1 calls per sample of run %2"_s.arg(split, runId);
    if (!prepare(q,
            u"SELECT step, sample_index, COUNT(*), TOTAL(prompt_tokens), "
            "TOTAL(completion_tokens), TOTAL(latency_ms), TOTAL(cost_usd), "
            "SUM(cost_usd IS NULL) FROM calls "
            "WHERE run_id = ? AND split = ? AND sample_index >= 0 AND cached = 0 "
            "GROUP BY step, sample_index ORDER BY step, sample_index"_s,
            what, m_lastError))
        return result;
    Binder(q) << runId << split;
    if (!exec(q, what, m_lastError))
        return result;
    while (q.next()) {
        SampleCallTotals totals;
        totals.step = q.value(0).toInt();
        totals.sampleIndex = q.value(1).toInt();
        totals.calls = q.value(2).toInt();
        totals.promptTokens = qint64(q.value(3).toDouble());
        totals.completionTokens = qint64(q.value(4).toDouble());
        totals.latencyMs = qint64(q.value(5).toDouble());
        totals.costUsd = q.value(6).toDouble();
        totals.unknownCostCalls = q.value(7).toInt();
        result.append(totals);
    }
    return result;
}
