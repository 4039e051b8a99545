#include "prompts/PromptLibrary.h"

#include <QFile>

using namespace Qt::StringLiterals;

QStringList PromptLibrary::names()
{
    return {u"backward_base"_s,    u"backward_chain"_s, u"backward_system"_s,
            u"optimizer_system"_s, u"optimizer_user"_s, u"optimizer_reask"_s,
            u"gradient_summary"_s, u"judge_system"_s,   u"judge_user"_s};
}

QString PromptLibrary::builtIn(const QString &name)
{
    QFile file(u":/prompts/"_s + name + u".txt"_s);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

QString PromptLibrary::text(const QString &name) const
{
    const auto it = m_overrides.constFind(name);
    return it != m_overrides.constEnd() ? it.value() : builtIn(name);
}

QString PromptLibrary::fill(const QString &templateText, const QMap<QString, QString> &values)
{
    // A single left-to-right pass that copies inserted values verbatim: a value that itself
    // contains "{{x}}" (user prompts, model replies) must never be expanded a second time.
    QString out;
    out.reserve(templateText.size());
    qsizetype pos = 0;
    while (pos < templateText.size()) {
        const qsizetype open = templateText.indexOf(u"{{"_s, pos);
        if (open < 0)
            break;
        const qsizetype close = templateText.indexOf(u"}}"_s, open + 2);
        if (close < 0)
            break;
        const QString key = templateText.mid(open + 2, close - open - 2).trimmed();
        if (key.contains(u'{')) {
            // "{{{name}}}": the placeholder starts at a later brace; keep the first as text.
            out += QStringView(templateText).mid(pos, open + 1 - pos);
            pos = open + 1;
            continue;
        }
        const auto it = values.constFind(key);
        if (it == values.constEnd() || key.isEmpty()) {
            // Unknown: left as written; resume after its opening braces so that a stray "{{"
            // before a real placeholder does not swallow it.
            out += QStringView(templateText).mid(pos, open + 2 - pos);
            pos = open + 2;
            continue;
        }
        out += QStringView(templateText).mid(pos, open - pos);
        out += it.value();
        pos = close + 2;
    }
    out += QStringView(templateText).mid(pos);
    return out;
}
