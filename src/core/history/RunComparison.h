#pragma once

#include "store/RunRecords.h"

#include <QJsonObject>
#include <QString>
#include <QVector>

class RunStore;

// One trainable parameter's final value in both runs.
struct PromptPair
{
    QString nodeId;
    QString baseline;     // run A's final value ("" when A has no such parameter)
    QString candidate;    // run B's final value
    bool same() const { return baseline == candidate; }
};

// How run B did on one sample compared with run A.
enum class SampleVerdict { Win, Loss, Tie, OnlyBaseline, OnlyCandidate };

struct SampleComparison
{
    int sampleIndex = 0;
    int line = 0;
    QString input;            // the sample's fields, "name: value" per line
    double baselineScore = noScore();
    double candidateScore = noScore();
    QString baselineOutput;   // what the objective scored
    QString candidateOutput;
    QString baselineEvaluation;
    QString candidateEvaluation;
    SampleVerdict verdict = SampleVerdict::Tie;
};

// Headline figures of one run, as the comparison shows them.
struct RunFigures
{
    QString runId;
    QString label;
    QString status;
    double initialValScore = noScore();
    double finalValScore = noScore();
    double testScore = noScore();
    int steps = 0;
    int calls = 0;
    double costUsd = 0.0;
    int unknownCostCalls = 0;
    double splitMean = noScore();   // mean score on the compared split (matched samples only)
};

// Two runs side by side: the final prompts of each trainable parameter, and every sample of
// the test split (or of validation when a run has no test results) scored by the final values
// of both, as wins, losses and ties of the candidate (B) against the baseline (A).
// A value type, built from the store on any thread.
class RunComparison
{
public:
    // split: "test" or "validation"; empty picks test when both runs have test results.
    static RunComparison compare(const RunStore &store, const QString &baselineRunId,
                                 const QString &candidateRunId, const QString &split = {});

    RunFigures baseline;
    RunFigures candidate;
    QString split;                     // the split compared ("" when neither has results)
    QVector<PromptPair> prompts;       // by node id
    QVector<SampleComparison> samples; // by sample index
    int wins = 0;
    int losses = 0;
    int ties = 0;
    int unmatched = 0;
    // False when a sample index holds different inputs in the two runs (different datasets or
    // splits): the per-sample verdicts then compare unrelated samples.
    bool sameInputs = true;
    QString note;                      // why there is nothing to compare, for the view

    static QString verdictName(SampleVerdict verdict);
};
