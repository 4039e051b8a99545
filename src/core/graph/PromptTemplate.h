#pragma once

#include <QMap>
#include <QString>
#include <QStringList>
#include <QVector>

// "{name}" placeholders in llm templates. "{{" and "}}" are literal braces.
namespace PromptTemplate {

QStringList placeholders(const QString &templateText);   // unique, in order of appearance

// Where each "{name}" occurrence is, for an editor that highlights them; braces included.
struct Span
{
    int start = 0;
    int length = 0;
    QString name;
};
QVector<Span> placeholderSpans(const QString &templateText);   // every occurrence, in order
// Fills placeholders; unknown names are left as written.
QString render(const QString &templateText, const QMap<QString, QString> &values);

} // namespace PromptTemplate
