#pragma once

#include "providers/LlmClient.h"
#include "providers/RetryPolicy.h"

#include <QProcessEnvironment>

// The real client: HTTP through QtNetwork to the provider named by each request's engine.
// OpenAI chat completions and OpenAI-compatible servers (Ollama, vLLM, llama.cpp, LM Studio...).
// Thread-safe: each calling thread gets its own QNetworkAccessManager and runs a local event
// loop while its request is in flight (worker threads only).
class ProviderClient : public LlmClient
{
public:
    explicit ProviderClient(QProcessEnvironment environment = QProcessEnvironment::systemEnvironment(),
                            RetryPolicy retry = RetryPolicy());
    ChatResult complete(const ChatRequest &request, CallSink *sink, const CancelFlag &cancel) override;

    const RetryPolicy &retryPolicy() const { return m_retry; }
    // Providers this build can call (the pipeline format names more).
    static bool supportsProvider(const QString &provider);

private:
    QProcessEnvironment m_environment;
    RetryPolicy m_retry;
};
