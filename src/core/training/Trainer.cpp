#include "training/Trainer.h"

#include "training/TrainerState.h"

#include "data/DatasetLoader.h"
#include "graph/PipelineJson.h"
#include "graph/PipelineValidator.h"
#include "store/RunStore.h"
#include "training/CallRecorder.h"
#include "training/Evaluator.h"
#include "training/RunGate.h"

#include <QDateTime>
#include <QFileInfo>
#include <QRandomGenerator>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace TrainerDetail;

namespace {

// The pipeline as run, self-contained: prompt overrides read from files are kept inline so a
// resume does not depend on those files still being there (or unchanged).
QJsonObject snapshot(Pipeline pipeline)
{
    pipeline.promptFiles.clear();
    return PipelineJson::toJson(pipeline);
}

} // namespace

Trainer::Trainer(RunStore *store, LlmClient *client, RunObserver *observer)
    : m_store(store)
    , m_client(client)
    , m_observer(observer)
    , m_cancel(makeCancelFlag())
    , m_pause(std::make_shared<PauseGate>())
{
}

Trainer::~Trainer() = default;

void Trainer::cancel()
{
    m_cancel->store(true);
}

void Trainer::setPaused(bool paused)
{
    m_pause->setPaused(paused);
}

bool Trainer::isPaused() const
{
    return m_pause->isPaused();
}

