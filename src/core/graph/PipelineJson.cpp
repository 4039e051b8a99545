#include "graph/PipelineJson.h"
#include "graph/PipelineJsonWriter.h"

#include "graph/JsonFields.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSaveFile>


using namespace Qt::StringLiterals;
using namespace JsonFields;

namespace {

const QString kFormatName = u"textgrad-workbench.pipeline"_s;

// ---- engines --------------------------------------------------------------------------------

const QStringList kEngineKeys = { u"provider"_s, u"baseUrl"_s, u"model"_s, u"apiKeyEnv"_s,
                                  u"temperature"_s, u"topP"_s, u"maxTokens"_s, u"seed"_s,
                                  u"stop"_s, u"timeoutSeconds"_s, u"inactivitySeconds"_s,
                                  u"maxRetries"_s, u"deployment"_s, u"apiVersion"_s,
                                  u"stream"_s };

// Pipeline files end up in git and CI logs; a key pasted into one must stop the load rather than
// travel on. The message never repeats the value.
void refuseInlineKeys(const QJsonObject &o, Context &ctx)
{
    for (const QString &key : { u"apiKey"_s, u"api_key"_s, u"key"_s }) {
        const QJsonValue v = o.value(key);
        if (v.isString() && !v.toString().trimmed().isEmpty()) {
            ctx.error(quoted(key) + u" holds an API key; keys never go in pipeline files. "
                                    "Put the key in an environment variable and use "
                                    "\"apiKeyEnv\" to name it (e.g. \"apiKeyEnv\": "
                                    "\"OPENAI_API_KEY\")"_s);
        }
    }
}

EngineConfig engineFromJson(const QString &name, const QJsonObject &o, Context &ctx)
{
    EngineConfig e;
    e.name = name;
    refuseInlineKeys(o, ctx);
    readString(o, u"provider"_s, &e.provider, ctx);
    readString(o, u"baseUrl"_s, &e.baseUrl, ctx);
    readString(o, u"model"_s, &e.model, ctx);
    readString(o, u"apiKeyEnv"_s, &e.apiKeyEnv, ctx);
    double d = 0;
    int i = 0;
    if (readDouble(o, u"temperature"_s, &d, ctx))
        e.temperature = d;
    if (readDouble(o, u"topP"_s, &d, ctx))
        e.topP = d;
    if (readInt(o, u"maxTokens"_s, &i, ctx))
        e.maxTokens = i;
    if (readInt(o, u"seed"_s, &i, ctx))
        e.seed = i;
    readStringList(o, u"stop"_s, &e.stop, ctx, true);
    readDouble(o, u"timeoutSeconds"_s, &e.timeoutSeconds, ctx);
    readDouble(o, u"inactivitySeconds"_s, &e.inactivitySeconds, ctx);
    readInt(o, u"maxRetries"_s, &e.maxRetries, ctx);
    readString(o, u"deployment"_s, &e.deployment, ctx);
    readString(o, u"apiVersion"_s, &e.apiVersion, ctx);
    readBool(o, u"stream"_s, &e.stream, ctx);
    e.extra = unknownKeys(o, kEngineKeys);
    return e;
}

QJsonObject engineToJson(const EngineConfig &e)
{
    QJsonObject o = e.extra;
    const EngineConfig defaults;
    if (!e.provider.isEmpty())
        o.insert(u"provider"_s, e.provider);
    if (!e.baseUrl.isEmpty())
        o.insert(u"baseUrl"_s, e.baseUrl);
    if (!e.model.isEmpty())
        o.insert(u"model"_s, e.model);
    if (!e.apiKeyEnv.isEmpty())
        o.insert(u"apiKeyEnv"_s, e.apiKeyEnv);
    if (e.temperature)
        o.insert(u"temperature"_s, *e.temperature);
    if (e.topP)
        o.insert(u"topP"_s, *e.topP);
    if (e.maxTokens)
        o.insert(u"maxTokens"_s, *e.maxTokens);
    if (e.seed)
        o.insert(u"seed"_s, *e.seed);
    if (!e.stop.isEmpty())
        o.insert(u"stop"_s, QJsonArray::fromStringList(e.stop));
    if (e.timeoutSeconds != defaults.timeoutSeconds)
        o.insert(u"timeoutSeconds"_s, e.timeoutSeconds);
    if (e.inactivitySeconds != defaults.inactivitySeconds)
        o.insert(u"inactivitySeconds"_s, e.inactivitySeconds);
    if (e.maxRetries != defaults.maxRetries)
        o.insert(u"maxRetries"_s, e.maxRetries);
    if (!e.deployment.isEmpty())
        o.insert(u"deployment"_s, e.deployment);
    if (!e.apiVersion.isEmpty())
        o.insert(u"apiVersion"_s, e.apiVersion);
    if (e.stream)
        o.insert(u"stream"_s, true);
    return o;
}

// ---- rubric ---------------------------------------------------------------------------------

void rubricFromJson(const QJsonObject &o, Rubric *rubric, Context &ctx)
{
    const QString where = u"\"rubric\""_s;
    warnUnknownKeys(o, { u"instructions"_s, u"criteria"_s, u"scale"_s }, where, ctx);
    readString(o, u"instructions"_s, &rubric->instructions, ctx);

    const QJsonValue criteria = o.value(u"criteria"_s);
    if (!criteria.isUndefined() && !criteria.isNull()) {
        if (!criteria.isArray()) {
            ctx.error(u"\"rubric\" \"criteria\" must be a list of objects"_s);
        } else {
            const QJsonArray list = criteria.toArray();
            for (int i = 0; i < list.size(); ++i) {
                const QString at = u"rubric criterion "_s + QString::number(i + 1);
                if (!list.at(i).isObject()) {
                    ctx.error(at + u" must be an object"_s);
                    continue;
                }
                const QJsonObject c = list.at(i).toObject();
                warnUnknownKeys(c, { u"name"_s, u"description"_s, u"weight"_s, u"anchors"_s },
                                at, ctx);
                RubricCriterion criterion;
                Context inner = ctx;
                inner.prefix += at + u": "_s;
                inner.failed = false;
                readString(c, u"name"_s, &criterion.name, inner);
                readString(c, u"description"_s, &criterion.description, inner);
                readDouble(c, u"weight"_s, &criterion.weight, inner);
                const QJsonValue anchors = c.value(u"anchors"_s);
                if (!anchors.isUndefined() && !anchors.isNull()) {
                    if (!anchors.isObject()) {
                        inner.error(u"\"anchors\" must be an object from score to description"_s);
                    } else {
                        const QJsonObject a = anchors.toObject();
                        for (auto it = a.begin(); it != a.end(); ++it) {
                            bool ok = false;
                            const int level = it.key().toInt(&ok);
                            if (!ok || !it.value().isString()) {
                                inner.error(u"\"anchors\" maps integer scores to text; "_s
                                            + quoted(it.key()) + u" is not valid"_s);
                                continue;
                            }
                            criterion.anchors.insert(level, it.value().toString());
                        }
                    }
                }
                ctx.failed = ctx.failed || inner.failed;
                rubric->criteria << criterion;
            }
        }
    }

    const QJsonValue scale = o.value(u"scale"_s);
    if (!scale.isUndefined() && !scale.isNull()) {
        const QJsonArray a = scale.toArray();
        if (!scale.isArray() || a.size() != 2 || !a.at(0).isDouble() || !a.at(1).isDouble()
            || !isIntegral(a.at(0).toDouble(), -1e9, 1e9)
            || !isIntegral(a.at(1).toDouble(), -1e9, 1e9)) {
            ctx.error(u"\"rubric\" \"scale\" must be [min, max] with two integers"_s);
        } else {
            rubric->scaleMin = a.at(0).toInt();
            rubric->scaleMax = a.at(1).toInt();
        }
    }
}

QJsonObject rubricToJson(const Rubric &r)
{
    QJsonObject o;
    if (!r.instructions.isEmpty())
        o.insert(u"instructions"_s, r.instructions);
    QJsonArray criteria;
    for (const RubricCriterion &c : r.criteria) {
        QJsonObject co;
        co.insert(u"name"_s, c.name);
        if (!c.description.isEmpty())
            co.insert(u"description"_s, c.description);
        co.insert(u"weight"_s, c.weight);
        if (!c.anchors.isEmpty()) {
            QJsonObject anchors;
            for (auto it = c.anchors.begin(); it != c.anchors.end(); ++it)
                anchors.insert(QString::number(it.key()), it.value());
            co.insert(u"anchors"_s, anchors);
        }
        criteria.append(co);
    }
    o.insert(u"criteria"_s, criteria);
    o.insert(u"scale"_s, QJsonArray{ r.scaleMin, r.scaleMax });
    return o;
}

// ---- nodes ----------------------------------------------------------------------------------

const QStringList kNodeKeys = {
    u"id"_s,        u"type"_s,     u"role"_s,          u"field"_s,
    u"value"_s,     u"trainable"_s, u"constraints"_s,  u"engine"_s,
    u"template"_s,  u"inputs"_s,   u"metric"_s,        u"pattern"_s,
    u"tolerance"_s, u"caseSensitive"_s, u"normalizeWhitespace"_s, u"stripPunctuation"_s,
    u"answerPattern"_s, u"purpose"_s, u"rubric"_s,      u"position"_s,
};

bool nodeFromJson(const QJsonObject &o, int index, PipelineNode *node, QVector<PipelineIssue> *issues)
{
    Context ctx;
    ctx.issues = issues;
    const QJsonValue id = o.value(u"id"_s);
    if (id.isString())
        node->id = id.toString();
    if (node->id.isEmpty())
        ctx.prefix = u"node "_s + QString::number(index + 1) + u" (no id): "_s;
    ctx.nodeId = node->id;
    if (!id.isUndefined() && !id.isString())
        ctx.error(u"\"id\" must be a string"_s);

    const QJsonValue type = o.value(u"type"_s);
    if (type.isUndefined()) {
        ctx.error(u"missing \"type\""_s);
    } else if (!type.isString()) {
        ctx.error(u"\"type\" must be a string"_s);
    } else if (const auto t = nodeTypeFromName(type.toString())) {
        node->type = *t;
    } else {
        ctx.error(u"unknown type "_s + quoted(type.toString())
                  + u" (known types: input, parameter, llm, metric, judge)"_s);
    }

    readString(o, u"role"_s, &node->role, ctx);
    readString(o, u"field"_s, &node->field, ctx);
    readString(o, u"value"_s, &node->value, ctx);
    readBool(o, u"trainable"_s, &node->trainable, ctx);
    readStringList(o, u"constraints"_s, &node->constraints, ctx);
    readString(o, u"engine"_s, &node->engine, ctx);
    readString(o, u"template"_s, &node->templateText, ctx);

    const QJsonValue inputs = o.value(u"inputs"_s);
    if (!inputs.isUndefined() && !inputs.isNull()) {
        if (!inputs.isObject()) {
            ctx.error(u"\"inputs\" must be an object"_s);
        } else {
            const QJsonObject ports = inputs.toObject();
            for (auto it = ports.begin(); it != ports.end(); ++it) {
                if (!it.value().isString())
                    ctx.error(u"\"inputs\": port "_s + quoted(it.key())
                              + u" must name a node (a string)"_s);
                else
                    node->inputs.insert(it.key(), it.value().toString());
            }
        }
    }

    readString(o, u"metric"_s, &node->metric, ctx);
    readString(o, u"pattern"_s, &node->pattern, ctx);
    readDouble(o, u"tolerance"_s, &node->tolerance, ctx);
    readBool(o, u"caseSensitive"_s, &node->metricOptions.caseSensitive, ctx);
    readBool(o, u"normalizeWhitespace"_s, &node->metricOptions.normalizeWhitespace, ctx);
    readBool(o, u"stripPunctuation"_s, &node->metricOptions.stripPunctuation, ctx);
    readString(o, u"answerPattern"_s, &node->metricOptions.answerPattern, ctx);
    readString(o, u"purpose"_s, &node->purpose, ctx);

    const QJsonValue rubric = o.value(u"rubric"_s);
    if (!rubric.isUndefined() && !rubric.isNull()) {
        if (!rubric.isObject())
            ctx.error(u"\"rubric\" must be an object"_s);
        else
            rubricFromJson(rubric.toObject(), &node->rubric, ctx);
    }

    const QJsonValue position = o.value(u"position"_s);
    if (!position.isUndefined() && !position.isNull()) {
        const QJsonArray a = position.toArray();
        if (!position.isArray() || a.size() != 2 || !a.at(0).isDouble() || !a.at(1).isDouble())
            ctx.error(u"\"position\" must be [x, y] with two numbers"_s);
        else
            node->position = QPointF(a.at(0).toDouble(), a.at(1).toDouble());
    }

    node->extra = unknownKeys(o, kNodeKeys);
    return !ctx.failed;
}

QJsonObject nodeToJson(const PipelineNode &n)
{
    QJsonObject o = n.extra;
    const PipelineNode defaults;
    auto putString = [&o](const QString &key, const QString &value) {
        if (!value.isEmpty())
            o.insert(key, value);
    };
    o.insert(u"id"_s, n.id);
    o.insert(u"type"_s, nodeTypeName(n.type));
    putString(u"role"_s, n.role);
    putString(u"field"_s, n.field);
    putString(u"value"_s, n.value);
    if (n.trainable)
        o.insert(u"trainable"_s, true);
    if (!n.constraints.isEmpty())
        o.insert(u"constraints"_s, QJsonArray::fromStringList(n.constraints));
    putString(u"engine"_s, n.engine);
    putString(u"template"_s, n.templateText);
    if (!n.inputs.isEmpty()) {
        QJsonObject inputs;
        for (auto it = n.inputs.begin(); it != n.inputs.end(); ++it)
            inputs.insert(it.key(), it.value());
        o.insert(u"inputs"_s, inputs);
    }
    putString(u"metric"_s, n.metric);
    putString(u"pattern"_s, n.pattern);
    if (n.tolerance != defaults.tolerance)
        o.insert(u"tolerance"_s, n.tolerance);
    const MetricOptions &m = n.metricOptions;
    if (m.caseSensitive != defaults.metricOptions.caseSensitive)
        o.insert(u"caseSensitive"_s, m.caseSensitive);
    if (m.normalizeWhitespace != defaults.metricOptions.normalizeWhitespace)
        o.insert(u"normalizeWhitespace"_s, m.normalizeWhitespace);
    if (m.stripPunctuation != defaults.metricOptions.stripPunctuation)
        o.insert(u"stripPunctuation"_s, m.stripPunctuation);
    putString(u"answerPattern"_s, m.answerPattern);
    putString(u"purpose"_s, n.purpose);
    if (!(n.rubric == defaults.rubric))
        o.insert(u"rubric"_s, rubricToJson(n.rubric));
    if (n.position)
        o.insert(u"position"_s, QJsonArray{ n.position->x(), n.position->y() });
    return o;
}

// ---- optimizer ------------------------------------------------------------------------------

const QStringList kOptimizerKeys = {
    u"kind"_s,        u"batchSize"_s,     u"epochs"_s,         u"maxSteps"_s,
    u"validation"_s,  u"constraints"_s,   u"examples"_s,       u"seed"_s,
    u"engine"_s,      u"concurrency"_s,   u"momentumWindow"_s, u"gradientTokenBudget"_s,
    u"budgetMode"_s,  u"skipPerfectSamples"_s, u"tag"_s,       u"stopWhenPerfect"_s,
    u"votePattern"_s,
};

void optimizerFromJson(const QJsonObject &o, OptimizerSettings *s, Context &ctx)
{
    readString(o, u"kind"_s, &s->kind, ctx);
    readInt(o, u"batchSize"_s, &s->batchSize, ctx);
    readInt(o, u"epochs"_s, &s->epochs, ctx);
    readInt(o, u"maxSteps"_s, &s->maxSteps, ctx);
    readString(o, u"validation"_s, &s->validation, ctx);
    readStringList(o, u"constraints"_s, &s->constraints, ctx);
    readStringList(o, u"examples"_s, &s->examples, ctx);
    readSeed(o, u"seed"_s, &s->seed, ctx);
    readString(o, u"engine"_s, &s->engine, ctx);
    readInt(o, u"concurrency"_s, &s->concurrency, ctx);
    readInt(o, u"momentumWindow"_s, &s->momentumWindow, ctx);
    readInt(o, u"gradientTokenBudget"_s, &s->gradientTokenBudget, ctx);
    readString(o, u"budgetMode"_s, &s->budgetMode, ctx);
    readBool(o, u"skipPerfectSamples"_s, &s->skipPerfectSamples, ctx);
    readString(o, u"tag"_s, &s->tag, ctx);
    readBool(o, u"stopWhenPerfect"_s, &s->stopWhenPerfect, ctx);
    readString(o, u"votePattern"_s, &s->votePattern, ctx);
    s->extra = unknownKeys(o, kOptimizerKeys);
}

QJsonObject optimizerToJson(const OptimizerSettings &s)
{
    const OptimizerSettings d;
    QJsonObject o = s.extra;
    // The settings the contract documents are always written, so that a saved file shows what
    // a run will do without knowing the defaults.
    o.insert(u"kind"_s, s.kind);
    o.insert(u"batchSize"_s, s.batchSize);
    o.insert(u"epochs"_s, s.epochs);
    o.insert(u"maxSteps"_s, s.maxSteps);
    o.insert(u"validation"_s, s.validation);
    o.insert(u"constraints"_s, QJsonArray::fromStringList(s.constraints));
    o.insert(u"seed"_s, qint64(s.seed));
    if (!s.examples.isEmpty())
        o.insert(u"examples"_s, QJsonArray::fromStringList(s.examples));
    if (!s.engine.isEmpty())
        o.insert(u"engine"_s, s.engine);
    if (s.concurrency != d.concurrency)
        o.insert(u"concurrency"_s, s.concurrency);
    if (s.momentumWindow != d.momentumWindow)
        o.insert(u"momentumWindow"_s, s.momentumWindow);
    if (s.gradientTokenBudget != d.gradientTokenBudget)
        o.insert(u"gradientTokenBudget"_s, s.gradientTokenBudget);
    if (s.budgetMode != d.budgetMode)
        o.insert(u"budgetMode"_s, s.budgetMode);
    if (s.skipPerfectSamples != d.skipPerfectSamples)
        o.insert(u"skipPerfectSamples"_s, s.skipPerfectSamples);
    if (s.tag != d.tag)
        o.insert(u"tag"_s, s.tag);
    if (s.stopWhenPerfect != d.stopWhenPerfect)
        o.insert(u"stopWhenPerfect"_s, s.stopWhenPerfect);
    if (!s.votePattern.isEmpty())
        o.insert(u"votePattern"_s, s.votePattern);
    return o;
}

// ---- prompts --------------------------------------------------------------------------------

// A {"file": path} override is read now, so that a run never depends on files changing under it;
// the path is kept in Pipeline::promptFiles so that saving writes the reference back instead of
// inlining (possibly long) text the user chose to keep in its own file.
void promptsFromJson(const QJsonObject &o, Pipeline *p, const QString &baseDir, Context &ctx)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString where = u"prompt "_s + quoted(it.key());
        if (it.value().isString()) {
            p->prompts.insert(it.key(), it.value().toString());
            continue;
        }
        const QJsonObject ref = it.value().toObject();
        if (!it.value().isObject() || !ref.value(u"file"_s).isString()) {
            ctx.error(where + u" must be a string or {\"file\": \"path\"}"_s);
            continue;
        }
        warnUnknownKeys(ref, { u"file"_s }, where, ctx);
        const QString relative = ref.value(u"file"_s).toString();
        const QDir dir(baseDir.isEmpty() ? QDir::currentPath() : baseDir);
        QFile file(dir.absoluteFilePath(relative));
        if (!file.open(QIODevice::ReadOnly)) {
            ctx.error(where + u": cannot read "_s + quoted(file.fileName()) + u": "_s
                      + file.errorString());
            continue;
        }
        p->prompts.insert(it.key(), QString::fromUtf8(file.readAll()));
        p->promptFiles.insert(it.key(), relative);
    }
}

