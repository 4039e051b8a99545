#pragma once

#include "graph/PipelineNode.h"

#include <QHash>
#include <QPointF>
#include <QUndoCommand>
#include <QVector>

class PipelineDocument;

// Adds copies of nodes (from the clipboard, or a duplicate) under fresh ids. Edges among the
// pasted nodes follow the new ids; inputs naming anything else are dropped, so a paste never
// wires itself into whatever happens to carry the same id. Positions shift by offset.
class PasteNodesCommand : public QUndoCommand {
public:
    PasteNodesCommand(PipelineDocument *document, const QVector<PipelineNode> &nodes,
        const QPointF &offset, QUndoCommand *parent = nullptr);

    // Original id -> id in the document, decided once so that every redo pastes the same ids.
    const QHash<QString, QString> &idMap() const { return m_idMap; }
    QStringList pastedIds() const;

    void redo() override;
    void undo() override;

private:
    PipelineDocument *m_document;
    QVector<PipelineNode> m_nodes; // already renamed and remapped
    QHash<QString, QString> m_idMap;
};
