#include "graph/NodeItem.h"

#include "graph/GraphScene.h"
#include "graph/GraphStyle.h"
#include "graph/PipelineDocument.h"

#include <QCursor>
#include <QFontMetricsF>
#include <QGraphicsSceneHoverEvent>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

using namespace Qt::StringLiterals;

namespace {

QFont titleFont(const QFont &base)
{
    QFont f = base;
    f.setBold(true);
    return f;
}

QFont smallFont(const QFont &base)
{
    QFont f = base;
    f.setPointSizeF(base.pointSizeF() > 0 ? base.pointSizeF() * 0.85 : 8.0);
    return f;
}

} // namespace

NodeItem::NodeItem(GraphScene *graph, const QString &id)
    : m_graph(graph)
    , m_id(id)
{
    setFlags(ItemIsSelectable | ItemIsMovable | ItemSendsGeometryChanges);
    // The node redraws only when its node or its issues change; panning and edge updates reuse
    // the cached pixels.
    setCacheMode(DeviceCoordinateCache);
    setAcceptHoverEvents(true);
    setZValue(1);
    refresh();
}

void NodeItem::setId(const QString &id)
{
    m_id = id;
    refresh();
}

qreal NodeItem::portRadius() const
{
    return QFontMetricsF(m_graph->font()).height() * 0.32;
}

qreal NodeItem::rowHeight() const
{
    return QFontMetricsF(m_graph->font()).height() * 1.5;
}

qreal NodeItem::headerHeight() const
{
    return QFontMetricsF(titleFont(m_graph->font())).height() * 1.9;
}

qreal NodeItem::firstPortY() const
{
    // Below the header and the subtitle line.
    return headerHeight() + QFontMetricsF(smallFont(m_graph->font())).height() * 1.4
        + rowHeight() / 2;
}

QString NodeItem::subtitle() const
{
    const PipelineNode *node = m_graph->document()->node(m_id);
    if (!node)
        return QString();
    switch (node->type) {
    case NodeType::Input:
        return node->field.isEmpty() ? nodeTypeName(node->type) : u"field: "_s + node->field;
    case NodeType::Parameter:
        return node->role.isEmpty() ? nodeTypeName(node->type) : node->role;
    case NodeType::Llm:
    case NodeType::Judge:
        return node->engine.isEmpty() ? u"no engine"_s : u"engine: "_s + node->engine;
    case NodeType::Metric:
        return node->metric.isEmpty() ? nodeTypeName(node->type) : node->metric;
    }
    return QString();
}

qreal NodeItem::heightFor(const QFont &font, int inputPorts)
{
    const qreal em = QFontMetricsF(font).height();
    const qreal firstRowTop = QFontMetricsF(titleFont(font)).height() * 1.9
        + QFontMetricsF(smallFont(font)).height() * 1.4;
    return firstRowTop + qMax(1, inputPorts) * em * 1.5 + em * 0.4;
}

QSizeF NodeItem::sizeFor(const QFont &font, const PipelineNode &node)
{
    const QFontMetricsF fm(font);
    const QFontMetricsF titleFm(titleFont(font));
    const QFontMetricsF smallFm(smallFont(font));
    const NodePorts ports = PipelineDocument::ports(node);
    qreal portsWidth = 0;
    for (const NodePort &port : ports.inputs)
        portsWidth = qMax(portsWidth, fm.horizontalAdvance(port.name));
    const qreal outLabel = smallFm.horizontalAdvance(portTypeName(ports.output));
    // Input label on the left, output label on the right of the same row, with a gap.
    qreal width = portsWidth + outLabel + fm.height() * 3;
    // The title and the trainable badge share the header; the issue badge sits on the corner.
    qreal header = titleFm.horizontalAdvance(node.id) + fm.height() * 2;
    if (node.type == NodeType::Parameter && node.trainable)
        header += smallFm.horizontalAdvance(u"trainable"_s) + fm.height() * 1.5;
    width = qMax(width, header);
    // Subtitles and long names are elided rather than widening the node without bound.
    width = qMin(qMax(width, fm.height() * 10), fm.height() * 22);
    return QSizeF(width, heightFor(font, ports.inputs.size()));
}

