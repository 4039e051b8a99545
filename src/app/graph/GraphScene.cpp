#include "graph/GraphScene.h"

#include "Clipboard.h"
#include "commands/AddNodeCommand.h"
#include "commands/ConnectCommand.h"
#include "commands/DisconnectCommand.h"
#include "commands/MoveNodesCommand.h"
#include "commands/PasteNodesCommand.h"
#include "commands/RemoveNodesCommand.h"
#include "graph/EdgeItem.h"
#include "graph/GraphLayout.h"
#include "graph/GraphStyle.h"
#include "graph/NodeItem.h"
#include "graph/PipelineDocument.h"

#include <QApplication>
#include <QClipboard>
#include <QGraphicsPathItem>
#include <QGraphicsSceneMouseEvent>
#include <QKeyEvent>
#include <QMimeData>
#include <QPainter>
#include <QRegularExpression>
#include <QToolTip>
#include <QUndoStack>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

// Big enough that no one reaches the edge, fixed so that the scrollbars and the view's anchor do
// not jump whenever a node moves past the old bounding rect.
constexpr qreal kSceneHalfSize = 50000;
const QPointF kPasteStep(2 * GraphStyle::kGridSize, 2 * GraphStyle::kGridSize);

} // namespace

GraphScene::GraphScene(PipelineDocument *document, QUndoStack *undoStack, QObject *parent)
    : QGraphicsScene(parent)
    , m_document(document)
    , m_undoStack(undoStack)
{
    setSceneRect(-kSceneHalfSize, -kSceneHalfSize, 2 * kSceneHalfSize, 2 * kSceneHalfSize);
    // Editor graphs have tens of items that move all the time; a BSP tree costs more to keep up
    // than the linear scans it saves.
    setItemIndexMethod(NoIndex);

    connect(m_document, &PipelineDocument::pipelineReset, this, &GraphScene::rebuild);
    connect(m_document, &PipelineDocument::nodeAdded, this, &GraphScene::addNodeItem);
    connect(m_document, &PipelineDocument::nodeRemoved, this, &GraphScene::removeNodeItem);
    connect(m_document, &PipelineDocument::nodeChanged, this, &GraphScene::refreshNode);
    connect(m_document, &PipelineDocument::nodeRenamed, this, &GraphScene::renameNode);
    connect(
        m_document, &PipelineDocument::nodeMoved, this, [this](const QString &id, const QPointF &) {
            if (NodeItem *item = m_nodes.value(id))
                placeNode(item);
        });
    connect(m_document, &PipelineDocument::edgeAdded, this, &GraphScene::addEdgeItem);
    connect(m_document, &PipelineDocument::edgeRemoved, this,
        [this](const QString &target, const QString &port, const QString &) {
            removeEdgeItem(target, port);
        });
    connect(m_document, &PipelineDocument::issuesChanged, this, &GraphScene::updateIssues);
    rebuild();
}

GraphScene::~GraphScene()
{
    // Items call back into the scene (itemChange) while QGraphicsScene's destructor removes
    // them; clear them while the scene is still whole.
    m_edges.clear();
    m_nodes.clear();
    clear();
}

bool GraphScene::event(QEvent *event)
{
    // Nodes cache their pixels and size themselves from the font: a theme switch (light/dark)
    // or a font change must reach them.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        for (NodeItem *item : std::as_const(m_nodes))
            item->refresh();
        for (EdgeItem *edge : std::as_const(m_edges))
            edge->updatePath();
        update();
    }
    return QGraphicsScene::event(event);
}

// --- mirroring

void GraphScene::rebuild()
{
    cancelConnection();
    m_edges.clear();
    m_nodes.clear();
    clear();
    m_tempEdge = nullptr;
    m_autoLayout = autoLayout();
    for (const QString &id : m_document->nodeIds())
        addNodeItem(id);
    updateIssues();
}

void GraphScene::addNodeItem(const QString &id)
{
    if (m_nodes.contains(id))
        return;
    auto *item = new NodeItem(this, id);
    m_nodes.insert(id, item);
    addItem(item);
    placeNode(item);
    // Edges into this node arrive as edgeAdded right after; edges out of it may already be in
    // the document (inputs that named it while it did not exist, or a node put back by undo).
    for (const PipelineEdge &edge : m_document->edges()) {
        if (edge.source == id || edge.target == id)
            addEdgeItem(edge.target, edge.port, edge.source);
    }
}

