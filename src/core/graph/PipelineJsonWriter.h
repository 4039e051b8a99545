#pragma once

#include <QByteArray>
#include <QJsonObject>

// Writes a pipeline object (PipelineJson::toJson) as the text of a pipeline file, in the order a
// person reads it: format and name first, engines before the nodes that use them, each node's id
// and type first and its position last; keys the format does not know come after, sorted. Short
// lists of plain values stay on one line ("position": [40, 200]). QJsonDocument sorts every key
// alphabetically, which buries "nodes" under "backwardEngine" and "description".
//
// The same pipeline always gives the same bytes, so a file saved by the workbench round-trips
// byte for byte and diffs well under version control.
namespace PipelineJsonWriter {

QByteArray write(const QJsonObject &pipeline);

} // namespace PipelineJsonWriter
