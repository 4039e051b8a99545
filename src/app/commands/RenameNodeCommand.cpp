#include "commands/RenameNodeCommand.h"

#include "graph/PipelineDocument.h"

#include <QCoreApplication>

RenameNodeCommand::RenameNodeCommand(
    PipelineDocument *document, const QString &oldId, const QString &newId, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_oldId(oldId)
    , m_newId(newId)
{
    setText(QCoreApplication::translate("UndoCommands", "Rename %1 to %2").arg(oldId, newId));
}

void RenameNodeCommand::redo()
{
    // QUndoStack drops a command that is obsolete after its first redo.
    if (!m_document->renameNode(m_oldId, m_newId))
        setObsolete(true);
}

void RenameNodeCommand::undo()
{
    m_document->renameNode(m_newId, m_oldId);
}
