#include "providers/dialects/AnthropicDialect.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

void addHeaders(HttpRequestSpec *spec, const QString &key)
{
    spec->headers.append({"anthropic-version"_ba, "2023-06-01"_ba});
    if (!key.isEmpty())
        spec->headers.append({"x-api-key"_ba, key.toUtf8()});
}

void readUsage(const QJsonObject &usage, int *prompt, int *completion)
{
    if (usage.contains(u"input_tokens"_s))
        *prompt = usage.value(u"input_tokens"_s).toInt();
    if (usage.contains(u"output_tokens"_s))
        *completion = usage.value(u"output_tokens"_s).toInt();
}

} // namespace

HttpRequestSpec AnthropicDialect::chatRequest(const ChatRequest &request, const QString &baseUrl,
                                              const QString &key, QStringList *notSent) const
{
    const EngineConfig &engine = request.engine;
    QStringList system;
    QJsonArray messages;
    for (const ChatMessage &message : request.messages) {
        if (message.role == u"system")
            system.append(message.content);
        else
            messages.append(QJsonObject{{u"role"_s, message.role}, {u"content"_s, message.content}});
    }
    QJsonObject body{{u"model"_s, engine.model},
                     {u"max_tokens"_s, engine.maxTokens ? *engine.maxTokens : kDefaultMaxTokens},
                     {u"messages"_s, messages}};
    if (!system.isEmpty())
        body.insert(u"system"_s, system.join(u"\n\n"_s));
    if (engine.temperature)
        body.insert(u"temperature"_s, *engine.temperature);
    if (engine.topP)
        body.insert(u"top_p"_s, *engine.topP);
    if (!engine.stop.isEmpty())
        body.insert(u"stop_sequences"_s, QJsonArray::fromStringList(engine.stop));
    if (engine.seed && notSent)
        notSent->append(u"seed"_s);   // the Messages API has no seed
    HttpRequestSpec spec;
    spec.stream = engine.stream;
    if (spec.stream)
        body.insert(u"stream"_s, true);
    spec.url = QUrl(baseUrl + u"/v1/messages"_s);
    spec.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    addHeaders(&spec, key);
    return spec;
}

DialectReply AnthropicDialect::parseReply(const QByteArray &body) const
{
    DialectReply out;
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    out.finishReason = root.value(u"stop_reason"_s).toString();
    if (out.finishReason == u"refusal") {
        out.kind = CallErrorKind::ContentFilter;
        out.problem = u"stop_reason refusal"_s;
        return out;
    }
    const QJsonArray content = root.value(u"content"_s).toArray();
    for (const QJsonValue &block : content) {
        const QJsonObject o = block.toObject();
        if (o.value(u"type"_s).toString() == u"text")
            out.text += o.value(u"text"_s).toString();
    }
    if (out.text.isEmpty()) {
        out.problem = content.isEmpty() ? u"has no content blocks"_s : u"has no text content"_s;
        return out;
    }
    out.ok = true;
    out.kind = CallErrorKind::None;
    readUsage(root.value(u"usage"_s).toObject(), &out.promptTokens, &out.completionTokens);
    return out;
}

QString AnthropicDialect::streamEvent(const SseEvent &event, StreamState *state) const
{
    const QJsonObject root = QJsonDocument::fromJson(event.data.toUtf8()).object();
    const QString type = event.event.isEmpty() ? root.value(u"type"_s).toString() : event.event;
    if (type == u"message_start") {
        readUsage(root.value(u"message"_s).toObject().value(u"usage"_s).toObject(), &state->promptTokens,
                  &state->completionTokens);
    } else if (type == u"content_block_delta") {
        const QJsonObject delta = root.value(u"delta"_s).toObject();
        if (delta.value(u"type"_s).toString() == u"text_delta") {
            const QString text = delta.value(u"text"_s).toString();
            state->text += text;
            return text;
        }
    } else if (type == u"message_delta") {
        const QString stop = root.value(u"delta"_s).toObject().value(u"stop_reason"_s).toString();
        if (!stop.isEmpty()) {
            state->finishReason = stop;
            state->contentFiltered = stop == u"refusal";
        }
        readUsage(root.value(u"usage"_s).toObject(), &state->promptTokens, &state->completionTokens);
    } else if (type == u"message_stop") {
        state->done = true;
    } else if (type == u"error") {
        state->error = root.value(u"error"_s).toObject().value(u"message"_s).toString();
        if (state->error.isEmpty())
            state->error = event.data;
    }
    return QString();
}

HttpRequestSpec AnthropicDialect::modelsRequest(const EngineConfig &, const QString &baseUrl,
                                                const QString &key) const
{
    HttpRequestSpec spec;
    spec.verb = "GET";
    spec.url = QUrl(baseUrl + u"/v1/models?limit=1000"_s);
    addHeaders(&spec, key);
    return spec;
}
