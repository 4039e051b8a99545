#include "history/HistoryHtml.h"

#include "text/WordDiff.h"

#include <QColor>
#include <QJsonObject>
#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

QString css(const QColor &c)
{
    return c.name(QColor::HexRgb);
}

} // namespace

bool HistoryHtml::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QString HistoryHtml::scoreText(double score)
{
    return hasScore(score) ? QString::number(score, 'f', 2) : u"–"_s;
}

QString HistoryHtml::escaped(const QString &text)
{
    return text.toHtmlEscaped();
}

QString HistoryHtml::diff(const QString &before, const QString &after, const QPalette &palette)
{
    const bool dark = isDark(palette);
    const QString text = css(palette.color(QPalette::Text));
    if (before == after) {
        return u"<div style=\"white-space: pre-wrap; color: %1\">%2</div>"
               "<p style=\"color: %3\"><i>(unchanged)</i></p>"_s.arg(
                   text, escaped(after), css(palette.color(QPalette::PlaceholderText)));
    }
    // Qt's rich text ignores <del>/<ins> themselves; the inline style carries the look.
    const QString del = u"background-color: %1; color: %2; text-decoration: line-through"_s.arg(
        dark ? u"#5c2327"_s : u"#ffd7d5"_s, dark ? u"#ffb4ae"_s : u"#82071e"_s);
    const QString ins = u"background-color: %1; color: %2"_s.arg(
        dark ? u"#1f4a2c"_s : u"#ccf5d6"_s, dark ? u"#aff5b4"_s : u"#055d20"_s);
    WordDiff::Stats stats;
    const QVector<DiffOp> ops = WordDiff::diff(before, after, WordDiff::kDefaultMaxEdits, &stats);
    QString html = u"<div style=\"white-space: pre-wrap; color: %1\">"_s.arg(text)
        % WordDiff::toHtml(ops, del, ins) % u"</div>"_s;
    html += u"<p style=\"color: %1\">+%2 words, −%3 words%4</p>"_s
                .arg(css(palette.color(QPalette::PlaceholderText)))
                .arg(stats.inserted)
                .arg(stats.deleted)
                .arg(stats.truncated ? u" (large rewrite: shown as one replacement)"_s : QString());
    return html;
}

QString HistoryHtml::conversation(const QJsonArray &messages, const QPalette &palette)
{
    if (messages.isEmpty())
        return u"<p><i>No conversation was stored for this gradient.</i></p>"_s;
    const bool dark = isDark(palette);
    int lastAssistant = -1;
    for (int i = 0; i < messages.size(); ++i) {
        if (messages.at(i).toObject().value(u"role"_s).toString() == u"assistant"_s)
            lastAssistant = i;
    }
    QString html;
    // The critique first: it is what the row was chosen for; the conversation explains it.
    if (lastAssistant >= 0) {
        html += u"<p><b>The critique:</b></p><blockquote style=\"white-space: pre-wrap\">%1"
                "</blockquote><p><b>The conversation that produced it:</b></p>"_s.arg(
                    escaped(messages.at(lastAssistant).toObject().value(u"content"_s).toString()));
    }
    for (int i = 0; i < messages.size(); ++i) {
        const QJsonObject m = messages.at(i).toObject();
        const QString role = m.value(u"role"_s).toString();
        QString label = role.toUpper();
        QColor tint;
        if (role == u"system"_s) {
            tint = dark ? QColor(0x2d, 0x33, 0x3b) : QColor(0xf0, 0xf2, 0xf5);
            label = u"SYSTEM — the backward engine's instructions"_s;
        } else if (role == u"assistant"_s) {
            tint = dark ? QColor(0x3a, 0x32, 0x1c) : QColor(0xff, 0xf4, 0xd6);
            if (i == lastAssistant)
                label = u"ASSISTANT — the critique (this gradient)"_s;
        } else {
            tint = dark ? QColor(0x1d, 0x31, 0x47) : QColor(0xe3, 0xef, 0xfd);
            label = u"USER — what the backward engine was shown"_s;
        }
        html += u"<table width=\"100%\" cellspacing=\"0\" cellpadding=\"6\" "
                "style=\"margin-bottom: 8px; background-color: %1\"><tr><td>"
                "<b style=\"font-size: small\">%2</b>"
                "<div style=\"white-space: pre-wrap\">%3</div></td></tr></table>"_s.arg(
                    css(tint), escaped(label), escaped(m.value(u"content"_s).toString()));
    }
    return html;
}

QColor HistoryHtml::stepColor(int step, const QPalette &palette)
{
    if (step <= 0)
        return palette.color(QPalette::Base);
    // Golden-ratio hues: neighbouring steps get clearly different tints.
    const int hue = int(std::fmod(step * 137.508, 360.0));
    return isDark(palette) ? QColor::fromHsl(hue, 90, 60) : QColor::fromHsl(hue, 160, 215);
}

QString HistoryHtml::blame(const QVector<BlameSentence> &sentences, const QPalette &palette)
{
    const QString text = css(palette.color(QPalette::Text));
    QString html = u"<div style=\"white-space: pre-wrap\">"_s;
    for (int i = 0; i < sentences.size(); ++i) {
        const BlameSentence &s = sentences.at(i);
        const QString background = s.step > 0
            ? u"background-color: %1;"_s.arg(css(stepColor(s.step, palette)))
            : QString();
        // Trailing whitespace outside the tint, so line ends do not show coloured blocks.
        const QString body = s.text.trimmed();
        const qsizetype lead = s.text.indexOf(body);
        html += escaped(s.text.left(lead))
            % u"<a href=\"blame:%1\" style=\"%2 color: %3; text-decoration: none\">%4</a>"_s.arg(
                QString::number(i), background, text, escaped(body))
            % escaped(s.text.mid(lead + body.size()));
    }
    html += u"</div>"_s;

    // A legend, so the tints mean something before anything is hovered.
    const QVector<int> steps = PromptBlame::stepsOf(sentences);
    QString legend;
    for (const int step : steps) {
        legend += u"<span style=\"background-color: %1; color: %2\">&nbsp;step %3&nbsp;</span> "_s
                      .arg(css(stepColor(step, palette)), text)
                      .arg(step);
    }
    const bool anyInitial = std::any_of(
        sentences.cbegin(), sentences.cend(), [](const BlameSentence &s) { return s.step == 0; });
    if (anyInitial)
        legend += u"untinted: the initial value"_s;
    if (!legend.isEmpty()) {
        html += u"<p style=\"color: %1\">Each sentence is tinted by the step that last worded "
                "it: %2</p>"_s.arg(css(palette.color(QPalette::PlaceholderText)), legend);
    }
    return html;
}
