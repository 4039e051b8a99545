#include "history/RunList.h"

#include "store/RunStore.h"

using namespace Qt::StringLiterals;

namespace RunList {

QVector<RunRow> load(const QString &projectPath, QString *error)
{
    QVector<RunRow> rows;
    RunStore store;
    if (!store.open(projectPath, error))
        return rows;
    const QVector<RunInfo> runs = store.runs();
    rows.reserve(runs.size());
    for (const RunInfo &run : runs) {
        RunRow row;
        row.id = run.id;
        row.pipelineName = run.pipelineName;
        row.mode = run.settings.value(u"mode"_s).toString(u"optimize"_s);
        row.status = run.status;
        row.error = run.error;
        row.createdAt = run.createdAt;
        row.updatedAt = run.updatedAt;
        row.initialValScore = run.initialValScore;
        const QVector<StepRecord> steps = store.steps(run.id);
        row.steps = steps.size();
        if (!steps.isEmpty())
            row.bestValScore = steps.constLast().bestValScore;
        if (!hasScore(row.bestValScore))
            row.bestValScore = run.initialValScore;
        row.testScore = store.testScore(run.id);
        const CallTotals totals = store.callTotals(run.id);
        row.calls = totals.total;
        row.cachedCalls = totals.cached;
        row.tokens = totals.promptTokens + totals.completionTokens;
        row.costUsd = totals.costUsd;
        row.unknownCostCalls = totals.unknownCostCalls;
        rows << row;
    }
    return rows;
}

} // namespace RunList
