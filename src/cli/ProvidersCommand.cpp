#include "ProvidersCommand.h"

#include "CliCommands.h"
#include "CliOutput.h"
#include "KeychainKeySource.h"

#include "graph/PipelineJson.h"
#include "providers/ModelCatalog.h"
#include "providers/ProviderPresets.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

QString dialectName(DialectKind kind)
{
    switch (kind) {
    case DialectKind::OpenAi:
        return u"OpenAI chat completions"_s;
    case DialectKind::AzureOpenAi:
        return u"Azure OpenAI"_s;
    case DialectKind::Anthropic:
        return u"Anthropic Messages"_s;
    case DialectKind::Gemini:
        return u"Gemini generateContent"_s;
    }
    return {};
}

int list(bool json, const KeySource &keys)
{
    QJsonArray rows;
    QString text = u"%1 %2 %3 %4\n"_s.arg(u"PROVIDER"_s.leftJustified(18), u"DEFAULT BASE URL"_s.leftJustified(42),
                                           u"KEY VARIABLE"_s.leftJustified(22), u"KEY"_s);
    for (const ProviderPreset &p : ProviderPresets::all()) {
        const bool keySet = !p.keyVariable.isEmpty() && !keys.key(p.keyVariable).isEmpty();
        const QString keyState = p.keyVariable.isEmpty() ? u"not needed"_s
                                 : keySet               ? u"found"_s
                                 : p.keyRequired        ? u"missing"_s
                                                        : u"optional, not set"_s;
        rows.append(QJsonObject{{u"provider"_s, p.name},
                                {u"name"_s, p.displayName},
                                {u"protocol"_s, dialectName(p.dialect)},
                                {u"defaultBaseUrl"_s, p.defaultBaseUrl},
                                {u"keyVariable"_s, p.keyVariable},
                                {u"keyRequired"_s, p.keyRequired},
                                {u"keyFound"_s, keySet}});
        text += u"%1 %2 %3 %4\n"_s.arg(p.name.leftJustified(18),
                                        (p.defaultBaseUrl.isEmpty() ? u"(set baseUrl)"_s : p.defaultBaseUrl).leftJustified(42),
                                        (p.keyVariable.isEmpty() ? u"-"_s : p.keyVariable).leftJustified(22), keyState);
    }
    if (json)
        CliOutput::json(QJsonObject{{u"providers"_s, rows}});
    else
        CliOutput::out(text + u"\nKeys are read from the variable an engine names in apiKeyEnv (or the one above),\n"
                              "then from the system keychain (service \"textgrad-workbench\"). They are never stored.\n"_s);
    return Cli::Success;
}

