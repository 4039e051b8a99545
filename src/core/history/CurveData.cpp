#include "history/CurveData.h"

#include <algorithm>

using namespace Qt::StringLiterals;

CurveData CurveData::load(const RunStore &store, const QString &runId)
{
    return build(store.run(runId), store.steps(runId), store.stepUsage(runId),
                 store.testScore(runId));
}

CurveData CurveData::build(const RunInfo &run, const QVector<StepRecord> &steps,
                           const QVector<StepUsage> &usage, double testScore)
{
    CurveData data;
    data.m_runId = run.id;
    data.m_label = run.pipelineName.isEmpty() ? run.id : QString(run.pipelineName % u" · "_s % run.id);
    data.m_testScore = testScore;

    if (hasScore(run.initialValScore)) {
        CurvePoint initial;
        initial.valScore = run.initialValScore;
        initial.bestValScore = run.initialValScore;
        data.m_points.append(initial);
    }
    for (const StepRecord &step : steps) {
        if (step.step <= 0)
            continue;
        CurvePoint point;
        point.step = step.step;
        point.epoch = step.epoch;
        point.trainScore = step.trainScore;
        point.valScore = step.valScore;
        point.bestValScore = step.bestValScore;
        point.accepted = step.accepted;
        data.m_points.append(point);
    }

    // Usage rows come in step order; each point gets everything spent up to its step. Calls of a
    // step that is still running (no step row yet) count in the totals only.
    int next = 0;
    double cost = 0.0;
    qint64 tokens = 0;
    int unknown = 0;
    for (const StepUsage &u : usage) {
        const qint64 uTokens = u.promptTokens + u.completionTokens;
        data.m_totalCostUsd += u.costUsd;
        data.m_totalTokens += uTokens;
        data.m_unknownCostCalls += u.unknownCostCalls;
        if (u.test)
            continue;
        while (next < data.m_points.size() && data.m_points.at(next).step < u.step) {
            CurvePoint &p = data.m_points[next++];
            p.costUsd = cost;
            p.tokens = tokens;
            p.unknownCostCalls = unknown;
        }
        cost += u.costUsd;
        tokens += uTokens;
        unknown += u.unknownCostCalls;
    }
    for (; next < data.m_points.size(); ++next) {
        CurvePoint &p = data.m_points[next];
        p.costUsd = cost;
        p.tokens = tokens;
        p.unknownCostCalls = unknown;
    }
    return data;
}

void CurveData::appendStep(const StepRecord &step)
{
    if (step.step <= 0)
        return;
    CurvePoint point;
    point.step = step.step;
    point.epoch = step.epoch;
    point.trainScore = step.trainScore;
    point.valScore = step.valScore;
    point.bestValScore = step.bestValScore;
    point.accepted = step.accepted;
    const auto at = std::find_if(m_points.begin(), m_points.end(),
                                 [&](const CurvePoint &p) { return p.step >= step.step; });
    // Spending carries over from the step before; the next load() brings the real figures.
    if (at != m_points.begin()) {
        const CurvePoint &before = *(at - 1);
        point.costUsd = before.costUsd;
        point.tokens = before.tokens;
        point.unknownCostCalls = before.unknownCostCalls;
    }
    if (at != m_points.end() && at->step == step.step)
        *at = point;
    else
        m_points.insert(at, point);
}

const CurvePoint *CurveData::point(int step) const
{
    for (const CurvePoint &p : m_points) {
        if (p.step == step)
            return &p;
    }
    return nullptr;
}

double CurveData::xOf(const CurvePoint &point, CurveAxis axis) const
{
    switch (axis) {
    case CurveAxis::Step: return point.step;
    case CurveAxis::Cost: return point.costUsd;
    case CurveAxis::Tokens: return double(point.tokens);
    }
    return point.step;
}

double CurveData::testX(CurveAxis axis) const
{
    switch (axis) {
    case CurveAxis::Step: return lastStep();
    case CurveAxis::Cost: return m_totalCostUsd;
    case CurveAxis::Tokens: return double(m_totalTokens);
    }
    return lastStep();
}

CurveSeries CurveData::train(CurveAxis axis) const
{
    CurveSeries series;
    for (const CurvePoint &p : m_points) {
        if (p.step > 0 && hasScore(p.trainScore))
            series.append(xOf(p, axis), p.trainScore, p.step);
    }
    return series;
}

CurveSeries CurveData::validation(CurveAxis axis) const
{
    CurveSeries series;
    for (const CurvePoint &p : m_points) {
        if (hasScore(p.valScore))
            series.append(xOf(p, axis), p.valScore, p.step);
    }
    return series;
}

CurveSeries CurveData::acceptedSteps(CurveAxis axis) const
{
    CurveSeries series;
    for (const CurvePoint &p : m_points) {
        if (p.step > 0 && p.accepted && hasScore(p.valScore))
            series.append(xOf(p, axis), p.valScore, p.step);
    }
    return series;
}

CurveSeries CurveData::rejectedSteps(CurveAxis axis) const
{
    CurveSeries series;
    for (const CurvePoint &p : m_points) {
        if (p.step > 0 && !p.accepted && hasScore(p.valScore))
            series.append(xOf(p, axis), p.valScore, p.step);
    }
    return series;
}

CurveSeries CurveData::bestSoFar(CurveAxis axis) const
{
    // The stored gating reference when there is one; without gating (validation "none") the
    // best validation score seen so far.
    CurveSeries series;
    double best = noScore();
    for (const CurvePoint &p : m_points) {
        if (hasScore(p.bestValScore))
            best = p.bestValScore;
        else if (hasScore(p.valScore))
            best = hasScore(best) ? std::max(best, p.valScore) : p.valScore;
        if (hasScore(best))
            series.append(xOf(p, axis), best, p.step);
    }
    return series;
}

QString CurveData::axisTitle(CurveAxis axis)
{
    switch (axis) {
    case CurveAxis::Step: return u"Step"_s;
    case CurveAxis::Cost: return u"Cumulative cost (USD)"_s;
    case CurveAxis::Tokens: return u"Cumulative tokens"_s;
    }
    return {};
}