void GraphScene::removeNodeItem(const QString &id)
{
    NodeItem *item = m_nodes.take(id);
    if (!item)
        return;
    // The document removed its edges first, but an edge from this node into a dangling source
    // id could remain: drop whatever still touches it.
    const QList<EdgeKey> keys = m_edges.keys();
    for (const EdgeKey &key : keys) {
        EdgeItem *edge = m_edges.value(key);
        if (edge->source() == id || edge->target() == id)
            removeEdgeItem(key.first, key.second);
    }
    if (m_hoveredId == id)
        m_hoveredId.clear();
    if (m_connectFrom == id)
        cancelConnection();
    m_dragStart.remove(id);
    delete item;
}

void GraphScene::addEdgeItem(const QString &target, const QString &port, const QString &source)
{
    // A dangling input has no source item; it shows as the target's issue badge instead.
    if (!m_nodes.contains(target) || !m_nodes.contains(source))
        return;
    const EdgeKey key { target, port };
    if (EdgeItem *old = m_edges.value(key)) {
        if (old->source() == source)
            return;
        removeEdgeItem(target, port);
    }
    auto *edge = new EdgeItem(this, target, port, source);
    m_edges.insert(key, edge);
    addItem(edge);
}

void GraphScene::removeEdgeItem(const QString &target, const QString &port)
{
    delete m_edges.take({ target, port });
}

void GraphScene::refreshNode(const QString &id)
{
    if (NodeItem *item = m_nodes.value(id)) {
        item->refresh(); // ports follow the template
        updateEdgesOf(id);
    }
}

void GraphScene::renameNode(const QString &oldId, const QString &newId)
{
    NodeItem *item = m_nodes.take(oldId);
    if (!item)
        return;
    m_nodes.insert(newId, item);
    item->setId(newId);
    // Re-key the edges: the document keeps their endpoints and only changes the names.
    QHash<EdgeKey, EdgeItem *> rekeyed;
    for (auto it = m_edges.begin(); it != m_edges.end(); ++it) {
        EdgeItem *edge = it.value();
        if (edge->target() == oldId)
            edge->setTarget(newId);
        if (edge->source() == oldId)
            edge->setSource(newId);
        rekeyed.insert({ edge->target(), edge->port() }, edge);
    }
    m_edges = rekeyed;
    if (m_autoLayout.contains(oldId))
        m_autoLayout.insert(newId, m_autoLayout.take(oldId));
    if (m_hoveredId == oldId)
        m_hoveredId = newId;
    if (m_connectFrom == oldId)
        m_connectFrom = newId;
    if (m_detached.first == oldId)
        m_detached.first = newId;
    updateEdgesOf(newId);
}

void GraphScene::placeNode(NodeItem *item)
{
    const PipelineNode *node = m_document->node(item->id());
    if (!node)
        return;
    const QPointF pos = node->position ? *node->position : autoPosition(item->id());
    if (item->pos() != pos)
        item->setPos(pos); // no snapping: m_dragging is false outside a drag
}

QHash<QString, QPointF> GraphScene::autoLayout() const
{
    return GraphLayout::layered(m_document->pipeline(), font());
}

QPointF GraphScene::autoPosition(const QString &id)
{
    if (!m_autoLayout.contains(id))
        m_autoLayout = autoLayout();
    return m_autoLayout.value(id);
}

void GraphScene::nodeItemMoved(const QString &id)
{
    updateEdgesOf(id);
}

void GraphScene::updateEdgesOf(const QString &id)
{
    for (EdgeItem *edge : std::as_const(m_edges)) {
        if (edge->source() == id || edge->target() == id)
            edge->updatePath();
    }
}

void GraphScene::updateIssues()
{
    for (NodeItem *item : std::as_const(m_nodes)) {
        const QVector<PipelineIssue> issues = m_document->issuesFor(item->id());
        NodeItem::IssueLevel level = NodeItem::IssueLevel::None;
        for (const PipelineIssue &issue : issues) {
            level = issue.severity == PipelineIssue::Severity::Error
                ? NodeItem::IssueLevel::Error
                : qMax(level, NodeItem::IssueLevel::Warning);
            if (level == NodeItem::IssueLevel::Error)
                break;
        }
        item->setIssues(level, m_document->issueText(item->id()));
    }
}

