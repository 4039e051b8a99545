#include "training/Trainer.h"

#include "autograd/BackwardPass.h"
#include "autograd/ForwardPass.h"
#include "data/DatasetLoader.h"
#include "graph/PipelineJson.h"
#include "graph/PipelineValidator.h"
#include "optimizer/TgdOptimizer.h"
#include "store/RunStore.h"
#include "training/CallRecorder.h"
#include "training/Evaluator.h"
#include "training/MajorityVote.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QUrl>

#include <atomic>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

// Past feedback shown to the momentum optimizer is capped so memory cannot grow the prompt
// without bound either.
constexpr int kMemoryFeedbackChars = 3000;

QString joinFeedback(const QVector<GradientRecord> &grads)
{
    QStringList parts;
    for (const GradientRecord &g : grads)
        parts.append(g.feedback);
    QString text = parts.join(u"\n---\n"_s);
    if (text.size() > kMemoryFeedbackChars)
        text = text.left(kMemoryFeedbackChars) + u"\n[... shortened ...]"_s;
    return text;
}

// The pipeline as run, self-contained: prompt overrides read from files are kept inline so a
// resume does not depend on those files still being there (or unchanged).
QJsonObject snapshot(Pipeline pipeline)
{
    pipeline.promptFiles.clear();
    return PipelineJson::toJson(pipeline);
}

QString fmtScore(double s)
{
    return hasScore(s) ? QString::number(s, 'f', 3) : u"n/a"_s;
}

} // namespace

struct Trainer::State
{
    QString runId;
    Pipeline pipeline;
    TrainingData data;
    bool testTime = false;
    QStringList order;
    PromptLibrary prompts;
    EngineConfig optimizerEngine;
    QMap<QString, QString> current;   // accepted values of the trainable parameters
    double initial = noScore();
    double best = noScore();
    int lastStep = 0;
    int totalSteps = 0;
    QMap<QString, QVector<MemoryEntry>> memory;
};

Trainer::Trainer(RunStore *store, LlmClient *client, RunObserver *observer)
    : m_store(store)
    , m_client(client)
    , m_observer(observer)
    , m_cancel(makeCancelFlag())
{
}

Trainer::~Trainer() = default;

void Trainer::cancel()
{
    m_cancel->store(true);
}

QString Trainer::newRunId()
{
    return QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd-HHmmss"_s) + u'-'
        + QString::number(QRandomGenerator::global()->bounded(0x10000), 16).rightJustified(4, u'0');
}

int Trainer::plannedSteps(const Pipeline &pipeline, int trainSize)
{
    const OptimizerSettings &o = pipeline.optimizer;
    if (pipeline.isTestTime())
        return qMax(0, o.maxSteps);
    if (trainSize <= 0)
        return 0;
    const int batch = qMax(1, o.batchSize);
    const int perEpoch = (trainSize + batch - 1) / batch;
    return qMax(0, qMin(o.maxSteps, o.epochs * perEpoch));
}

QVector<int> Trainer::batchIndices(const OptimizerSettings &settings, int trainSize, int step)
{
    const int batch = qMax(1, settings.batchSize);
    const int perEpoch = (trainSize + batch - 1) / batch;
    if (perEpoch == 0)
        return {};
    const int index = step - 1;
    const int epoch = index / perEpoch;
    const int first = (index % perEpoch) * batch;
    // Each epoch has its own permutation, derived from the seed alone, so a resumed run draws
    // exactly the batches the uninterrupted run would have.
    const QVector<int> order = seededShuffle(trainSize, settings.seed * 1000003ULL + quint64(epoch));
    return order.mid(first, qMin(batch, trainSize - first));
}

RunOutcome Trainer::start(const Pipeline &pipeline, const TrainingData &data, const QJsonObject &settings)
{
    State state;
    state.runId = newRunId();
    state.pipeline = pipeline;
    state.data = data;
    state.testTime = pipeline.isTestTime();
    if (state.testTime) {
        state.data = TrainingData();
        state.data.train.rows.append(DataRow());   // one sample with no fields
    }
    for (const QString &id : pipeline.trainableIds())
        state.current.insert(id, pipeline.node(id)->value);

    RunInfo run;
    run.id = state.runId;
    run.pipelineName = pipeline.name;
    run.pipeline = snapshot(pipeline);
    QJsonObject s = settings;
    s.insert(u"mode"_s, state.testTime ? u"test-time"_s : u"optimize"_s);
    run.settings = s;
    run.data = TrainingDataJson::toJson(state.data);
    run.status = RunStatus::Running;
    if (!m_store->createRun(run))
        return RunOutcome{false, state.runId, RunStatus::Failed, u"could not create the run: "_s + m_store->lastError()};
    return execute(state);
}