const QStringList kTopKeys = {
    u"format"_s,  u"formatVersion"_s, u"name"_s,      u"description"_s, u"engines"_s,
    u"backwardEngine"_s, u"nodes"_s,  u"objective"_s, u"optimizer"_s,   u"prompts"_s,
};

} // namespace

namespace PipelineJson {

bool fromJson(const QJsonObject &json, Pipeline *out, QVector<PipelineIssue> *issues,
              const QString &baseDir)
{
    Pipeline p;
    p.sourcePath = out->sourcePath;
    Context ctx;
    ctx.issues = issues;

    const QJsonValue format = json.value(u"format"_s);
    if (format.isUndefined()) {
        ctx.error(u"missing \"format\": a pipeline file starts with \"format\": \""_s
                  + kFormatName + u"\""_s);
        return false;
    }
    if (format.toString() != kFormatName) {
        ctx.error(u"\"format\" must be \""_s + kFormatName + u"\"; this is not a pipeline file"_s);
        return false;
    }
    const QJsonValue version = json.value(u"formatVersion"_s);
    if (version.isUndefined()) {
        ctx.error(u"missing \"formatVersion\""_s);
        return false;
    }
    if (!version.isDouble() || !isIntegral(version.toDouble(), 1, 1e9)) {
        ctx.error(u"\"formatVersion\" must be a positive integer"_s);
        return false;
    }
    p.formatVersion = version.toInt();
    if (p.formatVersion > Pipeline::kFormatVersion) {
        ctx.error(u"file was written by a newer version (formatVersion "_s
                  + QString::number(p.formatVersion) + u", this build reads up to "_s
                  + QString::number(Pipeline::kFormatVersion) + u")"_s);
        return false;
    }

    readString(json, u"name"_s, &p.name, ctx);
    readString(json, u"description"_s, &p.description, ctx);
    readString(json, u"backwardEngine"_s, &p.backwardEngine, ctx);
    readString(json, u"objective"_s, &p.objective, ctx);

    const QJsonValue engines = json.value(u"engines"_s);
    if (!engines.isUndefined() && !engines.isNull()) {
        if (!engines.isObject()) {
            ctx.error(u"\"engines\" must be an object from engine name to settings"_s);
        } else {
            const QJsonObject all = engines.toObject();
            for (auto it = all.begin(); it != all.end(); ++it) {
                Context inner;
                inner.issues = issues;
                inner.prefix = u"engine "_s + quoted(it.key()) + u": "_s;
                if (!it.value().isObject()) {
                    inner.error(u"settings must be an object"_s);
                } else {
                    p.engines.insert(it.key(), engineFromJson(it.key(), it.value().toObject(), inner));
                }
                ctx.failed = ctx.failed || inner.failed;
            }
        }
    }

    const QJsonValue nodes = json.value(u"nodes"_s);
    if (!nodes.isUndefined() && !nodes.isNull()) {
        if (!nodes.isArray()) {
            ctx.error(u"\"nodes\" must be a list of node objects"_s);
        } else {
            const QJsonArray list = nodes.toArray();
            for (int i = 0; i < list.size(); ++i) {
                if (!list.at(i).isObject()) {
                    ctx.error(u"node "_s + QString::number(i + 1) + u" must be an object"_s);
                    continue;
                }
                PipelineNode node;
                if (!nodeFromJson(list.at(i).toObject(), i, &node, issues))
                    ctx.failed = true;
                p.nodes << node;
            }
        }
    }

    const QJsonValue optimizer = json.value(u"optimizer"_s);
    if (!optimizer.isUndefined() && !optimizer.isNull()) {
        Context inner;
        inner.issues = issues;
        inner.prefix = u"optimizer: "_s;
        if (!optimizer.isObject())
            inner.error(u"must be an object"_s);
        else
            optimizerFromJson(optimizer.toObject(), &p.optimizer, inner);
        ctx.failed = ctx.failed || inner.failed;
    }

    const QJsonValue prompts = json.value(u"prompts"_s);
    if (!prompts.isUndefined() && !prompts.isNull()) {
        if (!prompts.isObject())
            ctx.error(u"\"prompts\" must be an object from prompt name to text"_s);
        else
            promptsFromJson(prompts.toObject(), &p, baseDir, ctx);
    }

    p.extra = unknownKeys(json, kTopKeys);
    if (ctx.failed)
        return false;
    *out = p;
    return true;
}

// Keys that hold their default are left out (except the sections the contract always shows),
// so a hand-written file that spells out a default loses only that spelling: load -> save is
// lossless in meaning, exact for files written by this function, and unknown keys survive at
// every level that has an "extra".
QJsonObject toJson(const Pipeline &p)
{
    QJsonObject o = p.extra;
    o.insert(u"format"_s, kFormatName);
    o.insert(u"formatVersion"_s, Pipeline::kFormatVersion);
    o.insert(u"name"_s, p.name);
    if (!p.description.isEmpty())
        o.insert(u"description"_s, p.description);
    QJsonObject engines;
    for (auto it = p.engines.begin(); it != p.engines.end(); ++it)
        engines.insert(it.key(), engineToJson(it.value()));
    o.insert(u"engines"_s, engines);
    if (!p.backwardEngine.isEmpty())
        o.insert(u"backwardEngine"_s, p.backwardEngine);
    QJsonArray nodes;
    for (const PipelineNode &n : p.nodes)
        nodes.append(nodeToJson(n));
    o.insert(u"nodes"_s, nodes);
    o.insert(u"objective"_s, p.objective);
    o.insert(u"optimizer"_s, optimizerToJson(p.optimizer));
    if (!p.prompts.isEmpty()) {
        QJsonObject prompts;
        for (auto it = p.prompts.begin(); it != p.prompts.end(); ++it) {
            const auto file = p.promptFiles.constFind(it.key());
            if (file != p.promptFiles.constEnd())
                prompts.insert(it.key(), QJsonObject{ { u"file"_s, *file } });
            else
                prompts.insert(it.key(), it.value());
        }
        o.insert(u"prompts"_s, prompts);
    }
    return o;
}

bool loadFile(const QString &path, Pipeline *out, QVector<PipelineIssue> *issues)
{
    auto fail = [issues](const QString &message) {
        if (issues)
            issues->append(PipelineIssue{ PipelineIssue::Severity::Error, QString(), message });
        return false;
    };
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(u"cannot read the pipeline file: "_s + file.errorString());
    const QByteArray bytes = file.readAll();

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const qsizetype offset = qBound(qsizetype(0), qsizetype(parseError.offset), bytes.size());
        const qsizetype lineStart = bytes.lastIndexOf('\n', offset - 1) + 1;
        const int line = int(bytes.left(offset).count('\n')) + 1;
        // Columns count characters, not UTF-8 bytes, so that editors agree with us.
        const int column = int(QString::fromUtf8(bytes.mid(lineStart, offset - lineStart)).size()) + 1;
        return fail(u"JSON syntax error at line "_s + QString::number(line) + u", column "_s
                    + QString::number(column) + u": "_s + parseError.errorString());
    }
    if (!doc.isObject())
        return fail(u"a pipeline file holds one JSON object"_s);

    Pipeline p;
    p.sourcePath = path;
    if (!fromJson(doc.object(), &p, issues, QFileInfo(path).absolutePath()))
        return false;
    *out = p;
    return true;
}

bool saveFile(const QString &path, const Pipeline &pipeline, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    file.write(PipelineJsonWriter::write(toJson(pipeline)));
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace PipelineJson
