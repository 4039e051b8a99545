#pragma once

#include <QProcessEnvironment>
#include <QString>

#include <memory>

// Where API keys come from. A key is looked up by the name of the environment variable an
// engine names (apiKeyEnv, or the provider's conventional one); the value never leaves the
// process except in the request's auth header, and never reaches a stored record.
// Implementations are called from worker threads and must be thread-safe.
class KeySource
{
public:
    virtual ~KeySource() = default;
    // The key for a variable name; empty when there is none.
    virtual QString key(const QString &variable) const = 0;
    // Where a key for this variable would come from, for messages ("environment variable
    // OPENAI_API_KEY", "system keychain entry OPENAI_API_KEY"); never the key itself.
    virtual QString describe(const QString &variable) const
    {
        return QStringLiteral("the environment variable ") + variable;
    }
};

// Keys from a process environment (the default; tests inject their own environment).
class EnvironmentKeySource : public KeySource
{
public:
    explicit EnvironmentKeySource(QProcessEnvironment env = QProcessEnvironment::systemEnvironment())
        : m_env(std::move(env))
    {
    }
    QString key(const QString &variable) const override { return m_env.value(variable).trimmed(); }

private:
    QProcessEnvironment m_env;
};