RunOutcome Trainer::resume(const QString &runId)
{
    if (!m_store->runExists(runId))
        return RunOutcome{false, runId, RunStatus::Failed, u"no run with id %1 in %2"_s.arg(runId, m_store->path())};
    const RunInfo run = m_store->run(runId);
    State state;
    state.runId = runId;
    QVector<PipelineIssue> issues;
    if (!PipelineJson::fromJson(run.pipeline, &state.pipeline, &issues)) {
        QStringList lines;
        for (const PipelineIssue &i : issues)
            lines.append(i.toString());
        return RunOutcome{false, runId, RunStatus::Failed, u"the run's stored pipeline cannot be read: "_s + lines.join(u"; "_s)};
    }
    if (run.settings.value(u"mode"_s).toString() == u"eval"_s)
        return RunOutcome{false, runId, run.status, u"run %1 is an evaluation, not an optimization; there is nothing to resume"_s.arg(runId)};
    state.data = TrainingDataJson::fromJson(run.data);
    state.testTime = state.pipeline.isTestTime();
    state.initial = run.initialValScore;
    state.best = run.initialValScore;
    for (const QString &id : state.pipeline.trainableIds())
        state.current.insert(id, state.pipeline.node(id)->value);

    const QVector<StepRecord> steps = m_store->steps(runId, state.pipeline.optimizer.kind == u"tgd-momentum"_s);
    for (const StepRecord &step : steps) {
        state.lastStep = step.step;
        for (auto it = step.current.cbegin(); it != step.current.cend(); ++it)
            state.current.insert(it.key(), it.value());
        state.best = step.bestValScore;
        for (const PromptVersion &v : step.versions) {
            if (!v.changed)
                continue;
            QVector<GradientRecord> grads;
            for (const GradientRecord &g : step.gradients) {
                if (g.targetNode == v.nodeId)
                    grads.append(g);
            }
            state.memory[v.nodeId].append(MemoryEntry{step.step, v.value, joinFeedback(grads), step.accepted, step.valScore});
        }
    }
    if (state.testTime && !steps.isEmpty())
        state.initial = steps.first().trainScore;
    if (run.status == RunStatus::Completed) {
        return RunOutcome{true, runId, RunStatus::Completed, QString()};
    }
    m_store->updateRun(runId, RunStatus::Running);
    if (m_observer)
        m_observer->message(u"resuming run %1 after step %2"_s.arg(runId).arg(state.lastStep));
    return execute(state);
}

RunOutcome Trainer::evaluate(const Pipeline &pipeline, const Dataset &data, const QJsonObject &settings)
{
    State state;
    state.runId = newRunId();
    state.pipeline = pipeline;
    state.data.test = data;
    state.order = PipelineValidator::objectiveClosure(pipeline);
    state.prompts = PromptLibrary(pipeline.prompts);
    RunInfo run;
    run.id = state.runId;
    run.pipelineName = pipeline.name;
    run.pipeline = snapshot(pipeline);
    QJsonObject s = settings;
    s.insert(u"mode"_s, u"eval"_s);
    run.settings = s;
    run.data = TrainingDataJson::toJson(state.data);
    run.status = RunStatus::Running;
    if (!m_store->createRun(run))
        return RunOutcome{false, state.runId, RunStatus::Failed, u"could not create the run: "_s + m_store->lastError()};
    for (const PipelineNode &n : pipeline.nodes) {
        if (n.type == NodeType::Parameter)
            state.current.insert(n.id, n.value);
    }
    CallRecorder recorder(m_store);
    m_recorder = &recorder;
    EvaluationResult result;
    QString error;
    const bool ok = evaluateInto(state, state.current, data, 0, u"eval"_s, CallPurpose::Test, &result, &error);
    if (ok)
        m_store->setTestScore(state.runId, result.score);
    const RunOutcome outcome = finish(state, ok ? RunStatus::Completed : (m_cancel->load() ? RunStatus::Cancelled : RunStatus::Failed), error);
    m_recorder = nullptr;
    return outcome;
}

