#include "store/StoreRows.h"

#include <QJsonDocument>
#include <QStringView>
#include <iterator>

using namespace Qt::StringLiterals;

namespace StoreRows {

namespace {

struct PurposeEntry {
    CallPurpose purpose;
    QStringView name;
};

// The store's own copy of the names: they are part of the file format, so they must not change
// if the display names elsewhere do.
constexpr PurposeEntry kPurposes[] = {
    { CallPurpose::Forward, u"forward" },
    { CallPurpose::Loss, u"loss" },
    { CallPurpose::Backward, u"backward" },
    { CallPurpose::Optimizer, u"optimizer" },
    { CallPurpose::Validation, u"validation" },
    { CallPurpose::Test, u"test" },
};

QVariant nullOf(QMetaType type)
{
    return QVariant(type);
}

} // namespace

double Cursor::score()
{
    const QVariant value = next();
    return value.isNull() ? noScore() : value.toDouble();
}

QDateTime Cursor::time()
{
    const QVariant value = next();
    return value.isNull() ? QDateTime()
                          : QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
}

QJsonObject Cursor::object()
{
    return QJsonDocument::fromJson(next().toString().toUtf8()).object();
}

QJsonArray Cursor::array()
{
    return QJsonDocument::fromJson(next().toString().toUtf8()).array();
}

QString purposeName(CallPurpose purpose)
{
    for (const PurposeEntry &entry : kPurposes) {
        if (entry.purpose == purpose)
            return entry.name.toString();
    }
    return u"forward"_s;
}

bool purposeFromName(const QString &name, CallPurpose *purpose)
{
    for (const PurposeEntry &entry : kPurposes) {
        if (entry.name == name) {
            *purpose = entry.purpose;
            return true;
        }
    }
    *purpose = CallPurpose::Forward;
    return false;
}

QVariant scoreValue(double score)
{
    return hasScore(score) ? QVariant(score) : nullOf(QMetaType::fromType<double>());
}

QVariant timeValue(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toUTC().toString(Qt::ISODateWithMs))
                          : nullOf(QMetaType::fromType<QString>());
}

QString nowText()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

