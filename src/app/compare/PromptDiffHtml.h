#pragma once

#include <QString>

// A word-level diff of two prompt texts as rich text for a QTextBrowser: removed words struck
// through on red, added words on green, the rest as is. Whitespace and line breaks are kept.
//
// The one place the compare view turns two texts into a diff: when src/core/text/WordDiff
// lands, only render() needs to switch to it.
namespace PromptDiffHtml {

QString render(const QString &before, const QString &after);

} // namespace PromptDiffHtml
