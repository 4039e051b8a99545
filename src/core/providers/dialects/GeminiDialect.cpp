#include "providers/dialects/GeminiDialect.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

QString bareModel(QString model)
{
    // The API names models "models/gemini-..."; engines may use either form.
    if (model.startsWith(u"models/"))
        model.remove(0, 7);
    return model;
}

bool isSafetyStop(const QString &reason)
{
    return reason == u"SAFETY" || reason == u"PROHIBITED_CONTENT" || reason == u"BLOCKLIST"
        || reason == u"SPII" || reason == u"IMAGE_SAFETY";
}

} // namespace

HttpRequestSpec GeminiDialect::chatRequest(const ChatRequest &request, const QString &baseUrl,
                                           const QString &key, QStringList *notSent) const
{
    const EngineConfig &engine = request.engine;
    QJsonArray systemParts;
    QJsonArray contents;
    for (const ChatMessage &message : request.messages) {
        const QJsonObject part{{u"text"_s, message.content}};
        if (message.role == u"system")
            systemParts.append(part);
        else
            contents.append(QJsonObject{{u"role"_s, message.role == u"assistant" ? u"model"_s : u"user"_s},
                                        {u"parts"_s, QJsonArray{part}}});
    }
    QJsonObject body{{u"contents"_s, contents}};
    if (!systemParts.isEmpty())
        body.insert(u"systemInstruction"_s, QJsonObject{{u"parts"_s, systemParts}});
    QJsonObject config;
    if (engine.temperature)
        config.insert(u"temperature"_s, *engine.temperature);
    if (engine.topP)
        config.insert(u"topP"_s, *engine.topP);
    if (engine.maxTokens)
        config.insert(u"maxOutputTokens"_s, *engine.maxTokens);
    if (engine.seed)
        config.insert(u"seed"_s, *engine.seed);
    if (!engine.stop.isEmpty())
        config.insert(u"stopSequences"_s, QJsonArray::fromStringList(engine.stop));
    if (!config.isEmpty())
        body.insert(u"generationConfig"_s, config);
    if (engine.stream && notSent)
        notSent->append(u"stream"_s);   // answered whole; Gemini streaming is not implemented

    HttpRequestSpec spec;
    spec.url = QUrl(baseUrl + u"/v1beta/models/"_s + bareModel(engine.model) + u":generateContent"_s);
    spec.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    if (!key.isEmpty())
        spec.headers.append({"x-goog-api-key"_ba, key.toUtf8()});
    return spec;
}

DialectReply GeminiDialect::parseReply(const QByteArray &body) const
{
    DialectReply out;
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    const QString blockReason = root.value(u"promptFeedback"_s).toObject().value(u"blockReason"_s).toString();
    if (!blockReason.isEmpty()) {
        out.kind = CallErrorKind::ContentFilter;
        out.problem = u"the prompt was blocked (blockReason "_s + blockReason + u")"_s;
        return out;
    }
    const QJsonArray candidates = root.value(u"candidates"_s).toArray();
    if (candidates.isEmpty()) {
        out.problem = u"has no candidates"_s;
        return out;
    }
    const QJsonObject candidate = candidates.first().toObject();
    out.finishReason = candidate.value(u"finishReason"_s).toString();
    if (isSafetyStop(out.finishReason)) {
        out.kind = CallErrorKind::ContentFilter;
        out.problem = u"finishReason "_s + out.finishReason;
        return out;
    }
    const QJsonArray parts = candidate.value(u"content"_s).toObject().value(u"parts"_s).toArray();
    for (const QJsonValue &part : parts) {
        // Thinking models mark their reasoning parts "thought"; only the answer counts.
        const QJsonObject o = part.toObject();
        if (!o.value(u"thought"_s).toBool())
            out.text += o.value(u"text"_s).toString();
    }
    if (out.text.isEmpty()) {
        out.problem = u"has no text in its candidate"_s;
        return out;
    }
    out.ok = true;
    out.kind = CallErrorKind::None;
    const QJsonObject usage = root.value(u"usageMetadata"_s).toObject();
    if (usage.contains(u"promptTokenCount"_s))
        out.promptTokens = usage.value(u"promptTokenCount"_s).toInt();
    if (usage.contains(u"candidatesTokenCount"_s))
        out.completionTokens = usage.value(u"candidatesTokenCount"_s).toInt();
    return out;
}

HttpRequestSpec GeminiDialect::modelsRequest(const EngineConfig &, const QString &baseUrl, const QString &key) const
{
    HttpRequestSpec spec;
    spec.verb = "GET";
    spec.url = QUrl(baseUrl + u"/v1beta/models?pageSize=1000"_s);
    if (!key.isEmpty())
        spec.headers.append({"x-goog-api-key"_ba, key.toUtf8()});
    return spec;
}

QStringList GeminiDialect::parseModels(const QByteArray &body, bool *ok) const
{
    const QJsonValue models = QJsonDocument::fromJson(body).object().value(u"models"_s);
    *ok = models.isArray();
    QStringList names;
    for (const QJsonValue &entry : models.toArray()) {
        const QString name = bareModel(entry.toObject().value(u"name"_s).toString());
        if (!name.isEmpty())
            names.append(name);
    }
    return names;
}
