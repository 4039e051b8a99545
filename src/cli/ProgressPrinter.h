#pragma once

#include "training/RunObserver.h"

#include <QElapsedTimer>

// Progress of a run on stderr: a one-line bar redrawn in place when stderr is a terminal,
// otherwise one plain line per step and message (for CI logs).
class ProgressPrinter : public RunObserver
{
public:
    explicit ProgressPrinter(bool quiet = false);
    ~ProgressPrinter() override;

    void progress(const RunProgress &p) override;
    void stepFinished(const StepRecord &step) override;
    void message(const QString &text) override;

private:
    void clearLine();
    bool m_tty;
    bool m_quiet;
    bool m_lineOpen = false;
    int m_totalSteps = 0;
    QElapsedTimer m_throttle;
};
