#pragma once

#include "graph/EngineConfig.h"
#include "providers/KeySource.h"

class ProviderDialect;
struct ProviderPreset;

// Where an engine's calls go and with which key, resolved from its settings and the presets.
// Shared by ProviderClient and ModelCatalog so both refuse a bad engine with the same words.
struct ProviderEndpoint
{
    const ProviderPreset *preset = nullptr;
    const ProviderDialect *dialect = nullptr;
    QString baseUrl;      // without a trailing slash
    QString host;         // host[:port], for messages
    QString keyVariable;
    QString keyDescription;   // "the environment variable X", from the KeySource
    QString key;

    // False with a message (without the engine prefix) when the engine cannot be called.
    static bool resolve(const EngineConfig &engine, const KeySource &keys, ProviderEndpoint *out,
                        QString *error);
};
