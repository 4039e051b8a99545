#include "graph/GraphView.h"

#include "graph/GraphScene.h"
#include "graph/NodePalette.h"
#include "graph/PipelineDocument.h"

#include <QGraphicsItem>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>
#include <cmath>

GraphView::GraphView(GraphScene *scene, QWidget *parent)
    : QGraphicsView(scene, parent)
    , m_scene(scene)
{
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    // The empty-canvas hint comes and goes with the first and last node.
    PipelineDocument *document = m_scene->document();
    for (auto signal : { &PipelineDocument::nodeAdded, &PipelineDocument::nodeRemoved })
        connect(document, signal, viewport(), [this] { viewport()->update(); });
    connect(document, &PipelineDocument::pipelineReset, viewport(), [this] { viewport()->update(); });
    setDragMode(RubberBandDrag);
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    // Zoom keeps the point under the cursor in place (zoomBy does it by hand, so that a wheel
    // event works before any mouse move).
    setTransformationAnchor(NoAnchor);
    setResizeAnchor(AnchorViewCenter);
    // The scene is huge and fixed; scrollbars would only show how small the graph is.
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Edges are long and thin and items are few: repainting the whole viewport beats collecting
    // bounding rects of Bézier curves.
    setViewportUpdateMode(FullViewportUpdate);
    setFocusPolicy(Qt::StrongFocus);
}

void GraphView::zoomBy(qreal factor, const QPoint &viewPos)
{
    const qreal target = qBound(kMinZoom, zoom() * factor, kMaxZoom);
    factor = target / zoom();
    if (qFuzzyCompare(factor, 1.0))
        return;
    const QPointF anchor = mapToScene(viewPos);
    scale(factor, factor);
    // Scroll so that the anchor is under viewPos again.
    const QPoint drift = mapFromScene(anchor) - viewPos;
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() + drift.x());
    verticalScrollBar()->setValue(verticalScrollBar()->value() + drift.y());
}

void GraphView::fitToView()
{
    QRectF bounds;
    for (QGraphicsItem *item : m_scene->items()) {
        if (item->isVisible())
            bounds |= item->sceneBoundingRect();
    }
    if (bounds.isEmpty()) {
        resetTransform();
        centerOn(0, 0);
        return;
    }
    const qreal margin = qMax(bounds.width(), bounds.height()) * 0.05 + 20;
    bounds.adjust(-margin, -margin, margin, margin);
    fitInView(bounds, Qt::KeepAspectRatio);
    // A small graph should not be blown up to poster size, nor a huge one shrunk to dust.
    const qreal clamped = qBound(kMinZoom, zoom(), 1.0);
    if (!qFuzzyCompare(clamped, zoom())) {
        setTransform(QTransform::fromScale(clamped, clamped));
        centerOn(bounds.center());
    }
}

void GraphView::showPalette(const QPoint &viewPos)
{
    if (!m_palette) {
        m_palette = new NodePalette(this);
        connect(m_palette, &NodePalette::nodeTypeChosen, m_scene,
            [this](const QString &type, const QPointF &pos) { m_scene->addNodeAt(type, pos); });
    }
    m_palette->setScenePos(mapToScene(viewPos));
    m_palette->popup(viewport()->mapToGlobal(viewPos));
}

void GraphView::addNodeAtCenter(const QString &type)
{
    m_scene->addNodeAt(type, mapToScene(viewport()->rect().center()));
}

void GraphView::wheelEvent(QWheelEvent *event)
{
    const QPoint delta = event->angleDelta();
    if (delta.y() == 0) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    // 120 units per notch; 15 % per notch feels neither sluggish nor jumpy, and touchpads
    // sending small deltas zoom smoothly.
    zoomBy(std::pow(1.15, delta.y() / 120.0), event->position().toPoint());
    event->accept();
}

void GraphView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && m_spaceHeld)) {
        m_panning = true;
        m_panLast = event->position().toPoint();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void GraphView::mouseMoveEvent(QMouseEvent *event)
{
    if (m_panning) {
        const QPoint pos = event->position().toPoint();
        const QPoint delta = pos - m_panLast;
        m_panLast = pos;
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void GraphView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_panning && (event->button() == Qt::MiddleButton || event->button() == Qt::LeftButton)) {
        m_panning = false;
        if (m_spaceHeld)
            viewport()->setCursor(Qt::OpenHandCursor);
        else
            viewport()->unsetCursor();
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void GraphView::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && !itemAt(event->position().toPoint())) {
        showPalette(event->position().toPoint());
        event->accept();
        return;
    }
    QGraphicsView::mouseDoubleClickEvent(event);
}

void GraphView::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = true;
        viewport()->setCursor(Qt::OpenHandCursor);
        event->accept();
        return;
    }
    if (event->key() == Qt::Key_Period && !(event->modifiers() & Qt::ControlModifier)) {
        fitToView();
        event->accept();
        return;
    }
    QGraphicsView::keyPressEvent(event); // the scene handles the edit keys
}

void GraphView::keyReleaseEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        if (!m_panning)
            viewport()->unsetCursor();
        event->accept();
        return;
    }
    QGraphicsView::keyReleaseEvent(event);
}

void GraphView::focusOutEvent(QFocusEvent *event)
{
    // A Space released in another window never reaches us.
    m_spaceHeld = false;
    m_panning = false;
    viewport()->unsetCursor();
    QGraphicsView::focusOutEvent(event);
}

void GraphView::drawForeground(QPainter *painter, const QRectF &rect)
{
    QGraphicsView::drawForeground(painter, rect);
    if (!m_scene->document()->pipeline().nodes.isEmpty())
        return;
    painter->save();
    painter->resetTransform();
    const QRect area = viewport()->rect().adjusted(24, 24, -24, -24);
    QFont title = font();
    title.setPointSizeF(title.pointSizeF() * 1.3);
    title.setBold(true);
    painter->setPen(palette().color(QPalette::Text));
    painter->setFont(title);
    const int titleHeight = QFontMetrics(title).height();
    const QRect titleRect(area.left(), area.center().y() - titleHeight * 2, area.width(), titleHeight);
    painter->drawText(titleRect, Qt::AlignCenter, tr("An empty pipeline"));
    painter->setFont(font());
    painter->setPen(palette().color(QPalette::PlaceholderText));
    const QRect body(area.left(), titleRect.bottom() + 8, area.width(), area.bottom() - titleRect.bottom());
    painter->drawText(body, Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap,
        tr("Double-click anywhere to add a node, or pick one in the Nodes panel.\n"
           "Drag from an output port to an input port to connect two nodes.\n"
           "File > New from Example opens a ready-made pipeline."));
    painter->restore();
}
