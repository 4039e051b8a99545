#include "commands/ConnectCommand.h"

#include "graph/PipelineDocument.h"

#include <QCoreApplication>

ConnectCommand::ConnectCommand(PipelineDocument *document, const QString &targetId,
    const QString &port, const QString &sourceId, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_target(targetId)
    , m_port(port)
    , m_source(sourceId)
{
    setText(QCoreApplication::translate("UndoCommands", "Connect %1 to %2.%3")
                .arg(sourceId, targetId, port));
}

void ConnectCommand::redo()
{
    m_previous = m_document->connect(m_target, m_port, m_source).value_or(QString());
}

void ConnectCommand::undo()
{
    if (m_previous.isEmpty())
        m_document->disconnect(m_target, m_port);
    else
        m_document->connect(m_target, m_port, m_previous);
}
