#pragma once

#include <QColor>
#include <QPalette>

// A red readable on the given palette, for refusals and errors next to a field. Like
// warningColor(), derived from whether the window is dark: one fixed red is either too dim on
// a dark window or too loud on a light one.
inline QColor errorColor(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128 ? QColor(0xFF, 0x6B, 0x6B)
                                                             : QColor(0xC0, 0x1C, 0x28);
}
