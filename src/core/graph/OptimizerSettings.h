#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

// The optimizer section of a pipeline. Command-line flags override these.
struct OptimizerSettings
{
    QString kind = QStringLiteral("tgd");                  // tgd | tgd-momentum
    int batchSize = 4;
    int epochs = 1;
    int maxSteps = 8;
    QString validation = QStringLiteral("revert-if-worse"); // revert-if-worse | none
    QStringList constraints;                              // numbered into the optimizer prompt
    QStringList examples;                                 // in-context examples of good values
    quint64 seed = 1;
    QString engine;               // optimizer engine; empty: the pipeline's backwardEngine

    int concurrency = 4;          // forward passes / evaluations in flight at once
    int momentumWindow = 3;       // tgd-momentum: how many past steps the optimizer sees
    int gradientTokenBudget = 6000;  // bound on the gradients text of one optimizer call
    QString budgetMode = QStringLiteral("sample");          // sample | summarize
    bool skipPerfectSamples = false;  // no backward calls for samples that already score 1
    QString tag = QStringLiteral("IMPROVED_VARIABLE");      // the reply carries <tag>...</tag>
    bool stopWhenPerfect = true;  // stop once validation reaches 1.0

    // Test-time optimization (no dataset): vote over every version's extracted answer.
    QString votePattern;          // regex extracting the answer; empty: no majority vote

    QJsonObject extra;            // unknown keys, kept for a lossless round trip
};
