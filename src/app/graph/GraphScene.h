#pragma once

#include "graph/NodeItem.h"
#include "graph/Pipeline.h"
#include "training/RunObserver.h"

#include <QGraphicsScene>
#include <QHash>
#include <QMap>
#include <QPair>
#include <QPointF>
#include <optional>

class EdgeItem;
class PipelineDocument;
class QGraphicsPathItem;
class QTimer;
class QUndoStack;

// The canvas of a pipeline. It mirrors a PipelineDocument item by item through the document's
// signals (a full rebuild only on pipelineReset) and owns one NodeItem per node and one EdgeItem
// per edge whose source exists. Every user edit becomes an undo command pushed on the document's
// stack; the scene then follows the document like for any other edit, so undo needs no special
// path.
class GraphScene : public QGraphicsScene {
    Q_OBJECT
public:
    GraphScene(PipelineDocument *document, QUndoStack *undoStack, QObject *parent = nullptr);
    ~GraphScene() override;

    PipelineDocument *document() const { return m_document; }
    QUndoStack *undoStack() const { return m_undoStack; }

    NodeItem *nodeItem(const QString &id) const { return m_nodes.value(id); }
    EdgeItem *edgeItem(const QString &target, const QString &port) const
    {
        return m_edges.value({ target, port });
    }
    QList<NodeItem *> nodeItems() const { return m_nodes.values(); }
    QList<EdgeItem *> edgeItems() const { return m_edges.values(); }
    QStringList selectedNodeIds() const; // in file order

    bool snapToGrid() const { return m_snap; }
    void setSnapToGrid(bool snap);
    QPointF snapped(const QPointF &pos) const; // pos itself when snapping is off
    // True while the user drags nodes; items snap only then, so positions from a file stay exact.
    bool isDraggingNodes() const { return m_dragging; }

    // --- edits, each one undo step
    void deleteSelection();
    void copy();
    void paste();
    void duplicate();
    void selectAll();
    // Adds a node of the given type ("input", "parameter", "llm", "metric", "judge") at pos.
    // Returns the new id, empty for an unknown type.
    QString addNodeAt(const QString &type, const QPointF &scenePos);

    // --- a run's live activity (RunController::nodeActivity): highlights the nodes being
    // computed or criticised and animates the backward pass along the edges it travels. Calls
    // overlap (samples run concurrently), so each start is matched by its end. View state only:
    // nothing changes in the document or the undo stack.
    void setRunActivity(const NodeActivity &activity);
    void clearRunActivity();

    // Called by NodeItem while it moves, so attached edges follow.
    void nodeItemMoved(const QString &id);

Q_SIGNALS:
    // A sentence for the status bar (why a connection is refused, what was done); empty clears.
    void statusMessage(const QString &text);

protected:
    bool event(QEvent *event) override;
    void drawBackground(QPainter *painter, const QRectF &rect) override;
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    using EdgeKey = QPair<QString, QString>; // target, port

    void rebuild();
    void addNodeItem(const QString &id);
    void removeNodeItem(const QString &id);
    void addEdgeItem(const QString &target, const QString &port, const QString &source);
    void removeEdgeItem(const QString &target, const QString &port);
    void refreshNode(const QString &id);
    void renameNode(const QString &oldId, const QString &newId);
    void placeNode(NodeItem *item);
    void updateEdgesOf(const QString &id);
    void updateIssues();
    // Where nodes without a stored position are shown: columns by depth in the graph. Computed
    // for the whole graph on a reset and kept, so that one edit does not reshuffle the others.
    QHash<QString, QPointF> autoLayout() const;
    QPointF autoPosition(const QString &id);

    // Connection dragging.
    struct DropTarget {
        NodeItem *node = nullptr;
        QString port;
        bool accepted = false;
        QString why;
    };
    void startConnection(const QString &sourceId, const QPointF &scenePos);
    DropTarget dropTargetAt(const QPointF &scenePos) const;
    void setHovered(const DropTarget &target);
    void finishConnection(const QPointF &scenePos);
    void cancelConnection();

    void pasteNodes(
        const QVector<PipelineNode> &nodes, const QPointF &offset, const QString &commandText);
    Pipeline pipelineAsShown(const QStringList &ids) const;

    PipelineDocument *m_document;
    QUndoStack *m_undoStack;
    QHash<QString, NodeItem *> m_nodes;
    QHash<EdgeKey, EdgeItem *> m_edges;
    QHash<QString, QPointF> m_autoLayout;
    bool m_snap = true;

    // A node drag: where each selected node started, and what the document said before.
    bool m_dragging = false;
    QMap<QString, QPointF> m_dragStart;

    // A connection drag from the output of m_connectFrom.
    QString m_connectFrom;
    QGraphicsPathItem *m_tempEdge = nullptr;
    EdgeKey m_detached; // the edge picked up from its input port, hidden while dragged
    QString m_hoveredId; // node whose port is highlighted; an id, as it may go away

    int m_pasteCount = 0; // successive pastes of the same clipboard step further away

    // Run activity: how many calls are under way per node and per backward edge.
    void applyRunHighlight(const QString &id);
    QList<EdgeItem *> edgesBetween(const QString &source, const QString &target) const;
    void advanceFlows();
    QHash<QString, QPair<NodeItem::RunHighlight, int>> m_runNodes;
    QHash<QPair<QString, QString>, int> m_runEdges; // (source, target) -> calls
    QTimer *m_flowTimer = nullptr;
};
