#include "graph/PromptTemplate.h"

namespace {

bool isIdentStart(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
}

bool isIdentChar(QChar c)
{
    return isIdentStart(c) || (c >= u'0' && c <= u'9');
}

// Walks the template once; for each "{name}" calls onPlaceholder, for everything else (with
// "{{"/"}}" unescaped) calls onText. Anything that is not exactly an identifier between braces
// (JSON such as {"a": 1}, "{ x }", a lone brace) is plain text, so that prompts may contain
// examples of structured output without escaping them.
template<typename TextFn, typename PlaceholderFn>
void scan(const QString &t, TextFn onText, PlaceholderFn onPlaceholder)
{
    const int n = t.size();
    int i = 0;
    while (i < n) {
        const QChar c = t.at(i);
        if (c == u'{' && i + 1 < n && t.at(i + 1) == u'{') {
            onText(QStringView(t).mid(i, 1));
            i += 2;
            continue;
        }
        if (c == u'}' && i + 1 < n && t.at(i + 1) == u'}') {
            onText(QStringView(t).mid(i, 1));
            i += 2;
            continue;
        }
        if (c == u'{' && i + 1 < n && isIdentStart(t.at(i + 1))) {
            int j = i + 2;
            while (j < n && isIdentChar(t.at(j)))
                ++j;
            if (j < n && t.at(j) == u'}') {
                onPlaceholder(QStringView(t).mid(i + 1, j - i - 1), QStringView(t).mid(i, j - i + 1));
                i = j + 1;
                continue;
            }
        }
        onText(QStringView(t).mid(i, 1));
        ++i;
    }
}

} // namespace

namespace PromptTemplate {

QStringList placeholders(const QString &templateText)
{
    QStringList names;
    scan(templateText, [](QStringView) {}, [&](QStringView name, QStringView) {
        const QString s = name.toString();
        if (!names.contains(s))
            names << s;
    });
    return names;
}

QVector<Span> placeholderSpans(const QString &templateText)
{
    QVector<Span> spans;
    scan(templateText, [](QStringView) {}, [&](QStringView name, QStringView whole) {
        spans.append({ int(whole.constData() - templateText.constData()), int(whole.size()),
                       name.toString() });
    });
    return spans;
}

QString render(const QString &templateText, const QMap<QString, QString> &values)
{
    QString out;
    out.reserve(templateText.size());
    scan(templateText, [&](QStringView text) { out += text; },
         [&](QStringView name, QStringView whole) {
             const auto it = values.constFind(name.toString());
             if (it == values.constEnd())
                 out += whole;
             else
                 out += *it;
         });
    return out;
}

} // namespace PromptTemplate
