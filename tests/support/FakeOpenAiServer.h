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
    QString dialect;                 // "openai", "azure", "anthropic", "gemini" (from the path)
    QByteArray method;
    QByteArray path;                 // as sent, query included ("/v1/chat/completions")
    FakeHeaders headers;             // in arrival order, names as sent
    QByteArray body;
    QJsonObject json;                // the body parsed, when it is a JSON object
    // The conversation in OpenAI terms whatever the dialect: Anthropic's "system" and Gemini's
    // systemInstruction become leading system messages, Gemini's "model" role is "assistant".
    QVector<ChatMessage> messages;
    QString model;                   // json["model"]; Gemini: from the path
    QString deployment;              // Azure: from the path
    QDateTime receivedAt;

    QByteArray header(const QByteArray &name) const;   // case-insensitive; empty if absent
    // The content of the last message with this role ("user" by default).
    QString lastMessage(const QString &role = QStringLiteral("user")) const;
};

// What the fake server does with one request, written in the request's dialect. Build with the
// static functions, then adjust with withDelay() / withUsage() / withoutUsage() / ...
struct FakeReply
{
    enum class Kind {
        Completion,   // text wrapped into the dialect's reply JSON with usage
        Raw,          // status + headers + body exactly as given
        Error,        // status + the dialect's error JSON (errorCode picks a well-known error)
        Empty,        // 200 with no choices / content blocks / candidates
        Hang,         // never answer; the connection stays open
        Close,        // close the connection without any reply
        Truncated,    // headers announce the whole body, half of it is sent, then the connection closes
        Stream        // server-sent events, one per chunk, chunkDelayMs apart
    };
    enum class ErrorCode { Generic, ContextLength, UnknownModel };

    Kind kind = Kind::Completion;
    QString text;
    int status = 200;
    FakeHeaders headers;
    QByteArray body;
    int delayMs = 0;               // wait before answering (or before closing)
    bool includeUsage = true;
    int promptTokens = -1;         // -1: estimated from the request (chars / 4)
    int completionTokens = -1;
    bool filtered = false;         // the content filter stopped it
    ErrorCode errorCode = ErrorCode::Generic;
    QStringList chunks;            // Stream: the text deltas
    int chunkDelayMs = 0;          // Stream: pause before each event after the first
    bool dropTerminator = false;   // Stream: close without [DONE] / message_stop
    int stallAfterEvents = -1;     // Stream: go silent (connection open) after this many events

    static FakeReply completion(const QString &text);
    static FakeReply raw(int status, const QByteArray &body, const FakeHeaders &headers = {});
    // The dialect's error body ({"error": {"message": ...}} for OpenAI).
    static FakeReply error(int status, const QString &message, const FakeHeaders &headers = {});
    static FakeReply rateLimited(int retryAfterSeconds);
    static FakeReply rateLimitedNoRetryAfter();
    static FakeReply malformedJson();
    static FakeReply emptyChoices();   // empty choices / content / candidates, per dialect
    static FakeReply hang();
    static FakeReply closeConnection();
    static FakeReply truncated(const QString &text);
    static FakeReply contentFiltered();   // finish_reason content_filter / refusal / blockReason
    static FakeReply contextLength();     // the dialect's "prompt too long" 400
    static FakeReply unknownModel();      // the dialect's 404 for a model it does not serve
    static FakeReply stream(const QStringList &chunks, int chunkDelayMs = 0);
    static FakeReply truncatedStream(const QStringList &chunks);

    FakeReply withDelay(int ms) const;
    FakeReply withUsage(int prompt, int completion) const;
    FakeReply withoutUsage() const;
    FakeReply withStallAfter(int events) const;
};

// A fake LLM HTTP/1.1 server on 127.0.0.1 (random port) for tests, speaking four dialects:
// POST /v1/chat/completions (OpenAI), /openai/deployments/{d}/chat/completions (Azure),
// /v1/messages (Anthropic), /v1beta/models/{model}:generateContent (Gemini), and GET model
// lists for each (/v1/models, /openai/models, /v1beta/models). Keep-alive and Content-Length
// bodies; streams are close-delimited text/event-stream.
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
    QString baseUrl() const;         // "http://127.0.0.1:PORT/v1" (OpenAI style)
    QString rootUrl() const;         // "http://127.0.0.1:PORT" (Azure, Anthropic, Gemini style)

    void setResponder(Responder responder);   // default: completion("fake reply")
    void enqueue(const FakeReply &reply);      // consumed in order before the responder
    int pendingScripted() const;
    void setModels(const QStringList &models); // GET model lists; default {"fake-model"}
    void setModelListStatus(int status);       // non-200: model lists get the dialect's error

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

// The server speaks more than OpenAI now; new tests use this name.
using FakeLlmServer = FakeOpenAiServer;
