#include "commands/AddNodeCommand.h"

#include "graph/PipelineDocument.h"

#include <QCoreApplication>

AddNodeCommand::AddNodeCommand(
    PipelineDocument *document, const PipelineNode &node, int index, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_node(node)
    , m_index(index)
{
    setText(QCoreApplication::translate("UndoCommands", "Add node %1").arg(node.id));
}

void AddNodeCommand::redo()
{
    m_document->addNode(m_node, m_index);
}

void AddNodeCommand::undo()
{
    const auto removed = m_document->removeNode(m_node.id);
    // Inputs that named the id before the node existed were dangling; removing the node took
    // them away, and the file before the add had them.
    if (removed) {
        for (const PipelineEdge &e : removed->referencing)
            m_document->connect(e.target, e.port, e.source);
    }
}
