#include "CliCommands.h"

#include "CliOutput.h"
#include "ProgressPrinter.h"
#include "ProvidersCommand.h"

#include "data/DatasetLoader.h"
#include "graph/PipelineJson.h"
#include "graph/PipelineValidator.h"
#include "cost/PriceTable.h"
#include "ClientStack.h"
#include "providers/ResponseCache.h"
#include "report/PromptExport.h"
#include "store/RunStore.h"
#include "training/RunSummary.h"
#include "training/Trainer.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>

#include <csignal>
#include <functional>
#include <memory>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

// Ctrl+C once cancels the run cleanly (it stays resumable); twice exits at once.
std::atomic_bool *g_cancel = nullptr;
volatile std::sig_atomic_t g_interrupts = 0;

void onInterrupt(int)
{
    ++g_interrupts;
    if (g_interrupts > 1)
        _exit(130);
    if (g_cancel)
        g_cancel->store(true);
}

class InterruptGuard
{
public:
    explicit InterruptGuard(const CancelFlag &flag)
        : m_flag(flag)
    {
        g_cancel = m_flag.get();
        std::signal(SIGINT, onInterrupt);
        std::signal(SIGTERM, onInterrupt);
    }
    ~InterruptGuard()
    {
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
        g_cancel = nullptr;
    }

private:
    CancelFlag m_flag;
};

struct Common
{
    bool json = false;
    QString db;
};

QCommandLineOption opt(const QString &name, const QString &help, const QString &value = QString())
{
    return value.isEmpty() ? QCommandLineOption(name, help) : QCommandLineOption(name, help, value);
}

// Parses a command's own options; prints the problem and returns false on bad usage.
bool parse(QCommandLineParser &parser, const QStringList &args, const QString &command)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addHelpOption();
    if (!parser.parse(args)) {
        CliOutput::error(u"textgrad-cli %1: %2 (see textgrad-cli %1 --help)"_s.arg(command, parser.errorText()));
        return false;
    }
    if (parser.isSet(u"help"_s)) {
        CliOutput::out(parser.helpText());
        return false;
    }
    return true;
}

bool openStore(RunStore &store, const QString &path)
{
    QString error;
    if (!store.open(path, &error)) {
        CliOutput::error(u"cannot open project file %1: %2"_s.arg(path, error));
        return false;
    }
    return true;
}

bool loadPipeline(const QString &path, Pipeline *pipeline,
                  PipelineValidator::Use use = PipelineValidator::Use::Optimize)
{
    QVector<PipelineIssue> issues;
    bool ok = PipelineJson::loadFile(path, pipeline, &issues);
    if (ok)
        issues += PipelineValidator::validate(*pipeline, use);
    for (const PipelineIssue &issue : issues)
        CliOutput::error(issue.toString(path));
    return ok && !PipelineValidator::hasErrors(issues);
}

bool loadData(const QString &path, const Pipeline &pipeline, Dataset *data)
{
    QString error;
    if (!DatasetLoader::load(path, data, &error)
        || !DatasetLoader::checkFields(*data, pipeline.inputFields(), &error)) {
        CliOutput::error(error);
        return false;
    }
    return true;
}

bool intOption(const QCommandLineParser &parser, const QString &name, int minimum, int *target)
{
    if (!parser.isSet(name))
        return true;
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok || value < minimum) {
        CliOutput::error(u"--%1 must be a whole number of at least %2 (got \"%3\")"_s.arg(name).arg(minimum).arg(parser.value(name)));
        return false;
    }
    *target = value;
    return true;
}

int finishRun(RunStore &store, const RunOutcome &outcome, const Common &common, const QString &exportPath)
{
    if (!store.runExists(outcome.runId)) {
        CliOutput::error(outcome.error);
        return Cli::RunFailed;
    }
    const QJsonObject summary = RunSummary::build(store, outcome.runId);
    if (!exportPath.isEmpty() && outcome.ok) {
        QByteArray bytes;
        QString error;
        const QString format = PromptExport::formatFromPath(exportPath).isEmpty()
            ? u"json"_s : PromptExport::formatFromPath(exportPath);
        if (!PromptExport::render(store, outcome.runId, format, &bytes, &error)
            || !CliOutput::writeFile(exportPath, bytes, &error))
            CliOutput::error(u"export failed: "_s + error);
    }
    if (common.json)
        CliOutput::json(summary);
    else
        CliOutput::out(RunSummary::toText(summary) + u"project file: "_s + store.path() + u'\n');
    if (!outcome.ok) {
        CliOutput::error(u"run %1 %2: %3"_s.arg(outcome.runId, outcome.status, outcome.error));
        if (summary.value(u"mode"_s).toString() != u"eval"_s)
            CliOutput::error(u"resume it with: textgrad-cli resume --db %1 --run %2"_s.arg(store.path(), outcome.runId));
        return Cli::RunFailed;
    }
    return Cli::Success;
}

