#pragma once

#include "providers/dialects/ProviderDialect.h"

// Google Gemini: POST {baseUrl}/v1beta/models/{model}:generateContent. The key goes in the
// x-goog-api-key header, never in a key= query parameter (URLs end up in logs and proxies).
class GeminiDialect : public ProviderDialect
{
public:
    HttpRequestSpec chatRequest(const ChatRequest &request, const QString &baseUrl, const QString &key,
                                QStringList *notSent) const override;
    DialectReply parseReply(const QByteArray &body) const override;
    HttpRequestSpec modelsRequest(const EngineConfig &engine, const QString &baseUrl,
                                  const QString &key) const override;
    QStringList parseModels(const QByteArray &body, bool *ok) const override;
};
