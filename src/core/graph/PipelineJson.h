#pragma once

#include "graph/Pipeline.h"
#include "graph/PipelineIssue.h"

#include <QJsonObject>
#include <QVector>

// Reads and writes the pipeline file format (docs/pipeline-format.md).
// Reading reports structural problems (wrong types, unknown node type, newer formatVersion);
// graph problems (dangling inputs, cycles, ...) are PipelineValidator's job.
namespace PipelineJson {

// Parses a pipeline object. Problems are appended to issues; returns false on any error.
// baseDir resolves {"file": ...} prompt overrides.
bool fromJson(const QJsonObject &json, Pipeline *out, QVector<PipelineIssue> *issues,
              const QString &baseDir = QString());
QJsonObject toJson(const Pipeline &pipeline);

// Reads a file; a JSON syntax error names the line and column.
bool loadFile(const QString &path, Pipeline *out, QVector<PipelineIssue> *issues);
bool saveFile(const QString &path, const Pipeline &pipeline, QString *error);

} // namespace PipelineJson
