#pragma once

#include "graph/Pipeline.h"

#include <QFont>
#include <QHash>
#include <QPointF>

// Where to show nodes whose file gives no position: a left-to-right layered layout, computed from
// the graph alone so that the same file always looks the same.
namespace GraphLayout {

// Top-left scene positions of every node, on the grid, sized for nodes drawn in font.
QHash<QString, QPointF> layered(const Pipeline &pipeline, const QFont &font);

} // namespace GraphLayout
