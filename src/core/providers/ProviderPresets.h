#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

// The wire protocol a provider speaks.
enum class DialectKind { OpenAi, AzureOpenAi, Anthropic, Gemini };

// One provider a pipeline may name: the one source of defaults for the loader, the validator,
// the client and the editors.
struct ProviderPreset
{
    QString name;            // as written in pipeline files ("ollama")
    QString displayName;     // for menus ("Ollama (local)")
    DialectKind dialect = DialectKind::OpenAi;
    QString defaultBaseUrl;  // empty: the user must give one (no sensible guess exists)
    QString keyVariable;     // conventional API-key variable; empty for local servers
    bool keyRequired = false;
};

namespace ProviderPresets {

const QVector<ProviderPreset> &all();
const ProviderPreset *find(const QString &name);   // nullptr when unknown
QStringList names();

} // namespace ProviderPresets