RunOutcome Trainer::execute(State &state)
{
    state.order = PipelineValidator::objectiveClosure(state.pipeline);
    state.prompts = PromptLibrary(state.pipeline.prompts);
    const QString engineName = state.pipeline.optimizerEngine();
    state.optimizerEngine = state.pipeline.engines.value(engineName);
    state.optimizerEngine.name = engineName;
    state.totalSteps = plannedSteps(state.pipeline, state.data.train.size());

    CallRecorder recorder(m_store);
    m_recorder = &recorder;
    const OptimizerSettings &opt = state.pipeline.optimizer;
    QString error;

    // Initial validation: the score every later step must not fall below.
    if (!state.testTime && state.data.validation.size() > 0 && !hasScore(state.initial)) {
        EvaluationResult result;
        if (!evaluateInto(state, state.current, state.data.validation, 0, u"validation"_s,
                          CallPurpose::Validation, &result, &error))
            return finish(state, m_cancel->load() ? RunStatus::Cancelled : RunStatus::Failed, error);
        state.initial = result.score;
        state.best = result.score;
        m_store->setInitialValScore(state.runId, result.score);
        if (m_observer)
            m_observer->message(u"initial validation score %1"_s.arg(fmtScore(result.score)));
    }

    for (int step = state.lastStep + 1; step <= state.totalSteps; ++step) {
        if (m_cancel->load())
            return finish(state, RunStatus::Cancelled, u"cancelled after step %1"_s.arg(state.lastStep));
        if (!state.testTime && opt.stopWhenPerfect && hasScore(state.best) && state.best >= 1.0) {
            if (m_observer)
                m_observer->message(u"validation is perfect; stopping early"_s);
            break;
        }
        bool stop = false;
        if (!runStep(state, step, &stop, &error))
            return finish(state, m_cancel->load() ? RunStatus::Cancelled : RunStatus::Failed, error);
        state.lastStep = step;
        if (stop)
            break;
    }

    if (state.testTime) {
        finishTestTime(state);
    } else if (state.data.test.size() > 0) {
        EvaluationResult result;
        if (!evaluateInto(state, state.current, state.data.test, state.lastStep, u"test"_s,
                          CallPurpose::Test, &result, &error))
            return finish(state, m_cancel->load() ? RunStatus::Cancelled : RunStatus::Failed, error);
        m_store->setTestScore(state.runId, result.score);
    }
    if (m_cancel->load())
        return finish(state, RunStatus::Cancelled, u"cancelled"_s);
    return finish(state, RunStatus::Completed, QString());
}

bool Trainer::evaluateInto(State &state, const QMap<QString, QString> &values, const Dataset &data,
                           int step, const QString &split, CallPurpose purpose,
                           EvaluationResult *result, QString *error)
{
    ForwardContext ctx;
    ctx.pipeline = &state.pipeline;
    ctx.order = state.order;
    ctx.parameterValues = values;
    ctx.client = m_client;
    ctx.sink = m_recorder;
    ctx.cancel = m_cancel;
    ctx.prompts = state.prompts;
    ctx.runId = state.runId;
    ctx.step = step;
    ctx.split = split;
    ctx.forwardPurpose = purpose;
    ctx.lossPurpose = purpose;
    const QString phase = step == 0 && split == u"validation"_s ? u"initial-validation"_s : split;
    report(state, step, phase, 0, data.size());
    *result = Evaluator::run(ctx, data, *m_recorder, state.pipeline.optimizer.concurrency,
                             [&](int done, int total) { report(state, step, phase, done, total); });
    m_store->saveSampleResults(state.runId, result->samples);
    if (!result->events.isEmpty())
        m_store->saveEvents(state.runId, result->events);
    if (!result->ok) {
        *error = describeFailure(result->failure, result->failedNode, result->failedSample, split, step, &data);
        return false;
    }
    if (!m_recorder->lastError().isEmpty()) {
        *error = u"could not record provider calls: "_s + m_recorder->lastError();
        return false;
    }
    return true;
}

