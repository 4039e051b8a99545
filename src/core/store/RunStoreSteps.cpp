#include "store/RunStore.h"
#include "store/StoreQuery.h"
#include "store/StoreRows.h"

#include <QHash>

using namespace Qt::StringLiterals;
using namespace StoreQuery;
using namespace StoreRows;

// ---- steps -----------------------------------------------------------------------------------

namespace {

// Prepares one INSERT and runs it once per row; bindRow binds a row's values in column order.
template <typename Row, typename BindRow>
bool insertEach(QSqlQuery &q, const QString &table, const QStringList &columns,
                const QVector<Row> &rows, const BindRow &bindRow, const QString &what,
                QString &lastError)
{
    if (!prepare(q, insertSql(table, columns), what, lastError))
        return false;
    for (const Row &row : rows) {
        Binder b(q);
        bindRow(b, row);
        if (!exec(q, what, lastError))
            return false;
    }
    return true;
}

} // namespace

bool RunStore::saveStep(const QString &runId, const StepRecord &step)
{
    const QString what = u"saving step %1 of run %2"_s.arg(step.step).arg(runId);
    QSqlDatabase db = connectionNamed(m_connection);
    WriteTransaction tx(db);
    if (!tx.begin(what, m_lastError))
        return false;

    // A step saved again replaces the old one; the foreign keys cascade to its rows.
    QSqlQuery q(db);
    if (!prepare(q, u"DELETE FROM steps WHERE run_id = ? AND step = ?"_s, what, m_lastError))
        return false;
    Binder(q) << runId << step.step;
    if (!exec(q, what, m_lastError))
        return false;

    if (!prepare(q, insertSql(u"steps"_s, QStringList { u"run_id"_s } + stepColumns()), what,
            m_lastError))
        return false;
    {
        Binder b(q);
        b << runId;
        bindStep(b, step);
    }
    if (!exec(q, what, m_lastError))
        return false;

    // Rows of a step carry the step's number whatever their own field says: they are the step.
    const QStringList byRun { u"run_id"_s };
    const QStringList byRunAndStep { u"run_id"_s, u"owner_step"_s };
    const bool rowsSaved
        = insertEach(q, u"prompt_versions"_s, byRun + versionColumns(), step.versions,
              [&](Binder &b, PromptVersion version) {
                  version.step = step.step;
                  b << runId;
                  bindVersion(b, version);
              },
              what, m_lastError)
        && insertEach(q, u"sample_results"_s, byRunAndStep + sampleColumns(), step.samples,
              [&](Binder &b, SampleResult sample) {
                  sample.step = step.step;
                  b << runId << step.step;
                  bindSample(b, sample);
              },
              what, m_lastError)
        && insertEach(q, u"gradients"_s, byRun + gradientColumns(), step.gradients,
              [&](Binder &b, GradientRecord gradient) {
                  gradient.step = step.step;
                  b << runId;
                  bindGradient(b, gradient);
              },
              what, m_lastError)
        && insertEach(q, u"events"_s, byRunAndStep + eventColumns(), step.events,
              [&](Binder &b, RunEvent event) {
                  event.step = step.step;
                  b << runId << step.step;
                  bindEvent(b, event);
              },
              what, m_lastError);
    if (!rowsSaved)
        return false;
    q.finish();
    return tx.commit(what, m_lastError);
}

QVector<StepRecord> RunStore::steps(const QString &runId, bool withDetails) const
{
    QVector<StepRecord> result;
    QSqlDatabase db = connectionNamed(m_connection);
    QSqlQuery q(db);
    const QString what = u"reading the steps of run %1"_s.arg(runId);
    if (!prepare(q, selectSql(u"steps"_s, stepColumns()) % u" WHERE run_id = ? ORDER BY step"_s,
            what, m_lastError))
        return result;
    Binder(q) << runId;
    if (!exec(q, what, m_lastError))
        return result;
    result = readEach(q, readStep);
    if (!withDetails || result.isEmpty())
        return result;

    // One query per kind of detail for the whole run, rather than four per step.
    QHash<int, int> indexOfStep;
    for (int i = 0; i < result.size(); ++i)
        indexOfStep.insert(result.at(i).step, i);
    auto stepFor = [&](int number) -> StepRecord * {
        const auto it = indexOfStep.constFind(number);
        return it == indexOfStep.constEnd() ? nullptr : &result[it.value()];
    };

    const QVector<PromptVersion> versions = promptVersions(runId);
    for (const PromptVersion &version : versions) {
        if (StepRecord *step = stepFor(version.step))
            step->versions.append(version);
    }
    const QVector<GradientRecord> allGradients = gradients(runId);
    for (const GradientRecord &gradient : allGradients) {
        if (StepRecord *step = stepFor(gradient.step))
            step->gradients.append(gradient);
    }

    if (!prepare(q,
            selectSql(u"sample_results"_s, sampleColumns())
                % u" WHERE run_id = ? AND owner_step IS NOT NULL ORDER BY step, id"_s,
            what, m_lastError))
        return result;
    Binder(q) << runId;
    if (exec(q, what, m_lastError)) {
        while (q.next()) {
            Cursor c(q);
            SampleResult sample = readSample(c);
            if (StepRecord *step = stepFor(sample.step))
                step->samples.append(sample);
        }
    }

    if (!prepare(q,
            selectSql(u"events"_s, eventColumns())
                % u" WHERE run_id = ? AND owner_step IS NOT NULL ORDER BY step, id"_s,
            what, m_lastError))
        return result;
    Binder(q) << runId;
    if (exec(q, what, m_lastError)) {
        while (q.next()) {
            Cursor c(q);
            RunEvent event = readEvent(c);
            if (StepRecord *step = stepFor(event.step))
                step->events.append(event);
        }
    }
    return result;
}

