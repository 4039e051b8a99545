#pragma once

#include <QGraphicsView>
#include <QPointer>

class GraphScene;
#include "graph/NodePalette.h"

// The canvas's window onto a GraphScene: wheel zoom around the cursor, middle-drag or
// Space+drag pan, rubber-band selection with a left drag on empty canvas, "." to fit, and the
// node palette on a double-click on empty canvas.
class GraphView : public QGraphicsView {
    Q_OBJECT
public:
    explicit GraphView(GraphScene *scene, QWidget *parent = nullptr);

    static constexpr qreal kMinZoom = 0.15;
    static constexpr qreal kMaxZoom = 3.0;

    GraphScene *graphScene() const { return m_scene; }
    qreal zoom() const { return transform().m11(); }
    // Zooms by factor keeping the scene point under viewPos where it is.
    void zoomBy(qreal factor, const QPoint &viewPos);
    void fitToView();
    // Opens the node palette as a popup at a view position; a chosen type is added there.
    void showPalette(const QPoint &viewPos);
    NodePalette *palettePopup() const { return m_palette; }
    // For a docked palette: adds the node in the middle of what the view shows.
    void addNodeAtCenter(const QString &type);

protected:
    // With no nodes, says how to start (in view coordinates, so zoom does not shrink it).
    void drawForeground(QPainter *painter, const QRectF &rect) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void keyReleaseEvent(QKeyEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;

private:
    GraphScene *m_scene;
    QPointer<NodePalette> m_palette;
    bool m_spaceHeld = false;
    bool m_panning = false;
    QPoint m_panLast;
};
