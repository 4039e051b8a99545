#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

// One named engine of a pipeline ("student", "teacher"): which provider, which model,
// where, and the sampling settings passed through to every call on it.
// The key itself never lives here: only the name of the environment variable holding it.
struct EngineConfig
{
    QString name;        // key in the pipeline's "engines" object
    QString provider;    // a ProviderPresets name: openai, ollama, azure-openai, anthropic, gemini, ...
    QString baseUrl;     // empty: the provider's default
    QString model;
    QString apiKeyEnv;   // empty: the provider's conventional variable (OPENAI_API_KEY, ...)

    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<int> maxTokens;
    std::optional<int> seed;
    QStringList stop;

    double timeoutSeconds = 180.0;    // whole-request deadline
    double inactivitySeconds = 60.0;  // no bytes for this long: the attempt fails
    int maxRetries = 4;               // extra attempts after the first on 429 / 5xx / connection errors

    QString deployment;  // azure-openai: the deployment name (required there)
    QString apiVersion;  // azure-openai: the api-version query value; empty: a tested default
    bool stream = false; // server-sent events, so text arrives as it is written

    QJsonObject extra;                // keys we do not know, kept for a lossless round trip

    bool operator==(const EngineConfig &other) const;
};

// The provider's default base URL ("https://api.openai.com/v1", "http://localhost:11434/v1", ...).
QString defaultBaseUrl(const QString &provider);
// The conventional API-key variable of a provider ("OPENAI_API_KEY", ...); empty for local servers.
QString defaultApiKeyEnv(const QString &provider);
// Providers a pipeline may name (the ProviderPresets table).
QStringList knownProviders();
