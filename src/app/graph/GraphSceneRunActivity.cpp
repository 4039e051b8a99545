#include "graph/EdgeItem.h"
#include "graph/GraphScene.h"
#include "graph/NodeItem.h"

#include <QTimer>

// The canvas during a run: which nodes are computed or criticised, and the backward pass
// travelling the edges. Kept apart from the editing code; it touches only item view state.

void GraphScene::setRunActivity(const NodeActivity &activity)
{
    NodeItem::RunHighlight highlight = NodeItem::RunHighlight::Forward;
    if (activity.phase == ActivityPhase::Backward)
        highlight = NodeItem::RunHighlight::Backward;
    else if (activity.phase == ActivityPhase::Optimizer)
        highlight = NodeItem::RunHighlight::Optimizer;
    const bool start = activity.state == NodeActivity::State::Started;
    const QString id = activity.nodeId;

    auto &node = m_runNodes[id];
    if (start) {
        node.first = highlight;
        ++node.second;
    } else if (--node.second <= 0) {
        m_runNodes.remove(id);
    }
    applyRunHighlight(id);

    if (activity.phase == ActivityPhase::Backward && !activity.sourceNodeId.isEmpty()) {
        const QPair<QString, QString> key { activity.sourceNodeId, id };
        int &calls = m_runEdges[key];
        calls += start ? 1 : -1;
        const bool on = calls > 0;
        if (!on)
            m_runEdges.remove(key);
        for (EdgeItem *edge : edgesBetween(key.first, key.second))
            edge->setBackwardFlow(on);
    }
    if (!m_flowTimer) {
        m_flowTimer = new QTimer(this);
        m_flowTimer->setInterval(60);
        connect(m_flowTimer, &QTimer::timeout, this, &GraphScene::advanceFlows);
    }
    if (m_runEdges.isEmpty())
        m_flowTimer->stop();
    else if (!m_flowTimer->isActive())
        m_flowTimer->start();
}

void GraphScene::clearRunActivity()
{
    const QStringList ids = m_runNodes.keys();
    m_runNodes.clear();
    for (const QString &id : ids)
        applyRunHighlight(id);
    m_runEdges.clear();
    for (EdgeItem *edge : std::as_const(m_edges))
        edge->setBackwardFlow(false);
    if (m_flowTimer)
        m_flowTimer->stop();
}

void GraphScene::applyRunHighlight(const QString &id)
{
    if (NodeItem *item = m_nodes.value(id))
        item->setRunHighlight(m_runNodes.value(id, { NodeItem::RunHighlight::None, 0 }).first);
}

QList<EdgeItem *> GraphScene::edgesBetween(const QString &source, const QString &target) const
{
    QList<EdgeItem *> result;
    for (EdgeItem *edge : m_edges) {
        if (edge->source() == source && edge->target() == target)
            result.append(edge);
    }
    return result;
}

void GraphScene::advanceFlows()
{
    for (auto it = m_runEdges.cbegin(); it != m_runEdges.cend(); ++it) {
        for (EdgeItem *edge : edgesBetween(it.key().first, it.key().second))
            edge->advanceFlow();
    }
}
