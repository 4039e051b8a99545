#pragma once

#include "graph/PortTypes.h"

#include <QGraphicsItem>
#include <QPainterPath>

class GraphScene;

// One connection, source output -> target.port, drawn as a cubic Bézier. It is keyed like the
// document keys edges, by (target, port); the source is kept to find the start point.
class EdgeItem : public QGraphicsItem {
public:
    enum { Type = UserType + 2 };

    EdgeItem(GraphScene *graph, const QString &target, const QString &port, const QString &source);

    QString target() const { return m_target; }
    QString port() const { return m_port; }
    QString source() const { return m_source; }
    void setTarget(const QString &target) { m_target = target; }
    void setSource(const QString &source) { m_source = source; }

    QPainterPath path() const { return m_path; }
    // Re-reads both end points from the node items (after a move or a layout change).
    void updatePath();

    // The curve node editors draw: leaves the output going right, enters the input from the left.
    static QPainterPath curve(const QPointF &from, const QPointF &to);

    // The backward pass travelling this edge (target -> source): drawn dashed in the backward
    // colour, the dashes moving towards the source as advanceFlow() is called. View state only.
    void setBackwardFlow(bool on);
    bool hasBackwardFlow() const { return m_flow; }
    void advanceFlow();

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option,
        QWidget *widget = nullptr) override;

private:
    GraphScene *m_graph;
    QString m_target;
    QString m_port;
    QString m_source;
    QPainterPath m_path;
    QPainterPath m_shape;
    PortType m_type = PortType::Text;
    bool m_flow = false;
    qreal m_flowOffset = 0.0;
};
