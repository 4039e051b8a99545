#pragma once

#include "providers/dialects/ProviderDialect.h"

// OpenAI chat completions: POST {baseUrl}/chat/completions with a Bearer key. Also every
// OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio, OpenRouter, Groq, ...).
class OpenAiDialect : public ProviderDialect
{
public:
    HttpRequestSpec chatRequest(const ChatRequest &request, const QString &baseUrl, const QString &key,
                                QStringList *notSent) const override;
    DialectReply parseReply(const QByteArray &body) const override;
    bool supportsStreaming() const override { return true; }
    QString streamEvent(const SseEvent &event, StreamState *state) const override;
    HttpRequestSpec modelsRequest(const EngineConfig &engine, const QString &baseUrl,
                                  const QString &key) const override;

protected:
    // The body every OpenAI-style endpoint takes (Azure adds nothing to it).
    QByteArray chatBody(const ChatRequest &request, bool stream) const;
};