bool Trainer::runStep(State &state, int step, bool *stop, QString *error)
{
    const OptimizerSettings &opt = state.pipeline.optimizer;
    const QVector<int> batch = state.testTime ? QVector<int>{0}
                                              : batchIndices(opt, state.data.train.size(), step);
    StepRecord record;
    record.step = step;
    const int batchSize = qMax(1, opt.batchSize);
    const int perEpoch = (state.data.train.size() + batchSize - 1) / batchSize;
    record.epoch = state.testTime || perEpoch == 0 ? 1 : (step - 1) / perEpoch + 1;

    // Forward: every sample of the batch records into one graph that shares the parameters.
    ComputationGraph graph;
    ForwardContext ctx;
    ctx.pipeline = &state.pipeline;
    ctx.order = state.order;
    ctx.parameterValues = state.current;
    for (const PipelineNode &node : state.pipeline.nodes) {
        if (node.type != NodeType::Parameter || !state.order.contains(node.id))
            continue;
        Variable v;
        v.nodeId = node.id;
        v.role = node.role;
        v.value = state.current.value(node.id, node.value);
        v.requiresGrad = node.trainable;
        ctx.parameterVariables.insert(node.id, graph.addVariable(v));
    }
    ctx.client = m_client;
    ctx.sink = m_recorder;
    ctx.cancel = m_cancel;
    ctx.prompts = state.prompts;
    ctx.runId = state.runId;
    ctx.step = step;
    ctx.split = state.testTime ? QString() : u"train"_s;

    QVector<SampleOutcome> outcomes(batch.size());
    std::atomic_bool failed{false};
    std::atomic_int done{0};
    QVector<std::function<void()>> tasks;
    for (int i = 0; i < batch.size(); ++i) {
        tasks.append([&, i] {
            if (failed.load())
                return;
            outcomes[i] = ForwardPass::run(ctx, state.data.train.rows.at(batch.at(i)), batch.at(i), &graph);
            if (!outcomes[i].ok)
                failed.store(true);
            ++done;
        });
    }
    report(state, step, u"forward"_s, 0, batch.size());
    m_recorder->runAll(tasks, opt.concurrency, [&] { report(state, step, u"forward"_s, done.load(), batch.size()); });
    double sum = 0.0;
    for (int i = 0; i < batch.size(); ++i) {
        const SampleOutcome &o = outcomes.at(i);
        if (!o.ok) {
            *error = describeFailure(o.failure, o.failedNode, batch.at(i), ctx.split, step, &state.data.train);
            return false;
        }
        sum += o.score;
        SampleResult s;
        s.step = step;
        s.split = ctx.split;
        s.sampleIndex = batch.at(i);
        s.line = state.data.train.rows.at(batch.at(i)).line;
        s.outputs = o.outputs;
        s.score = o.score;
        s.evaluation = o.evaluation;
        record.samples.append(s);
        record.events += o.events;
    }
    record.trainScore = batch.isEmpty() ? noScore() : sum / batch.size();
    if (state.testTime && step == 1) {
        state.initial = record.trainScore;
        m_store->setInitialValScore(state.runId, state.initial);
    }

    // The batch loss: a sum over the samples' objective outputs. Its backward hands each
    // sample's loss its own evaluation, with no call, so it is recorded but never dispatched.
    {
        Variable total;
        total.nodeId = state.pipeline.objective;
        total.role = u"sum of the batch's evaluations"_s;
        total.requiresGrad = true;
        Operation sumOp;
        sumOp.kind = OperationKind::Sum;
        sumOp.nodeId = state.pipeline.objective;
        sumOp.output = graph.addVariable(total);
        int k = 0;
        for (const Operation &op : graph.operations()) {
            if (op.isLoss)
                sumOp.inputs.insert(QString::number(k++), op.output);
        }
        graph.addOperation(sumOp);
    }

    // Test-time: a value that already scores perfectly needs no critique.
    if (state.testTime && opt.stopWhenPerfect && record.trainScore >= 1.0) {
        record.candidate = state.current;
        record.current = state.current;
        record.accepted = true;
        record.bestValScore = state.best;
        record.events.append(RunEvent{step, u"perfect-score"_s, state.pipeline.objective,
                                      u"the current value already scores 1.0; stopping"_s});
        *stop = true;
        record.finishedAt = QDateTime::currentDateTimeUtc();
        if (!m_store->saveStep(state.runId, record)) {
            *error = u"could not save step %1: %2"_s.arg(step).arg(m_store->lastError());
            return false;
        }
        if (m_observer)
            m_observer->stepFinished(record);
        return true;
    }

    // Backward: samples are independent (they share only parameter leaves).
    BackwardContext bctx;
    bctx.pipeline = &state.pipeline;
    bctx.graph = &graph;
    bctx.client = m_client;
    bctx.sink = m_recorder;
    bctx.cancel = m_cancel;
    bctx.prompts = state.prompts;
    bctx.engine = state.pipeline.engines.value(state.pipeline.backwardEngine);
    bctx.engine.name = state.pipeline.backwardEngine;
    bctx.runId = state.runId;
    bctx.step = step;
    bctx.split = ctx.split;
    QVector<BackwardOutcome> backward(batch.size());
    tasks.clear();
    done = 0;
    for (int i = 0; i < batch.size(); ++i) {
        if (opt.skipPerfectSamples && outcomes.at(i).score >= 1.0)
            continue;
        tasks.append([&, i] {
            if (failed.load())
                return;
            backward[i] = BackwardPass::runSample(bctx, batch.at(i));
            if (!backward[i].ok)
                failed.store(true);
            ++done;
        });
    }
    report(state, step, u"backward"_s, 0, tasks.size());
    const int backwardTasks = tasks.size();
    m_recorder->runAll(tasks, opt.concurrency, [&] { report(state, step, u"backward"_s, done.load(), backwardTasks); });
    for (const BackwardOutcome &b : backward) {
        if (!b.ok) {
            *error = describeFailure(b.failure, QString(), -1, ctx.split, step);
            return false;
        }
    }

    // Optimizer: one call per trainable parameter, in parallel.
    const QStringList trainables = state.pipeline.trainableIds();
    QVector<OptimizerResult> results(trainables.size());
    TgdOptimizer optimizer(opt, state.prompts, m_client, state.optimizerEngine, m_recorder, m_cancel);
    tasks.clear();
    done = 0;
    for (int p = 0; p < trainables.size(); ++p) {
        const QString id = trainables.at(p);
        const PipelineNode *node = state.pipeline.node(id);
        OptimizerRequest request;
        request.nodeId = id;
        request.role = node->role;
        request.currentValue = state.current.value(id);
        request.gradients = graph.sortedGradients(ctx.parameterVariables.value(id, -1));
        request.constraints = opt.constraints + node->constraints;
        request.examples = opt.examples;
        request.step = step;
        if (opt.kind == u"tgd-momentum"_s)
            request.memory = state.memory.value(id).mid(qMax(0, state.memory.value(id).size() - opt.momentumWindow));
        CallTag tag{state.runId, step, CallPurpose::Optimizer, id, -1, ctx.split};
        tasks.append([&, p, request, tag] {
            if (request.gradients.isEmpty()) {
                // Nothing reached this parameter (e.g. every sample was skipped as perfect).
                results[p].newValue = request.currentValue;
                results[p].version.step = request.step;
                results[p].version.nodeId = request.nodeId;
                results[p].version.value = request.currentValue;
                results[p].version.previous = request.currentValue;
                results[p].events.append(RunEvent{request.step, u"no-gradients"_s, request.nodeId,
                                                  u"no feedback reached this parameter; it is unchanged"_s});
            } else {
                results[p] = optimizer.step(request, tag);
            }
            ++done;
        });
    }
    report(state, step, u"optimizer"_s, 0, trainables.size());
    m_recorder->runAll(tasks, opt.concurrency, [&] { report(state, step, u"optimizer"_s, done.load(), trainables.size()); });

    QMap<QString, QString> candidate = state.current;
    bool anyChange = false;
    for (int p = 0; p < trainables.size(); ++p) {
        const OptimizerResult &r = results.at(p);
        if (!r.ok) {
            *error = describeFailure(r.failure, trainables.at(p), -1, ctx.split, step);
            return false;
        }
        record.versions.append(r.version);
        record.events += r.events;
        if (r.changed) {
            candidate.insert(trainables.at(p), r.newValue);
            anyChange = true;
        }
    }
    for (int i = 0; i < batch.size(); ++i)
        record.gradients += backward.at(i).gradients;
    record.candidate = candidate;

    // Validation gating.
    double val = noScore();
    if (!anyChange) {
        // The candidate is the accepted value, whose validation score is already known.
        val = state.best;
        record.events.append(RunEvent{step, u"no-change"_s, QString(),
                                      u"the optimizer proposed no usable change; values kept"_s});
    } else if (!state.testTime && state.data.validation.size() > 0) {
        EvaluationResult result;
        if (!evaluateInto(state, candidate, state.data.validation, step, u"validation"_s,
                          CallPurpose::Validation, &result, error))
            return false;
        val = result.score;
        record.samples += result.samples;
        record.events += result.events;
    }
    record.valScore = val;
    bool accepted = true;
    if (anyChange && opt.validation == u"revert-if-worse"_s && hasScore(val) && hasScore(state.best)
        && val < state.best) {
        accepted = false;
        record.events.append(RunEvent{step, u"reverted"_s, QString(),
                                      u"validation fell from %1 to %2; the step is rejected and the previous values kept"_s
                                          .arg(fmtScore(state.best), fmtScore(val))});
    }
    record.accepted = accepted;
    if (accepted) {
        state.current = candidate;
        if (hasScore(val) && (!hasScore(state.best) || opt.validation == u"none"_s || val >= state.best))
            state.best = val;
    }
    record.current = state.current;
    record.bestValScore = state.best;
    record.finishedAt = QDateTime::currentDateTimeUtc();

    for (const PromptVersion &v : record.versions) {
        if (!v.changed)
            continue;
        QVector<GradientRecord> grads;
        for (const GradientRecord &g : record.gradients) {
            if (g.targetNode == v.nodeId)
                grads.append(g);
        }
        state.memory[v.nodeId].append(MemoryEntry{step, v.value, joinFeedback(grads), accepted, val});
    }

    if (!m_store->saveStep(state.runId, record)) {
        *error = u"could not save step %1: %2"_s.arg(step).arg(m_store->lastError());
        return false;
    }
    if (m_observer)
        m_observer->stepFinished(record);
    if (!state.testTime && opt.stopWhenPerfect && hasScore(state.best) && state.best >= 1.0)
        *stop = true;
    return true;
}

