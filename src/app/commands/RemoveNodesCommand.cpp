#include "commands/RemoveNodesCommand.h"

#include <QCoreApplication>

RemoveNodesCommand::RemoveNodesCommand(
    PipelineDocument *document, const QStringList &ids, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_ids(ids)
{
    setText(ids.size() == 1
            ? QCoreApplication::translate("UndoCommands", "Delete node %1").arg(ids.constFirst())
            : QCoreApplication::translate(
                "UndoCommands", "Delete %n nodes", nullptr, int(ids.size())));
}

void RemoveNodesCommand::redo()
{
    m_removed.clear();
    for (const QString &id : std::as_const(m_ids)) {
        if (auto removed = m_document->removeNode(id))
            m_removed.append(std::move(*removed));
    }
}

void RemoveNodesCommand::undo()
{
    for (auto it = m_removed.crbegin(); it != m_removed.crend(); ++it) {
        m_document->addNode(it->node, it->index);
        for (const PipelineEdge &e : it->referencing)
            m_document->connect(e.target, e.port, e.source);
    }
    m_removed.clear();
}
