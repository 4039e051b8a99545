#include "commands/SetNodeCommand.h"

#include "commands/CommandIds.h"
#include "graph/PipelineDocument.h"

#include <QCoreApplication>
#include <QDateTime>

SetNodeCommand::SetNodeCommand(PipelineDocument *document, const PipelineNode &after,
    const QString &field, QUndoCommand *parent, qint64 nowMs)
    : QUndoCommand(parent)
    , m_document(document)
    , m_after(after)
    , m_field(field)
    , m_lastEditMs(nowMs >= 0 ? nowMs : QDateTime::currentMSecsSinceEpoch())
{
    if (const PipelineNode *n = document->node(after.id))
        m_before = *n;
    else
        setObsolete(true);
    setText(field.isEmpty()
            ? QCoreApplication::translate("UndoCommands", "Edit node %1").arg(after.id)
            : QCoreApplication::translate("UndoCommands", "Edit %1 of %2").arg(field, after.id));
}

void SetNodeCommand::redo()
{
    m_document->setNode(m_after.id, m_after);
}

void SetNodeCommand::undo()
{
    m_document->setNode(m_before.id, m_before);
}

int SetNodeCommand::id() const
{
    return int(CommandId::SetNode);
}

bool SetNodeCommand::mergeWith(const QUndoCommand *other)
{
    const auto *edit = static_cast<const SetNodeCommand *>(other);
    if (m_field.isEmpty() || edit->m_document != m_document || edit->m_field != m_field
        || edit->m_after.id != m_after.id || edit->m_lastEditMs - m_lastEditMs > kMergeWindowMs
        || edit->m_lastEditMs < m_lastEditMs)
        return false;
    m_after = edit->m_after;
    // The window slides: a steady typist keeps extending the same step.
    m_lastEditMs = edit->m_lastEditMs;
    return true;
}
