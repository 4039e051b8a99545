#pragma once

#include "history/HistoryRecords.h"
#include "history/PromptBlame.h"

#include <QJsonArray>
#include <QPalette>
#include <QString>

// The HTML the history views show in their text browsers, in the widget's palette (light or
// dark): word diffs, the roles of a conversation as labelled blocks, and blamed prompts.
class HistoryHtml {
public:
    static QString scoreText(double score); // "0.83" or "–"
    // A word diff of two values in a pre-wrap block; "(unchanged)" when equal.
    static QString diff(const QString &before, const QString &after, const QPalette &palette);
    // Every message as a block headed by its role; the last assistant message is the critique.
    static QString conversation(const QJsonArray &messages, const QPalette &palette);
    // Each sentence as a link "blame:<index>", tinted by the step that wrote it.
    static QString blame(const QVector<BlameSentence> &sentences, const QPalette &palette);
    static QColor stepColor(int step, const QPalette &palette);
    static bool isDark(const QPalette &palette);
    static QString escaped(const QString &text); // HTML-escaped, newlines kept (pre-wrap)
};