QStringList GraphScene::selectedNodeIds() const
{
    QStringList ids;
    for (const QString &id : m_document->nodeIds()) {
        if (NodeItem *item = m_nodes.value(id); item && item->isSelected())
            ids << id;
    }
    return ids;
}

// --- grid

void GraphScene::setSnapToGrid(bool snap)
{
    m_snap = snap;
}

QPointF GraphScene::snapped(const QPointF &pos) const
{
    if (!m_snap)
        return pos;
    const qreal g = GraphStyle::kGridSize;
    return QPointF(qRound(pos.x() / g) * g, qRound(pos.y() / g) * g);
}

void GraphScene::drawBackground(QPainter *painter, const QRectF &rect)
{
    const QPalette pal = palette();
    const bool dark = GraphStyle::isDark(pal);
    painter->fillRect(rect, dark ? QColor(0x1f, 0x21, 0x25) : QColor(0xee, 0xf0, 0xf3));

    const qreal g = GraphStyle::kGridSize;
    const qreal zoom = painter->transform().m11();
    const QColor minor = dark ? QColor(0x2a, 0x2d, 0x32) : QColor(0xe2, 0xe5, 0xea);
    const QColor major = dark ? QColor(0x34, 0x38, 0x3e) : QColor(0xd3, 0xd7, 0xde);
    const qreal majorStep = g * GraphStyle::kMajorGridEvery;

    auto drawLines = [&](qreal step, const QColor &color) {
        QVector<QLineF> lines;
        const qreal left = std::floor(rect.left() / step) * step;
        const qreal top = std::floor(rect.top() / step) * step;
        for (qreal x = left; x < rect.right(); x += step)
            lines.append(QLineF(x, rect.top(), x, rect.bottom()));
        for (qreal y = top; y < rect.bottom(); y += step)
            lines.append(QLineF(rect.left(), y, rect.right(), y));
        QPen pen(color, 1);
        pen.setCosmetic(true);
        painter->setPen(pen);
        painter->drawLines(lines);
    };
    // Zoomed far out the minor lines would merge into a grey wash; keep only the major ones.
    if (zoom * g >= 8)
        drawLines(g, minor);
    drawLines(majorStep, major);
}

// --- mouse: moving nodes and dragging connections

void GraphScene::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        const QList<QGraphicsItem *> under = items(event->scenePos());
        for (QGraphicsItem *item : under) {
            if (item->type() != NodeItem::Type)
                continue;
            auto *node = static_cast<NodeItem *>(item);
            if (node->isOverOutputPort(event->scenePos())) {
                startConnection(node->id(), event->scenePos());
                event->accept();
                return;
            }
            // Pressing a connected input's dot picks its edge up, to move it to another port or
            // drop it on the canvas to remove it.
            const QString port = node->inputPortDotAt(event->scenePos());
            if (EdgeItem *edge = m_edges.value({ node->id(), port })) {
                m_detached = { node->id(), port };
                edge->setVisible(false);
                startConnection(edge->source(), event->scenePos());
                event->accept();
                return;
            }
            break; // only the topmost node counts
        }
    }
    QGraphicsScene::mousePressEvent(event);
    if (event->button() == Qt::LeftButton && mouseGrabberItem()
        && mouseGrabberItem()->type() == NodeItem::Type) {
        m_dragging = true;
        m_dragStart.clear();
        for (QGraphicsItem *item : selectedItems()) {
            if (item->type() == NodeItem::Type)
                m_dragStart.insert(static_cast<NodeItem *>(item)->id(), item->pos());
        }
    }
}

void GraphScene::mouseMoveEvent(QGraphicsSceneMouseEvent *event)
{
    if (m_tempEdge) {
        const NodeItem *from = m_nodes.value(m_connectFrom);
        if (!from) {
            cancelConnection();
            return;
        }
        const DropTarget target = dropTargetAt(event->scenePos());
        const QPointF end
            = target.node && !target.port.isEmpty() && target.node->hasInputPort(target.port)
            ? target.node->inputPortPos(target.port)
            : event->scenePos();
        m_tempEdge->setPath(EdgeItem::curve(from->outputPortPos(), end));
        // The curve itself turns red over a port that refuses it, not only the port's ring.
        QPen pen = m_tempEdge->pen();
        const bool refused = target.node && !target.accepted;
        pen.setColor(refused
                ? GraphStyle::errorColor()
                : GraphStyle::portColor(Ports::outputType(m_document->node(m_connectFrom)->type)));
        m_tempEdge->setPen(pen);
        setHovered(target);
        // Say why at once: a drag does not rest long enough for a hover tooltip.
        if (target.node && !target.accepted && !target.why.isEmpty())
            QToolTip::showText(event->screenPos(), target.why, event->widget());
        else
            QToolTip::hideText();
        event->accept();
        return;
    }
    QGraphicsScene::mouseMoveEvent(event);
}

