#pragma once

#include "providers/LlmClient.h"

#include <QMutex>
#include <QVector>

#include <functional>

// A test double for LlmClient: replies come from a function of the request (so a test can
// script "the optimizer always answers X", or echo what it was sent). Every call is recorded
// to the sink like the real client records an attempt, and kept for assertions.
// Thread-safe: the trainer calls it from worker threads.
class ScriptedClient : public LlmClient
{
public:
    // A reply, or an error when ok is false.
    struct Reply
    {
        bool ok = true;
        QString text;
        CallErrorKind errorKind = CallErrorKind::None;
        QString error;
    };
    using Responder = std::function<Reply(const ChatRequest &)>;

    explicit ScriptedClient(Responder responder);
    ChatResult complete(const ChatRequest &request, CallSink *sink, const CancelFlag &cancel) override;

    QVector<ChatRequest> requests() const;
    int count() const;
    int count(CallPurpose purpose) const;
    void clear();

    static Reply text(const QString &t) { return Reply{true, t, CallErrorKind::None, {}}; }
    static Reply failure(const QString &message)
    {
        return Reply{false, {}, CallErrorKind::Server, message};
    }
    // The text of the last user message of a request.
    static QString lastUser(const ChatRequest &request);
    static QString systemText(const ChatRequest &request);

private:
    Responder m_responder;
    mutable QMutex m_mutex;
    QVector<ChatRequest> m_requests;
};
