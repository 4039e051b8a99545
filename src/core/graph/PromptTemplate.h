#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

// "{name}" placeholders in llm templates. "{{" and "}}" are literal braces.
namespace PromptTemplate {

QStringList placeholders(const QString &templateText);   // unique, in order of appearance
// Fills placeholders; unknown names are left as written.
QString render(const QString &templateText, const QMap<QString, QString> &values);

} // namespace PromptTemplate
