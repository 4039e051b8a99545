#pragma once

// Private to the Trainer's implementation files: the state of one run while it executes.

#include "autograd/ComputationGraph.h"
#include "training/Trainer.h"

namespace TrainerDetail {

using namespace Qt::StringLiterals;

// Past feedback shown to the momentum optimizer is capped so memory cannot grow the prompt
// without bound either.
constexpr int kMemoryFeedbackChars = 3000;

inline QString joinFeedback(const QVector<GradientRecord> &grads)
{
    QStringList parts;
    for (const GradientRecord &g : grads)
        parts.append(g.feedback);
    QString text = parts.join(u"\n---\n"_s);
    if (text.size() > kMemoryFeedbackChars)
        text = text.left(kMemoryFeedbackChars) + u"\n[... shortened ...]"_s;
    return text;
}

inline QString fmtScore(double s)
{
    return hasScore(s) ? QString::number(s, 'f', 3) : u"n/a"_s;
}

} // namespace TrainerDetail

struct Trainer::State
{
    QString runId;
    QJsonObject settings;             // as stored with the run (budget, noCache, ...)
    Pipeline pipeline;
    TrainingData data;
    bool testTime = false;
    QStringList order;
    PromptLibrary prompts;
    EngineConfig optimizerEngine;
    QMap<QString, QString> current;   // accepted values of the trainable parameters
    double initial = noScore();
    double best = noScore();
    int lastStep = 0;
    int totalSteps = 0;
    QMap<QString, QVector<MemoryEntry>> memory;

    // What the momentum optimizer will see of this step: for each parameter the step changed,
    // the value proposed, the feedback that led to it, and whether validation kept it.
    void remember(const StepRecord &step)
    {
        for (const PromptVersion &v : step.versions) {
            if (!v.changed)
                continue;
            QVector<GradientRecord> grads;
            for (const GradientRecord &g : step.gradients) {
                if (g.targetNode == v.nodeId)
                    grads.append(g);
            }
            memory[v.nodeId].append(MemoryEntry{step.step, v.value, TrainerDetail::joinFeedback(grads),
                                                step.accepted, step.valScore});
        }
    }
};
