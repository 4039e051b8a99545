#include "commands/SetOptimizerCommand.h"

#include "graph/PipelineDocument.h"

#include <QCoreApplication>

SetOptimizerCommand::SetOptimizerCommand(
    PipelineDocument *document, const OptimizerSettings &after, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_before(document->pipeline().optimizer)
    , m_after(after)
{
    setText(QCoreApplication::translate("UndoCommands", "Edit optimizer settings"));
}

void SetOptimizerCommand::redo()
{
    m_document->setOptimizer(m_after);
}

void SetOptimizerCommand::undo()
{
    m_document->setOptimizer(m_before);
}
