#pragma once

#include <QString>
#include <QStringList>

// Builds a large, deterministic project file for the history benchmark and the scale tests: one
// run with N steps, each with its prompt versions, gradients (with backward conversations), the
// train and validation results, and the provider calls of the step.
//
// Rows are written with the store's own column lists (StoreRows), straight through one
// connection in large transactions, which is ~50x faster than saveStep() per step. The text is
// generated from a small vocabulary with a fixed seed; sizes follow a real run (see Options).
// Every `markerEvery`-th step has one gradient whose feedback contains kMarker, so a search has
// a known number of hits.
class SyntheticProject {
public:
    static inline const QString kRunId = QStringLiteral("synthetic-run");
    static inline const QString kMarker = QStringLiteral("zeppelin");

    struct Options {
        int steps = 1000;
        int callsPerStep = 100; // 1,000 steps x 100 = 100,000 calls
        int gradientsPerStep = 48; // batch 24: two backward calls per sample
        int samplesPerStep = 24;
        QStringList parameters
            = { QStringLiteral("system_prompt"), QStringLiteral("format_rules") };
        int markerEvery = 50;
        // Text sizes, in characters (about). 0 everywhere makes a skeleton (fast to build, for
        // the 100,000-row model test).
        int conversationChars = 2400; // a backward call's messages
        int feedbackChars = 450;
        int requestChars = 2500; // a call's request body
        int responseChars = 800;
        int optimizerPromptChars = 5000;
        int optimizerReplyChars = 1200;
        quint64 seed = 42;
    };

    struct Result {
        bool ok = false;
        QString error;
        QString runId;
        int steps = 0;
        int calls = 0;
        int gradients = 0;
        int markerSteps = 0; // steps whose gradients mention kMarker
        qint64 elapsedMs = 0;
    };

    static Result build(const QString &path, const Options &options);
    // Skeleton: `steps` step rows and nothing else large (one small gradient per step).
    static Options skeleton(int steps);
};
