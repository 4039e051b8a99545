#include "../unit/PipelineExamples.h"
#include "GraphExamples.h"
#include "commands/ConnectCommand.h"
#include "commands/DisconnectCommand.h"
#include "graph/EdgeItem.h"
#include "graph/GraphScene.h"
#include "graph/GraphView.h"
#include "graph/NodeItem.h"
#include "graph/NodePalette.h"
#include "graph/PipelineDocument.h"

#include <QApplication>
#include <QGraphicsPathItem>
#include <QJsonDocument>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>
#include <QWheelEvent>
#include <memory>

using namespace Qt::StringLiterals;

class TestGraphScene : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<PipelineDocument> m_doc;
    std::unique_ptr<QUndoStack> m_stack;
    std::unique_ptr<GraphScene> m_scene;
    std::unique_ptr<GraphView> m_view;

    void load(const char *json)
    {
        QVector<PipelineIssue> issues;
        QVERIFY(m_doc->fromJson(QJsonDocument::fromJson(QByteArray(json)).object(), &issues));
        m_stack->clear();
    }

    QPoint at(const QPointF &scenePos) const { return m_view->mapFromScene(scenePos); }
    QWidget *viewport() const { return m_view->viewport(); }
    NodeItem *node(const QString &id) const { return m_scene->nodeItem(id); }

    // A point inside the node's header, away from ports and badges.
    QPointF headerPoint(const QString &id) const
    {
        NodeItem *item = node(id);
        return item->mapToScene(QPointF(item->boundingRect().width() * 0.35, 6));
    }

    // Drags with the left button through a few intermediate points, as a hand would.
    void drag(const QPointF &from, const QPointF &to, Qt::KeyboardModifiers mods = {})
    {
        QTest::mousePress(viewport(), Qt::LeftButton, mods, at(from));
        for (int i = 1; i <= 4; ++i)
            QTest::mouseMove(viewport(), at(from + (to - from) * (i / 4.0)));
        QTest::mouseRelease(viewport(), Qt::LeftButton, mods, at(to));
    }

    int sceneItemsOfType(int type) const
    {
        int n = 0;
        for (QGraphicsItem *item : m_scene->items())
            n += item->type() == type ? 1 : 0;
        return n;
    }

    void checkMirror()
    {
        QCOMPARE(sceneItemsOfType(NodeItem::Type), m_doc->nodeIds().size());
        QCOMPARE(m_scene->nodeItems().size(), m_doc->nodeIds().size());
        for (const QString &id : m_doc->nodeIds())
            QVERIFY2(node(id), qPrintable(id));
        int edges = 0;
        for (const PipelineEdge &edge : m_doc->edges()) {
            if (!m_doc->contains(edge.source))
                continue;
            ++edges;
            EdgeItem *item = m_scene->edgeItem(edge.target, edge.port);
            QVERIFY2(item, qPrintable(edge.target + u'.' + edge.port));
            QCOMPARE(item->source(), edge.source);
        }
        QCOMPARE(sceneItemsOfType(EdgeItem::Type), edges);
    }

