#pragma once

#include <QUndoCommand>

class PipelineDocument;

// Renames a node and every reference to it. Check PipelineDocument::renameNode's rules (free,
// unreferenced new id) before pushing; a refused rename becomes an obsolete command.
class RenameNodeCommand : public QUndoCommand {
public:
    RenameNodeCommand(PipelineDocument *document, const QString &oldId, const QString &newId,
        QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;

private:
    PipelineDocument *m_document;
    QString m_oldId;
    QString m_newId;
};
