#pragma once

#include "history/CurveData.h"

#include <QCoreApplication>
#include <QString>

// How the curves put numbers and points into words: tick labels, legend entries, read-outs.
class CurveText
{
    Q_DECLARE_TR_FUNCTIONS(CurveText)

public:
    static QString money(double usd);          // $0, $0.0123, $4.50
    static QString tokenCount(double tokens);  // 950, 12.3k, 1.2M
    static QString score(double s);            // 0.750, or a dash for none
    // The read-out of one step of a run (step 0: the initial validation), one fact per line;
    // withLabel starts with the run's label (for overlaid runs).
    static QString describePoint(const CurveData &data, int step, bool withLabel);
};
