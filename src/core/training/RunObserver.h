#pragma once

#include "store/RunRecords.h"

#include <QString>

// Where a run is, for progress bars and live views.
struct RunProgress
{
    QString runId;
    int step = 0;           // the step in progress (0: initial validation)
    int totalSteps = 0;
    QString phase;          // initial-validation | forward | backward | optimizer | validation | test | done
    int done = 0;           // units of the phase finished (samples, parameters)
    int total = 0;
    int calls = 0;          // provider requests recorded so far in this process
    double bestValScore = noScore();
};

// Told about a run's progress. All calls come from the thread that runs the Trainer; a GUI
// wraps this in a QObject that forwards values by queued signals.
class RunObserver
{
public:
    virtual ~RunObserver() = default;
    virtual void progress(const RunProgress &) {}
    virtual void stepFinished(const StepRecord &) {}
    virtual void message(const QString &) {}
};
