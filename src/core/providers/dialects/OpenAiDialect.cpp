#include "providers/dialects/OpenAiDialect.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

void readUsage(const QJsonObject &root, int *prompt, int *completion)
{
    const QJsonObject usage = root.value(u"usage"_s).toObject();
    if (usage.contains(u"prompt_tokens"_s) || usage.contains(u"completion_tokens"_s)) {
        *prompt = usage.value(u"prompt_tokens"_s).toInt();
        *completion = usage.value(u"completion_tokens"_s).toInt();
    }
}

} // namespace

QByteArray OpenAiDialect::chatBody(const ChatRequest &request, bool stream) const
{
    const EngineConfig &engine = request.engine;
    QJsonArray messages;
    for (const ChatMessage &message : request.messages)
        messages.append(QJsonObject{{u"role"_s, message.role}, {u"content"_s, message.content}});
    QJsonObject body{{u"model"_s, engine.model}, {u"messages"_s, messages}};
    if (engine.temperature)
        body.insert(u"temperature"_s, *engine.temperature);
    if (engine.topP)
        body.insert(u"top_p"_s, *engine.topP);
    if (engine.maxTokens)
        body.insert(u"max_tokens"_s, *engine.maxTokens);
    if (engine.seed)
        body.insert(u"seed"_s, *engine.seed);
    if (!engine.stop.isEmpty())
        body.insert(u"stop"_s, QJsonArray::fromStringList(engine.stop));
    if (stream) {
        body.insert(u"stream"_s, true);
        // Only OpenAI itself is known to take stream_options; several compatible servers
        // reject unknown fields, and usage is then estimated.
        if (engine.provider == u"openai")
            body.insert(u"stream_options"_s, QJsonObject{{u"include_usage"_s, true}});
    }
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

HttpRequestSpec OpenAiDialect::chatRequest(const ChatRequest &request, const QString &baseUrl,
                                           const QString &key, QStringList *) const
{
    HttpRequestSpec spec;
    spec.stream = request.engine.stream;
    spec.url = QUrl(baseUrl + u"/chat/completions"_s);
    spec.body = chatBody(request, spec.stream);
    if (!key.isEmpty())
        spec.headers.append({"Authorization"_ba, "Bearer " + key.toUtf8()});
    return spec;
}

DialectReply OpenAiDialect::parseReply(const QByteArray &body) const
{
    DialectReply out;
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    const QJsonArray choices = root.value(u"choices"_s).toArray();
    if (choices.isEmpty()) {
        out.problem = u"has no choices"_s;
        return out;
    }
    const QJsonObject choice = choices.first().toObject();
    out.finishReason = choice.value(u"finish_reason"_s).toString();
    const QJsonValue content = choice.value(u"message"_s).toObject().value(u"content"_s);
    if (out.finishReason == u"content_filter") {
        out.kind = CallErrorKind::ContentFilter;
        out.problem = u"finish_reason content_filter"_s;
        return out;
    }
    if (!content.isString() || content.toString().isEmpty()) {
        out.problem = u"has no message content"_s;
        return out;
    }
    out.ok = true;
    out.kind = CallErrorKind::None;
    out.text = content.toString();
    readUsage(root, &out.promptTokens, &out.completionTokens);
    return out;
}

QString OpenAiDialect::streamEvent(const SseEvent &event, StreamState *state) const
{
    if (event.data.trimmed() == u"[DONE]") {
        state->done = true;
        return QString();
    }
    const QJsonObject root = QJsonDocument::fromJson(event.data.toUtf8()).object();
    if (root.value(u"error"_s).isObject()) {
        state->error = root.value(u"error"_s).toObject().value(u"message"_s).toString();
        return QString();
    }
    // With include_usage the last chunk has empty choices and the usage.
    readUsage(root, &state->promptTokens, &state->completionTokens);
    const QJsonArray choices = root.value(u"choices"_s).toArray();
    if (choices.isEmpty())
        return QString();
    const QJsonObject choice = choices.first().toObject();
    const QString finish = choice.value(u"finish_reason"_s).toString();
    if (!finish.isEmpty()) {
        state->finishReason = finish;
        state->contentFiltered = finish == u"content_filter";
    }
    const QString delta = choice.value(u"delta"_s).toObject().value(u"content"_s).toString();
    state->text += delta;
    return delta;
}

HttpRequestSpec OpenAiDialect::modelsRequest(const EngineConfig &, const QString &baseUrl, const QString &key) const
{
    HttpRequestSpec spec;
    spec.verb = "GET";
    spec.url = QUrl(baseUrl + u"/models"_s);
    if (!key.isEmpty())
        spec.headers.append({"Authorization"_ba, "Bearer " + key.toUtf8()});
    return spec;
}