void NodeItem::refresh()
{
    prepareGeometryChange();
    m_inputs.clear();
    m_inputTypes.clear();
    const PipelineNode *node = m_graph->document()->node(m_id);
    if (node) {
        for (const NodePort &port : PipelineDocument::ports(*node).inputs) {
            m_inputs << port.name;
            m_inputTypes << port.type;
        }
        m_size = sizeFor(m_graph->font(), *node);
    }
    update();
}

void NodeItem::setRunHighlight(RunHighlight highlight)
{
    if (m_runHighlight == highlight)
        return;
    m_runHighlight = highlight;
    update();
}

QColor NodeItem::runColor(RunHighlight highlight)
{
    switch (highlight) {
    case RunHighlight::Forward:
        return QColor(0x2f, 0x9b, 0xff);
    case RunHighlight::Backward:
        return QColor(0xe8, 0x4f, 0xa8);
    case RunHighlight::Optimizer:
        return GraphStyle::trainableAccent();
    case RunHighlight::None:
        break;
    }
    return QColor();
}

QRectF NodeItem::boundingRect() const
{
    // Room for the ports sticking out, the selection outline and the issue badge.
    const qreal m = portRadius() * 2 + 2;
    return QRectF(QPointF(0, 0), m_size).adjusted(-m, -m, m, m);
}

QPainterPath NodeItem::shape() const
{
    QPainterPath path;
    // Winding: where a port's disc overlaps the body, odd-even filling would cut a hole exactly
    // where the user presses to start a connection.
    path.setFillRule(Qt::WindingFill);
    const qreal r = portRadius() * 1.6;
    path.addRoundedRect(QRectF(QPointF(0, 0), m_size), r, r);
    // Ports are part of the item so that a press on them reaches the scene's hit test.
    for (int i = 0; i < m_inputs.size(); ++i)
        path.addEllipse(QPointF(0, firstPortY() + i * rowHeight()), r * 1.3, r * 1.3);
    path.addEllipse(QPointF(m_size.width(), firstPortY()), r * 1.3, r * 1.3);
    return path;
}

QPointF NodeItem::outputPortPos() const
{
    return mapToScene(QPointF(m_size.width(), firstPortY()));
}

bool NodeItem::hasInputPort(const QString &port) const
{
    return m_inputs.contains(port);
}

QPointF NodeItem::inputPortPos(const QString &port) const
{
    const int i = m_inputs.indexOf(port);
    return mapToScene(QPointF(0, i < 0 ? firstPortY() : firstPortY() + i * rowHeight()));
}

bool NodeItem::isOverOutputPort(const QPointF &scenePos) const
{
    return QLineF(scenePos, outputPortPos()).length() <= portRadius() * 2.2;
}

QString NodeItem::inputPortDotAt(const QPointF &scenePos) const
{
    for (const QString &port : m_inputs) {
        if (QLineF(scenePos, inputPortPos(port)).length() <= portRadius() * 2.2)
            return port;
    }
    return QString();
}

QString NodeItem::inputPortAt(const QPointF &scenePos) const
{
    // The whole row counts, not only the dot: the label is a bigger target.
    const QPointF p = mapFromScene(scenePos);
    if (p.x() < -portRadius() * 2.2 || p.x() > m_size.width() / 2)
        return QString();
    for (int i = 0; i < m_inputs.size(); ++i) {
        const qreal y = firstPortY() + i * rowHeight();
        if (qAbs(p.y() - y) <= rowHeight() / 2)
            return m_inputs.at(i);
    }
    return QString();
}

void NodeItem::setHoveredPort(const QString &port, bool accepted)
{
    if (m_hoveredPort == port && m_hoverAccepted == accepted)
        return;
    m_hoveredPort = port;
    m_hoverAccepted = accepted;
    update();
}

void NodeItem::setIssues(IssueLevel level, const QString &text)
{
    if (level == m_issueLevel && text == toolTip())
        return;
    m_issueLevel = level;
    setToolTip(text);
    update();
}

void NodeItem::clearHoveredPort()
{
    setHoveredPort(QString(), false);
}

