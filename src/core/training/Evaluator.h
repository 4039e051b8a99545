#pragma once

#include "autograd/ForwardPass.h"
#include "training/CallRecorder.h"

#include <functional>

struct EvaluationResult
{
    bool ok = true;
    ChatResult failure;
    QString failedNode;
    int failedSample = -1;
    double score = noScore();        // mean objective score; NaN for an empty split
    QVector<SampleResult> samples;   // in sample order
    QVector<RunEvent> events;
};

// Runs the pipeline over every row of a split, at most `limit` rows at once, and averages the
// objective's score. Used for the initial and per-step validation, the final test and `eval`.
// A provider failure on any row fails the evaluation (the run stops and can be resumed)
// instead of being counted as a wrong answer.
namespace Evaluator {

EvaluationResult run(const ForwardContext &context, const Dataset &data, CallRecorder &recorder,
                     int limit, const std::function<void(int done, int total)> &progress = {});

} // namespace Evaluator
