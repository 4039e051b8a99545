#pragma once

#include <QUndoCommand>

class PipelineDocument;

// Frees one input port; undo connects its source again.
class DisconnectCommand : public QUndoCommand {
public:
    DisconnectCommand(PipelineDocument *document, const QString &targetId, const QString &port,
        QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;

private:
    PipelineDocument *m_document;
    QString m_target;
    QString m_port;
    QString m_previous;
};
