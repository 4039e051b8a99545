#include "commands/SetEngineCommand.h"

#include "graph/PipelineDocument.h"

#include "commands/CommandIds.h"

#include <QCoreApplication>
#include <QDateTime>

SetEngineCommand::SetEngineCommand(PipelineDocument *document, const QString &name,
    const std::optional<EngineConfig> &after, QUndoCommand *parent, qint64 nowMs)
    : QUndoCommand(parent)
    , m_document(document)
    , m_name(name)
    , m_after(after)
    , m_lastEditMs(nowMs >= 0 ? nowMs : QDateTime::currentMSecsSinceEpoch())
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

int SetEngineCommand::id() const
{
    return static_cast<int>(CommandId::SetEngine);
}

bool SetEngineCommand::mergeWith(const QUndoCommand *other)
{
    const auto *edit = static_cast<const SetEngineCommand *>(other);
    // Only edits of an engine that exists before and after merge: adding or removing one is a
    // step of its own.
    if (edit->m_document != m_document || edit->m_name != m_name || !m_before || !m_after
        || !edit->m_after || edit->m_lastEditMs < m_lastEditMs
        || edit->m_lastEditMs - m_lastEditMs > kMergeWindowMs)
        return false;
    m_after = edit->m_after;
    m_lastEditMs = edit->m_lastEditMs;
    return true;
}
