#pragma once

#include "providers/dialects/OpenAiDialect.h"

// Azure OpenAI: the OpenAI body, sent to a deployment of a resource with an api-version query
// and an "api-key" header: POST {baseUrl}/openai/deployments/{deployment}/chat/completions.
class AzureOpenAiDialect : public OpenAiDialect
{
public:
    static QString defaultApiVersion();

    QString configProblem(const EngineConfig &engine) const override;
    HttpRequestSpec chatRequest(const ChatRequest &request, const QString &baseUrl, const QString &key,
                                QStringList *notSent) const override;
    HttpRequestSpec modelsRequest(const EngineConfig &engine, const QString &baseUrl,
                                  const QString &key) const override;
};