// The prices every call of this process is costed with: the built-in table, the user's
// overrides ($TEXTGRAD_PRICES or the per-user prices.json) and --prices. A bad file is bad input.
bool setUpPrices(const QString &pricesFile)
{
    PriceTable table;
    QString error;
    if (!PriceTable::loadWithOverrides(pricesFile, &table, &error)) {
        CliOutput::error(error);
        return false;
    }
    PriceTable::setActive(std::make_shared<const PriceTable>(std::move(table)));
    return true;
}

QString absolutePath(const QString &path)
{
    return path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
}

// Drives one Trainer call with the real provider client (behind the project's response cache
// unless noCache), progress on stderr and Ctrl+C wired to cancel, then reports the outcome like
// every run command does.
int runTrainer(RunStore &store, const Common &common, bool quiet, const QString &exportPath,
               bool noCache, int concurrency, const std::function<RunOutcome(Trainer &)> &action)
{
    ClientStack stack(ClientStack::Options{store.path(), !noCache, concurrency});
    ProgressPrinter printer(quiet);
    Trainer trainer(&store, stack.client(), &printer);
    InterruptGuard guard(trainer.cancelFlag());
    return finishRun(store, action(trainer), common, exportPath);
}

int cmdOptimize(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(u"Optimize the trainable parameters of PIPELINE with textual gradient descent."_s);
    p.addPositionalArgument(u"PIPELINE"_s, u"pipeline file (.tgpipe.json)"_s);
    p.addOptions({
        opt(u"train"_s, u"training data (CSV or JSONL); not needed for a pipeline without inputs (test-time optimization)"_s, u"FILE"_s),
        opt(u"val"_s, u"validation data; each step is kept only if it does not lower the validation score"_s, u"FILE"_s),
        opt(u"test"_s, u"test data, scored once with the final parameters"_s, u"FILE"_s),
        opt(u"steps"_s, u"maximum optimizer steps (optimizer.maxSteps)"_s, u"N"_s),
        opt(u"batch-size"_s, u"samples per step (optimizer.batchSize)"_s, u"B"_s),
        opt(u"epochs"_s, u"passes over the training data (optimizer.epochs)"_s, u"E"_s),
        opt(u"seed"_s, u"seed for batch shuffling and gradient sampling (optimizer.seed)"_s, u"S"_s),
        opt(u"validation"_s, u"gating: revert-if-worse or none (optimizer.validation)"_s, u"MODE"_s),
        opt(u"concurrency"_s, u"provider calls in flight at once (optimizer.concurrency)"_s, u"N"_s),
        opt(u"db"_s, u"project file that keeps the run (default: $TEXTGRAD_DB or the per-user project)"_s, u"FILE"_s),
        opt(u"export"_s, u"write the optimized prompts to FILE (.txt, .json or .md)"_s, u"FILE"_s),
        opt(u"json"_s, u"print one JSON summary on stdout and nothing else"_s),
        opt(u"no-cache"_s, u"bypass the project's response cache: send every request, store no reply (the cache is on by default)"_s),
        opt(u"prices"_s, u"price table overrides (same format as the built-in prices.json), on top of $TEXTGRAD_PRICES or the per-user prices.json"_s, u"FILE"_s),
        opt(u"quiet"_s, u"no progress on stderr"_s),
    });
    if (!parse(p, args, u"optimize"_s))
        return p.isSet(u"help"_s) ? Cli::Success : Cli::BadInput;
    if (p.positionalArguments().size() != 1) {
        CliOutput::error(u"textgrad-cli optimize: expected one PIPELINE file (see textgrad-cli optimize --help)"_s);
        return Cli::BadInput;
    }
    const QString pipelinePath = p.positionalArguments().first();
    Pipeline pipeline;
    if (!loadPipeline(pipelinePath, &pipeline))
        return Cli::BadInput;

    OptimizerSettings &o = pipeline.optimizer;
    if (!intOption(p, u"steps"_s, 1, &o.maxSteps) || !intOption(p, u"batch-size"_s, 1, &o.batchSize)
        || !intOption(p, u"epochs"_s, 1, &o.epochs) || !intOption(p, u"concurrency"_s, 1, &o.concurrency))
        return Cli::BadInput;
    if (p.isSet(u"seed"_s)) {
        bool ok = false;
        o.seed = p.value(u"seed"_s).toULongLong(&ok);
        if (!ok) {
            CliOutput::error(u"--seed must be a whole number of at least 0 (got \"%1\")"_s.arg(p.value(u"seed"_s)));
            return Cli::BadInput;
        }
    }
    if (p.isSet(u"validation"_s)) {
        const QString mode = p.value(u"validation"_s);
        if (mode != u"none"_s && mode != u"revert-if-worse"_s) {
            CliOutput::error(u"--validation must be none or revert-if-worse (got \"%1\")"_s.arg(mode));
            return Cli::BadInput;
        }
        o.validation = mode;
    }

    TrainingData data;
    if (pipeline.isTestTime()) {
        if (p.isSet(u"train"_s) || p.isSet(u"val"_s) || p.isSet(u"test"_s))
            CliOutput::error(u"note: %1 has no input nodes, so it runs as test-time optimization and the data files are not used"_s.arg(pipelinePath));
    } else {
        if (!p.isSet(u"train"_s)) {
            CliOutput::error(u"textgrad-cli optimize: --train FILE is required (the pipeline reads the fields %1)"_s
                                 .arg(pipeline.inputFields().join(u", "_s)));
            return Cli::BadInput;
        }
        if (!p.isSet(u"val"_s) && o.validation != u"none"_s) {
            CliOutput::error(u"textgrad-cli optimize: --val FILE is required for validation \"%1\" (or pass --validation none)"_s
                                 .arg(o.validation));
            return Cli::BadInput;
        }
        if (!loadData(p.value(u"train"_s), pipeline, &data.train))
            return Cli::BadInput;
        if (data.train.size() == 0) {
            CliOutput::error(u"%1: the training data has no rows"_s.arg(p.value(u"train"_s)));
            return Cli::BadInput;
        }
        if (p.isSet(u"val"_s) && !loadData(p.value(u"val"_s), pipeline, &data.validation))
            return Cli::BadInput;
        if (p.isSet(u"test"_s) && !loadData(p.value(u"test"_s), pipeline, &data.test))
            return Cli::BadInput;
    }

    if (!setUpPrices(p.value(u"prices"_s)))
        return Cli::BadInput;
    Common common{p.isSet(u"json"_s), p.isSet(u"db"_s) ? p.value(u"db"_s) : Cli::defaultDatabasePath()};
    RunStore store;
    if (!openStore(store, common.db))
        return Cli::BadInput;
    QJsonObject settings{
        {u"pipelineFile"_s, QFileInfo(pipelinePath).absoluteFilePath()},
        {u"noCache"_s, p.isSet(u"no-cache"_s)},
        {u"command"_s, u"optimize"_s},
    };
    if (p.isSet(u"prices"_s))
        settings.insert(u"pricesFile"_s, absolutePath(p.value(u"prices"_s)));
    return runTrainer(store, common, p.isSet(u"quiet"_s), p.value(u"export"_s), p.isSet(u"no-cache"_s),
                      pipeline.optimizer.concurrency,
                      [&](Trainer &trainer) { return trainer.start(pipeline, data, settings); });
}

