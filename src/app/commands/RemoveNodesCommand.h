#pragma once

#include "graph/PipelineDocument.h"

#include <QStringList>
#include <QUndoCommand>
#include <QVector>

// Removes several nodes at once, with every edge into and out of them; undo puts back the
// nodes at their places and the inputs of other nodes that named them.
class RemoveNodesCommand : public QUndoCommand {
public:
    RemoveNodesCommand(
        PipelineDocument *document, const QStringList &ids, QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;

private:
    PipelineDocument *m_document;
    QStringList m_ids;
    // In the order they were taken out; undone in reverse so every index is valid again.
    QVector<PipelineDocument::RemovedNode> m_removed;
};
