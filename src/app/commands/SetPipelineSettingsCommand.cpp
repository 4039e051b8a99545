#include "commands/SetPipelineSettingsCommand.h"

#include "graph/PipelineDocument.h"

#include <QCoreApplication>

SetPipelineSettingsCommand::SetPipelineSettingsCommand(
    PipelineDocument *document, Setting setting, const QString &after, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_setting(setting)
    , m_after(after)
{
    const Pipeline &p = document->pipeline();
    switch (setting) {
    case Setting::Objective:
        m_before = p.objective;
        setText(QCoreApplication::translate("UndoCommands", "Set objective to %1").arg(after));
        break;
    case Setting::BackwardEngine:
        m_before = p.backwardEngine;
        setText(
            QCoreApplication::translate("UndoCommands", "Set backward engine to %1").arg(after));
        break;
    case Setting::Name:
        m_before = p.name;
        setText(QCoreApplication::translate("UndoCommands", "Rename pipeline"));
        break;
    case Setting::Description:
        m_before = p.description;
        setText(QCoreApplication::translate("UndoCommands", "Edit description"));
        break;
    }
}

void SetPipelineSettingsCommand::redo()
{
    apply(m_after);
}

void SetPipelineSettingsCommand::undo()
{
    apply(m_before);
}

void SetPipelineSettingsCommand::apply(const QString &value)
{
    const Pipeline &p = m_document->pipeline();
    switch (m_setting) {
    case Setting::Objective:
        m_document->setObjective(value);
        break;
    case Setting::BackwardEngine:
        m_document->setBackwardEngine(value);
        break;
    case Setting::Name:
        m_document->setInfo(value, p.description);
        break;
    case Setting::Description:
        m_document->setInfo(p.name, value);
        break;
    }
}
