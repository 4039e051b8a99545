#pragma once

#include "store/RunRecords.h"

#include <QString>
#include <QVector>

// A text value in the computation graph of one step: a node's value for one sample (or a
// parameter shared by every sample of the batch), with the role description the backward and
// optimizer prompts use, and the feedback (gradients) it received.
struct Variable
{
    int id = -1;
    QString nodeId;          // the pipeline node that produced it
    int sampleIndex = -1;    // -1: shared by the whole batch (parameters, the batch loss)
    QString role;
    QString value;
    bool requiresGrad = false;
    int producer = -1;       // id of the operation that computed it; -1 for leaves
    QVector<GradientRecord> gradients;
};
