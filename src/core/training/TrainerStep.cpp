#include "training/Trainer.h"

#include "autograd/BackwardPass.h"
#include "autograd/ForwardPass.h"
#include "optimizer/TgdOptimizer.h"
#include "store/RunStore.h"
#include "training/CallRecorder.h"
#include "training/Evaluator.h"
#include "training/MajorityVote.h"
#include "training/TrainerState.h"

#include <QDateTime>
#include <QJsonDocument>

#include <atomic>

// One optimization step (forward, backward, optimizer, validation gating, record) and the end
// of a test-time run. The run's lifecycle is in Trainer.cpp.

using namespace Qt::StringLiterals;
using namespace TrainerDetail;

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
    ctx.client = client();
    ctx.observer = m_observer;
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
    bctx.client = client();
    bctx.observer = m_observer;
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
    TgdOptimizer optimizer(opt, state.prompts, client(), state.optimizerEngine, m_recorder, m_cancel);
    optimizer.setObserver(m_observer);
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

    state.remember(record);

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