void Trainer::finishTestTime(State &state)
{
    // Score the final value once, so the summary reports where the iterations ended.
    EvaluationResult result;
    QString error;
    if (!evaluateInto(state, state.current, state.data.train, state.lastStep, u"final"_s,
                      CallPurpose::Loss, &result, &error) && m_observer)
        m_observer->message(u"the final value could not be scored: "_s + error);
    const QString pattern = state.pipeline.optimizer.votePattern;
    if (pattern.isEmpty())
        return;
    // Majority vote over every version of each trainable value, the initial one included.
    QVector<RunEvent> events;
    for (const QString &id : state.pipeline.trainableIds()) {
        // One vote per iteration: the value in effect after it, repeats included, as a
        // repeated answer is the optimizer confirming it.
        QStringList versions{state.pipeline.node(id)->value};
        for (const StepRecord &s : m_store->steps(state.runId))
            versions.append(s.current.value(id));
        const MajorityVote vote = MajorityVote::count(versions, pattern);
        events.append(RunEvent{state.lastStep, u"majority-vote"_s, id,
                               QString::fromUtf8(QJsonDocument(vote.toJson()).toJson(QJsonDocument::Compact))});
    }
    m_store->saveEvents(state.runId, events);
}

RunOutcome Trainer::finish(State &state, const QString &status, const QString &error)
{
    m_store->updateRun(state.runId, status, error);
    report(state, state.lastStep, u"done"_s, 0, 0);
    m_recorder = nullptr;
    return RunOutcome{status == RunStatus::Completed, state.runId, status, error};
}