int cmdResume(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(u"Continue an interrupted run (killed, crashed, failed or cancelled) from its last completed step, with the same settings."_s);
    p.addOptions({
        opt(u"db"_s, u"project file that keeps the run"_s, u"FILE"_s),
        opt(u"run"_s, u"run id (see textgrad-cli runs)"_s, u"ID"_s),
        opt(u"export"_s, u"write the optimized prompts to FILE (.txt, .json or .md)"_s, u"FILE"_s),
        opt(u"json"_s, u"print one JSON summary on stdout and nothing else"_s),
        opt(u"no-cache"_s, u"bypass the response cache (a run started with --no-cache always does)"_s),
        opt(u"prices"_s, u"price table overrides (default: the file the run was started with, if any)"_s, u"FILE"_s),
        opt(u"quiet"_s, u"no progress on stderr"_s),
    });
    if (!parse(p, args, u"resume"_s))
        return p.isSet(u"help"_s) ? Cli::Success : Cli::BadInput;
    if (!p.isSet(u"run"_s)) {
        CliOutput::error(u"textgrad-cli resume: --run ID is required (list runs with textgrad-cli runs)"_s);
        return Cli::BadInput;
    }
    Common common{p.isSet(u"json"_s), p.isSet(u"db"_s) ? p.value(u"db"_s) : Cli::defaultDatabasePath()};
    RunStore store;
    if (!openStore(store, common.db))
        return Cli::BadInput;
    const QString runId = p.value(u"run"_s);
    if (!store.runExists(runId)) {
        CliOutput::error(u"no run %1 in %2 (list runs with textgrad-cli runs --db %2)"_s.arg(runId, store.path()));
        return Cli::BadInput;
    }
    const QJsonObject runSettings = store.run(runId).settings;
    if (runSettings.value(u"mode"_s).toString() == u"eval"_s) {
        CliOutput::error(u"run %1 is an evaluation, not an optimization; there is nothing to resume"_s.arg(runId));
        return Cli::BadInput;
    }
    // Same settings as the run started with: a run that bypassed the cache keeps bypassing it.
    const bool noCache = p.isSet(u"no-cache"_s) || runSettings.value(u"noCache"_s).toBool();
    QString pricesFile = p.value(u"prices"_s);
    const QString storedPrices = runSettings.value(u"pricesFile"_s).toString();
    if (pricesFile.isEmpty() && !storedPrices.isEmpty()) {
        if (QFileInfo::exists(storedPrices))
            pricesFile = storedPrices;
        else
            CliOutput::error(u"note: the run's price file %1 is gone; pricing with the defaults"_s.arg(storedPrices));
    }
    if (!setUpPrices(pricesFile))
        return Cli::BadInput;
    const int concurrency = store.run(runId).pipeline.value(u"optimizer"_s).toObject()
                                .value(u"concurrency"_s).toInt(OptimizerSettings().concurrency);
    return runTrainer(store, common, p.isSet(u"quiet"_s), p.value(u"export"_s), noCache, concurrency,
                      [&](Trainer &trainer) { return trainer.resume(runId); });
}

