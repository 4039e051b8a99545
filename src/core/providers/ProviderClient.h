#pragma once

#include "providers/KeySource.h"
#include "providers/LlmClient.h"
#include "providers/RetryPolicy.h"

#include <QProcessEnvironment>

#include <memory>

// The real client: HTTP through QtNetwork to the provider named by each request's engine, in
// that provider's dialect (providers/dialects: OpenAI and compatible servers, Azure OpenAI,
// Anthropic, Gemini). This class owns what all dialects share: the attempt loop, retries,
// deadlines, cancel, streaming, error messages, recording and redaction.
// Thread-safe: each calling thread gets its own QNetworkAccessManager and runs a local event
// loop while its request is in flight (worker threads only).
class ProviderClient : public LlmClient
{
public:
    explicit ProviderClient(std::shared_ptr<const KeySource> keys = std::make_shared<EnvironmentKeySource>(),
                            RetryPolicy retry = RetryPolicy());
    // Keys from the given environment (tests inject their own).
    explicit ProviderClient(QProcessEnvironment environment, RetryPolicy retry = RetryPolicy());
    ChatResult complete(const ChatRequest &request, CallSink *sink, const CancelFlag &cancel) override;

    const RetryPolicy &retryPolicy() const { return m_retry; }
    const KeySource &keySource() const { return *m_keys; }
    // Providers this build can call: every preset.
    static bool supportsProvider(const QString &provider);

private:
    std::shared_ptr<const KeySource> m_keys;
    RetryPolicy m_retry;
};
