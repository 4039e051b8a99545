#include "inspector/EditPipelineInfoCommand.h"

#include "commands/SetNodeCommand.h"
#include "graph/PipelineDocument.h"

#include <QCoreApplication>
#include <QDateTime>

EditPipelineInfoCommand::EditPipelineInfoCommand(PipelineDocument *document, Field field,
    const QString &after, QUndoCommand *parent, qint64 nowMs)
    : QUndoCommand(parent)
    , m_document(document)
    , m_field(field)
    , m_after(after)
    , m_lastEditMs(nowMs >= 0 ? nowMs : QDateTime::currentMSecsSinceEpoch())
{
    const Pipeline &p = document->pipeline();
    m_before = field == Field::Name ? p.name : p.description;
    setText(field == Field::Name ? QCoreApplication::translate("UndoCommands", "Rename pipeline")
                                 : QCoreApplication::translate("UndoCommands", "Edit description"));
}

void EditPipelineInfoCommand::redo()
{
    apply(m_after);
}

void EditPipelineInfoCommand::undo()
{
    apply(m_before);
}

bool EditPipelineInfoCommand::mergeWith(const QUndoCommand *other)
{
    const auto *edit = static_cast<const EditPipelineInfoCommand *>(other);
    if (edit->m_document != m_document || edit->m_field != m_field
        || edit->m_lastEditMs < m_lastEditMs
        || edit->m_lastEditMs - m_lastEditMs > SetNodeCommand::kMergeWindowMs)
        return false;
    m_after = edit->m_after;
    m_lastEditMs = edit->m_lastEditMs;
    return true;
}

void EditPipelineInfoCommand::apply(const QString &value)
{
    const Pipeline &p = m_document->pipeline();
    if (m_field == Field::Name)
        m_document->setInfo(value, p.description);
    else
        m_document->setInfo(p.name, value);
}
