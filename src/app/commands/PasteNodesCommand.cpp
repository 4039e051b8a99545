#include "commands/PasteNodesCommand.h"

#include "graph/PipelineDocument.h"

#include <QCoreApplication>
#include <QSet>

PasteNodesCommand::PasteNodesCommand(PipelineDocument *document, const QVector<PipelineNode> &nodes,
    const QPointF &offset, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
{
    QSet<QString> reserved;
    for (const PipelineNode &n : nodes) {
        const QString id = document->uniqueId(n.id, reserved);
        reserved.insert(id);
        m_idMap.insert(n.id, id);
    }
    for (PipelineNode n : nodes) {
        n.id = m_idMap.value(n.id);
        QMap<QString, QString> inputs;
        for (auto it = n.inputs.begin(); it != n.inputs.end(); ++it) {
            const auto mapped = m_idMap.constFind(it.value());
            if (mapped != m_idMap.constEnd())
                inputs.insert(it.key(), *mapped);
        }
        n.inputs = inputs;
        if (n.position)
            n.position = *n.position + offset;
        m_nodes.append(n);
    }
    setText(
        QCoreApplication::translate("UndoCommands", "Paste %n nodes", nullptr, int(nodes.size())));
}

QStringList PasteNodesCommand::pastedIds() const
{
    QStringList ids;
    for (const PipelineNode &n : m_nodes)
        ids << n.id;
    return ids;
}

void PasteNodesCommand::redo()
{
    for (const PipelineNode &n : std::as_const(m_nodes))
        m_document->addNode(n);
}

void PasteNodesCommand::undo()
{
    // Fresh ids are unreferenced (uniqueId), so removing them takes nothing else away.
    for (auto it = m_nodes.crbegin(); it != m_nodes.crend(); ++it)
        m_document->removeNode(it->id);
}