private Q_SLOTS:
    void init()
    {
        m_doc = std::make_unique<PipelineDocument>();
        m_stack = std::make_unique<QUndoStack>();
        load(kContractExample);
        m_scene = std::make_unique<GraphScene>(m_doc.get(), m_stack.get());
        m_view = std::make_unique<GraphView>(m_scene.get());
        m_view->resize(1100, 650);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
        m_view->fitToView();
    }

    void cleanup()
    {
        m_view.reset();
        m_scene.reset();
        m_stack.reset();
        m_doc.reset();
    }

    void mirrorsTheDocument()
    {
        QCOMPARE(m_scene->nodeItems().size(), 5);
        QCOMPARE(m_scene->edgeItems().size(), 4);
        checkMirror();
        // Items hold ids and are placed in columns by depth when the file has no positions.
        QVERIFY(node(u"question"_s)->pos().x() < node(u"answer"_s)->pos().x());
        QVERIFY(node(u"answer"_s)->pos().x() < node(u"score"_s)->pos().x());
        // Edge ends sit on the ports.
        const QPainterPath shape = m_scene->edgeItem(u"answer"_s, u"question"_s)->shape();
        QVERIFY(shape.contains(node(u"question"_s)->outputPortPos()));
        QVERIFY(shape.contains(node(u"answer"_s)->inputPortPos(u"question"_s)));
    }

    void mirrorsSingleEditsAndReset()
    {
        NodeItem *answer = node(u"answer"_s);
        m_doc->disconnect(u"answer"_s, u"system"_s);
        QCOMPARE(node(u"answer"_s), answer); // not rebuilt
        QVERIFY(!m_scene->edgeItem(u"answer"_s, u"system"_s));
        m_doc->renameNode(u"answer"_s, u"reply"_s);
        QCOMPARE(node(u"reply"_s), answer);
        QCOMPARE(answer->id(), u"reply"_s);
        QCOMPARE(m_scene->edgeItem(u"score"_s, u"prediction"_s)->source(), u"reply"_s);
        QVERIFY(m_scene->edgeItem(u"reply"_s, u"question"_s));
        checkMirror();
        m_doc->moveNode(u"reply"_s, QPointF(13, 17));
        QCOMPARE(answer->pos(), QPointF(13, 17)); // a file position is kept exact, not snapped
        load(kEightNodes);
        QCOMPARE(m_scene->nodeItems().size(), 8);
        checkMirror();
    }

    void connectByDragAndUndo()
    {
        m_stack->push(new DisconnectCommand(m_doc.get(), u"answer"_s, u"system"_s));
        QVERIFY(!m_scene->edgeItem(u"answer"_s, u"system"_s));
        const int steps = m_stack->count();
        drag(node(u"system_prompt"_s)->outputPortPos(),
            node(u"answer"_s)->inputPortPos(u"system"_s));
        QCOMPARE(m_stack->count(), steps + 1);
        QCOMPARE(m_doc->node(u"answer"_s)->inputs.value(u"system"_s), u"system_prompt"_s);
        QVERIFY(m_scene->edgeItem(u"answer"_s, u"system"_s));
        QCOMPARE(sceneItemsOfType(QGraphicsPathItem::Type), 0); // the rubber curve is gone
        checkMirror();

        m_stack->undo();
        QVERIFY(!m_doc->node(u"answer"_s)->inputs.contains(u"system"_s));
        QVERIFY(!m_scene->edgeItem(u"answer"_s, u"system"_s));
        checkMirror();
    }

    void incompatibleConnectionIsRefused()
    {
        QSignalSpy status(m_scene.get(), &GraphScene::statusMessage);
        const QPointF from = node(u"score"_s)->outputPortPos();
        const QPointF to = node(u"answer"_s)->inputPortPos(u"question"_s);
        QTest::mousePress(viewport(), Qt::LeftButton, {}, at(from));
        QTest::mouseMove(viewport(), at((from + to) / 2));
        QTest::mouseMove(viewport(), at(to));
        // While hovering, the port is marked refused and the reason is shown.
        QCOMPARE(node(u"answer"_s)->hoveredPort(), u"question"_s);
        QVERIFY(!node(u"answer"_s)->hoveredPortAccepted());
        QString why;
        QVERIFY(!m_doc->canConnect(u"score"_s, u"answer"_s, u"question"_s, &why));
        QVERIFY(!why.isEmpty());
        QCOMPARE(node(u"answer"_s)->toolTip(), why);
        QVERIFY(!status.isEmpty());
        QCOMPARE(status.last().first().toString(), why);
        QTest::mouseRelease(viewport(), Qt::LeftButton, {}, at(to));

        QCOMPARE(m_stack->count(), 0);
        QCOMPARE(m_doc->node(u"answer"_s)->inputs.value(u"question"_s), u"question"_s);
        QVERIFY(node(u"answer"_s)->hoveredPort().isEmpty());
        QVERIFY(node(u"answer"_s)->toolTip().isEmpty()); // no issues: the refusal tooltip went
        checkMirror();
    }

    void dropOnEmptySpaceCancels()
    {
        const QPointF from = node(u"question"_s)->outputPortPos();
        const QRectF all = m_scene->itemsBoundingRect();
        drag(from, QPointF(all.center().x(), all.bottom() + 5));
        QCOMPARE(m_stack->count(), 0);
        QCOMPARE(sceneItemsOfType(QGraphicsPathItem::Type), 0);
        checkMirror();
    }

    void pickUpAnEdgeFromItsInput()
    {
        const QPointF port = node(u"answer"_s)->inputPortPos(u"question"_s);
        const QRectF all = m_scene->itemsBoundingRect();
        // Back onto its own port: nothing changes.
        QTest::mousePress(viewport(), Qt::LeftButton, {}, at(port));
        QTest::mouseMove(viewport(), at(port + QPointF(-50, 50)));
        QVERIFY(!m_scene->edgeItem(u"answer"_s, u"question"_s)->isVisible());
        QTest::mouseMove(viewport(), at(port));
        QTest::mouseRelease(viewport(), Qt::LeftButton, {}, at(port));
        QVERIFY(m_scene->edgeItem(u"answer"_s, u"question"_s)->isVisible());
        QCOMPARE(m_stack->count(), 0);
        QCOMPARE(m_doc->node(u"answer"_s)->inputs.value(u"question"_s), u"question"_s);

        // Onto another port: one step that moves it.
        drag(port, node(u"answer"_s)->inputPortPos(u"system"_s));
        QCOMPARE(m_stack->count(), 1);
        QCOMPARE(m_doc->node(u"answer"_s)->inputs.value(u"system"_s), u"question"_s);
        QVERIFY(!m_doc->node(u"answer"_s)->inputs.contains(u"question"_s));
        checkMirror();
        m_stack->undo();
        QCOMPARE(m_doc->node(u"answer"_s)->inputs.value(u"system"_s), u"system_prompt"_s);
        QCOMPARE(m_doc->node(u"answer"_s)->inputs.value(u"question"_s), u"question"_s);
        checkMirror();

        // Onto empty canvas: removed; undo puts it back.
        drag(port, QPointF(all.center().x(), all.bottom() + 40));
        QVERIFY(!m_doc->node(u"answer"_s)->inputs.contains(u"question"_s));
        QVERIFY(!m_scene->edgeItem(u"answer"_s, u"question"_s));
        m_stack->undo();
        QVERIFY(m_scene->edgeItem(u"answer"_s, u"question"_s)->isVisible());
        checkMirror();
    }

    void moveNodeOneUndoStepWithSnap()
    {
        QVERIFY(m_scene->snapToGrid());
        NodeItem *item = node(u"question"_s);
        const QPointF start = item->pos();
        QVERIFY(!m_doc->node(u"question"_s)->position);
        const QPointF grab = headerPoint(u"question"_s);
        // An offset that is no multiple of the grid, in view pixels.
        drag(grab, m_view->mapToScene(at(grab) + QPoint(53, 37)));
        const QPointF moved = item->pos();
        QVERIFY(moved != start);
        QCOMPARE(m_stack->count(), 1);
        QCOMPARE(m_doc->node(u"question"_s)->position, std::optional<QPointF>(moved));
        QCOMPARE(std::fmod(moved.x(), 20.0), 0.0);
        QCOMPARE(std::fmod(moved.y(), 20.0), 0.0);
        // The edge followed the node.
        QVERIFY(
            m_scene->edgeItem(u"answer"_s, u"question"_s)->shape().contains(item->outputPortPos()));

        m_stack->undo();
        QVERIFY(!m_doc->node(u"question"_s)->position);
        QCOMPARE(item->pos(), start);
        m_stack->redo();
        QCOMPARE(item->pos(), moved);
    }

    void moveSeveralNodesIsOneStep()
    {
        m_scene->setSnapToGrid(false);
        node(u"question"_s)->setSelected(true);
        node(u"reference"_s)->setSelected(true);
        const QPointF q = node(u"question"_s)->pos();
        const QPointF r = node(u"reference"_s)->pos();
        const QPointF grab = headerPoint(u"question"_s);
        drag(grab, m_view->mapToScene(at(grab) + QPoint(40, 10)));
        QCOMPARE(m_stack->count(), 1);
        const QPointF delta = node(u"question"_s)->pos() - q;
        QVERIFY(!delta.isNull());
        QCOMPARE(node(u"reference"_s)->pos() - r, delta);
        QCOMPARE(*m_doc->node(u"reference"_s)->position, r + delta);
        m_stack->undo();
        QCOMPARE(node(u"reference"_s)->pos(), r);
        // A click without moving pushes nothing.
        QTest::mouseClick(viewport(), Qt::LeftButton, {}, at(headerPoint(u"score"_s)));
        QCOMPARE(m_stack->index(), 0);
    }

    void deleteSelectedNode()
    {
        QTest::mouseClick(viewport(), Qt::LeftButton, {}, at(headerPoint(u"answer"_s)));
        QCOMPARE(m_scene->selectedNodeIds(), QStringList { u"answer"_s });
        QTest::keyClick(m_view.get(), Qt::Key_Delete);
        QVERIFY(!m_doc->contains(u"answer"_s));
        QVERIFY(!node(u"answer"_s));
        QCOMPARE(m_scene->edgeItems().size(), 1); // only reference -> score is left
        checkMirror();
        QCOMPARE(m_stack->count(), 1);

        m_stack->undo();
        QVERIFY(node(u"answer"_s));
        QCOMPARE(m_scene->edgeItems().size(), 4);
        checkMirror();
    }

    void clickSelectsAnEdgeOnItsStrokeOnly()
    {
        EdgeItem *edge = m_scene->edgeItem(u"score"_s, u"reference"_s);
        const QPainterPath path = edge->path();
        QTest::mouseClick(viewport(), Qt::LeftButton, {}, at(path.pointAtPercent(0.5)));
        QVERIFY(edge->isSelected());
        QCOMPARE(m_scene->selectedNodeIds(), QStringList());
        // Inside the curve's bounding box but away from the stroke: empty canvas.
        const QPointF corner = path.boundingRect().topLeft() + QPointF(4, 4);
        QVERIFY(!edge->shape().contains(corner));
        QTest::mouseClick(viewport(), Qt::LeftButton, {}, at(corner));
        QVERIFY(!edge->isSelected());
        QTest::keyClick(m_view.get(), Qt::Key_Delete);
        QCOMPARE(m_stack->count(), 0); // nothing selected, nothing deleted
    }

    void deleteSelectedEdgeAndNodeInOneStep()
    {
        m_scene->edgeItem(u"score"_s, u"reference"_s)->setSelected(true);
        node(u"question"_s)->setSelected(true);
        QTest::keyClick(m_view.get(), Qt::Key_Backspace);
        QCOMPARE(m_stack->count(), 1);
        QVERIFY(!m_doc->contains(u"question"_s));
        QVERIFY(!m_doc->node(u"score"_s)->inputs.contains(u"reference"_s));
        checkMirror();
        m_stack->undo();
        QCOMPARE(m_scene->edgeItems().size(), 4);
        checkMirror();
    }

    void copyPaste()
    {
        node(u"question"_s)->setSelected(true);
        node(u"answer"_s)->setSelected(true);
        QTest::keyClick(m_view.get(), Qt::Key_C, Qt::ControlModifier);
        QTest::keyClick(m_view.get(), Qt::Key_V, Qt::ControlModifier);
        QCOMPARE(m_stack->count(), 1);
        QVERIFY(m_doc->contains(u"question_2"_s));
        QVERIFY(m_doc->contains(u"answer_2"_s));
        // The edge between the copies follows them; the one to the outside is dropped.
        QCOMPARE(m_doc->node(u"answer_2"_s)->inputs.value(u"question"_s), u"question_2"_s);
        QVERIFY(!m_doc->node(u"answer_2"_s)->inputs.contains(u"system"_s));
        QVERIFY(m_scene->edgeItem(u"answer_2"_s, u"question"_s));
        QCOMPARE(m_scene->selectedNodeIds(), (QStringList { u"question_2"_s, u"answer_2"_s }));
        // Next to the originals as shown, not on top of them.
        QCOMPARE(node(u"answer_2"_s)->pos(), node(u"answer"_s)->pos() + QPointF(40, 40));
        checkMirror();

        m_scene->duplicate();
        QVERIFY(m_doc->contains(u"answer_3"_s));
        QCOMPARE(m_doc->node(u"answer_3"_s)->inputs.value(u"question"_s), u"question_3"_s);
        checkMirror();
        m_stack->undo();
        m_stack->undo();
        QCOMPARE(m_doc->nodeIds().size(), 5);
        checkMirror();
    }

    void rubberBandSelect()
    {
        const QRectF all = m_scene->itemsBoundingRect();
        // From empty canvas above-left of everything to below-right of "answer" only.
        const QPointF start = all.topLeft() - QPointF(10, 10);
        const QRectF answer = node(u"answer"_s)->sceneBoundingRect();
        drag(start, QPointF(answer.right(), all.bottom() + 10));
        const QStringList selected = m_scene->selectedNodeIds();
        QVERIFY(selected.contains(u"question"_s));
        QVERIFY(selected.contains(u"answer"_s));
        QVERIFY(!selected.contains(u"score"_s));
        QCOMPARE(m_stack->count(), 0);

        QTest::keyClick(m_view.get(), Qt::Key_A, Qt::ControlModifier);
        QCOMPARE(m_scene->selectedNodeIds().size(), 5);
    }

    void issueBadgeFollowsValidation()
    {
        NodeItem *answer = node(u"answer"_s);
        QCOMPARE(answer->issueLevel(), NodeItem::IssueLevel::None);
        // The template's {question} placeholder loses its input.
        m_stack->push(new DisconnectCommand(m_doc.get(), u"answer"_s, u"question"_s));
        QCOMPARE(answer->issueLevel(), NodeItem::IssueLevel::Error);
        QCOMPARE(answer->toolTip(), m_doc->issueText(u"answer"_s));
        QVERIFY(answer->toolTip().contains(u"question"_s));
        m_stack->undo();
        QCOMPARE(answer->issueLevel(), NodeItem::IssueLevel::None);
        QVERIFY(answer->toolTip().isEmpty());

        // An input naming a node that does not exist: no edge item, a badge instead.
        m_stack->push(new ConnectCommand(m_doc.get(), u"score"_s, u"reference"_s, u"ghost"_s));
        QVERIFY(!m_scene->edgeItem(u"score"_s, u"reference"_s));
        QCOMPARE(node(u"score"_s)->issueLevel(), NodeItem::IssueLevel::Error);
        QVERIFY(node(u"score"_s)->toolTip().contains(u"ghost"_s));
        m_stack->undo();
        QCOMPARE(node(u"score"_s)->issueLevel(), NodeItem::IssueLevel::None);
        QVERIFY(m_scene->edgeItem(u"score"_s, u"reference"_s));
        checkMirror();
    }

    void wheelZoomAroundCursorAndFit()
    {
        const qreal before = m_view->zoom();
        const QPoint pos(300, 200);
        const QPointF anchor = m_view->mapToScene(pos);
        QWheelEvent wheel(QPointF(pos), m_view->viewport()->mapToGlobal(QPointF(pos)), QPoint(),
            QPoint(0, 240), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(viewport(), &wheel);
        QVERIFY(m_view->zoom() > before);
        QVERIFY(QLineF(m_view->mapToScene(pos), anchor).length() < 2.0 / m_view->zoom());
        for (int i = 0; i < 40; ++i)
            m_view->zoomBy(1.5, pos);
        QCOMPARE(m_view->zoom(), GraphView::kMaxZoom);

        QTest::keyClick(m_view.get(), Qt::Key_Period);
        const QRectF visible = m_view->mapToScene(viewport()->rect()).boundingRect();
        for (NodeItem *item : m_scene->nodeItems())
            QVERIFY2(visible.contains(item->sceneBoundingRect()), qPrintable(item->id()));
    }

    void panWithMiddleDragAndSpace()
    {
        const QPointF origin = m_view->mapToScene(QPoint(0, 0));
        QTest::mousePress(viewport(), Qt::MiddleButton, {}, QPoint(400, 300));
        QTest::mouseMove(viewport(), QPoint(350, 260));
        QTest::mouseRelease(viewport(), Qt::MiddleButton, {}, QPoint(350, 260));
        const QPointF panned = m_view->mapToScene(QPoint(0, 0));
        QVERIFY(QLineF(panned - origin, QPointF(50, 40) / m_view->zoom()).length() < 2);

        QTest::keyPress(m_view.get(), Qt::Key_Space);
        drag(m_view->mapToScene(QPoint(400, 300)), m_view->mapToScene(QPoint(420, 300)));
        QTest::keyRelease(m_view.get(), Qt::Key_Space);
        QVERIFY(m_view->mapToScene(QPoint(0, 0)).x() < panned.x());
        QCOMPARE(m_scene->selectedNodeIds(), QStringList()); // panning selects nothing
        QCOMPARE(m_stack->count(), 0);
    }

    void paletteOnDoubleClick()
    {
        const QRectF all = m_scene->itemsBoundingRect();
        const QPointF empty(all.center().x(), all.bottom() + 30);
        QTest::mouseDClick(viewport(), Qt::LeftButton, {}, at(empty));
        QTest::mouseRelease(viewport(), Qt::LeftButton, {}, at(empty));
        NodePalette *palette = m_view->palettePopup();
        QVERIFY(palette);
        QVERIFY(palette->isVisible());
        QCOMPARE(palette->visibleTypes(), NodePalette::types());
        QTest::keyClicks(palette->searchField(), u"grad"_s);
        QCOMPARE(palette->visibleTypes(), QStringList { u"judge"_s });
        QTest::keyClick(palette->searchField(), Qt::Key_Return);
        QVERIFY(!palette->isVisible());
        QVERIFY(m_doc->contains(u"judge"_s));
        QCOMPARE(m_stack->count(), 1);
        QVERIFY(QLineF(node(u"judge"_s)->pos(), empty).length() < 20);
        QCOMPARE(m_scene->selectedNodeIds(), QStringList { u"judge"_s });

        // Esc closes without adding.
        m_view->showPalette(QPoint(10, 10));
        QVERIFY(palette->isVisible());
        QTest::keyClick(palette->searchField(), Qt::Key_Escape);
        QVERIFY(!palette->isVisible());
        QCOMPARE(m_stack->count(), 1);
    }

    void judgeTakesNewPortsOnItsBody()
    {
        const QString id = m_scene->addNodeAt(u"judge"_s, QPointF(0, 600));
        QCOMPARE(id, u"judge"_s);
        const QRectF body = node(id)->sceneBoundingRect();
        drag(node(u"answer"_s)->outputPortPos(), body.center());
        QCOMPARE(m_doc->node(id)->inputs.value(u"answer"_s), u"answer"_s);
        QVERIFY(m_scene->edgeItem(id, u"answer"_s));
        checkMirror();
    }

    void screenshots()
    {
        m_view->fitToView();
        QVERIFY(m_view->grab().save(u"/tmp/graph-contract.png"_s));

        // A refused connection being dragged, and the palette as the double-click shows it.
        const QPointF from = node(u"score"_s)->outputPortPos();
        const QPointF to = node(u"answer"_s)->inputPortPos(u"question"_s);
        QTest::mousePress(viewport(), Qt::LeftButton, {}, at(from));
        QTest::mouseMove(viewport(), at((from + to) / 2));
        QTest::mouseMove(viewport(), at(to));
        QVERIFY(m_view->grab().save(u"/tmp/graph-refused.png"_s));
        QTest::mouseRelease(viewport(), Qt::LeftButton, {}, at(to));
        m_view->showPalette(QPoint(20, 20));
        QTest::keyClicks(m_view->palettePopup()->searchField(), u"l"_s);
        QVERIFY(m_view->palettePopup()->grab().save(u"/tmp/graph-palette.png"_s));
        m_view->palettePopup()->close();
        load(kEightNodes);
        m_view->fitToView();
        node(u"reply"_s)->setSelected(true);
        m_scene->edgeItem(u"tone_judge"_s, u"ticket"_s)->setSelected(true);
        m_stack->push(new DisconnectCommand(m_doc.get(), u"mentions_fix"_s, u"reference"_s));
        QVERIFY(m_view->grab().save(u"/tmp/graph-8nodes.png"_s));

        // Close up, where antialiasing seams and cramped text show.
        m_view->setTransform(QTransform::fromScale(2.2, 2.2));
        m_view->centerOn(node(u"reply"_s)->sceneBoundingRect().center());
        QVERIFY(m_view->grab().save(u"/tmp/graph-zoomed.png"_s));

        // A dark theme: the grid and the bodies follow the palette.
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xe0));
        m_scene->setPalette(dark);
        m_view->fitToView();
        QVERIFY(m_view->grab().save(u"/tmp/graph-dark.png"_s));
    }
};

QTEST_MAIN(TestGraphScene)
#include "tst_graphscene.moc"
