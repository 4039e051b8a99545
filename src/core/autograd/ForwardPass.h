#pragma once

#include "autograd/ComputationGraph.h"
#include "data/Dataset.h"
#include "graph/Pipeline.h"
#include "prompts/PromptLibrary.h"
#include "providers/LlmClient.h"
#include "store/RunRecords.h"
#include "training/RunObserver.h"

#include <QJsonObject>
#include <QMap>

// Everything a forward pass needs besides the sample itself. Shared read-only by the worker
// threads that run the samples of a batch.
struct ForwardContext
{
    const Pipeline *pipeline = nullptr;
    QStringList order;                       // objective closure, topological
    QMap<QString, QString> parameterValues;  // current values of parameters (by node id)
    QMap<QString, int> parameterVariables;   // parameter node id -> shared variable id in the graph
    LlmClient *client = nullptr;
    CallSink *sink = nullptr;
    CancelFlag cancel;
    PromptLibrary prompts;
    QString runId;
    int step = 0;
    QString split;
    CallPurpose forwardPurpose = CallPurpose::Forward;   // llm nodes
    CallPurpose lossPurpose = CallPurpose::Loss;         // judge nodes
    RunObserver *observer = nullptr;         // told which node runs (thread-safe part only)
};

struct SampleOutcome
{
    bool ok = true;
    ChatResult failure;           // the call that failed, when !ok
    QString failedNode;
    QJsonObject outputs;          // node id -> value
    double score = 0.0;           // the objective's score in [0, 1]
    QString evaluation;           // the objective's explanation or critique
    QVector<RunEvent> events;
};

// Runs the pipeline on one sample: every node the objective depends on, in topological order.
// With a graph, records a variable per node and an operation per computed node, so the backward
// pass can walk it; without one (validation, test) it only computes.
namespace ForwardPass {

SampleOutcome run(const ForwardContext &context, const DataRow &row, int sampleIndex,
                  ComputationGraph *graph);

} // namespace ForwardPass
