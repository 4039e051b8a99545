#pragma once

#include "graph/EngineConfig.h"

#include <QDateTime>
#include <QString>
#include <QVector>

#include <atomic>
#include <functional>
#include <memory>

// What a provider call is for; every call in the store carries one.
enum class CallPurpose { Forward, Loss, Backward, Optimizer, Validation, Test };
QString callPurposeName(CallPurpose purpose);   // "forward", "loss", ...

struct ChatMessage
{
    QString role;      // system | user | assistant
    QString content;
};

// Where a call sits in a run: which step, what for, which node and sample.
struct CallTag
{
    QString runId;
    int step = 0;              // 0: before the first step (initial validation)
    CallPurpose purpose = CallPurpose::Forward;
    QString nodeId;
    int sampleIndex = -1;      // index in its split; -1 when not about one sample
    QString split;             // train | validation | test | "" (test-time)
};

struct ChatRequest
{
    EngineConfig engine;
    QVector<ChatMessage> messages;
    CallTag tag;
    // Streaming engines ("stream": true) call this from the worker thread as text arrives;
    // the deltas of a successful call join to its text. A retried attempt starts over, and
    // onRestart (when set) is called first so a viewer can clear what it showed.
    std::function<void(const QString &delta)> onDelta = {};
    std::function<void()> onRestart = {};
};

enum class CallErrorKind {
    None, Cancelled, Timeout, RateLimited, Server, Connection, Auth, BadRequest, BadReply, Config,
    ContentFilter,   // the provider withheld or cut the answer for safety reasons
    ContextLength,   // the prompt (plus max tokens) does not fit the model's context
    UnknownModel     // the server does not offer the engine's model
};

struct ChatResult
{
    bool ok = false;
    QString text;
    CallErrorKind errorKind = CallErrorKind::None;
    QString error;             // names the engine, host and what happened; never a key
    int promptTokens = 0;
    int completionTokens = 0;
    bool tokensEstimated = false;
    int attempts = 0;
    qint64 callId = 0;         // id of the last attempt's record, when stored
};

// One HTTP attempt, as stored. Request bodies and replies are kept whole, with keys redacted.
struct CallRecord
{
    CallTag tag;
    QString engineName;
    QString provider;
    QString model;
    QString baseUrl;
    QString requestJson;       // redacted request body
    QString replyText;         // the assistant text, when parsed
    QString responseBody;      // raw body (or an excerpt of it for errors), redacted
    int httpStatus = 0;
    QString error;
    int promptTokens = 0;
    int completionTokens = 0;
    bool tokensEstimated = false;
    qint64 latencyMs = 0;
    int attempt = 1;           // 1 for the first try, 2 for the first retry, ...
    bool cached = false;
    QDateTime startedAt;
    // Priced when the call is recorded (PriceTable). costKnown is false when the model has no
    // price: an unknown cost is reported as unknown, never as zero. Cached hits cost nothing.
    double costUsd = 0.0;
    bool costKnown = false;
};

// Shared cancel flag: set once, read by every call in flight.
using CancelFlag = std::shared_ptr<std::atomic_bool>;
inline CancelFlag makeCancelFlag() { return std::make_shared<std::atomic_bool>(false); }
