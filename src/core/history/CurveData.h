#pragma once

#include "store/RunRecords.h"
#include "store/RunStore.h"

#include <QString>
#include <QVector>

// What the x axis of a run's curves measures: the step number, or what the run had spent by the
// end of the step (USD, or prompt + completion tokens).
enum class CurveAxis { Step, Cost, Tokens };

// The state of a run at the end of one step; step 0 is the initial validation.
struct CurvePoint
{
    int step = 0;
    int epoch = 0;
    double trainScore = noScore();
    double valScore = noScore();
    double bestValScore = noScore();   // best validation score so far (the gating reference)
    bool accepted = true;
    // Spent by the end of this step, test evaluation excluded; cached answers are free.
    double costUsd = 0.0;
    qint64 tokens = 0;
    int unknownCostCalls = 0;          // calls whose price was unknown (not in costUsd)
};

// One plottable series: parallel x and y, and the step each point belongs to.
struct CurveSeries
{
    QVector<double> x;
    QVector<double> y;
    QVector<int> steps;
    int size() const { return int(x.size()); }
    bool isEmpty() const { return x.isEmpty(); }
    void append(double px, double py, int step)
    {
        x.append(px);
        y.append(py);
        steps.append(step);
    }
};

// The score curves of one run, read from the store: training-batch score and validation score
// per step (with the accept / reject decision), best validation so far, the test score, and for
// each step the cumulative cost and tokens so the curves can be drawn against spending.
// A value type: loaded on any thread (with that thread's RunStore) and handed to the GUI.
class CurveData
{
public:
    static CurveData load(const RunStore &store, const QString &runId);
    // The same from parts already read (what load() reads), for live updates and tests.
    static CurveData build(const RunInfo &run, const QVector<StepRecord> &steps,
                           const QVector<StepUsage> &usage, double testScore);

    // A step that has just finished, before its calls are totalled: its cost and tokens are
    // carried over from the previous point until the next load. Replaces a step already there.
    void appendStep(const StepRecord &step);

    QString runId() const { return m_runId; }
    QString label() const { return m_label; }   // pipeline name and run id, for legends
    void setLabel(const QString &label) { m_label = label; }
    bool isEmpty() const { return m_points.isEmpty(); }
    const QVector<CurvePoint> &points() const { return m_points; }
    const CurvePoint *point(int step) const;   // nullptr when the step is not there

    double testScore() const { return m_testScore; }
    int lastStep() const { return m_points.isEmpty() ? 0 : m_points.constLast().step; }
    // Whole-run totals, test evaluation included.
    double totalCostUsd() const { return m_totalCostUsd; }
    qint64 totalTokens() const { return m_totalTokens; }
    int unknownCostCalls() const { return m_unknownCostCalls; }

    double xOf(const CurvePoint &point, CurveAxis axis) const;
    // The test score is measured after the last step: at the last step, or at the run's total
    // spending on the cost and token axes.
    double testX(CurveAxis axis) const;

    CurveSeries train(CurveAxis axis) const;
    CurveSeries validation(CurveAxis axis) const;      // step 0 (initial) and every validated step
    CurveSeries acceptedSteps(CurveAxis axis) const;   // validated steps (> 0) that were kept
    CurveSeries rejectedSteps(CurveAxis axis) const;   // validated steps that were reverted
    CurveSeries bestSoFar(CurveAxis axis) const;

    static QString axisTitle(CurveAxis axis);

private:
    QString m_runId;
    QString m_label;
    QVector<CurvePoint> m_points;
    double m_testScore = noScore();
    double m_totalCostUsd = 0.0;
    qint64 m_totalTokens = 0;
    int m_unknownCostCalls = 0;
};
