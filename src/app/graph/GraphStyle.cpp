#include "graph/GraphStyle.h"

namespace GraphStyle {

// Header colours are dark enough for white text in both themes and far apart in hue from each
// other; port colours are brighter, so a port reads as a dot on any header or body.
QColor headerColor(NodeType type)
{
    switch (type) {
    case NodeType::Input:
        return QColor(0x2a, 0x6f, 0x97);
    case NodeType::Parameter:
        return QColor(0x6b, 0x4c, 0x9a);
    case NodeType::Llm:
        return QColor(0x2e, 0x7d, 0x4f);
    case NodeType::Metric:
        return QColor(0xa8, 0x5a, 0x1e);
    case NodeType::Judge:
        return QColor(0x9c, 0x3b, 0x62);
    }
    return QColor(Qt::darkGray);
}

QColor portColor(PortType type)
{
    switch (type) {
    case PortType::Text:
        return QColor(0x3d, 0xa5, 0xe0);
    case PortType::Prompt:
        return QColor(0xb3, 0x7f, 0xe8);
    case PortType::Score:
        return QColor(0xf0, 0xa0, 0x30);
    case PortType::Any:
        return QColor(0x9a, 0xa0, 0xa6);
    }
    return QColor(Qt::gray);
}

QColor trainableAccent()
{
    return QColor(0xf2, 0xc1, 0x2e);
}

QColor errorColor()
{
    return QColor(0xd9, 0x30, 0x25);
}

QColor warningColor()
{
    return QColor(0xe8, 0x9a, 0x0c);
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

} // namespace GraphStyle
