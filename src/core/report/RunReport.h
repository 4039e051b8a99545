#pragma once

#include <QByteArray>
#include <QString>

class RunStore;

// A run's report as one self-contained HTML page, for sharing or review: what was optimized
// with which settings, the scores (with the curves when the caller has drawn them), the final
// prompts beside the initial ones, the critiques that shaped them, and what the calls cost per
// phase. Plain HTML 4 tables and inline styles only, so QTextDocument renders the same page to
// PDF. No API key can appear: engines are shown by provider, model and address, and every
// setting shown passes through Redaction.
namespace RunReport {

struct Options {
    QByteArray curvesPng; // the score curves as PNG bytes; empty: the report has no figure
    // When set, the figure refers to this name instead of embedding the bytes as a data URL
    // (the PDF path registers the image as a QTextDocument resource under it).
    QString curvesSource;
    int maxCritiques = 6; // critiques quoted, from the accepted steps
    int critiqueChars = 600; // each is cut after this many characters
};

// False with *error when the run does not exist.
bool render(const RunStore &store, const QString &runId, const Options &options, QString *html,
    QString *error);

} // namespace RunReport
