#include "commands/SetEngineCommand.h"

#include "graph/PipelineDocument.h"

#include <QCoreApplication>

SetEngineCommand::SetEngineCommand(PipelineDocument *document, const QString &name,
    const std::optional<EngineConfig> &after, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_name(name)
    , m_after(after)
{
    const auto &engines = document->pipeline().engines;
    const auto it = engines.constFind(name);
    if (it != engines.constEnd())
        m_before = *it;
    setText(!after     ? QCoreApplication::translate("UndoCommands", "Remove engine %1").arg(name)
            : m_before ? QCoreApplication::translate("UndoCommands", "Edit engine %1").arg(name)
                       : QCoreApplication::translate("UndoCommands", "Add engine %1").arg(name));
}

void SetEngineCommand::redo()
{
    apply(m_after);
}

void SetEngineCommand::undo()
{
    apply(m_before);
}

void SetEngineCommand::apply(const std::optional<EngineConfig> &engine)
{
    if (engine)
        m_document->setEngine(m_name, *engine);
    else
        m_document->removeEngine(m_name);
}
