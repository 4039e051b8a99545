#include "graph/GraphLayout.h"

#include "graph/GraphStyle.h"
#include "graph/NodeItem.h"
#include "graph/PipelineDocument.h"

#include <QFontMetricsF>
#include <cmath>
#include <limits>
#include <tuple>

namespace GraphLayout {

QHash<QString, QPointF> layered(const Pipeline &p, const QFont &font)
{
    // Columns by the longest path from a node without inputs (cycles are cut by the depth bound:
    // a cycle is an issue the user must fix anyway). Rows: the last column in file order, then
    // each column to the left sorted by where its nodes feed into the column to their right
    // (consumer row, then port row), which removes most crossings in pipeline-shaped graphs.
    const int n = p.nodes.size();
    QHash<QString, int> depth;
    for (const PipelineNode &node : p.nodes)
        depth.insert(node.id, 0);
    for (int round = 0; round < n; ++round) {
        bool changed = false;
        for (const PipelineNode &node : p.nodes) {
            int d = 0;
            for (const QString &source : node.inputs) {
                if (depth.contains(source) && source != node.id)
                    d = qMax(d, depth.value(source) + 1);
            }
            if (d != depth.value(node.id) && d < n) {
                depth.insert(node.id, d);
                changed = true;
            }
        }
        if (!changed)
            break;
    }
    // Where each node feeds: (consumer, port index) pairs.
    QHash<QString, QVector<QPair<QString, int>>> feeds;
    for (const PipelineNode &node : p.nodes) {
        const NodePorts ports = PipelineDocument::ports(node);
        for (auto it = node.inputs.cbegin(); it != node.inputs.cend(); ++it)
            feeds[it.value()].append({ node.id, ports.indexOf(it.key()) });
    }
    // A source (dataset column, parameter) sits just left of its first consumer, not in the
    // first column: a reference answer that only the metric reads goes next to the metric.
    for (const PipelineNode &node : p.nodes) {
        if (!node.inputs.isEmpty() || !feeds.contains(node.id))
            continue;
        int first = n;
        for (const auto &[consumer, port] : feeds.value(node.id)) {
            Q_UNUSED(port)
            first = qMin(first, depth.value(consumer));
        }
        depth.insert(node.id, qMax(0, first - 1));
    }
    int columns = 0;
    for (int d : std::as_const(depth))
        columns = qMax(columns, d + 1);

    QHash<QString, int> row;
    QHash<QString, int> fileIndex;
    for (int i = 0; i < n; ++i)
        fileIndex.insert(p.nodes.at(i).id, i);
    for (int column = columns - 1; column >= 0; --column) {
        QVector<QString> ids;
        for (const PipelineNode &node : p.nodes) {
            if (depth.value(node.id) == column)
                ids << node.id;
        }
        auto key = [&](const QString &id) {
            // The best-placed consumer already laid out; nodes feeding nothing go last.
            std::tuple<int, int, int> best { std::numeric_limits<int>::max(), 0,
                fileIndex.value(id) };
            for (const auto &[consumer, port] : feeds.value(id)) {
                if (row.contains(consumer))
                    best = qMin(best,
                        std::tuple<int, int, int> {
                            row.value(consumer), port, fileIndex.value(id) });
            }
            return best;
        };
        std::stable_sort(ids.begin(), ids.end(),
            [&](const QString &a, const QString &b) { return key(a) < key(b); });
        for (int i = 0; i < ids.size(); ++i)
            row.insert(ids.at(i), i);
    }

    // On the grid whether or not snapping is on, so that the layout does not depend on it.
    const qreal em = QFontMetricsF(font).height();
    const qreal g = GraphStyle::kGridSize;
    // Rows stack by the real heights (an LLM call with many placeholders is tall).
    QVector<QVector<QString>> byColumn(columns);
    for (const PipelineNode &node : p.nodes)
        byColumn[depth.value(node.id)].append(node.id);
    // Columns as wide as their widest node, with room for the curves between them.
    QHash<QString, QPointF> positions;
    qreal x = 0;
    for (int column = 0; column < columns; ++column) {
        QVector<QString> &ids = byColumn[column];
        std::sort(ids.begin(), ids.end(),
            [&](const QString &a, const QString &b) { return row.value(a) < row.value(b); });
        qreal y = 0;
        qreal width = 0;
        for (const QString &id : std::as_const(ids)) {
            positions.insert(id, QPointF(x, y));
            const QSizeF size = NodeItem::sizeFor(font, *p.node(id));
            width = qMax(width, size.width());
            y = std::ceil((y + size.height() + em * 2) / g) * g;
        }
        x = std::ceil((x + width + em * 5) / g) * g;
    }
    return positions;
}

} // namespace GraphLayout