void GraphScene::mouseReleaseEvent(QGraphicsSceneMouseEvent *event)
{
    if (m_tempEdge && event->button() == Qt::LeftButton) {
        finishConnection(event->scenePos());
        event->accept();
        return;
    }
    QGraphicsScene::mouseReleaseEvent(event);
    if (!m_dragging || event->button() != Qt::LeftButton)
        return;
    m_dragging = false;
    // One step for everything the drag moved. The items are already where the user left them;
    // the command takes the document's positions before (maybe none) and the items' after.
    QMap<QString, std::optional<QPointF>> before;
    QMap<QString, QPointF> after;
    for (auto it = m_dragStart.cbegin(); it != m_dragStart.cend(); ++it) {
        const NodeItem *item = m_nodes.value(it.key());
        const PipelineNode *node = m_document->node(it.key());
        if (!item || !node || item->pos() == it.value())
            continue;
        before.insert(it.key(), node->position);
        after.insert(it.key(), item->pos());
    }
    m_dragStart.clear();
    if (!after.isEmpty())
        m_undoStack->push(new MoveNodesCommand(m_document, before, after));
}

void GraphScene::startConnection(const QString &sourceId, const QPointF &scenePos)
{
    const NodeItem *source = m_nodes.value(sourceId);
    if (!source)
        return;
    m_connectFrom = sourceId;
    m_tempEdge = new QGraphicsPathItem();
    QPen pen(GraphStyle::portColor(Ports::outputType(m_document->node(sourceId)->type)), 2.2,
        Qt::DashLine);
    pen.setCosmetic(true);
    m_tempEdge->setPen(pen);
    m_tempEdge->setZValue(2);
    m_tempEdge->setPath(EdgeItem::curve(source->outputPortPos(), scenePos));
    addItem(m_tempEdge);
}

GraphScene::DropTarget GraphScene::dropTargetAt(const QPointF &scenePos) const
{
    DropTarget target;
    for (QGraphicsItem *item : items(scenePos)) {
        if (item->type() == NodeItem::Type) {
            target.node = static_cast<NodeItem *>(item);
            break;
        }
    }
    if (!target.node) {
        // Ports stick out of the node: look for one near the cursor as well.
        for (NodeItem *node : m_nodes) {
            if (!node->inputPortAt(scenePos).isEmpty()) {
                target.node = node;
                break;
            }
        }
    }
    if (!target.node)
        return target;
    const PipelineNode *node = m_document->node(target.node->id());
    target.port = target.node->inputPortAt(scenePos);
    if (target.port.isEmpty() && node && PipelineDocument::ports(*node).acceptsNewPorts) {
        // Judges (and template-less LLM calls) take any input: dropping on the body makes a
        // port named after the source.
        target.port = Ports::newPortName(*node, m_connectFrom);
    }
    if (target.port.isEmpty()) {
        target.why = tr("Drop on an input port of \"%1\".").arg(target.node->id());
        return target;
    }
    target.accepted
        = m_document->canConnect(m_connectFrom, target.node->id(), target.port, &target.why);
    return target;
}

void GraphScene::setHovered(const DropTarget &target)
{
    const QString id = target.node ? target.node->id() : QString();
    if (m_hoveredId != id) {
        if (NodeItem *old = m_nodes.value(m_hoveredId))
            old->clearHoveredPort();
        m_hoveredId = id;
    }
    if (target.node) {
        target.node->setHoveredPort(target.port, target.accepted);
        // The refusal's reason where the user looks: on the port, and in the status bar.
        target.node->setToolTip(target.accepted ? QString() : target.why);
        Q_EMIT statusMessage(target.accepted
                ? tr("Connect %1 to %2.%3").arg(m_connectFrom, target.node->id(), target.port)
                : target.why);
    } else {
        Q_EMIT statusMessage(QString());
    }
}

