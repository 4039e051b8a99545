#pragma once

#include "providers/dialects/ProviderDialect.h"

// Anthropic Messages: POST {baseUrl}/v1/messages with x-api-key and anthropic-version headers.
// System messages go to the top-level "system" field; max_tokens is required by the API.
class AnthropicDialect : public ProviderDialect
{
public:
    static constexpr int kDefaultMaxTokens = 4096;

    HttpRequestSpec chatRequest(const ChatRequest &request, const QString &baseUrl, const QString &key,
                                QStringList *notSent) const override;
    DialectReply parseReply(const QByteArray &body) const override;
    bool supportsStreaming() const override { return true; }
    QString streamEvent(const SseEvent &event, StreamState *state) const override;
    HttpRequestSpec modelsRequest(const EngineConfig &engine, const QString &baseUrl,
                                  const QString &key) const override;
};
