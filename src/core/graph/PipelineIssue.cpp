#include "graph/PipelineIssue.h"

using namespace Qt::StringLiterals;

QString PipelineIssue::toString(const QString &sourcePath) const
{
    QString text;
    if (!sourcePath.isEmpty())
        text += sourcePath + u": "_s;
    if (severity == Severity::Warning)
        text += u"warning: "_s;
    if (!nodeId.isEmpty())
        text += u"node \""_s + nodeId + u"\": "_s;
    text += message;
    return text;
}
