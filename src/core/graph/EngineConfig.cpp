#include "graph/EngineConfig.h"

#include "providers/ProviderPresets.h"

using namespace Qt::StringLiterals;

bool EngineConfig::operator==(const EngineConfig &other) const
{
    return name == other.name && provider == other.provider && baseUrl == other.baseUrl
        && model == other.model && apiKeyEnv == other.apiKeyEnv
        && temperature == other.temperature && topP == other.topP
        && maxTokens == other.maxTokens && seed == other.seed && stop == other.stop
        && timeoutSeconds == other.timeoutSeconds
        && inactivitySeconds == other.inactivitySeconds && maxRetries == other.maxRetries
        && deployment == other.deployment && apiVersion == other.apiVersion
        && stream == other.stream && extra == other.extra;
}

QString defaultBaseUrl(const QString &provider)
{
    const ProviderPreset *preset = ProviderPresets::find(provider);
    return preset ? preset->defaultBaseUrl : QString();
}

QString defaultApiKeyEnv(const QString &provider)
{
    const ProviderPreset *preset = ProviderPresets::find(provider);
    return preset ? preset->keyVariable : QString();
}

QStringList knownProviders()
{
    return ProviderPresets::names();
}
