#pragma once

#include "history/CurveData.h"
#include "plots/CurveText.h"
#include "plots/QCustomPlotHeader.h"

// Tick labels of the cost and token axes in dollars or in k / M tokens, instead of 1.2e+04.
class SpendTicker : public QCPAxisTicker
{
public:
    explicit SpendTicker(CurveAxis axis)
        : m_axis(axis)
    {
    }

protected:
    QString getTickLabel(double tick, const QLocale &, QChar, int) override
    {
        return m_axis == CurveAxis::Cost ? CurveText::money(tick) : CurveText::tokenCount(tick);
    }

private:
    CurveAxis m_axis;
};
