#pragma once

#include <QUndoCommand>

class PipelineDocument;

// Connects source -> target.port. A port that already has a source gets the new one; undo
// gives it back. Check PipelineDocument::canConnect before pushing.
class ConnectCommand : public QUndoCommand {
public:
    ConnectCommand(PipelineDocument *document, const QString &targetId, const QString &port,
        const QString &sourceId, QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;

private:
    PipelineDocument *m_document;
    QString m_target;
    QString m_port;
    QString m_source;
    QString m_previous; // empty: the port was free
};
