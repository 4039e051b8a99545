#pragma once

#include "graph/Pipeline.h"
#include "optimizer/OptimizerTypes.h"
#include "prompts/PromptLibrary.h"
#include "providers/LlmClient.h"
#include "training/RunObserver.h"
#include "training/TrainingData.h"

#include <QJsonObject>
#include <QMap>

class RunStore;
class CallRecorder;
struct EvaluationResult;

struct RunOutcome
{
    bool ok = false;
    QString runId;
    QString status;     // completed | failed | cancelled
    QString error;      // names the node, sample and call that failed
};

// The TGD training loop. Prompt optimization: minibatch steps over seeded epochs up to
// maxSteps; per step, the forward passes of the batch, the backward pass and one optimizer call
// per trainable parameter, then validation gating (revert-if-worse or none); stops early once
// validation is perfect; evaluates the test split at the end. Test-time optimization (a pipeline
// with no inputs): the same step on one empty sample, N iterations, an optional majority vote.
//
// Everything lands in the store as it happens; a step is written in one transaction once done,
// so resume() continues after the last completed step with the same settings. For a seed and the
// same provider replies, a run is reproducible: batches, gradient order and prompts do not
// depend on which worker thread finishes first.
//
// Runs on the thread that calls start()/resume() (the store must be opened there); provider
// calls run on a pool of at most optimizer.concurrency threads. cancel() may be called from any
// thread (or a signal handler).
class Trainer
{
public:
    Trainer(RunStore *store, LlmClient *client, RunObserver *observer = nullptr);
    ~Trainer();

    RunOutcome start(const Pipeline &pipeline, const TrainingData &data, const QJsonObject &settings);
    RunOutcome resume(const QString &runId);
    // Scores the pipeline's current values on one dataset, stored as a run of mode "eval".
    RunOutcome evaluate(const Pipeline &pipeline, const Dataset &data, const QJsonObject &settings);

    void cancel();
    CancelFlag cancelFlag() const { return m_cancel; }

    static QString newRunId();
    // Steps the run will take: maxSteps, capped by epochs x batches per epoch for a dataset.
    static int plannedSteps(const Pipeline &pipeline, int trainSize);
    // The sample indices of a step's batch (1-based step).
    static QVector<int> batchIndices(const OptimizerSettings &settings, int trainSize, int step);

private:
    struct State;
    bool createRun(const State &state, const QJsonObject &settings, const QString &mode, QString *error);
    RunOutcome execute(State &state);
    bool runStep(State &state, int step, bool *stop, QString *error);
    bool evaluateInto(State &state, const QMap<QString, QString> &values, const Dataset &data,
                      int step, const QString &split, CallPurpose purpose, EvaluationResult *result,
                      QString *error);
    void finishTestTime(State &state);
    RunOutcome finish(State &state, const QString &status, const QString &error);
    void report(const State &state, int step, const QString &phase, int done, int total);
    QString describeFailure(const ChatResult &failure, const QString &node, int sample,
                            const QString &split, int step, const Dataset *data = nullptr) const;

    RunStore *m_store;
    LlmClient *m_client;
    RunObserver *m_observer;
    CancelFlag m_cancel;
    CallRecorder *m_recorder = nullptr;
};
