#pragma once

#include "graph/Pipeline.h"

#include <QString>
#include <QStringList>
#include <QVector>

class QMimeData;

// Copies selected nodes, and the edges among them, as pipeline-file JSON: a private mime type
// for pasting into a graph, and the same text as plain text, readable in any editor and
// pasteable back. Edges to nodes outside the selection are left out.
namespace Clipboard {

inline constexpr char kMimeType[] = "application/x-textgrad-nodes";

// {"format": ..., "formatVersion": 1, "nodes": [...]}: a pipeline file with only nodes, so
// PipelineJson reads and writes it exactly as it does files.
QString toJsonText(const Pipeline &pipeline, const QStringList &ids);
// Nodes in the text, in file order; empty (and error set) if it is not such JSON.
QVector<PipelineNode> fromJsonText(const QString &text, QString *error = nullptr);

QMimeData *toMimeData(const Pipeline &pipeline, const QStringList &ids); // caller owns
bool canPaste(const QMimeData *mime);
QVector<PipelineNode> fromMimeData(const QMimeData *mime, QString *error = nullptr);

} // namespace Clipboard
