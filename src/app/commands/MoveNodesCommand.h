#pragma once

#include <QMap>
#include <QPointF>
#include <QUndoCommand>
#include <optional>

class PipelineDocument;

// Moves nodes to new positions. Consecutive moves of the same set of nodes merge into one step,
// so dragging (or nudging with the arrow keys) undoes in one go.
class MoveNodesCommand : public QUndoCommand {
public:
    // Positions before are read from the document when the command is made.
    MoveNodesCommand(PipelineDocument *document, const QMap<QString, QPointF> &positions,
        QUndoCommand *parent = nullptr);
    // For a scene that moved its items live: the model still has the old positions, or not.
    MoveNodesCommand(PipelineDocument *document,
        const QMap<QString, std::optional<QPointF>> &before, const QMap<QString, QPointF> &after,
        QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    PipelineDocument *m_document;
    QMap<QString, std::optional<QPointF>> m_before;
    QMap<QString, QPointF> m_after;
};
