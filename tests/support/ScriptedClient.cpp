#include "ScriptedClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutexLocker>

using namespace Qt::StringLiterals;

ScriptedClient::ScriptedClient(Responder responder)
    : m_responder(std::move(responder))
{
}

ChatResult ScriptedClient::complete(const ChatRequest &request, CallSink *sink,
                                    const CancelFlag &cancel)
{
    ChatResult result;
    result.attempts = 1;
    if (cancel && cancel->load()) {
        result.errorKind = CallErrorKind::Cancelled;
        result.error = u"cancelled"_s;
        return result;
    }
    {
        QMutexLocker lock(&m_mutex);
        m_requests.append(request);
    }
    const Reply reply = m_responder(request);
    result.ok = reply.ok;
    result.text = reply.text;
    result.errorKind = reply.ok ? CallErrorKind::None : reply.errorKind;
    result.error = reply.error;
    int chars = 0;
    for (const ChatMessage &m : request.messages)
        chars += m.content.size();
    result.promptTokens = chars / 4 + 1;
    result.completionTokens = reply.text.size() / 4 + 1;

    if (sink) {
        CallRecord record;
        record.tag = request.tag;
        record.engineName = request.engine.name;
        record.provider = request.engine.provider;
        record.model = request.engine.model;
        record.baseUrl = request.engine.baseUrl;
        QJsonArray messages;
        for (const ChatMessage &m : request.messages)
            messages.append(QJsonObject{{u"role"_s, m.role}, {u"content"_s, m.content}});
        record.requestJson = QString::fromUtf8(
            QJsonDocument(QJsonObject{{u"model"_s, request.engine.model}, {u"messages"_s, messages}})
                .toJson(QJsonDocument::Compact));
        record.replyText = reply.text;
        record.httpStatus = reply.ok ? 200 : 500;
        record.error = reply.error;
        record.promptTokens = result.promptTokens;
        record.completionTokens = result.completionTokens;
        record.tokensEstimated = true;
        record.attempt = 1;
        record.startedAt = QDateTime::currentDateTimeUtc();
        result.callId = sink->record(record);
    }
    return result;
}

QVector<ChatRequest> ScriptedClient::requests() const
{
    QMutexLocker lock(&m_mutex);
    return m_requests;
}

int ScriptedClient::count() const
{
    QMutexLocker lock(&m_mutex);
    return m_requests.size();
}

int ScriptedClient::count(CallPurpose purpose) const
{
    QMutexLocker lock(&m_mutex);
    int n = 0;
    for (const ChatRequest &r : m_requests)
        n += r.tag.purpose == purpose ? 1 : 0;
    return n;
}

void ScriptedClient::clear()
{
    QMutexLocker lock(&m_mutex);
    m_requests.clear();
}

QString ScriptedClient::lastUser(const ChatRequest &request)
{
    for (auto it = request.messages.crbegin(); it != request.messages.crend(); ++it) {
        if (it->role == u"user"_s)
            return it->content;
    }
    return {};
}

QString ScriptedClient::systemText(const ChatRequest &request)
{
    for (const ChatMessage &m : request.messages) {
        if (m.role == u"system"_s)
            return m.content;
    }
    return {};
}
