#pragma once

#include "graph/Pipeline.h"
#include "optimizer/OptimizerTypes.h"
#include "prompts/PromptLibrary.h"
#include "providers/LlmClient.h"
#include "training/RunObserver.h"
#include "training/TrainingData.h"

#include <QJsonObject>
#include <QMap>

#include <memory>

class RunStore;
class CallRecorder;
class GatedClient;
class PauseGate;
struct EvaluationResult;

struct RunOutcome
{
    bool ok = false;
    QString runId;
    QString status;     // completed | failed | cancelled (a user's cancel or the budget)
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
// thread (or a signal handler), and so may setPaused().
//
// Budget: settings "budgetCalls" / "budgetUsd" (RunBudget). Once used up, no new call starts;
// the step in progress is dropped (it was never saved), an event "budget-reached" is stored and
// the run ends as "cancelled" with an error saying so: like a user's cancel it is resumable,
// after raising the budget (resume()'s settingsPatch).
//
// Queue: enqueue() stores a run with status "queued" (pipeline snapshot, settings and data like
// any run, so the queue lives in the project file); startQueued() takes it and runs it.
class Trainer
{
public:
    Trainer(RunStore *store, LlmClient *client, RunObserver *observer = nullptr);
    ~Trainer();

    RunOutcome start(const Pipeline &pipeline, const TrainingData &data, const QJsonObject &settings);
    // Continues a run after its last completed step. settingsPatch replaces keys of the run's
    // stored settings first (e.g. a higher budgetCalls) and is saved with the run.
    RunOutcome resume(const QString &runId, const QJsonObject &settingsPatch = QJsonObject());
    // Stores a run that will start later; returns its id, or empty with *error.
    QString enqueue(const Pipeline &pipeline, const TrainingData &data, const QJsonObject &settings,
                    QString *error);
    // Runs a queued run. Fails without running when it is no longer queued (another window on
    // the same project took it first, or it was removed).
    RunOutcome startQueued(const QString &runId);
    // Scores the pipeline's current values on one dataset, stored as a run of mode "eval".
    RunOutcome evaluate(const Pipeline &pipeline, const Dataset &data, const QJsonObject &settings);

    void cancel();
    CancelFlag cancelFlag() const { return m_cancel; }
    // Paused: calls in flight finish, no new call starts until unpaused (or cancelled).
    void setPaused(bool paused);
    bool isPaused() const;
    std::shared_ptr<PauseGate> pauseGate() const { return m_pause; }

    static QString newRunId();
    // Steps the run will take: maxSteps, capped by epochs x batches per epoch for a dataset.
    static int plannedSteps(const Pipeline &pipeline, int trainSize);
    // The sample indices of a step's batch (1-based step).
    static QVector<int> batchIndices(const OptimizerSettings &settings, int trainSize, int step);

private:
    struct State;
    static void prepare(State &state, const Pipeline &pipeline, const TrainingData &data);
    bool createRun(const State &state, const QJsonObject &settings, const QString &mode,
                   const QString &status, QString *error);
    // The end of a run that stopped before its end: cancelled (by the user or the budget) or failed.
    RunOutcome stopped(State &state, const QString &error);
    LlmClient *client() const;
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
    std::shared_ptr<PauseGate> m_pause;
    CallRecorder *m_recorder = nullptr;
    GatedClient *m_gated = nullptr;   // during execute(): m_client behind pause and budget
};
