#pragma once

#include "graph/PipelineNode.h"

#include <QUndoCommand>

class PipelineDocument;

// Adds one node (with its inputs). The caller picks a free id (PipelineDocument::uniqueId).
class AddNodeCommand : public QUndoCommand {
public:
    AddNodeCommand(PipelineDocument *document, const PipelineNode &node, int index = -1,
        QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;

private:
    PipelineDocument *m_document;
    PipelineNode m_node;
    int m_index;
};