QString jsonText(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QString jsonText(const QJsonArray &array)
{
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

QJsonObject mapToJson(const QMap<QString, QString> &map)
{
    QJsonObject object;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

QMap<QString, QString> mapFromJson(const QJsonObject &object)
{
    QMap<QString, QString> map;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it)
        map.insert(it.key(), it.value().toString());
    return map;
}

QString insertSql(const QString &table, const QStringList &columns)
{
    QStringList marks;
    marks.fill(u"?"_s, columns.size());
    return u"INSERT INTO "_s % table % u" ("_s % columns.join(u", "_s) % u") VALUES ("_s
        % marks.join(u", "_s) % u")"_s;
}

QString selectSql(const QString &table, const QStringList &columns)
{
    return u"SELECT "_s % columns.join(u", "_s) % u" FROM "_s % table;
}

const QStringList &runColumns()
{
    static const QStringList columns = {
        u"id"_s,
        u"pipeline_name"_s,
        u"status"_s,
        u"error"_s,
        u"initial_val_score"_s,
        u"created_at"_s,
        u"updated_at"_s,
        u"settings_json"_s,
        u"pipeline_json"_s,
    };
    return columns;
}

QString runDataColumn()
{
    return u"data_json"_s;
}

void bindRun(Binder &b, const RunInfo &run)
{
    const QDateTime created
        = run.createdAt.isValid() ? run.createdAt : QDateTime::currentDateTimeUtc();
    const QDateTime updated = run.updatedAt.isValid() ? run.updatedAt : created;
    b << run.id << run.pipelineName << run.status << run.error << scoreValue(run.initialValScore)
      << timeValue(created) << timeValue(updated) << jsonText(run.settings)
      << jsonText(run.pipeline) << jsonText(run.data);
}

RunInfo readRun(Cursor &c, bool withData)
{
    RunInfo run;
    run.id = c.text();
    run.pipelineName = c.text();
    run.status = c.text();
    run.error = c.text();
    run.initialValScore = c.score();
    run.createdAt = c.time();
    run.updatedAt = c.time();
    run.settings = c.object();
    run.pipeline = c.object();
    if (withData)
        run.data = c.object();
    return run;
}

const QStringList &stepColumns()
{
    static const QStringList columns = {
        u"step"_s,
        u"epoch"_s,
        u"train_score"_s,
        u"val_score"_s,
        u"best_val_score"_s,
        u"accepted"_s,
        u"finished_at"_s,
        u"candidate_json"_s,
        u"current_json"_s,
    };
    return columns;
}

void bindStep(Binder &b, const StepRecord &step)
{
    b << step.step << step.epoch << scoreValue(step.trainScore) << scoreValue(step.valScore)
      << scoreValue(step.bestValScore) << int(step.accepted) << timeValue(step.finishedAt)
      << jsonText(mapToJson(step.candidate)) << jsonText(mapToJson(step.current));
}

StepRecord readStep(Cursor &c)
{
    StepRecord step;
    step.step = c.integer();
    step.epoch = c.integer();
    step.trainScore = c.score();
    step.valScore = c.score();
    step.bestValScore = c.score();
    step.accepted = c.flag();
    step.finishedAt = c.time();
    step.candidate = mapFromJson(c.object());
    step.current = mapFromJson(c.object());
    return step;
}

const QStringList &versionColumns()
{
    static const QStringList columns = {
        u"step"_s,
        u"node_id"_s,
        u"changed"_s,
        u"gradients_used"_s,
        u"gradients_total"_s,
        u"value"_s,
        u"previous"_s,
        u"optimizer_reply"_s,
        u"optimizer_prompt_json"_s,
    };
    return columns;
}

void bindVersion(Binder &b, const PromptVersion &version)
{
    b << version.step << version.nodeId << int(version.changed) << version.gradientsUsed
      << version.gradientsTotal << version.value << version.previous << version.optimizerReply
      << jsonText(version.optimizerPrompt);
}

PromptVersion readVersion(Cursor &c)
{
    PromptVersion version;
    version.step = c.integer();
    version.nodeId = c.text();
    version.changed = c.flag();
    version.gradientsUsed = c.integer();
    version.gradientsTotal = c.integer();
    version.value = c.text();
    version.previous = c.text();
    version.optimizerReply = c.text();
    version.optimizerPrompt = c.array();
    return version;
}

const QStringList &sampleColumns()
{
    static const QStringList columns = {
        u"step"_s,
        u"split"_s,
        u"sample_index"_s,
        u"line"_s,
        u"score"_s,
        u"error"_s,
        u"evaluation"_s,
        u"outputs_json"_s,
    };
    return columns;
}

void bindSample(Binder &b, const SampleResult &sample)
{
    b << sample.step << sample.split << sample.sampleIndex << sample.line
      << scoreValue(sample.score) << sample.error << sample.evaluation << jsonText(sample.outputs);
}

SampleResult readSample(Cursor &c)
{
    SampleResult sample;
    sample.step = c.integer();
    sample.split = c.text();
    sample.sampleIndex = c.integer();
    sample.line = c.integer();
    sample.score = c.score();
    sample.error = c.text();
    sample.evaluation = c.text();
    sample.outputs = c.object();
    return sample;
}

const QStringList &gradientColumns()
{
    static const QStringList columns = {
        u"step"_s,
        u"target_node"_s,
        u"source_node"_s,
        u"sample_index"_s,
        u"mode"_s,
        u"call_id"_s,
        u"feedback"_s,
        u"conversation_json"_s,
    };
    return columns;
}

void bindGradient(Binder &b, const GradientRecord &gradient)
{
    const QVariant callId
        = gradient.callId > 0 ? QVariant(gradient.callId) : nullOf(QMetaType::fromType<qint64>());
    b << gradient.step << gradient.targetNode << gradient.sourceNode << gradient.sampleIndex
      << gradient.mode << callId << gradient.feedback << jsonText(gradient.conversation);
}

GradientRecord readGradient(Cursor &c)
{
    GradientRecord gradient;
    gradient.step = c.integer();
    gradient.targetNode = c.text();
    gradient.sourceNode = c.text();
    gradient.sampleIndex = c.integer();
    gradient.mode = c.text();
    gradient.callId = c.int64();
    gradient.feedback = c.text();
    gradient.conversation = c.array();
    return gradient;
}

const QStringList &eventColumns()
{
    static const QStringList columns = { u"step"_s, u"kind"_s, u"node_id"_s, u"message"_s };
    return columns;
}

void bindEvent(Binder &b, const RunEvent &event)
{
    b << event.step << event.kind << event.nodeId << event.message;
}

RunEvent readEvent(Cursor &c)
{
    RunEvent event;
    event.step = c.integer();
    event.kind = c.text();
    event.nodeId = c.text();
    event.message = c.text();
    return event;
}

const QStringList &callColumns()
{
    static const QStringList columns = {
        u"run_id"_s,
        u"step"_s,
        u"purpose"_s,
        u"node_id"_s,
        u"sample_index"_s,
        u"split"_s,
        u"attempt"_s,
        u"cached"_s,
        u"http_status"_s,
        u"prompt_tokens"_s,
        u"completion_tokens"_s,
        u"tokens_estimated"_s,
        u"latency_ms"_s,
        u"started_at"_s,
        u"engine"_s,
        u"provider"_s,
        u"model"_s,
        u"base_url"_s,
        u"error"_s,
        u"reply_text"_s,
        u"request_json"_s,
        u"response_body"_s,
        u"cost_usd"_s,
    };
    return columns;
}

void bindCall(Binder &b, const CallRecord &call)
{
    b << call.tag.runId << call.tag.step << purposeName(call.tag.purpose) << call.tag.nodeId
      << call.tag.sampleIndex << call.tag.split << call.attempt << int(call.cached)
      << call.httpStatus << call.promptTokens << call.completionTokens << int(call.tokensEstimated)
      << call.latencyMs << timeValue(call.startedAt) << call.engineName << call.provider
      << call.model << call.baseUrl << call.error << call.replyText << call.requestJson
      << call.responseBody
      << (call.costKnown ? QVariant(call.costUsd) : nullOf(QMetaType::fromType<double>()));
}

CallRecord readCall(Cursor &c)
{
    CallRecord call;
    call.tag.runId = c.text();
    call.tag.step = c.integer();
    purposeFromName(c.text(), &call.tag.purpose);
    call.tag.nodeId = c.text();
    call.tag.sampleIndex = c.integer();
    call.tag.split = c.text();
    call.attempt = c.integer();
    call.cached = c.flag();
    call.httpStatus = c.integer();
    call.promptTokens = c.integer();
    call.completionTokens = c.integer();
    call.tokensEstimated = c.flag();
    call.latencyMs = c.int64();
    call.startedAt = c.time();
    call.engineName = c.text();
    call.provider = c.text();
    call.model = c.text();
    call.baseUrl = c.text();
    call.error = c.text();
    call.replyText = c.text();
    call.requestJson = c.text();
    call.responseBody = c.text();
    const QVariant cost = c.next();
    call.costKnown = !cost.isNull();
    call.costUsd = call.costKnown ? cost.toDouble() : 0.0;
    return call;
}

QVector<StoredCall> readStoredCalls(QSqlQuery &q)
{
    return readEach(q, [](Cursor &c) {
        StoredCall stored;
        stored.record = readCall(c);
        stored.id = c.int64();
        return stored;
    });
}

} // namespace StoreRows
