#pragma once

#include <QUndoCommand>

class PipelineDocument;

// One pipeline-level text setting: the objective, the backward engine, the name, the description.
class SetPipelineSettingsCommand : public QUndoCommand {
public:
    enum class Setting { Objective, BackwardEngine, Name, Description };

    SetPipelineSettingsCommand(PipelineDocument *document, Setting setting, const QString &after,
        QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;

private:
    void apply(const QString &value);

    PipelineDocument *m_document;
    Setting m_setting;
    QString m_before;
    QString m_after;
};
