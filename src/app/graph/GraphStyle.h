#pragma once

#include "graph/PipelineNode.h"
#include "graph/PortTypes.h"

#include <QColor>
#include <QPalette>

// Colours and metrics shared by the graph items, so that a port, its edges and the legend of the
// palette agree. Sizes are multiples of the font height: they follow the user's font and the
// screen's scale instead of assuming 96 dpi.
namespace GraphStyle {

QColor headerColor(NodeType type);
QColor portColor(PortType type);
QColor trainableAccent();
QColor errorColor();
QColor warningColor();
// True when the palette's window is dark, for the grid and node bodies.
bool isDark(const QPalette &palette);

inline constexpr qreal kGridSize = 20.0;
inline constexpr int kMajorGridEvery = 5;

} // namespace GraphStyle