int cmdEval(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(u"Score PIPELINE, as written, on a dataset. The result is kept in the project file as a run of mode \"eval\"."_s);
    p.addPositionalArgument(u"PIPELINE"_s, u"pipeline file (.tgpipe.json)"_s);
    p.addOptions({
        opt(u"data"_s, u"data to score (CSV or JSONL)"_s, u"FILE"_s),
        opt(u"concurrency"_s, u"provider calls in flight at once"_s, u"N"_s),
        opt(u"db"_s, u"project file that keeps the result"_s, u"FILE"_s),
        opt(u"json"_s, u"print one JSON document on stdout and nothing else"_s),
        opt(u"no-cache"_s, u"bypass the project's response cache: send every request, store no reply (the cache is on by default)"_s),
        opt(u"prices"_s, u"price table overrides (same format as the built-in prices.json), on top of $TEXTGRAD_PRICES or the per-user prices.json"_s, u"FILE"_s),
        opt(u"quiet"_s, u"no progress on stderr"_s),
    });
    if (!parse(p, args, u"eval"_s))
        return p.isSet(u"help"_s) ? Cli::Success : Cli::BadInput;
    if (p.positionalArguments().size() != 1 || !p.isSet(u"data"_s)) {
        CliOutput::error(u"textgrad-cli eval: usage: textgrad-cli eval PIPELINE --data FILE"_s);
        return Cli::BadInput;
    }
    const QString pipelinePath = p.positionalArguments().first();
    Pipeline pipeline;
    if (!loadPipeline(pipelinePath, &pipeline, PipelineValidator::Use::Evaluate))
        return Cli::BadInput;
    if (!intOption(p, u"concurrency"_s, 1, &pipeline.optimizer.concurrency))
        return Cli::BadInput;
    Dataset data;
    if (!loadData(p.value(u"data"_s), pipeline, &data))
        return Cli::BadInput;
    if (!setUpPrices(p.value(u"prices"_s)))
        return Cli::BadInput;
    Common common{p.isSet(u"json"_s), p.isSet(u"db"_s) ? p.value(u"db"_s) : Cli::defaultDatabasePath()};
    RunStore store;
    if (!openStore(store, common.db))
        return Cli::BadInput;
    QJsonObject settings{{u"pipelineFile"_s, QFileInfo(pipelinePath).absoluteFilePath()},
                         {u"noCache"_s, p.isSet(u"no-cache"_s)}, {u"command"_s, u"eval"_s}};
    if (p.isSet(u"prices"_s))
        settings.insert(u"pricesFile"_s, absolutePath(p.value(u"prices"_s)));
    return runTrainer(store, common, p.isSet(u"quiet"_s), QString(), p.isSet(u"no-cache"_s),
                      pipeline.optimizer.concurrency,
                      [&](Trainer &trainer) { return trainer.evaluate(pipeline, data, settings); });
}

