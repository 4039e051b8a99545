#pragma once

#include <QUndoCommand>

class PipelineDocument;

// Edits the pipeline's name or description as the user types. Unlike SetPipelineSettingsCommand
// (one step per change, right for the objective and engine pickers), consecutive edits of the
// same text within SetNodeCommand's merge window become one step, like typing in a node field.
class EditPipelineInfoCommand : public QUndoCommand {
public:
    enum class Field { Name, Description };
    // Unique across the application's stack (see commands/CommandIds.h).
    static constexpr int kId = 1101;

    EditPipelineInfoCommand(PipelineDocument *document, Field field, const QString &after,
        QUndoCommand *parent = nullptr, qint64 nowMs = -1);

    void redo() override;
    void undo() override;
    int id() const override { return kId; }
    bool mergeWith(const QUndoCommand *other) override;

private:
    void apply(const QString &value);

    PipelineDocument *m_document;
    Field m_field;
    QString m_before;
    QString m_after;
    qint64 m_lastEditMs;
};
