#pragma once

#include "providers/ChatTypes.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QVector>

#include <functional>
#include <memory>

class QThread;
class FakeServerWorker;
struct FakeServerState;

using FakeHeaders = QList<QPair<QByteArray, QByteArray>>;

// One HTTP request as the fake server received it.
struct FakeRequest
{
    QByteArray method;
    QByteArray path;                 // as sent, query included ("/v1/chat/completions")
    FakeHeaders headers;             // in arrival order, names as sent
    QByteArray body;
    QJsonObject json;                // the body parsed, when it is a JSON object
    QVector<ChatMessage> messages;   // json["messages"]
    QString model;                   // json["model"]
    QDateTime receivedAt;

    QByteArray header(const QByteArray &name) const;   // case-insensitive; empty if absent
    // The content of the last message with this role ("user" by default).
    QString lastMessage(const QString &role = QStringLiteral("user")) const;
};

// What the fake server does with one request. Build with the static functions, then adjust
// with withDelay() / withUsage() / withoutUsage().
struct FakeReply
{
    enum class Kind {
        Completion,   // text wrapped into a chat.completion JSON with usage
        Raw,          // status + headers + body exactly as given
        Hang,         // never answer; the connection stays open
        Close,        // close the connection without any reply
        Truncated     // headers announce the whole body, half of it is sent, then the connection closes
    };

    Kind kind = Kind::Completion;
    QString text;
    int status = 200;
    FakeHeaders headers;
    QByteArray body;
    int delayMs = 0;               // wait before answering (or before closing)
    bool includeUsage = true;
    int promptTokens = -1;         // -1: estimated from the request (chars / 4)
    int completionTokens = -1;

    static FakeReply completion(const QString &text);
    static FakeReply raw(int status, const QByteArray &body, const FakeHeaders &headers = {});
    // An OpenAI-style {"error": {"message": ...}} body.
    static FakeReply error(int status, const QString &message, const FakeHeaders &headers = {});
    static FakeReply rateLimited(int retryAfterSeconds);
    static FakeReply malformedJson();
    static FakeReply emptyChoices();
    static FakeReply hang();
    static FakeReply closeConnection();
    static FakeReply truncated(const QString &text);

    FakeReply withDelay(int ms) const;
    FakeReply withUsage(int prompt, int completion) const;
    FakeReply withoutUsage() const;
};

// An OpenAI-compatible HTTP/1.1 server on 127.0.0.1 (random port) for tests. It serves
// POST /v1/chat/completions and GET /v1/models, with keep-alive and Content-Length bodies.
// The server runs in its own thread, so a test may block (on a worker thread's future or on a
// QProcess) while it serves. The responder and the log are used from that server thread: the
// responder must be thread-safe with respect to whatever it captures.
// Replies for chat completions come from the scripted queue first (enqueue), then the responder.
class FakeOpenAiServer
{
public:
    using Responder = std::function<FakeReply(const FakeRequest &)>;

    FakeOpenAiServer();
    ~FakeOpenAiServer();
    FakeOpenAiServer(const FakeOpenAiServer &) = delete;
    FakeOpenAiServer &operator=(const FakeOpenAiServer &) = delete;

    bool start();
    void stop();
    quint16 port() const { return m_port; }
    QString baseUrl() const;         // "http://127.0.0.1:PORT/v1"

    void setResponder(Responder responder);   // default: completion("fake reply")
    void enqueue(const FakeReply &reply);      // consumed in order before the responder
    int pendingScripted() const;
    void setModels(const QStringList &models); // GET /v1/models; default {"fake-model"}

    int requestCount() const;                  // chat completions and everything else
    QVector<FakeRequest> requests() const;
    FakeRequest lastRequest() const;
    void clearRequests();
    // Blocks the caller until count requests arrived in total; false on timeout.
    bool waitForRequests(int count, int timeoutMs) const;

private:
    std::shared_ptr<FakeServerState> m_state;
    std::unique_ptr<QThread> m_thread;
    FakeServerWorker *m_worker = nullptr;
    quint16 m_port = 0;
};