int cmdValidate(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(u"Check a pipeline file (and, with --data, that a dataset has every field it reads) without calling any model."_s);
    p.addPositionalArgument(u"PIPELINE"_s, u"pipeline file (.tgpipe.json)"_s);
    p.addOptions({opt(u"data"_s, u"data file to check against the pipeline's input fields (repeatable)"_s, u"FILE"_s),
                  opt(u"json"_s, u"print {\"valid\": bool, \"issues\": [...]} on stdout"_s)});
    if (!parse(p, args, u"validate"_s))
        return p.isSet(u"help"_s) ? Cli::Success : Cli::BadInput;
    if (p.positionalArguments().size() != 1) {
        CliOutput::error(u"textgrad-cli validate: usage: textgrad-cli validate PIPELINE [--data FILE]"_s);
        return Cli::BadInput;
    }
    const QString path = p.positionalArguments().first();
    Pipeline pipeline;
    QVector<PipelineIssue> issues;
    const bool loaded = PipelineJson::loadFile(path, &pipeline, &issues);
    if (loaded)
        issues += PipelineValidator::validate(pipeline);
    QStringList problems;
    for (const PipelineIssue &issue : issues)
        problems.append(issue.toString(path));
    bool valid = loaded && !PipelineValidator::hasErrors(issues);
    if (loaded) {
        for (const QString &dataPath : p.values(u"data"_s)) {
            Dataset data;
            QString error;
            if (!DatasetLoader::load(dataPath, &data, &error)
                || !DatasetLoader::checkFields(data, pipeline.inputFields(), &error)) {
                problems.append(error);
                valid = false;
            }
        }
    }
    if (p.isSet(u"json"_s)) {
        CliOutput::json(QJsonObject{{u"valid"_s, valid}, {u"issues"_s, QJsonArray::fromStringList(problems)}});
    } else {
        for (const QString &line : problems)
            CliOutput::error(line);
        if (valid) {
            CliOutput::out(u"%1: valid (%2 nodes, trainable: %3%4)\n"_s.arg(path).arg(pipeline.nodes.size())
                               .arg(pipeline.trainableIds().join(u", "_s),
                                    pipeline.isTestTime() ? u"; no inputs, so it runs as test-time optimization"_s
                                                          : u"; reads the fields "_s + pipeline.inputFields().join(u", "_s)));
        }
    }
    return valid ? Cli::Success : Cli::BadInput;
}