int test(const QCommandLineParser &p, const KeySource &keys)
{
    QVector<EngineConfig> engines;
    if (!p.positionalArguments().value(1).isEmpty()) {
        const QString path = p.positionalArguments().value(1);
        Pipeline pipeline;
        QVector<PipelineIssue> issues;
        if (!PipelineJson::loadFile(path, &pipeline, &issues)) {
            for (const PipelineIssue &issue : issues)
                CliOutput::error(issue.toString(path));
            return Cli::BadInput;
        }
        for (auto it = pipeline.engines.cbegin(); it != pipeline.engines.cend(); ++it) {
            if (p.isSet(u"engine"_s) && it.key() != p.value(u"engine"_s))
                continue;
            EngineConfig engine = it.value();
            engine.name = it.key();
            engines.append(engine);
        }
        if (engines.isEmpty()) {
            CliOutput::error(p.isSet(u"engine"_s) ? u"%1 has no engine \"%2\""_s.arg(path, p.value(u"engine"_s))
                                                  : u"%1 has no engines"_s.arg(path));
            return Cli::BadInput;
        }
    } else if (p.isSet(u"provider"_s)) {
        EngineConfig engine;
        engine.name = p.value(u"provider"_s);
        engine.provider = p.value(u"provider"_s);
        engine.baseUrl = p.value(u"base-url"_s);
        engine.model = p.value(u"model"_s);
        engine.apiKeyEnv = p.value(u"api-key-env"_s);
        engine.deployment = p.value(u"deployment"_s);
        if (!ProviderPresets::find(engine.provider)) {
            CliOutput::error(u"unknown provider \"%1\" (known: %2)"_s.arg(engine.provider, ProviderPresets::names().join(u", "_s)));
            return Cli::BadInput;
        }
        engines.append(engine);
    } else {
        CliOutput::error(u"textgrad-cli providers test: give a PIPELINE or --provider NAME (see textgrad-cli providers --help)"_s);
        return Cli::BadInput;
    }

    bool allOk = true;
    QJsonArray results;
    QString text;
    const int timeoutMs = qMax(1, p.value(u"timeout"_s).toInt()) * 1000;
    for (const EngineConfig &engine : engines) {
        const ModelListing listing = ModelCatalog::list(engine, keys, makeCancelFlag(), timeoutMs);
        QJsonObject row{{u"engine"_s, engine.name}, {u"provider"_s, engine.provider},
                        {u"model"_s, engine.model}, {u"ok"_s, listing.ok},
                        {u"latencyMs"_s, double(listing.latencyMs)}, {u"httpStatus"_s, listing.httpStatus},
                        {u"models"_s, QJsonArray::fromStringList(listing.models)}};
        QString line = u"%1  "_s.arg(engine.name);
        if (listing.ok) {
            line += u"ok, %1 ms, %2 models"_s.arg(listing.latencyMs).arg(listing.models.size());
            if (!engine.model.isEmpty() && !listing.models.isEmpty()) {
                const bool offered = listing.models.contains(engine.model);
                row.insert(u"modelOffered"_s, offered);
                line += offered ? u"; \"%1\" is offered"_s.arg(engine.model)
                                : u"; \"%1\" is NOT offered"_s.arg(engine.model);
                allOk &= offered;
            }
            if (!p.isSet(u"json"_s) && !listing.models.isEmpty())
                line += u"\n    "_s + listing.models.mid(0, 30).join(u", "_s)
                    + (listing.models.size() > 30 ? u", ..."_s : QString());
        } else {
            allOk = false;
            row.insert(u"error"_s, listing.error);
            line += u"FAILED: "_s + listing.error;
        }
        results.append(row);
        text += line + u'\n';
    }
    if (p.isSet(u"json"_s))
        CliOutput::json(QJsonObject{{u"ok"_s, allOk}, {u"engines"_s, results}});
    else
        CliOutput::out(text);
    return allOk ? Cli::Success : Cli::RunFailed;
}

} // namespace

int ProvidersCommand::run(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        u"List the providers this build speaks (textgrad-cli providers), or test the connection of\n"
        "a pipeline's engines or of one endpoint: the models the server offers and its latency.\n"
        "  textgrad-cli providers [--json]\n"
        "  textgrad-cli providers test PIPELINE [--engine NAME] [--json]\n"
        "  textgrad-cli providers test --provider NAME [--base-url URL] [--model M] [--api-key-env VAR]"_s);
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    p.addHelpOption();
    p.addPositionalArgument(u"test"_s, u"test connections instead of listing providers"_s, u"[test [PIPELINE]]"_s);
    p.addOptions({
        QCommandLineOption(u"engine"_s, u"test only this engine of the pipeline"_s, u"NAME"_s),
        QCommandLineOption(u"provider"_s, u"test an endpoint of this provider (see the list)"_s, u"NAME"_s),
        QCommandLineOption(u"base-url"_s, u"endpoint base URL (default: the provider's)"_s, u"URL"_s),
        QCommandLineOption(u"model"_s, u"also check that this model is offered"_s, u"M"_s),
        QCommandLineOption(u"api-key-env"_s, u"environment variable holding the key"_s, u"VAR"_s),
        QCommandLineOption(u"deployment"_s, u"Azure OpenAI deployment"_s, u"NAME"_s),
        QCommandLineOption(u"timeout"_s, u"seconds to wait for each endpoint (default 15)"_s, u"S"_s, u"15"_s),
        QCommandLineOption(u"json"_s, u"print one JSON document on stdout"_s),
    });
    if (!p.parse(args)) {
        CliOutput::error(u"textgrad-cli providers: %1 (see textgrad-cli providers --help)"_s.arg(p.errorText()));
        return Cli::BadInput;
    }
    if (p.isSet(u"help"_s)) {
        CliOutput::out(p.helpText());
        return Cli::Success;
    }
    const KeychainKeySource keys;
    const QString sub = p.positionalArguments().value(0);
    if (sub.isEmpty() || sub == u"list"_s)
        return list(p.isSet(u"json"_s), keys);
    if (sub == u"test"_s)
        return test(p, keys);
    CliOutput::error(u"textgrad-cli providers: unknown subcommand \"%1\" (use: providers, providers test)"_s.arg(sub));
    return Cli::BadInput;
}
