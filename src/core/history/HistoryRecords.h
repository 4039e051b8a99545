#pragma once

#include "store/RunRecords.h"

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

// What the critique history and the prompt versions read from the store: small rows for lists
// that page through 1,000 steps, and the full detail of one step on demand.

// One row of the step timeline, read without any large column.
struct StepSummary {
    int step = 0;
    int epoch = 0;
    double trainScore = noScore();
    double valScore = noScore();
    double bestValScore = noScore();
    bool accepted = true;
    int gradientCount = 0;
    QStringList changedNodes; // parameters whose value changed at this step
    QDateTime finishedAt;
};

// Everything stored about one step, for the details pane.
struct StepDetails {
    bool found = false;
    StepSummary summary;
    QVector<PromptVersion> versions; // one per trainable parameter
    QVector<GradientRecord> gradients; // in stored order (the optimizer's order)
    QVector<qint64> gradientIds; // row ids, parallel to gradients
    QVector<SampleResult> samples; // train batch and validation results of the step
    QVector<RunEvent> events;
};

// One gradient found by a search: where it is and a few words around the match.
struct GradientHit {
    qint64 id = 0; // gradients row id: the keyset for the next page
    int step = 0;
    QString targetNode;
    QString sourceNode;
    int sampleIndex = -1;
    QString mode;
    QString excerpt; // the feedback, shortened around the match when it is there
};

// A version of one parameter as the versions view lists it: the version and whether its step
// was accepted (a rejected candidate never took effect).
struct NodeVersion {
    PromptVersion version; // without the optimizer prompt (large, not shown there)
    bool accepted = true;
};

struct HistoryCounts {
    int steps = 0;
    int acceptedSteps = 0;
    int gradients = 0;
    int versions = 0;
    int calls = 0;
};

Q_DECLARE_METATYPE(StepSummary)
Q_DECLARE_METATYPE(StepDetails)
Q_DECLARE_METATYPE(GradientHit)
Q_DECLARE_METATYPE(NodeVersion)
Q_DECLARE_METATYPE(HistoryCounts)
