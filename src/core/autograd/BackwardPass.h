#pragma once

#include "autograd/ComputationGraph.h"
#include "graph/Pipeline.h"
#include "prompts/PromptLibrary.h"
#include "providers/LlmClient.h"
#include "training/RunObserver.h"

struct BackwardContext
{
    const Pipeline *pipeline = nullptr;
    ComputationGraph *graph = nullptr;
    LlmClient *client = nullptr;
    CallSink *sink = nullptr;
    CancelFlag cancel;
    PromptLibrary prompts;
    EngineConfig engine;      // the backward engine
    QString runId;
    int step = 0;
    QString split;
    RunObserver *observer = nullptr;   // told which edge is criticised (thread-safe part only)
};

struct BackwardOutcome
{
    bool ok = true;
    ChatResult failure;
    QVector<GradientRecord> gradients;   // every gradient produced, in production order
    int calls = 0;
};

// The backward pass of one sample: its operations in reverse topological order; for every
// LLM-backed operation (LLM call, judge, string metric) and every input of it that requires a
// gradient, one backward-engine call. The objective's operation is criticised in "base" mode
// (against its own evaluation); others in "chain" mode (against the feedback their output got
// further down the pipeline). An operation whose output received no feedback is skipped.
// Samples touch disjoint variables except shared parameters, so samples can run concurrently.
namespace BackwardPass {

BackwardOutcome runSample(const BackwardContext &context, int sampleIndex);

// The messages of one backward call (exposed for tests and the history view).
QVector<ChatMessage> buildMessages(const BackwardContext &context, const Operation &operation,
                                   const QString &port, const Variable &target, bool baseMode,
                                   const QString &evaluationOrFeedback);

} // namespace BackwardPass