void Trainer::report(const State &state, int step, const QString &phase, int done, int total)
{
    if (!m_observer)
        return;
    RunProgress p;
    p.runId = state.runId;
    p.step = step;
    p.totalSteps = state.totalSteps;
    p.phase = phase;
    p.done = done;
    p.total = total;
    p.calls = m_recorder ? m_recorder->written() : 0;
    p.bestValScore = state.best;
    m_observer->progress(p);
}

QString Trainer::describeFailure(const ChatResult &failure, const QString &node, int sample,
                                 const QString &split, int step, const Dataset *data) const
{
    if (failure.errorKind == CallErrorKind::Cancelled)
        return step > 0 ? u"cancelled during step %1"_s.arg(step) : u"cancelled"_s;
    QString where = split == u"eval"_s                        ? u"evaluation"_s
                    : step == 0 && split == u"validation"_s   ? u"initial validation"_s
                    : split == u"test"_s                      ? u"test evaluation"_s
                                                              : u"step %1"_s.arg(step);
    if (!node.isEmpty())
        where += u", node \"%1\""_s.arg(node);
    if (sample >= 0 && !split.isEmpty()) {
        where += u", %1 sample %2"_s.arg(split).arg(sample);
        if (data && sample < data->rows.size() && data->rows.at(sample).line > 0) {
            const QString file = data->sourcePath.isEmpty() ? QString() : QFileInfo(data->sourcePath).fileName() + u' ';
            where += u" (%1line %2)"_s.arg(file).arg(data->rows.at(sample).line);
        }
    }
    return where + u": "_s + (failure.error.isEmpty() ? u"the provider call failed"_s : failure.error);
}
