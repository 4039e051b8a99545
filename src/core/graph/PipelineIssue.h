#pragma once

#include <QString>

// A problem found while loading or validating a pipeline. Messages name the node (when there is
// one) and say what is wrong, e.g. node "answer": input "question" refers to unknown node "q".
struct PipelineIssue
{
    enum class Severity { Error, Warning };
    Severity severity = Severity::Error;
    QString nodeId;   // empty for pipeline-level problems
    QString message;

    // "file.tgpipe.json: node \"answer\": ..." style text for the CLI and logs.
    QString toString(const QString &sourcePath = QString()) const;
};
