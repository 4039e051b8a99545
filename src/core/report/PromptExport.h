#pragma once

#include <QJsonObject>
#include <QString>

class RunStore;

// Writes a run's optimized prompts for use outside the workbench: plain text (ready to paste),
// JSON (the values plus the pipeline with them filled in) or Markdown (for a review or a PR).
namespace PromptExport {

QStringList formats();                         // txt, json, md
QString formatFromPath(const QString &path);   // by extension; "" if unknown
// Returns false with an error for an unknown format or a run with no parameters.
bool render(const RunStore &store, const QString &runId, const QString &format, QByteArray *out,
            QString *error);
// The pipeline as the run used it, with every optimized parameter's final value filled in: a
// pipeline file (docs/pipeline-format.md) that loads and runs as it is. False with an error for
// a run with no parameters.
bool renderPipeline(const RunStore &store, const QString &runId, QByteArray *out, QString *error);

} // namespace PromptExport
