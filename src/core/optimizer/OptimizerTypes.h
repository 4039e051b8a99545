#pragma once

#include "providers/ChatTypes.h"
#include "store/RunRecords.h"

#include <QString>
#include <QStringList>
#include <QVector>

// What an earlier step did to a parameter, for the momentum optimizer. Accepted steps are
// offered as feedback already acted on; rejected ones as values validation turned down, never
// as advice to follow.
struct MemoryEntry
{
    int step = 0;
    QString value;        // the value proposed at that step
    QString feedback;     // the gradients of that step, joined (already bounded)
    bool accepted = true;
    double valScore = noScore();
};

// Everything one optimizer call needs for one trainable parameter.
struct OptimizerRequest
{
    QString nodeId;
    QString role;
    QString currentValue;               // shown in full, never abbreviated
    QVector<GradientRecord> gradients;  // in a deterministic order (sample, then source node)
    QStringList constraints;            // pipeline-level then node-level; numbered in the prompt
    QStringList examples;
    QVector<MemoryEntry> memory;        // empty unless kind is tgd-momentum
    int step = 0;
};

struct OptimizerResult
{
    bool ok = true;              // false only when a provider call failed (the run stops)
    ChatResult failure;          // the failed call, when !ok
    bool changed = false;        // false: keep the current value (unusable reply or no-op)
    QString newValue;            // the value to use from now on (== currentValue if !changed)
    PromptVersion version;       // what to store about this step for the node
    QVector<RunEvent> events;    // tag problems, re-asks, bounded gradients
};