LlmClient *Trainer::client() const
{
    return m_gated ? static_cast<LlmClient *>(m_gated) : m_client;
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

void Trainer::prepare(State &state, const Pipeline &pipeline, const TrainingData &data)
{
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
}

RunOutcome Trainer::start(const Pipeline &pipeline, const TrainingData &data, const QJsonObject &settings)
{
    State state;
    prepare(state, pipeline, data);
    state.settings = settings;
    QString error;
    if (!createRun(state, settings, state.testTime ? u"test-time"_s : u"optimize"_s,
                   RunStatus::Running, &error))
        return RunOutcome{false, state.runId, RunStatus::Failed, error};
    return execute(state);
}

QString Trainer::enqueue(const Pipeline &pipeline, const TrainingData &data, const QJsonObject &settings,
                         QString *error)
{
    State state;
    prepare(state, pipeline, data);
    QString why;
    if (!createRun(state, settings, state.testTime ? u"test-time"_s : u"optimize"_s,
                   RunStatus::Queued, &why)) {
        if (error)
            *error = why;
        return QString();
    }
    return state.runId;
}

RunOutcome Trainer::startQueued(const QString &runId)
{
    if (!m_store->claimQueuedRun(runId))
        return RunOutcome{false, runId, RunStatus::Failed, m_store->lastError()};
    return resume(runId);
}

bool Trainer::createRun(const State &state, const QJsonObject &settings, const QString &mode,
                        const QString &status, QString *error)
{
    RunInfo run;
    run.id = state.runId;
    run.pipelineName = state.pipeline.name;
    run.pipeline = snapshot(state.pipeline);
    run.settings = settings;
    run.settings.insert(u"mode"_s, mode);
    run.data = TrainingDataJson::toJson(state.data);
    run.status = status;
    if (m_store->createRun(run))
        return true;
    *error = u"could not create the run: "_s + m_store->lastError();
    return false;
}

RunOutcome Trainer::resume(const QString &runId, const QJsonObject &settingsPatch)
{
    if (!m_store->runExists(runId))
        return RunOutcome{false, runId, RunStatus::Failed, u"no run with id %1 in %2"_s.arg(runId, m_store->path())};
    RunInfo run = m_store->run(runId);
    State state;
    state.runId = runId;
    if (!settingsPatch.isEmpty()) {
        for (auto it = settingsPatch.begin(); it != settingsPatch.end(); ++it)
            run.settings.insert(it.key(), it.value());
        if (!m_store->setRunSettings(runId, run.settings))
            return RunOutcome{false, runId, RunStatus::Failed, m_store->lastError()};
    }
    state.settings = run.settings;
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
        state.remember(step);
    }
    if (state.testTime && !steps.isEmpty())
        state.initial = steps.first().trainScore;
    if (run.status == RunStatus::Completed) {
        return RunOutcome{true, runId, RunStatus::Completed, QString()};
    }
    const bool fresh = state.lastStep == 0 && !hasScore(state.initial);
    m_store->updateRun(runId, RunStatus::Running);
    if (m_observer)
        m_observer->message(fresh ? u"starting run %1"_s.arg(runId)
                                  : u"resuming run %1 after step %2"_s.arg(runId).arg(state.lastStep));
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
    QString createError;
    if (!createRun(state, settings, u"eval"_s, RunStatus::Running, &createError))
        return RunOutcome{false, state.runId, RunStatus::Failed, createError};
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
    recorder.setBaseTotals(m_store->callTotals(state.runId));
    m_recorder = &recorder;
    GatedClient gated(m_client, m_pause, RunBudget::fromSettings(state.settings), &recorder);
    m_gated = &gated;
    const OptimizerSettings &opt = state.pipeline.optimizer;
    QString error;

    // Initial validation: the score every later step must not fall below.
    if (!state.testTime && state.data.validation.size() > 0 && !hasScore(state.initial)) {
        EvaluationResult result;
        if (!evaluateInto(state, state.current, state.data.validation, 0, u"validation"_s,
                          CallPurpose::Validation, &result, &error))
            return stopped(state, error);
        state.initial = result.score;
        state.best = result.score;
        m_store->setInitialValScore(state.runId, result.score);
        if (m_observer)
            m_observer->message(u"initial validation score %1"_s.arg(fmtScore(result.score)));
    }

    for (int step = state.lastStep + 1; step <= state.totalSteps; ++step) {
        if (m_cancel->load())
            return finish(state, RunStatus::Cancelled, u"cancelled after step %1"_s.arg(state.lastStep));
        if (gated.budgetReached())
            return stopped(state, QString());
        if (!state.testTime && opt.stopWhenPerfect && hasScore(state.best) && state.best >= 1.0) {
            if (m_observer)
                m_observer->message(u"validation is perfect; stopping early"_s);
            break;
        }
        bool stop = false;
        if (!runStep(state, step, &stop, &error))
            return stopped(state, error);
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
            return stopped(state, error);
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
    ctx.client = client();
    ctx.sink = m_recorder;
    ctx.cancel = m_cancel;
    ctx.prompts = state.prompts;
    ctx.runId = state.runId;
    ctx.step = step;
    ctx.split = split;
    ctx.observer = m_observer;
    ctx.forwardPurpose = purpose;
    ctx.lossPurpose = purpose;
    const QString phase = step == 0 && split == u"validation"_s ? u"initial-validation"_s : split;
    report(state, step, phase, 0, data.size());
    *result = Evaluator::run(ctx, data, *m_recorder, state.pipeline.optimizer.concurrency,
                             [&](int done, int total) { report(state, step, phase, done, total); });
    if (!result->ok) {
        // Nothing of an unfinished evaluation is kept: a resume scores the split again, and
        // stored halves would be counted twice. The error names the sample that failed.
        *error = describeFailure(result->failure, result->failedNode, result->failedSample, split, step, &data);
        return false;
    }
    // Results within a step are written with the step, in its transaction.
    if (step == 0 || split == u"test"_s || split == u"final"_s || split == u"eval"_s) {
        m_store->saveSampleResults(state.runId, result->samples);
        if (!result->events.isEmpty())
            m_store->saveEvents(state.runId, result->events);
    }
    if (!m_recorder->lastError().isEmpty()) {
        *error = u"could not record provider calls: "_s + m_recorder->lastError();
        return false;
    }
    return true;
}

RunOutcome Trainer::stopped(State &state, const QString &error)
{
    if (m_cancel->load())
        return finish(state, RunStatus::Cancelled, error);
    if (m_gated && (m_gated->refusedForBudget() || m_gated->budgetReached())) {
        const QString why = u"stopped by the budget after step %1: %2. Raise budgetCalls or "
                            "budgetUsd and resume to continue"_s
                                .arg(state.lastStep)
                                .arg(m_gated->budgetMessage().isEmpty() ? u"limit reached"_s
                                                                       : m_gated->budgetMessage());
        m_store->saveEvents(state.runId, {RunEvent{state.lastStep, u"budget-reached"_s, QString(), why}});
        if (m_observer)
            m_observer->message(why);
        return finish(state, RunStatus::Cancelled, why);
    }
    return finish(state, RunStatus::Failed, error);
}

RunOutcome Trainer::finish(State &state, const QString &status, const QString &error)
{
    m_store->updateRun(state.runId, status, error);
    report(state, state.lastStep, u"done"_s, 0, 0);
    m_recorder = nullptr;
    m_gated = nullptr;
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
    if (m_recorder)
        p.totals = m_recorder->totals();
    p.paused = m_pause->isPaused();
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