void NodeItem::hoverMoveEvent(QGraphicsSceneHoverEvent *event)
{
    // The output port is where connections start: say so with the cursor.
    if (isOverOutputPort(event->scenePos()))
        setCursor(Qt::CrossCursor);
    else
        unsetCursor();
    QGraphicsItem::hoverMoveEvent(event);
}

QVariant NodeItem::itemChange(GraphicsItemChange change, const QVariant &value)
{
    if (change == ItemPositionChange && m_graph->isDraggingNodes())
        return m_graph->snapped(value.toPointF());
    if (change == ItemPositionHasChanged)
        m_graph->nodeItemMoved(m_id);
    return QGraphicsItem::itemChange(change, value);
}

void NodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget)
{
    Q_UNUSED(widget)
    const PipelineNode *node = m_graph->document()->node(m_id);
    if (!node)
        return;
    const QPalette palette = m_graph->palette();
    const bool dark = GraphStyle::isDark(palette);
    const QFont font = m_graph->font();
    const QFontMetricsF fm(font);
    const QFont bold = titleFont(font);
    const QFont small = smallFont(font);
    const QRectF rect(QPointF(0, 0), m_size);
    const qreal radius = fm.height() * 0.45;
    const qreal hh = headerHeight();

    painter->setRenderHint(QPainter::Antialiasing);

    if (m_runHighlight != RunHighlight::None) {
        // A soft halo in two strokes, so it reads as a glow rather than a thick border.
        const QColor c = runColor(m_runHighlight);
        const qreal glow = portRadius() * 1.6;
        for (int i = 0; i < 2; ++i) {
            QColor stroke = c;
            stroke.setAlphaF(i == 0 ? 0.35 : 0.9);
            const qreal w = i == 0 ? glow * 2 : glow * 0.7;
            painter->setPen(QPen(stroke, w));
            painter->setBrush(Qt::NoBrush);
            painter->drawRoundedRect(QRectF(QPointF(0, 0), m_size), fm.height() * 0.45, fm.height() * 0.45);
        }
    }

    // Body and header.
    const QColor body = dark ? QColor(0x2d, 0x30, 0x35) : QColor(0xfb, 0xfb, 0xfc);
    const QColor border = dark ? QColor(0x55, 0x5a, 0x62) : QColor(0xb8, 0xbc, 0xc4);
    QPainterPath outline;
    outline.addRoundedRect(rect, radius, radius);
    painter->fillPath(outline, body);
    // The header is the top of the rounded body: clip instead of building a path with rounded
    // top and square bottom corners, which leaves antialiasing seams where the two meet.
    painter->save();
    painter->setClipPath(outline);
    painter->fillRect(QRectF(0, 0, rect.width(), hh), GraphStyle::headerColor(node->type));
    painter->restore();

    const bool selected = option->state & QStyle::State_Selected;
    QPen pen(selected ? palette.color(QPalette::Highlight) : border, selected ? 2.5 : 1.0);
    pen.setCosmetic(true);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(outline);

    const qreal pad = fm.height() * 0.6;
    qreal titleRight = rect.width() - pad;

    // Trainable parameters get a gold pill: they are what the optimizer rewrites.
    if (node->type == NodeType::Parameter && node->trainable) {
        const QFontMetricsF sfm(small);
        const QString label = u"trainable"_s;
        const qreal w = sfm.horizontalAdvance(label) + sfm.height() * 0.9;
        const qreal h = sfm.height() * 1.15;
        // Leaves room for the issue badge on the corner.
        const qreal right = rect.width() - pad - fm.height() * 0.6;
        const QRectF pill(right - w, (hh - h) / 2, w, h);
        painter->setPen(Qt::NoPen);
        painter->setBrush(GraphStyle::trainableAccent());
        painter->drawRoundedRect(pill, h / 2, h / 2);
        painter->setFont(small);
        painter->setPen(QColor(0x3a, 0x2c, 0x00));
        painter->drawText(pill, Qt::AlignCenter, label);
        titleRight = pill.left() - pad / 2;
        // A gold left edge keeps the accent visible when zoomed out.
        painter->fillRect(QRectF(0, radius, fm.height() * 0.18, rect.height() - 2 * radius),
            GraphStyle::trainableAccent());
    }

    painter->setFont(bold);
    painter->setPen(Qt::white);
    const QRectF titleRect(pad, 0, titleRight - pad, hh);
    painter->drawText(titleRect, Qt::AlignVCenter | Qt::AlignLeft,
        QFontMetricsF(bold).elidedText(m_id, Qt::ElideRight, titleRect.width()));

    // Subtitle: role, field, engine or metric, dimmed.
    const QColor text = palette.color(QPalette::Text);
    QColor dim = text;
    dim.setAlphaF(0.65);
    painter->setFont(small);
    painter->setPen(dim);
    const QFontMetricsF sfm(small);
    const QRectF subRect(pad, hh + sfm.height() * 0.2, rect.width() - 2 * pad, sfm.height() * 1.2);
    painter->drawText(subRect, Qt::AlignVCenter | Qt::AlignLeft,
        sfm.elidedText(subtitle(), Qt::ElideRight, subRect.width()));

    // Ports: a dot on the edge, the label inside the body.
    const NodePorts ports = PipelineDocument::ports(*node);
    const qreal pr = portRadius();
    painter->setFont(font);
    for (int i = 0; i < m_inputs.size(); ++i) {
        const qreal y = firstPortY() + i * rowHeight();
        const NodePort &port = ports.inputs.value(ports.indexOf(m_inputs.at(i)));
        const bool connected = !node->inputs.value(m_inputs.at(i)).isEmpty();
        const QColor c = GraphStyle::portColor(m_inputTypes.at(i));
        painter->setPen(QPen(c.darker(140), 1.2));
        // Hollow dots are free ports: a required free port is what the dangling-input issue means.
        painter->setBrush(connected ? QBrush(c) : QBrush(body));
        painter->drawEllipse(QPointF(0, y), pr, pr);
        if (m_hoveredPort == m_inputs.at(i)) {
            QPen ring(m_hoverAccepted ? QColor(0x2e, 0xb8, 0x5c) : GraphStyle::errorColor(), 2.5);
            ring.setCosmetic(true);
            painter->setPen(ring);
            painter->setBrush(Qt::NoBrush);
            painter->drawEllipse(QPointF(0, y), pr * 1.9, pr * 1.9);
        }
        QColor labelColor = port.unused ? dim : text;
        painter->setPen(labelColor);
        QFont f = font;
        f.setItalic(port.unused);
        painter->setFont(f);
        // The first row shares its line with the output label.
        const qreal labelWidth = rect.width() - pr - pad
            - (i == 0 ? QFontMetricsF(small).horizontalAdvance(portTypeName(ports.output)) + pad
                      : 0);
        painter->drawText(QRectF(pr + pad / 2, y - rowHeight() / 2, labelWidth, rowHeight()),
            Qt::AlignVCenter | Qt::AlignLeft,
            QFontMetricsF(f).elidedText(m_inputs.at(i), Qt::ElideRight, labelWidth));
    }
    {
        const qreal y = firstPortY();
        const QColor c = GraphStyle::portColor(ports.output);
        painter->setPen(QPen(c.darker(140), 1.2));
        painter->setBrush(c);
        painter->drawEllipse(QPointF(rect.width(), y), pr, pr);
        painter->setFont(small);
        painter->setPen(dim);
        painter->drawText(QRectF(rect.width() / 2, y - rowHeight() / 2,
                              rect.width() / 2 - pr - pad / 2, rowHeight()),
            Qt::AlignVCenter | Qt::AlignRight, portTypeName(ports.output));
    }

    // Issue badge on the top-right corner: red for errors, amber for warnings only.
    if (m_issueLevel != IssueLevel::None) {
        const bool error = m_issueLevel == IssueLevel::Error;
        const qreal br = fm.height() * 0.55;
        const QPointF c(rect.width() - br * 0.3, br * 0.3);
        painter->setPen(QPen(body, 1.5));
        painter->setBrush(error ? GraphStyle::errorColor() : GraphStyle::warningColor());
        painter->drawEllipse(c, br, br);
        painter->setPen(Qt::white);
        painter->setFont(bold);
        painter->drawText(QRectF(c.x() - br, c.y() - br, 2 * br, 2 * br), Qt::AlignCenter, u"!"_s);
    }
}
