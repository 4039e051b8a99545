#pragma once

#include "providers/ChatTypes.h"
#include "store/RunRecords.h"

#include <QString>

// Where a run is, for progress bars and live views.
struct RunProgress
{
    QString runId;
    int step = 0;           // the step in progress (0: initial validation)
    int totalSteps = 0;
    QString phase;          // initial-validation | forward | backward | optimizer | validation | test | done
    int done = 0;           // units of the phase finished (samples, parameters)
    int total = 0;
    int calls = 0;          // provider requests recorded so far in this process
    // The whole run so far, earlier sessions of a resumed run included: requests sent, cached
    // hits, tokens and cost (unknownCostCalls: calls whose model has no price).
    CallTotals totals;
    double bestValScore = noScore();
    bool paused = false;    // the run waits at its pause gate
};

// What the canvas shows: which node is being computed (forward, loss) or criticised (backward),
// and which parameter the optimizer is rewriting.
enum class ActivityPhase { Forward, Loss, Backward, Optimizer };
QString activityPhaseName(ActivityPhase phase);   // "forward", "loss", "backward", "optimizer"

struct NodeActivity
{
    enum class State { Started, Finished, Failed };

    int step = 0;
    ActivityPhase phase = ActivityPhase::Forward;
    CallPurpose purpose = CallPurpose::Forward;   // as stored (validation, test, ...)
    // Forward / loss: the llm or judge node computed. Optimizer: the parameter rewritten.
    // Backward: the node whose operation is criticised, with sourceNodeId the input it sends
    // feedback to: the pipeline edge sourceNodeId -> nodeId, travelled backwards.
    QString nodeId;
    QString sourceNodeId;
    int sampleIndex = -1;
    QString split;
    State state = State::Started;
    QString error;          // Failed: what the provider said (never a key)
};

// Text of a call as it arrives. Streaming engines send deltas (append); a retried attempt
// starts over (restart: clear first); a non-streaming call sends its whole reply once it is
// done (complete), so a viewer shows every call's text either way.
struct CallDelta
{
    int step = 0;
    QString nodeId;
    QString sourceNodeId;
    CallPurpose purpose = CallPurpose::Forward;
    int sampleIndex = -1;
    QString text;
    bool restart = false;
    bool complete = false;
};

// Told about a run's progress. progress, stepFinished and message come from the thread that
// runs the Trainer. nodeActivity and callDelta come from the worker threads that make the
// calls, concurrently: implementations must be thread-safe (a GUI forwards values by queued
// signals).
class RunObserver
{
public:
    virtual ~RunObserver() = default;
    virtual void progress(const RunProgress &) {}
    virtual void stepFinished(const StepRecord &) {}
    virtual void message(const QString &) {}
    virtual void nodeActivity(const NodeActivity &) {}
    virtual void callDelta(const CallDelta &) {}
};
