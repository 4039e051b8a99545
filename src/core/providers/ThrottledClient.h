#pragma once

#include "providers/AimdLimiter.h"
#include "providers/LlmClient.h"

#include <QMutex>
#include <QString>
#include <QVector>

#include <map>
#include <memory>

// An LlmClient in front of another that limits the requests in flight per engine and adapts
// the limit to the server (AimdLimiter): each 429 the inner client reports halves it, a run of
// successes raises it again. So a rate-limited run slows down instead of failing.
//
// Engines are told apart by engineKey(): the model and the base URL, not the engine's name,
// because the quota a server enforces belongs to the model at that endpoint; two pipeline
// engines ("student", "judge") on the same model and endpoint draw on one quota and share
// one limit. The key variable is left out: engines on one model and endpoint with different
// keys are rare, and sharing a limit then only errs on the side of fewer requests.
//
// A slot belongs to a call for its whole life, the inner client's retries and back-off sleeps
// included, so the limit bounds what the run has outstanding at the provider (what a request
// quota counts); docs/benchmarks.md shows what that costs against a server that caps
// concurrent requests instead.
//
// The inner client is not owned and must outlive this one. Thread-safe: complete() is called
// concurrently from worker threads, and the limits may be read from any thread (progress).
class ThrottledClient : public LlmClient
{
public:
    struct Settings
    {
        int initialLimit = 4;      // the run's concurrency
        int maxLimit = 0;          // 0: initialLimit
        int increaseAfter = 5;     // consecutive successful attempts that earn one more slot
    };

    struct EngineLimit
    {
        QString engineKey;
        AimdLimiter::Snapshot state;
    };

    ThrottledClient(LlmClient *inner, const Settings &settings);

    // Waits for a slot on the request's engine (honouring cancel), then calls the inner client
    // with a sink that watches every attempt and forwards it to `sink`.
    ChatResult complete(const ChatRequest &request, CallSink *sink, const CancelFlag &cancel) override;

    // "model @ base URL", with the provider's default URL filled in and trailing slashes
    // dropped, so equivalent configurations share a limit.
    static QString engineKey(const EngineConfig &engine);

    // The limit in effect for an engine; the initial limit for one not called yet.
    int currentLimit(const QString &engineKey) const;
    // Every engine called so far, ordered by key.
    QVector<EngineLimit> snapshot() const;

    const Settings &settings() const { return m_settings; }

private:
    AimdLimiter &limiterFor(const QString &engineKey);

    LlmClient *m_inner;
    const Settings m_settings;
    mutable QMutex m_mutex;        // guards the map; each limiter guards itself
    std::map<QString, std::unique_ptr<AimdLimiter>> m_limiters;
};
