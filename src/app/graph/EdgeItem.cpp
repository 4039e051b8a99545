#include "graph/EdgeItem.h"

#include "graph/GraphScene.h"
#include "graph/GraphStyle.h"
#include "graph/NodeItem.h"
#include "graph/PipelineDocument.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPathStroker>
#include <QStyleOptionGraphicsItem>

EdgeItem::EdgeItem(
    GraphScene *graph, const QString &target, const QString &port, const QString &source)
    : m_graph(graph)
    , m_target(target)
    , m_port(port)
    , m_source(source)
{
    setFlags(ItemIsSelectable);
    setZValue(0); // under the nodes, so ports stay clickable
    updatePath();
}

QPainterPath EdgeItem::curve(const QPointF &from, const QPointF &to)
{
    // Horizontal tangents whose length grows with the distance, and stays generous when the
    // target is left of the source so that a back edge loops instead of folding on itself.
    const qreal dx = qMax(qAbs(to.x() - from.x()) * 0.5, 40.0);
    QPainterPath path(from);
    path.cubicTo(from + QPointF(dx, 0), to - QPointF(dx, 0), to);
    return path;
}

void EdgeItem::updatePath()
{
    const NodeItem *source = m_graph->nodeItem(m_source);
    const NodeItem *target = m_graph->nodeItem(m_target);
    if (!source || !target)
        return;
    prepareGeometryChange();
    m_path = curve(source->outputPortPos(), target->inputPortPos(m_port));
    // Hit-testing on the stroke only: a curve's fill region would swallow clicks on the nodes
    // and empty canvas it encloses.
    QPainterPathStroker stroker;
    stroker.setWidth(QFontMetricsF(m_graph->font()).height() * 0.6);
    stroker.setCapStyle(Qt::RoundCap);
    m_shape = stroker.createStroke(m_path);
    if (const PipelineNode *node = m_graph->document()->node(m_source))
        m_type = Ports::outputType(node->type);
    update();
}

void EdgeItem::setBackwardFlow(bool on)
{
    if (m_flow == on)
        return;
    m_flow = on;
    setZValue(on ? 0.5 : 0);   // over quiet edges, still under the nodes
    update();
}

void EdgeItem::advanceFlow()
{
    // The pattern's offset grows, so the dashes slide from the target back to the source.
    m_flowOffset += 1.0;
    if (m_flowOffset >= 1000.0)
        m_flowOffset = 0.0;
    update();
}

QRectF EdgeItem::boundingRect() const
{
    return m_shape.boundingRect().adjusted(-2, -2, 2, 2);
}

QPainterPath EdgeItem::shape() const
{
    return m_shape;
}

void EdgeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget)
{
    Q_UNUSED(widget)
    painter->setRenderHint(QPainter::Antialiasing);
    const bool selected = option->state & QStyle::State_Selected;
    QColor color = GraphStyle::portColor(m_type);
    if (selected) {
        // A halo in the highlight colour under the stroke, so the type colour stays readable.
        QPen halo(m_graph->palette().color(QPalette::Highlight), 6);
        halo.setCosmetic(true);
        painter->setPen(halo);
        painter->drawPath(m_path);
    }
    if (m_flow) {
        // Under the dashes, the edge's own colour faintly, so its type is still visible.
        QColor under = color;
        under.setAlphaF(0.35);
        QPen base(under, 2.2);
        base.setCosmetic(true);
        painter->setPen(base);
        painter->drawPath(m_path);
        QPen dash(NodeItem::runColor(NodeItem::RunHighlight::Backward), 3.2);
        dash.setCosmetic(true);
        dash.setCapStyle(Qt::FlatCap);
        dash.setDashPattern({3.0, 2.0});
        dash.setDashOffset(m_flowOffset);
        painter->setPen(dash);
        painter->setBrush(Qt::NoBrush);
        painter->drawPath(m_path);
        return;
    }
    QPen pen(color, 2.2);
    pen.setCosmetic(true);
    pen.setCapStyle(Qt::RoundCap);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(m_path);
}
