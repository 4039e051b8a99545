#include "FakeDialectBodies.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

int estimate(qsizetype chars)
{
    return int((chars + 3) / 4);
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

int promptTokens(const FakeReply &reply, const FakeRequest &request)
{
    if (reply.promptTokens >= 0)
        return reply.promptTokens;
    qsizetype chars = 0;
    for (const ChatMessage &m : request.messages)
        chars += m.content.size();
    return estimate(chars);
}

int completionTokens(const FakeReply &reply)
{
    return reply.completionTokens >= 0 ? reply.completionTokens : estimate(reply.text.size());
}

QString modelOf(const FakeRequest &request)
{
    return request.model.isEmpty() ? u"fake-model"_s : request.model;
}

QString partsText(const QJsonValue &parts)
{
    QString text;
    for (const QJsonValue &part : parts.toArray())
        text += part.toObject().value(u"text"_s).toString();
    return text;
}

QByteArray sse(const QByteArray &data, const QByteArray &event = {}, const QByteArray &eol = "\n"_ba)
{
    QByteArray out;
    if (!event.isEmpty())
        out += "event: " + event + eol;
    return out + "data: " + data + eol + eol;
}

} // namespace

namespace FakeDialectBodies {

bool isChatPath(const QByteArray &path)
{
    return path.endsWith("/chat/completions") || path.endsWith("/v1/messages")
        || (path.startsWith("/v1beta/models/") && path.endsWith(":generateContent"));
}

void interpret(FakeRequest *request, const QByteArray &path)
{
    const QJsonObject &json = request->json;
    if (path.startsWith("/openai/"))
        request->dialect = u"azure"_s;
    else if (path.startsWith("/v1beta/"))
        request->dialect = u"gemini"_s;
    else if (path.endsWith("/v1/messages") || !request->header("anthropic-version").isEmpty())
        request->dialect = u"anthropic"_s;
    else
        request->dialect = u"openai"_s;

    if (request->dialect == u"azure" && path.startsWith("/openai/deployments/")) {
        const QByteArray rest = path.mid(int(qstrlen("/openai/deployments/")));
        request->deployment = QString::fromUtf8(QByteArray::fromPercentEncoding(rest.left(rest.indexOf('/'))));
    }
    if (request->dialect == u"gemini") {
        const qsizetype start = qstrlen("/v1beta/models/");
        const qsizetype colon = path.indexOf(':', start);
        if (colon > 0)
            request->model = QString::fromUtf8(path.mid(start, colon - start));
        const QString system = partsText(json.value(u"systemInstruction"_s).toObject().value(u"parts"_s));
        if (!system.isEmpty())
            request->messages.append({u"system"_s, system});
        for (const QJsonValue &value : json.value(u"contents"_s).toArray()) {
            const QJsonObject content = value.toObject();
            const QString role = content.value(u"role"_s).toString();
            request->messages.append({role == u"model" ? u"assistant"_s : role,
                                      partsText(content.value(u"parts"_s))});
        }
        return;
    }
    request->model = json.value(u"model"_s).toString();
    if (json.value(u"system"_s).isString())
        request->messages.append({u"system"_s, json.value(u"system"_s).toString()});
    for (const QJsonValue &value : json.value(u"messages"_s).toArray()) {
        const QJsonObject message = value.toObject();
        request->messages.append({message.value(u"role"_s).toString(), message.value(u"content"_s).toString()});
    }
}

QByteArray completion(const FakeReply &reply, const FakeRequest &request, int serial)
{
    const int prompt = promptTokens(reply, request);
    const int completion = completionTokens(reply);
    if (request.dialect == u"anthropic") {
        QJsonObject root{{u"id"_s, QString(u"msg_fake_"_s + QString::number(serial))},
                         {u"type"_s, u"message"_s},
                         {u"role"_s, u"assistant"_s},
                         {u"model"_s, modelOf(request)},
                         {u"content"_s, reply.filtered ? QJsonArray()
                                                       : QJsonArray{QJsonObject{{u"type"_s, u"text"_s},
                                                                                {u"text"_s, reply.text}}}},
                         {u"stop_reason"_s, reply.filtered ? u"refusal"_s : u"end_turn"_s}};
        if (reply.includeUsage)
            root.insert(u"usage"_s, QJsonObject{{u"input_tokens"_s, prompt}, {u"output_tokens"_s, completion}});
        return compact(root);
    }
    if (request.dialect == u"gemini") {
        if (reply.filtered)
            return compact(QJsonObject{{u"promptFeedback"_s, QJsonObject{{u"blockReason"_s, u"SAFETY"_s}}}});
        const QJsonObject content{{u"role"_s, u"model"_s},
                                  {u"parts"_s, QJsonArray{QJsonObject{{u"text"_s, reply.text}}}}};
        QJsonObject root{{u"candidates"_s, QJsonArray{QJsonObject{{u"content"_s, content},
                                                                  {u"finishReason"_s, u"STOP"_s},
                                                                  {u"index"_s, 0}}}},
                         {u"modelVersion"_s, modelOf(request)}};
        if (reply.includeUsage)
            root.insert(u"usageMetadata"_s, QJsonObject{{u"promptTokenCount"_s, prompt},
                                                        {u"candidatesTokenCount"_s, completion},
                                                        {u"totalTokenCount"_s, prompt + completion}});
        return compact(root);
    }
    const QJsonObject message{{u"role"_s, u"assistant"_s},
                              {u"content"_s, reply.filtered ? QJsonValue(QJsonValue::Null) : QJsonValue(reply.text)}};
    const QJsonObject choice{{u"index"_s, 0}, {u"message"_s, message},
                             {u"finish_reason"_s, reply.filtered ? u"content_filter"_s : u"stop"_s}};
    QJsonObject root{
        {u"id"_s, QString(u"chatcmpl-fake-"_s + QString::number(serial))},
        {u"object"_s, u"chat.completion"_s},
        {u"created"_s, QDateTime::currentSecsSinceEpoch()},
        {u"model"_s, modelOf(request)},
        {u"choices"_s, QJsonArray{choice}},
    };
    if (reply.includeUsage)
        root.insert(u"usage"_s, QJsonObject{{u"prompt_tokens"_s, prompt},
                                            {u"completion_tokens"_s, completion},
                                            {u"total_tokens"_s, prompt + completion}});
    return compact(root);
}

QByteArray empty(const FakeRequest &request)
{
    if (request.dialect == u"anthropic")
        return R"({"id":"msg_empty","type":"message","role":"assistant","content":[],"stop_reason":"end_turn"})"_ba;
    if (request.dialect == u"gemini")
        return R"({"candidates":[],"modelVersion":"fake"})"_ba;
    return R"({"id":"chatcmpl-empty","object":"chat.completion","choices":[]})"_ba;
}

QByteArray error(const FakeReply &reply, const FakeRequest &request)
{
    const QString model = modelOf(request);
    QString message = reply.text;
    QString code;
    switch (reply.errorCode) {
    case FakeReply::ErrorCode::ContextLength:
        if (request.dialect == u"anthropic")
            message = u"prompt is too long: 210000 tokens > 200000 maximum"_s;
        else if (request.dialect == u"gemini")
            message = u"The input token count (1200000) exceeds the maximum number of tokens allowed (1048576)."_s;
        else
            message = u"This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens."_s;
        code = u"context_length_exceeded"_s;
        break;
    case FakeReply::ErrorCode::UnknownModel:
        if (request.dialect == u"anthropic")
            message = u"model: "_s + model;
        else if (request.dialect == u"gemini")
            message = u"models/"_s + model + u" is not found for API version v1beta"_s;
        else if (request.dialect == u"azure")
            message = u"The API deployment for this resource does not exist."_s;
        else
            message = u"The model `"_s + model + u"` does not exist or you do not have access to it."_s;
        code = request.dialect == u"azure" ? u"DeploymentNotFound"_s : u"model_not_found"_s;
        break;
    case FakeReply::ErrorCode::Generic:
        break;
    }
    if (request.dialect == u"anthropic") {
        const QString type = reply.status == 429 ? u"rate_limit_error"_s
                             : reply.status == 404 ? u"not_found_error"_s
                             : reply.status >= 500 ? u"api_error"_s
                                                   : u"invalid_request_error"_s;
        return compact(QJsonObject{{u"type"_s, u"error"_s},
                                   {u"error"_s, QJsonObject{{u"type"_s, type}, {u"message"_s, message}}}});
    }
    if (request.dialect == u"gemini") {
        const QString status = reply.status == 429 ? u"RESOURCE_EXHAUSTED"_s
                               : reply.status == 404 ? u"NOT_FOUND"_s
                               : reply.status >= 500 ? u"UNAVAILABLE"_s
                                                     : u"INVALID_ARGUMENT"_s;
        return compact(QJsonObject{{u"error"_s, QJsonObject{{u"code"_s, reply.status},
                                                            {u"message"_s, message},
                                                            {u"status"_s, status}}}});
    }
    QJsonObject error{{u"message"_s, message}, {u"type"_s, u"fake_error"_s}};
    if (code.isEmpty())
        error.insert(u"code"_s, reply.status);
    else
        error.insert(u"code"_s, code);
    return compact(QJsonObject{{u"error"_s, error}});
}

QByteArray models(const QStringList &models, const QByteArray &path)
{
    QJsonArray data;
    if (path.startsWith("/v1beta/")) {
        for (const QString &model : models)
            data.append(QJsonObject{{u"name"_s, QString(u"models/"_s + model)}, {u"displayName"_s, model}});
        return compact(QJsonObject{{u"models"_s, data}});
    }
    for (const QString &model : models)
        data.append(QJsonObject{{u"id"_s, model}, {u"object"_s, u"model"_s}, {u"type"_s, u"model"_s},
                                {u"owned_by"_s, u"fake"_s}});
    return compact(QJsonObject{{u"object"_s, u"list"_s}, {u"data"_s, data}});
}

QList<QByteArray> streamEvents(const FakeReply &reply, const FakeRequest &request, int serial)
{
    QList<QByteArray> events;
    const int prompt = promptTokens(reply, request);
    const int completion = completionTokens(reply);
    if (request.dialect == u"anthropic") {
        // CRLF line ends, as some proxies rewrite them; the client must not care.
        const QByteArray crlf = "\r\n"_ba;
        const QJsonObject message{{u"id"_s, QString(u"msg_fake_"_s + QString::number(serial))}, {u"type"_s, u"message"_s},
                                  {u"role"_s, u"assistant"_s}, {u"content"_s, QJsonArray()},
                                  {u"model"_s, modelOf(request)},
                                  {u"usage"_s, QJsonObject{{u"input_tokens"_s, prompt}, {u"output_tokens"_s, 1}}}};
        events.append(sse(compact({{u"type"_s, u"message_start"_s}, {u"message"_s, message}}), "message_start", crlf));
        events.append(sse(R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})"_ba,
                          "content_block_start", crlf));
        events.append(sse(R"({"type": "ping"})"_ba, "ping", crlf));
        for (const QString &chunk : reply.chunks) {
            const QJsonObject delta{{u"type"_s, u"text_delta"_s}, {u"text"_s, chunk}};
            events.append(sse(compact({{u"type"_s, u"content_block_delta"_s}, {u"index"_s, 0}, {u"delta"_s, delta}}),
                              "content_block_delta", crlf));
        }
        events.append(sse(R"({"type":"content_block_stop","index":0})"_ba, "content_block_stop", crlf));
        const QJsonObject delta{{u"stop_reason"_s, reply.filtered ? u"refusal"_s : u"end_turn"_s}};
        events.append(sse(compact({{u"type"_s, u"message_delta"_s}, {u"delta"_s, delta},
                                   {u"usage"_s, QJsonObject{{u"output_tokens"_s, completion}}}}),
                          "message_delta", crlf));
        if (!reply.dropTerminator)
            events.append(sse(R"({"type":"message_stop"})"_ba, "message_stop", crlf));
        return events;
    }
    const QString id = u"chatcmpl-fake-"_s + QString::number(serial);
    auto chunk = [&](const QJsonObject &delta, const QJsonValue &finish) {
        const QJsonObject choice{{u"index"_s, 0}, {u"delta"_s, delta}, {u"finish_reason"_s, finish}};
        return compact({{u"id"_s, id}, {u"object"_s, u"chat.completion.chunk"_s}, {u"model"_s, modelOf(request)},
                        {u"choices"_s, QJsonArray{choice}}});
    };
    events.append(": keep-alive\n\n"_ba);
    events.append(sse(chunk({{u"role"_s, u"assistant"_s}, {u"content"_s, u""_s}}, QJsonValue::Null)));
    for (const QString &text : reply.chunks)
        events.append(sse(chunk({{u"content"_s, text}}, QJsonValue::Null)));
    events.append(sse(chunk({}, reply.filtered ? u"content_filter"_s : u"stop"_s)));
    const bool wantsUsage = request.json.value(u"stream_options"_s).toObject().value(u"include_usage"_s).toBool();
    if (wantsUsage && reply.includeUsage)
        events.append(sse(compact({{u"id"_s, id}, {u"object"_s, u"chat.completion.chunk"_s}, {u"choices"_s, QJsonArray()},
                                   {u"usage"_s, QJsonObject{{u"prompt_tokens"_s, prompt},
                                                            {u"completion_tokens"_s, completion},
                                                            {u"total_tokens"_s, prompt + completion}}}})));
    if (!reply.dropTerminator)
        events.append(sse("[DONE]"_ba));
    return events;
}

} // namespace FakeDialectBodies
