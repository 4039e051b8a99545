#include "graph/EngineConfig.h"

using namespace Qt::StringLiterals;

bool EngineConfig::operator==(const EngineConfig &other) const
{
    return name == other.name && provider == other.provider && baseUrl == other.baseUrl
        && model == other.model && apiKeyEnv == other.apiKeyEnv
        && temperature == other.temperature && topP == other.topP
        && maxTokens == other.maxTokens && seed == other.seed && stop == other.stop
        && timeoutSeconds == other.timeoutSeconds
        && inactivitySeconds == other.inactivitySeconds && maxRetries == other.maxRetries
        && extra == other.extra;
}

QString defaultBaseUrl(const QString &provider)
{
    if (provider == u"openai")
        return u"https://api.openai.com/v1"_s;
    if (provider == u"ollama")
        return u"http://localhost:11434/v1"_s;
    if (provider == u"anthropic")
        return u"https://api.anthropic.com"_s;
    if (provider == u"gemini")
        return u"https://generativelanguage.googleapis.com"_s;
    // openai-compatible servers and Azure deployments live wherever the user put them:
    // guessing a URL would only turn a clear "baseUrl missing" into a confusing network error.
    return QString();
}

QString defaultApiKeyEnv(const QString &provider)
{
    if (provider == u"openai")
        return u"OPENAI_API_KEY"_s;
    if (provider == u"azure-openai")
        return u"AZURE_OPENAI_API_KEY"_s;
    if (provider == u"anthropic")
        return u"ANTHROPIC_API_KEY"_s;
    if (provider == u"gemini")
        return u"GEMINI_API_KEY"_s;
    return QString();
}

QStringList knownProviders()
{
    return { u"openai"_s, u"openai-compatible"_s, u"ollama"_s,
             u"azure-openai"_s, u"anthropic"_s, u"gemini"_s };
}
