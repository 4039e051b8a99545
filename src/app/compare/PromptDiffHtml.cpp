#include "compare/PromptDiffHtml.h"

#include <QRegularExpression>
#include <QStringList>
#include <QVector>

using namespace Qt::StringLiterals;

namespace {

// Beyond this many token pairs the table would cost too much memory; such texts are shown as
// one removal and one addition instead.
constexpr qsizetype kMaxCells = 4'000'000;

QStringList tokens(const QString &text)
{
    // Words and the whitespace between them, so that joining the tokens gives the text back.
    static const QRegularExpression token(u"\\s+|\\S+"_s);
    QStringList result;
    for (auto it = token.globalMatch(text); it.hasNext();)
        result.append(it.next().captured());
    return result;
}

QString escaped(const QString &text)
{
    return text.toHtmlEscaped();
}

QString removed(const QString &text)
{
    return u"<span style=\"background-color:#f8d0d0; color:#8a1010; "
           "text-decoration:line-through;\">"_s
        % escaped(text) % u"</span>"_s;
}

QString added(const QString &text)
{
    return u"<span style=\"background-color:#c9efcf; color:#0b5a17;\">"_s % escaped(text)
        % u"</span>"_s;
}

} // namespace

QString PromptDiffHtml::render(const QString &before, const QString &after)
{
    const QStringList a = tokens(before);
    const QStringList b = tokens(after);
    QString body;
    if (qsizetype(a.size() + 1) * (b.size() + 1) > kMaxCells) {
        body = removed(before) % added(after);
    } else {
        // Longest common subsequence of tokens, filled from the end so the walk goes forward.
        const qsizetype n = a.size();
        const qsizetype m = b.size();
        QVector<int> lcs((n + 1) * (m + 1), 0);
        const auto at = [&](qsizetype i, qsizetype j) -> int & { return lcs[i * (m + 1) + j]; };
        for (qsizetype i = n - 1; i >= 0; --i) {
            for (qsizetype j = m - 1; j >= 0; --j)
                at(i, j) = a.at(i) == b.at(j) ? at(i + 1, j + 1) + 1
                                              : std::max(at(i + 1, j), at(i, j + 1));
        }
        QString pendingRemoved;
        QString pendingAdded;
        const auto flush = [&] {
            if (!pendingRemoved.isEmpty())
                body += removed(pendingRemoved);
            if (!pendingAdded.isEmpty())
                body += added(pendingAdded);
            pendingRemoved.clear();
            pendingAdded.clear();
        };
        qsizetype i = 0;
        qsizetype j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.at(i) == b.at(j)) {
                flush();
                body += escaped(a.at(i));
                ++i;
                ++j;
            } else if (j < m && (i == n || at(i, j + 1) >= at(i + 1, j))) {
                pendingAdded += b.at(j++);
            } else {
                pendingRemoved += a.at(i++);
            }
        }
        flush();
    }
    return u"<div style=\"white-space: pre-wrap;\">"_s % body % u"</div>"_s;
}
