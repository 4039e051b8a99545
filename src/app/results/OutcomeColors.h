#pragma once

#include "history/ResultsMatrix.h"

#include <QColor>
#include <QPalette>

// Fill colours for pass / fail / error cells that read on light and dark palettes alike: the
// hue is fixed, its strength follows the window's lightness so text stays legible on top.
// Missing cells get no fill (invalid colour).
inline QColor outcomeFill(CellOutcome outcome, const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    switch (outcome) {
    case CellOutcome::Pass:
        return dark ? QColor(0x2E, 0x6B, 0x3A) : QColor(0xB7, 0xE4, 0xC0);
    case CellOutcome::Fail:
        return dark ? QColor(0x8A, 0x2C, 0x2C) : QColor(0xF4, 0xB6, 0xB0);
    case CellOutcome::Error:
        return dark ? QColor(0x8A, 0x5A, 0x10) : QColor(0xF6, 0xD3, 0x8E);
    case CellOutcome::Missing:
        break;
    }
    return {};
}

// The word for an outcome, as the drawer and the legend say it.
inline QString outcomeName(CellOutcome outcome)
{
    switch (outcome) {
    case CellOutcome::Pass:
        return QStringLiteral("Pass");
    case CellOutcome::Fail:
        return QStringLiteral("Fail");
    case CellOutcome::Error:
        return QStringLiteral("Provider error");
    case CellOutcome::Missing:
        break;
    }
    return QStringLiteral("Not evaluated");
}
