#pragma once

#include "providers/ChatTypes.h"
#include "providers/HttpAttempt.h"
#include "providers/ProviderPresets.h"
#include "providers/SseParser.h"

#include <QStringList>

// A reply body as a dialect understood it.
struct DialectReply
{
    bool ok = false;
    CallErrorKind kind = CallErrorKind::BadReply;   // BadReply or ContentFilter when !ok
    QString problem;        // what is wrong with the reply ("has no choices"), for messages
    QString text;
    int promptTokens = -1;  // -1: the server did not say
    int completionTokens = -1;
    QString finishReason;
};

// What a stream has delivered so far.
struct StreamState
{
    QString text;
    int promptTokens = -1;
    int completionTokens = -1;
    QString finishReason;
    bool done = false;      // the terminator arrived ([DONE], message_stop)
    QString error;          // an error event the server sent mid-stream
    bool contentFiltered = false;
};

// One wire protocol: how to build a chat request and the model-list request, and how to read
// replies, stream events and error bodies. Stateless; one shared instance per dialect, used
// from any thread. ProviderClient owns everything around it (attempts, retries, timeouts,
// cancel, recording, redaction).
class ProviderDialect
{
public:
    virtual ~ProviderDialect() = default;

    static const ProviderDialect &forKind(DialectKind kind);

    // A setting the dialect cannot do without (Azure's deployment); empty when fine.
    virtual QString configProblem(const EngineConfig &engine) const;
    // notSent collects settings the engine gives that this API cannot take ("seed").
    virtual HttpRequestSpec chatRequest(const ChatRequest &request, const QString &baseUrl, const QString &key,
                                        QStringList *notSent) const = 0;
    virtual DialectReply parseReply(const QByteArray &body) const = 0;

    virtual bool supportsStreaming() const { return false; }
    // Applies one event to the state; returns the text it adds (may be empty).
    virtual QString streamEvent(const SseEvent &event, StreamState *state) const;

    // The server's own explanation in an error body; empty when it has none.
    virtual QString errorMessage(const QByteArray &body) const;
    virtual bool isContextLengthError(int status, const QByteArray &body) const;
    virtual bool isUnknownModelError(int status, const QByteArray &body) const;

    virtual HttpRequestSpec modelsRequest(const EngineConfig &engine, const QString &baseUrl,
                                          const QString &key) const = 0;
    // Model names (unsorted); ok false when the body is not a model list.
    virtual QStringList parseModels(const QByteArray &body, bool *ok) const;
};
