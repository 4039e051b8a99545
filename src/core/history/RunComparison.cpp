#include "history/RunComparison.h"

#include "store/RunStore.h"
#include "training/RunSummary.h"

#include <QJsonArray>
#include <QHash>
#include <QMap>
#include <QSet>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

// Scores closer than this are the same score (judges' weighted means are not exact).
constexpr double kTieTolerance = 1e-9;

double jsonScore(const QJsonValue &value)
{
    return value.isDouble() ? value.toDouble() : noScore();
}

double meanScore(const QVector<SampleResult> &samples)
{
    if (samples.isEmpty())
        return noScore();
    double sum = 0.0;
    for (const SampleResult &s : samples)
        sum += s.score;
    return sum / samples.size();
}

// The results of a split scored with the run's final values. Test is evaluated once, after the
// last step. Validation results of the final values are those of the last accepted step that
// was validated, or the initial validation when no step was kept.
QVector<SampleResult> finalResults(const RunStore &store, const QString &runId,
                                   const QString &split)
{
    const QVector<StepRecord> steps = store.steps(runId);
    if (split == u"test"_s)
        return store.sampleResults(runId, steps.isEmpty() ? 0 : steps.constLast().step, split);
    for (auto it = steps.crbegin(); it != steps.crend(); ++it) {
        if (!it->accepted || !hasScore(it->valScore))
            continue;
        const QVector<SampleResult> results = store.sampleResults(runId, it->step, split);
        if (!results.isEmpty())
            return results;
    }
    return store.sampleResults(runId, 0, split);
}

// The value the objective scored: the first of its inputs that the pipeline computed.
QString scoredOutput(const QJsonObject &pipeline, const SampleResult &result)
{
    const QString objective = pipeline.value(u"objective"_s).toString();
    QHash<QString, QJsonObject> nodes;
    for (const QJsonValue &n : pipeline.value(u"nodes"_s).toArray())
        nodes.insert(n.toObject().value(u"id"_s).toString(), n.toObject());
    const QJsonObject inputs = nodes.value(objective).value(u"inputs"_s).toObject();
    for (auto it = inputs.constBegin(); it != inputs.constEnd(); ++it) {
        const QString source = it.value().toString();
        if (nodes.value(source).value(u"type"_s).toString() != u"input"_s
            && result.outputs.contains(source))
            return result.outputs.value(source).toString();
    }
    return {};
}

// "name: value" per field of a data row: the fields the pipeline reads first, in its node
// order, then the others.
QString describeRow(const QJsonObject &pipeline, const QJsonObject &row)
{
    const QJsonObject fields = row.value(u"fields"_s).toObject();
    QStringList order;
    for (const QJsonValue &n : pipeline.value(u"nodes"_s).toArray()) {
        const QJsonObject node = n.toObject();
        const QString field = node.value(u"field"_s).toString();
        if (node.value(u"type"_s).toString() == u"input"_s && fields.contains(field)
            && !order.contains(field))
            order.append(field);
    }
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it) {
        if (!order.contains(it.key()))
            order.append(it.key());
    }
    QStringList lines;
    for (const QString &field : std::as_const(order))
        lines.append(field % u": "_s % fields.value(field).toVariant().toString());
    return lines.join(u'\n');
}

RunFigures figuresOf(const RunStore &store, const QString &runId)
{
    const RunInfo info = store.run(runId);
    const QJsonObject summary = RunSummary::build(store, runId);
    RunFigures f;
    f.runId = runId;
    f.label = info.pipelineName.isEmpty() ? runId : QString(info.pipelineName % u" · "_s % runId);
    f.status = info.status;
    f.initialValScore = jsonScore(summary.value(u"initialValScore"_s));
    f.finalValScore = jsonScore(summary.value(u"finalValScore"_s));
    f.testScore = jsonScore(summary.value(u"testScore"_s));
    f.steps = int(summary.value(u"steps"_s).toArray().size());
    f.calls = summary.value(u"calls"_s).toObject().value(u"total"_s).toInt();
    const QJsonObject cost = summary.value(u"cost"_s).toObject();
    f.costUsd = cost.value(u"total"_s).toDouble();
    f.unknownCostCalls = cost.value(u"unknownCalls"_s).toInt();
    return f;
}

QMap<QString, QString> finalParameters(const RunStore &store, const QString &runId)
{
    QMap<QString, QString> values;
    const QJsonObject params
        = RunSummary::build(store, runId).value(u"finalParameters"_s).toObject();
    for (auto it = params.constBegin(); it != params.constEnd(); ++it)
        values.insert(it.key(), it.value().toString());
    return values;
}

} // namespace