int cmdRuns(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(u"List the runs kept in a project file, newest first."_s);
    p.addOptions({opt(u"db"_s, u"project file"_s, u"FILE"_s), opt(u"json"_s, u"print a JSON array"_s)});
    if (!parse(p, args, u"runs"_s))
        return p.isSet(u"help"_s) ? Cli::Success : Cli::BadInput;
    RunStore store;
    if (!openStore(store, p.isSet(u"db"_s) ? p.value(u"db"_s) : Cli::defaultDatabasePath()))
        return Cli::BadInput;
    QJsonArray list;
    QString text;
    for (const RunInfo &run : store.runs()) {
        const QVector<StepRecord> steps = store.steps(run.id);
        const double best = steps.isEmpty() ? run.initialValScore : steps.last().bestValScore;
        const QString mode = run.settings.value(u"mode"_s).toString();
        list.append(QJsonObject{
            {u"runId"_s, run.id}, {u"pipeline"_s, run.pipelineName}, {u"mode"_s, mode},
            {u"status"_s, run.status}, {u"createdAt"_s, run.createdAt.toString(Qt::ISODate)},
            {u"steps"_s, steps.size()},
            {u"initialValScore"_s, hasScore(run.initialValScore) ? QJsonValue(run.initialValScore) : QJsonValue()},
            {u"bestValScore"_s, hasScore(best) ? QJsonValue(best) : QJsonValue()},
        });
        text += u"%1  %2  %3  %4  %5 steps  %6\n"_s.arg(run.id, run.createdAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s),
                                                      mode.leftJustified(9), run.status.leftJustified(9))
                    .arg(steps.size()).arg(run.pipelineName);
    }
    if (p.isSet(u"json"_s))
        CliOutput::json(list);
    else
        CliOutput::out(text.isEmpty() ? u"no runs in %1\n"_s.arg(store.path()) : text);
    return Cli::Success;
}

int cmdShow(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(u"Show a stored run: scores, steps, final parameters, calls and tokens."_s);
    p.addOptions({opt(u"db"_s, u"project file"_s, u"FILE"_s), opt(u"run"_s, u"run id"_s, u"ID"_s),
                  opt(u"json"_s, u"print the same JSON document optimize --json prints"_s)});
    if (!parse(p, args, u"show"_s))
        return p.isSet(u"help"_s) ? Cli::Success : Cli::BadInput;
    if (!p.isSet(u"run"_s)) {
        CliOutput::error(u"textgrad-cli show: --run ID is required (list runs with textgrad-cli runs)"_s);
        return Cli::BadInput;
    }
    RunStore store;
    if (!openStore(store, p.isSet(u"db"_s) ? p.value(u"db"_s) : Cli::defaultDatabasePath()))
        return Cli::BadInput;
    if (!store.runExists(p.value(u"run"_s))) {
        CliOutput::error(u"no run %1 in %2"_s.arg(p.value(u"run"_s), store.path()));
        return Cli::BadInput;
    }
    const QJsonObject summary = RunSummary::build(store, p.value(u"run"_s));
    if (p.isSet(u"json"_s))
        CliOutput::json(summary);
    else
        CliOutput::out(RunSummary::toText(summary));
    return Cli::Success;
}

int cmdExport(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(u"Write a run's optimized prompts as text, JSON or Markdown."_s);
    p.addOptions({opt(u"db"_s, u"project file"_s, u"FILE"_s), opt(u"run"_s, u"run id"_s, u"ID"_s),
                  opt(u"format"_s, u"txt, json or md (default: from --out's extension, else txt)"_s, u"FORMAT"_s),
                  opt(u"out"_s, u"output file (default: stdout)"_s, u"FILE"_s)});
    if (!parse(p, args, u"export"_s))
        return p.isSet(u"help"_s) ? Cli::Success : Cli::BadInput;
    if (!p.isSet(u"run"_s)) {
        CliOutput::error(u"textgrad-cli export: --run ID is required"_s);
        return Cli::BadInput;
    }
    QString format = p.value(u"format"_s);
    if (format.isEmpty())
        format = PromptExport::formatFromPath(p.value(u"out"_s));
    if (format.isEmpty())
        format = u"txt"_s;
    RunStore store;
    if (!openStore(store, p.isSet(u"db"_s) ? p.value(u"db"_s) : Cli::defaultDatabasePath()))
        return Cli::BadInput;
    if (!store.runExists(p.value(u"run"_s))) {
        CliOutput::error(u"no run %1 in %2"_s.arg(p.value(u"run"_s), store.path()));
        return Cli::BadInput;
    }
    QByteArray bytes;
    QString error;
    if (!PromptExport::render(store, p.value(u"run"_s), format, &bytes, &error)) {
        CliOutput::error(error);
        return Cli::BadInput;
    }
    if (p.isSet(u"out"_s)) {
        if (!CliOutput::writeFile(p.value(u"out"_s), bytes, &error)) {
            CliOutput::error(error);
            return Cli::RunFailed;
        }
    } else {
        CliOutput::raw(bytes);
    }
    return Cli::Success;
}

