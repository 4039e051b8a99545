#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

// The prompts the method sends on the user's behalf (backward, optimizer, judge), written by us
// and shipped as resource files (resources/prompts/NAME.txt). A pipeline may override any of
// them by name. Templates use {{name}} placeholders, so that single braces in user text are safe.
class PromptLibrary
{
public:
    PromptLibrary() = default;
    explicit PromptLibrary(const QMap<QString, QString> &overrides) : m_overrides(overrides) {}

    static QStringList names();                       // every built-in prompt name
    static QString builtIn(const QString &name);      // the resource text
    QString text(const QString &name) const;          // override or built-in
    bool isOverridden(const QString &name) const { return m_overrides.contains(name); }

    // Fills {{name}} placeholders; unknown placeholders are left as written.
    static QString fill(const QString &templateText, const QMap<QString, QString> &values);
    QString render(const QString &name, const QMap<QString, QString> &values) const
    {
        return fill(text(name), values);
    }

private:
    QMap<QString, QString> m_overrides;
};