void GraphScene::finishConnection(const QPointF &scenePos)
{
    DropTarget target = dropTargetAt(scenePos);
    const QString source = m_connectFrom;
    const EdgeKey detached = m_detached;
    cancelConnection();
    QToolTip::hideText();
    const bool onTarget = target.node && !target.port.isEmpty();
    if (!detached.first.isEmpty()) {
        // A picked-up edge: back on its own port changes nothing; on empty canvas it is removed;
        // on another port it moves there (one step); on a refusing port it stays where it was.
        if (onTarget && target.node->id() == detached.first && target.port == detached.second)
            return;
        if (!onTarget) {
            auto *command = new DisconnectCommand(m_document, detached.first, detached.second);
            command->setText(tr("Disconnect %1.%2").arg(detached.first, detached.second));
            m_undoStack->push(command);
            return;
        }
        if (!target.accepted) {
            Q_EMIT statusMessage(target.why);
            return;
        }
        auto *macro = new QUndoCommand(
            tr("Reconnect %1 to %2.%3").arg(source, target.node->id(), target.port));
        new DisconnectCommand(m_document, detached.first, detached.second, macro);
        new ConnectCommand(m_document, target.node->id(), target.port, source, macro);
        m_undoStack->push(macro);
        return;
    }
    if (!onTarget)
        return; // a new connection dropped on empty space: nothing to do
    if (!target.accepted) {
        Q_EMIT statusMessage(target.why);
        return;
    }
    auto *command = new ConnectCommand(m_document, target.node->id(), target.port, source);
    command->setText(tr("Connect %1 to %2.%3").arg(source, target.node->id(), target.port));
    m_undoStack->push(command);
}

void GraphScene::cancelConnection()
{
    if (NodeItem *old = m_nodes.value(m_hoveredId))
        old->clearHoveredPort();
    if (EdgeItem *edge = m_edges.value(m_detached))
        edge->setVisible(true);
    m_detached = {};
    m_hoveredId.clear();
    m_connectFrom.clear();
    delete m_tempEdge;
    m_tempEdge = nullptr;
    updateIssues(); // puts back the issue tooltips a refusal replaced
}

// --- keyboard and edits

void GraphScene::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Delete) || event->key() == Qt::Key_Backspace
        || event->key() == Qt::Key_Delete) {
        deleteSelection();
    } else if (event->matches(QKeySequence::Copy)) {
        copy();
    } else if (event->matches(QKeySequence::Paste)) {
        paste();
    } else if (event->key() == Qt::Key_D && event->modifiers() == Qt::ControlModifier) {
        duplicate();
    } else if (event->matches(QKeySequence::SelectAll)) {
        selectAll();
    } else if (event->key() == Qt::Key_Escape && m_tempEdge) {
        cancelConnection();
    } else {
        QGraphicsScene::keyPressEvent(event);
        return;
    }
    event->accept();
}

void GraphScene::deleteSelection()
{
    const QStringList nodes = selectedNodeIds();
    QList<EdgeItem *> edges;
    for (QGraphicsItem *item : selectedItems()) {
        if (item->type() != EdgeItem::Type)
            continue;
        auto *edge = static_cast<EdgeItem *>(item);
        // Removing a node takes its edges along (and undo restores them with it).
        if (!nodes.contains(edge->target()) && !nodes.contains(edge->source()))
            edges << edge;
    }
    if (nodes.isEmpty() && edges.isEmpty())
        return;
    auto *macro = new QUndoCommand(nodes.size() + edges.size() == 1
            ? (nodes.isEmpty() ? tr("Delete connection") : tr("Delete %1").arg(nodes.first()))
            : (nodes.size() + edges.size() == 1 ? tr("Delete 1 item") : tr("Delete %1 items").arg(nodes.size() + edges.size())));
    for (const EdgeItem *edge : std::as_const(edges))
        new DisconnectCommand(m_document, edge->target(), edge->port(), macro);
    if (!nodes.isEmpty())
        new RemoveNodesCommand(m_document, nodes, macro);
    m_undoStack->push(macro);
}

Pipeline GraphScene::pipelineAsShown(const QStringList &ids) const
{
    // Nodes placed by the automatic layout have no position in the document; copy where they are
    // shown, so the paste lands next to what the user saw.
    Pipeline pipeline = m_document->pipeline();
    for (const QString &id : ids) {
        if (PipelineNode *node = pipeline.node(id); node && m_nodes.contains(id))
            node->position = m_nodes.value(id)->pos();
    }
    return pipeline;
}

