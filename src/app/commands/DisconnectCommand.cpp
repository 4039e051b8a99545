#include "commands/DisconnectCommand.h"

#include "graph/PipelineDocument.h"

#include <QCoreApplication>

DisconnectCommand::DisconnectCommand(
    PipelineDocument *document, const QString &targetId, const QString &port, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_target(targetId)
    , m_port(port)
{
    setText(QCoreApplication::translate("UndoCommands", "Disconnect %1.%2").arg(targetId, port));
}

void DisconnectCommand::redo()
{
    m_previous = m_document->disconnect(m_target, m_port).value_or(QString());
}

void DisconnectCommand::undo()
{
    if (!m_previous.isEmpty())
        m_document->connect(m_target, m_port, m_previous);
}
