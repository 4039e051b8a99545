#pragma once

#include <QColor>
#include <QPalette>

// An amber readable on the given palette. QPalette has no warning role, so one is derived from
// whether the window is dark; a fixed colour would vanish on one of the two.
inline QColor warningColor(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128 ? QColor(0xF0, 0xB4, 0x4C)
                                                             : QColor(0xA8, 0x5A, 0x00);
}
