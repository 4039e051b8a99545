#pragma once

#include "graph/PipelineNode.h"

#include <QUndoCommand>

class PipelineDocument;

// A property edit of one node: the whole node before and after. Edits of the same field of the
// same node that follow each other within a typing burst merge into one step, so undo takes
// back a word or a sentence, not a keystroke.
class SetNodeCommand : public QUndoCommand {
public:
    static constexpr qint64 kMergeWindowMs = 1500;

    // before is read from the document. field names what changed ("role", "template", ...);
    // an empty field never merges. nowMs is the edit time (a clock seam for tests; default now).
    SetNodeCommand(PipelineDocument *document, const PipelineNode &after,
        const QString &field = QString(), QUndoCommand *parent = nullptr, qint64 nowMs = -1);

    void redo() override;
    void undo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    PipelineDocument *m_document;
    PipelineNode m_before;
    PipelineNode m_after;
    QString m_field;
    qint64 m_lastEditMs;
};