RunComparison RunComparison::compare(const RunStore &store, const QString &baselineRunId,
                                     const QString &candidateRunId, const QString &split)
{
    RunComparison c;
    c.baseline = figuresOf(store, baselineRunId);
    c.candidate = figuresOf(store, candidateRunId);

    const QMap<QString, QString> a = finalParameters(store, baselineRunId);
    const QMap<QString, QString> b = finalParameters(store, candidateRunId);
    QStringList nodes = a.keys();
    for (const QString &node : b.keys()) {
        if (!a.contains(node))
            nodes.append(node);
    }
    nodes.sort();
    for (const QString &node : std::as_const(nodes))
        c.prompts.append(PromptPair { node, a.value(node), b.value(node) });

    QVector<SampleResult> resultsA;
    QVector<SampleResult> resultsB;
    const auto loadSplit = [&](const QString &name) {
        c.split = name;
        resultsA = finalResults(store, baselineRunId, name);
        resultsB = finalResults(store, candidateRunId, name);
    };
    loadSplit(split.isEmpty() ? u"test"_s : split);
    if (split.isEmpty() && (resultsA.isEmpty() || resultsB.isEmpty()))
        loadSplit(u"validation"_s);
    if (resultsA.isEmpty() && resultsB.isEmpty()) {
        c.note = u"Neither run has %1 results to compare sample by sample."_s.arg(c.split);
        c.split.clear();
        return c;
    }

    const RunInfo infoA = store.run(baselineRunId);
    const RunInfo infoB = store.run(candidateRunId);
    const QJsonArray rowsA = infoA.data.value(c.split).toArray();
    const QJsonArray rowsB = infoB.data.value(c.split).toArray();

    QMap<int, SampleComparison> byIndex;
    QVector<SampleResult> matchedA;
    QVector<SampleResult> matchedB;
    QSet<int> inB;
    for (const SampleResult &r : std::as_const(resultsB))
        inB.insert(r.sampleIndex);
    QSet<int> inA;
    for (const SampleResult &r : std::as_const(resultsA)) {
        inA.insert(r.sampleIndex);
        SampleComparison &s = byIndex[r.sampleIndex];
        s.sampleIndex = r.sampleIndex;
        s.line = r.line;
        s.baselineScore = r.score;
        s.baselineOutput = scoredOutput(infoA.pipeline, r);
        s.baselineEvaluation = r.error.isEmpty() ? r.evaluation : r.error;
        s.input = describeRow(infoA.pipeline, rowsA.at(r.sampleIndex).toObject());
        if (inB.contains(r.sampleIndex))
            matchedA.append(r);
    }
    for (const SampleResult &r : std::as_const(resultsB)) {
        SampleComparison &s = byIndex[r.sampleIndex];
        s.sampleIndex = r.sampleIndex;
        if (!inA.contains(r.sampleIndex)) {
            s.line = r.line;
            s.input = describeRow(infoB.pipeline, rowsB.at(r.sampleIndex).toObject());
        } else {
            matchedB.append(r);
            if (rowsA.at(r.sampleIndex).toObject().value(u"fields"_s)
                != rowsB.at(r.sampleIndex).toObject().value(u"fields"_s))
                c.sameInputs = false;
        }
        s.candidateScore = r.score;
        s.candidateOutput = scoredOutput(infoB.pipeline, r);
        s.candidateEvaluation = r.error.isEmpty() ? r.evaluation : r.error;
    }

    for (SampleComparison &s : byIndex) {
        if (!inA.contains(s.sampleIndex)) {
            s.verdict = SampleVerdict::OnlyCandidate;
            ++c.unmatched;
        } else if (!inB.contains(s.sampleIndex)) {
            s.verdict = SampleVerdict::OnlyBaseline;
            ++c.unmatched;
        } else if (std::abs(s.candidateScore - s.baselineScore) <= kTieTolerance) {
            s.verdict = SampleVerdict::Tie;
            ++c.ties;
        } else if (s.candidateScore > s.baselineScore) {
            s.verdict = SampleVerdict::Win;
            ++c.wins;
        } else {
            s.verdict = SampleVerdict::Loss;
            ++c.losses;
        }
        c.samples.append(s);
    }
    c.baseline.splitMean = meanScore(matchedA);
    c.candidate.splitMean = meanScore(matchedB);
    return c;
}

QString RunComparison::verdictName(SampleVerdict verdict)
{
    switch (verdict) {
    case SampleVerdict::Win: return u"better"_s;
    case SampleVerdict::Loss: return u"worse"_s;
    case SampleVerdict::Tie: return u"same"_s;
    case SampleVerdict::OnlyBaseline: return u"only in A"_s;
    case SampleVerdict::OnlyCandidate: return u"only in B"_s;
    }
    return {};
}
