#pragma once

#include "graph/PipelineNode.h"
#include "graph/PortTypes.h"

#include <QGraphicsItem>
#include <QString>
#include <QVector>

class GraphScene;

// One node of the pipeline on the canvas. It keeps only the node id and the layout derived from
// it (size, port rows); everything it draws is read from the document when painting, so the
// model stays the one source of truth. The scene calls refresh() when the node changed.
class NodeItem : public QGraphicsItem {
public:
    enum { Type = UserType + 1 };

    NodeItem(GraphScene *graph, const QString &id);

    QString id() const { return m_id; }
    void setId(const QString &id); // after a rename

    // Recomputes the size and the port rows from the document (ports follow the template).
    void refresh();

    // The height of a node with that many input rows, for layouts made before items exist.
    static qreal heightFor(const QFont &font, int inputPorts);
    static QSizeF sizeFor(const QFont &font, const PipelineNode &node);

    // Port geometry in scene coordinates.
    QPointF outputPortPos() const;
    QPointF inputPortPos(const QString &port) const; // the node's left edge if unknown
    bool hasInputPort(const QString &port) const;
    // Hit tests in scene coordinates, with a tolerance larger than the drawn dot.
    bool isOverOutputPort(const QPointF &scenePos) const;
    QString inputPortAt(const QPointF &scenePos) const; // empty if none; the whole row counts
    QString inputPortDotAt(const QPointF &scenePos) const; // only near the dot

    // The badge: what the document's validation says about this node, set by the scene after
    // each validation. The text is the hover tooltip.
    enum class IssueLevel { None, Warning, Error };
    void setIssues(IssueLevel level, const QString &text);
    IssueLevel issueLevel() const { return m_issueLevel; }

    // While a connection is dragged: the port under the cursor, accepted or refused.
    void setHoveredPort(const QString &port, bool accepted);
    void clearHoveredPort();
    QString hoveredPort() const { return m_hoveredPort; }
    bool hoveredPortAccepted() const { return m_hoverAccepted; }

    // While a run executes this node: forward (or loss) glows in the accent colour, backward
    // (being criticised) in another, the optimizer rewriting a parameter in gold. View state
    // only: no document change, no undo step.
    enum class RunHighlight { None, Forward, Backward, Optimizer };
    void setRunHighlight(RunHighlight highlight);
    RunHighlight runHighlight() const { return m_runHighlight; }
    static QColor runColor(RunHighlight highlight);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option,
        QWidget *widget = nullptr) override;

protected:
    void hoverMoveEvent(QGraphicsSceneHoverEvent *event) override;
    QVariant itemChange(GraphicsItemChange change, const QVariant &value) override;

private:
    qreal portRadius() const;
    qreal rowHeight() const;
    qreal headerHeight() const;
    qreal firstPortY() const;
    QString subtitle() const;

    GraphScene *m_graph;
    QString m_id;
    QStringList m_inputs; // port names, in display order
    QVector<PortType> m_inputTypes;
    QSizeF m_size;
    QString m_hoveredPort;
    bool m_hoverAccepted = false;
    IssueLevel m_issueLevel = IssueLevel::None;
    RunHighlight m_runHighlight = RunHighlight::None;
};