QVector<GradientRecord> RunStore::gradients(const QString &runId, int step) const
{
    QVector<GradientRecord> result;
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"reading the gradients of run %1"_s.arg(runId);
    const QString where = step < 0 ? u" WHERE run_id = ? ORDER BY step, id"_s
                                   : u" WHERE run_id = ? AND step = ? ORDER BY id"_s;
    if (!prepare(q, selectSql(u"gradients"_s, gradientColumns()) % where, what, m_lastError))
        return result;
    Binder b(q);
    b << runId;
    if (step >= 0)
        b << step;
    if (!exec(q, what, m_lastError))
        return result;
    return readEach(q, readGradient);
}

QVector<PromptVersion> RunStore::promptVersions(const QString &runId) const
{
    QVector<PromptVersion> result;
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"reading the prompt versions of run %1"_s.arg(runId);
    if (!prepare(q,
            selectSql(u"prompt_versions"_s, versionColumns())
                % u" WHERE run_id = ? ORDER BY step, id"_s,
            what, m_lastError))
        return result;
    Binder(q) << runId;
    if (!exec(q, what, m_lastError))
        return result;
    return readEach(q, readVersion);
}

// ---- results and events outside steps ---------------------------------------------------------

bool RunStore::saveSampleResults(const QString &runId, const QVector<SampleResult> &results)
{
    const QString what = u"saving %1 sample results of run %2"_s.arg(results.size()).arg(runId);
    QSqlDatabase db = connectionNamed(m_connection);
    WriteTransaction tx(db);
    if (!tx.begin(what, m_lastError))
        return false;
    QSqlQuery q(db);
    const auto bindRow = [&](Binder &b, const SampleResult &sample) {
        b << runId;
        bindSample(b, sample);
    };
    if (!insertEach(q, u"sample_results"_s, QStringList { u"run_id"_s } + sampleColumns(), results,
            bindRow, what, m_lastError))
        return false;
    q.finish();
    return tx.commit(what, m_lastError);
}

QVector<SampleResult> RunStore::sampleResults(
    const QString &runId, int step, const QString &split) const
{
    QVector<SampleResult> result;
    QSqlQuery q(connectionNamed(m_connection));
    const QString what
        = u"reading the %1 results of step %2 of run %3"_s.arg(split).arg(step).arg(runId);
    if (!prepare(q,
            selectSql(u"sample_results"_s, sampleColumns())
                % u" WHERE run_id = ? AND step = ? AND split = ? ORDER BY sample_index, id"_s,
            what, m_lastError))
        return result;
    Binder(q) << runId << step << split;
    if (!exec(q, what, m_lastError))
        return result;
    return readEach(q, readSample);
}

bool RunStore::saveEvents(const QString &runId, const QVector<RunEvent> &events)
{
    const QString what = u"saving %1 events of run %2"_s.arg(events.size()).arg(runId);
    QSqlDatabase db = connectionNamed(m_connection);
    WriteTransaction tx(db);
    if (!tx.begin(what, m_lastError))
        return false;
    QSqlQuery q(db);
    const auto bindRow = [&](Binder &b, const RunEvent &event) {
        b << runId;
        bindEvent(b, event);
    };
    if (!insertEach(q, u"events"_s, QStringList { u"run_id"_s } + eventColumns(), events, bindRow,
            what, m_lastError))
        return false;
    q.finish();
    return tx.commit(what, m_lastError);
}

QVector<RunEvent> RunStore::events(const QString &runId) const
{
    QVector<RunEvent> result;
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"reading the events of run %1"_s.arg(runId);
    if (!prepare(q,
            selectSql(u"events"_s, eventColumns()) % u" WHERE run_id = ? ORDER BY step, id"_s, what,
            m_lastError))
        return result;
    Binder(q) << runId;
    if (!exec(q, what, m_lastError))
        return result;
    return readEach(q, readEvent);
}