int cmdCache(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(u"Show the size of a project file's response cache, or clear it. The cache is shared by "
                                "every run in the project; runs use it unless started with --no-cache."_s);
    p.addOptions({opt(u"db"_s, u"project file"_s, u"FILE"_s),
                  opt(u"clear"_s, u"remove every cached response"_s),
                  opt(u"json"_s, u"print {\"db\", \"entries\", \"bytes\"} (and \"cleared\" with --clear) on stdout"_s)});
    if (!parse(p, args, u"cache"_s))
        return p.isSet(u"help"_s) ? Cli::Success : Cli::BadInput;
    const QString db = p.isSet(u"db"_s) ? p.value(u"db"_s) : Cli::defaultDatabasePath();
    QString error;
    qint64 cleared = 0;
    if (p.isSet(u"clear"_s) && !ResponseCache::clear(db, &cleared, &error)) {
        CliOutput::error(u"cannot clear the response cache: "_s + error);
        return QFileInfo::exists(db) ? Cli::RunFailed : Cli::BadInput;
    }
    ResponseCacheStats stats;
    if (!ResponseCache::stats(db, &stats, &error)) {
        CliOutput::error(u"cannot read the response cache: "_s + error);
        return QFileInfo::exists(db) ? Cli::RunFailed : Cli::BadInput;
    }
    if (p.isSet(u"json"_s)) {
        QJsonObject doc{{u"db"_s, db}, {u"entries"_s, double(stats.entries)}, {u"bytes"_s, double(stats.bytes)}};
        if (p.isSet(u"clear"_s))
            doc.insert(u"cleared"_s, double(cleared));
        CliOutput::json(doc);
    } else {
        QString text;
        if (p.isSet(u"clear"_s))
            text += u"removed %1 cached responses\n"_s.arg(cleared);
        text += u"response cache of %1: %2 entries, %3 KiB\n"_s.arg(db).arg(stats.entries)
                    .arg(QString::number(double(stats.bytes) / 1024.0, 'f', 1));
        CliOutput::out(text);
    }
    return Cli::Success;
}

} // namespace

QString Cli::defaultDatabasePath()
{
    const QString env = qEnvironmentVariable("TEXTGRAD_DB");
    if (!env.isEmpty())
        return env;
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + u"/textgrad-workbench/default.tgdb"_s;
}