void GraphScene::copy()
{
    const QStringList ids = selectedNodeIds();
    if (ids.isEmpty())
        return;
    QApplication::clipboard()->setMimeData(Clipboard::toMimeData(pipelineAsShown(ids), ids));
    m_pasteCount = 0;
}

void GraphScene::paste()
{
    const QMimeData *mime = QApplication::clipboard()->mimeData();
    if (!mime || !Clipboard::canPaste(mime))
        return;
    QString error;
    const QVector<PipelineNode> nodes = Clipboard::fromMimeData(mime, &error);
    if (nodes.isEmpty()) {
        Q_EMIT statusMessage(error);
        return;
    }
    // Each paste of the same clipboard lands one step further, not on top of the last one.
    ++m_pasteCount;
    pasteNodes(
        nodes, kPasteStep * m_pasteCount, (nodes.size() == 1 ? tr("Paste 1 node") : tr("Paste %1 nodes").arg(nodes.size())));
}

void GraphScene::duplicate()
{
    const QStringList ids = selectedNodeIds();
    if (ids.isEmpty())
        return;
    // Through the same JSON as the clipboard, without touching the clipboard.
    const QVector<PipelineNode> nodes
        = Clipboard::fromJsonText(Clipboard::toJsonText(pipelineAsShown(ids), ids));
    pasteNodes(nodes, kPasteStep, (nodes.size() == 1 ? tr("Duplicate 1 node") : tr("Duplicate %1 nodes").arg(nodes.size())));
}

// Copies of copies should be answer_3, not answer_2_2: the numeric suffix a paste added goes
// before the new copy picks its own. Only where the shorter id stays unique within the set, as
// the paste maps edges by these ids.
static QVector<PipelineNode> withoutCopySuffixes(QVector<PipelineNode> nodes)
{
    static const QRegularExpression suffix(u"^(.+)_\\d+$"_s);
    QHash<QString, QString> rename;
    QSet<QString> used;
    for (const PipelineNode &node : nodes)
        used.insert(node.id);
    for (const PipelineNode &node : nodes) {
        const QRegularExpressionMatch match = suffix.match(node.id);
        if (match.hasMatch() && !used.contains(match.captured(1))) {
            used.insert(match.captured(1));
            rename.insert(node.id, match.captured(1));
        }
    }
    for (PipelineNode &node : nodes) {
        node.id = rename.value(node.id, node.id);
        for (QString &source : node.inputs)
            source = rename.value(source, source);
    }
    return nodes;
}

void GraphScene::pasteNodes(
    const QVector<PipelineNode> &copied, const QPointF &offset, const QString &commandText)
{
    if (copied.isEmpty())
        return;
    const QVector<PipelineNode> nodes = withoutCopySuffixes(copied);
    auto *command = new PasteNodesCommand(m_document, nodes, offset);
    command->setText(commandText);
    m_undoStack->push(command);
    clearSelection();
    for (const QString &id : command->pastedIds()) {
        if (NodeItem *item = m_nodes.value(id))
            item->setSelected(true);
    }
}

void GraphScene::selectAll()
{
    for (NodeItem *item : std::as_const(m_nodes))
        item->setSelected(true);
    for (EdgeItem *item : std::as_const(m_edges))
        item->setSelected(true);
}

QString GraphScene::addNodeAt(const QString &type, const QPointF &scenePos)
{
    const std::optional<NodeType> nodeType = nodeTypeFromName(type);
    if (!nodeType)
        return QString();
    PipelineNode node;
    node.type = *nodeType;
    node.id = m_document->uniqueId(type);
    node.position = snapped(scenePos);
    // Defaults that make a useful start; what is still missing shows as the node's issues.
    const QString firstEngine = m_document->pipeline().engines.isEmpty()
        ? QString()
        : m_document->pipeline().engines.firstKey();
    switch (node.type) {
    case NodeType::Input:
        node.field = node.id;
        break;
    case NodeType::Parameter:
        node.trainable = true;
        break;
    case NodeType::Llm:
    case NodeType::Judge:
        node.engine = firstEngine;
        break;
    case NodeType::Metric:
        node.metric = u"exact_match"_s;
        break;
    }
    auto *command = new AddNodeCommand(m_document, node);
    command->setText(tr("Add %1").arg(node.id));
    m_undoStack->push(command);
    clearSelection();
    if (NodeItem *item = m_nodes.value(node.id))
        item->setSelected(true);
    return node.id;
}
