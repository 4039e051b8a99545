#include "commands/MoveNodesCommand.h"

#include "commands/CommandIds.h"
#include "graph/PipelineDocument.h"

#include <QCoreApplication>

namespace {

QString moveText(const QMap<QString, QPointF> &after)
{
    return after.size() == 1
        ? QCoreApplication::translate("UndoCommands", "Move node %1").arg(after.firstKey())
        : QCoreApplication::translate("UndoCommands", "Move %n nodes", nullptr, int(after.size()));
}

} // namespace

MoveNodesCommand::MoveNodesCommand(
    PipelineDocument *document, const QMap<QString, QPointF> &positions, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_after(positions)
{
    for (auto it = positions.begin(); it != positions.end(); ++it) {
        const PipelineNode *n = document->node(it.key());
        m_before.insert(it.key(), n ? n->position : std::nullopt);
    }
    setText(moveText(m_after));
}

MoveNodesCommand::MoveNodesCommand(PipelineDocument *document,
    const QMap<QString, std::optional<QPointF>> &before, const QMap<QString, QPointF> &after,
    QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_before(before)
    , m_after(after)
{
    setText(moveText(m_after));
}

void MoveNodesCommand::redo()
{
    for (auto it = m_after.begin(); it != m_after.end(); ++it)
        m_document->moveNode(it.key(), it.value());
}

void MoveNodesCommand::undo()
{
    for (auto it = m_before.begin(); it != m_before.end(); ++it)
        m_document->setPosition(it.key(), it.value());
}

int MoveNodesCommand::id() const
{
    return int(CommandId::MoveNodes);
}

bool MoveNodesCommand::mergeWith(const QUndoCommand *other)
{
    const auto *move = static_cast<const MoveNodesCommand *>(other);
    if (move->m_document != m_document || move->m_after.keys() != m_after.keys())
        return false;
    // Keep our "before", take their "after": one step from where the drag started.
    m_after = move->m_after;
    return true;
}