QString Cli::helpText()
{
    return u"textgrad-cli " TEXTGRAD_VERSION "  -  optimize LLM pipeline prompts with textual gradients\n"
           "\n"
           "Usage:\n"
           "  textgrad-cli optimize PIPELINE --train FILE --val FILE [--test FILE]\n"
           "               [--steps N] [--batch-size B] [--epochs E] [--seed S]\n"
           "               [--validation revert-if-worse|none] [--concurrency N]\n"
           "               [--db FILE] [--export FILE] [--json] [--no-cache] [--prices FILE] [--quiet]\n"
           "  textgrad-cli optimize PIPELINE            (a pipeline without inputs: test-time optimization)\n"
           "  textgrad-cli eval PIPELINE --data FILE [--db FILE] [--json] [--concurrency N]\n"
           "               [--no-cache] [--prices FILE]\n"
           "  textgrad-cli validate PIPELINE [--data FILE]... [--json]\n"
           "  textgrad-cli providers [--json]\n"
           "  textgrad-cli providers test PIPELINE [--engine NAME] [--json]\n"
           "  textgrad-cli providers test --provider NAME [--base-url URL] [--model M] [--api-key-env VAR]\n"
           "  textgrad-cli runs [--db FILE] [--json]\n"
           "  textgrad-cli show --run ID [--db FILE] [--json]\n"
           "  textgrad-cli resume --run ID [--db FILE] [--json] [--export FILE] [--no-cache] [--prices FILE]\n"
           "  textgrad-cli export --run ID [--db FILE] [--format txt|json|md] [--out FILE]\n"
           "  textgrad-cli cache [--db FILE] [--clear] [--json]\n"
           "  textgrad-cli COMMAND --help              (the options of one command)\n"
           "\n"
           "Commands:\n"
           "  optimize  run textual gradient descent on the pipeline's trainable parameters. Each step\n"
           "            runs a batch forward, asks the backward engine for critiques, rewrites every\n"
           "            trainable parameter, and (revert-if-worse) keeps the step only if the validation\n"
           "            score does not drop. Flags override the pipeline's \"optimizer\" settings.\n"
           "  eval      score the pipeline as written on a dataset.\n"
           "  validate  check a pipeline (and datasets against it) without calling any model.\n"
           "  providers list the providers this build speaks and whether their keys are found;\n"
           "            providers test: the models an endpoint offers and how fast it answers.\n"
           "  runs      list the runs in a project file.\n"
           "  show      print a stored run; --json prints the same document optimize --json prints.\n"
           "  resume    continue an interrupted run from its last completed step.\n"
           "  export    write a run's optimized prompts (txt: ready to paste; json: values and the\n"
           "            pipeline with them filled in; md: for review).\n"
           "  cache     show the size of the project's response cache; --clear empties it.\n"
           "\n"
           "Data files: CSV with a header row, or JSONL (one object per line). Columns are matched to\n"
           "the pipeline's input nodes by their \"field\".\n"
           "\n"
           "Output: progress goes to stderr (a bar on a terminal). With --json, stdout carries exactly\n"
           "one JSON document. calls.total counts every request sent to a provider, retries included;\n"
           "calls.cached counts answers replayed from the response cache (not sent, not in total).\n"
           "\n"
           "Response cache: replies are kept in the project file, keyed on the SHA-256 of provider,\n"
           "base URL, model, the messages and every sampling setting (temperature included). A later\n"
           "run sending the same requests gets the same answers, free and at once; within one run,\n"
           "identical requests still go out (the n-th repeat replays the n-th answer next time).\n"
           "Errors are never cached. --no-cache bypasses it for a run (resume keeps that choice).\n"
           "\n"
           "Cost: every call is priced with resources/prices.json (USD per million tokens), overridden\n"
           "entry by entry by $TEXTGRAD_PRICES (else the per-user prices.json) and --prices FILE. Local\n"
           "servers cost 0; a model without a price is reported under cost.unknownCalls, not as 0.\n"
           "\n"
           "Project file: every run, step, gradient and provider call is kept in a SQLite file: --db,\n"
           "else $TEXTGRAD_DB, else "_s
        + defaultDatabasePath()
        + u"\n"
          "\n"
          "API keys: read from the environment variable an engine names in \"apiKeyEnv\" (default\n"
          "OPENAI_API_KEY for provider openai; local servers need none). Keys are never stored.\n"
          "\n"
          "Ctrl+C cancels cleanly (the run can be resumed); a second Ctrl+C exits at once.\n"
          "\n"
          "Exit status: 0 success; 1 the run failed (provider error, cancelled); 2 bad usage or an\n"
          "invalid pipeline or dataset.\n"
          "\n"
          "Pipeline format: docs/pipeline-format.md; costs and the cache: docs/costs-and-cache.md\n"_s;
}

int Cli::run(const QStringList &arguments)
{
    const QString command = arguments.value(1);
    if (command.isEmpty() || command == u"--help"_s || command == u"-h"_s || command == u"help"_s) {
        CliOutput::out(helpText());
        return command.isEmpty() ? BadInput : Success;
    }
    if (command == u"--version"_s || command == u"-v"_s) {
        CliOutput::out(u"textgrad-cli " TEXTGRAD_VERSION "\n"_s);
        return Success;
    }
    // QCommandLineParser expects the program name first; the command word is dropped.
    QStringList args = arguments;
    args.removeAt(1);
    if (command == u"optimize"_s)
        return cmdOptimize(args);
    if (command == u"resume"_s)
        return cmdResume(args);
    if (command == u"eval"_s)
        return cmdEval(args);
    if (command == u"validate"_s)
        return cmdValidate(args);
    if (command == u"providers"_s)
        return ProvidersCommand::run(args);
    if (command == u"runs"_s)
        return cmdRuns(args);
    if (command == u"show"_s)
        return cmdShow(args);
    if (command == u"export"_s)
        return cmdExport(args);
    if (command == u"cache"_s)
        return cmdCache(args);
    CliOutput::error(u"textgrad-cli: unknown command \"%1\" (commands: optimize, eval, validate, providers, runs, show, resume, export, cache; see textgrad-cli --help)"_s.arg(command));
    return BadInput;
}
