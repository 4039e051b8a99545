#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QVector>

#include <cmath>
#include <limits>

inline double noScore() { return std::numeric_limits<double>::quiet_NaN(); }
inline bool hasScore(double s) { return !std::isnan(s); }
// A score as the views show it: three decimals, or a dash when there is none.
inline QString formatScore(double s)
{
    return hasScore(s) ? QString::number(s, 'f', 3) : QStringLiteral("\u2013");
}

// Run status as stored. "running" with no live process means the run was cut off; "queued" is a
// run stored with everything it needs, waiting for its turn.
namespace RunStatus {
inline const QString Queued = QStringLiteral("queued");
inline const QString Running = QStringLiteral("running");
inline const QString Completed = QStringLiteral("completed");
inline const QString Failed = QStringLiteral("failed");
inline const QString Cancelled = QStringLiteral("cancelled");
}

struct RunInfo
{
    QString id;
    QString pipelineName;
    QJsonObject pipeline;      // snapshot of the pipeline as run (optimizer flags applied)
    QJsonObject settings;      // run settings (concurrency, no-cache, data file names, mode)
    QJsonObject data;          // {"train": [...rows], "validation": [...], "test": [...]}; rows are
                               // {"line": n, "fields": {...}} so a resume needs no files
    QString status;
    QString error;
    double initialValScore = noScore();
    QDateTime createdAt;
    QDateTime updatedAt;
};

// Output of one sample in one evaluation.
struct SampleResult
{
    int step = 0;
    QString split;             // train | validation | test | "" (test-time)
    int sampleIndex = 0;
    int line = 0;              // line in the dataset file
    QJsonObject outputs;       // node id -> value text for every node executed
    double score = 0.0;
    QString evaluation;        // the objective's explanation / judge critique
    QString error;             // a sample that failed (provider error) keeps its message
};

// One textual gradient: feedback for a variable and the conversation it came from.
struct GradientRecord
{
    int step = 0;
    QString targetNode;        // the variable criticised
    QString sourceNode;        // the operation whose backward produced it
    int sampleIndex = -1;
    QString mode;              // base | chain
    QString feedback;
    QJsonArray conversation;   // [{"role":..., "content":...}] of the backward call
    qint64 callId = 0;
};

// Something noteworthy: an optimizer reply without tags, a bounded gradient set, a judge reply
// without a score, a provider error on one sample.
struct RunEvent
{
    int step = 0;
    QString kind;              // missing-open-tag | missing-close-tag | empty-reply | reask |
                               // gradients-bounded | judge-unparsed | sample-error | ...
    QString nodeId;
    QString message;
};

// One version of a trainable parameter proposed at a step.
struct PromptVersion
{
    int step = 0;
    QString nodeId;
    QString value;
    QString previous;
    bool changed = false;      // false when the optimizer's reply was unusable
    QString optimizerReply;    // the raw reply
    QJsonArray optimizerPrompt;// messages sent to the optimizer
    int gradientsUsed = 0;
    int gradientsTotal = 0;
};

// A completed optimization step. Written in one transaction: its presence means the step is
// done, which is what resume relies on.
struct StepRecord
{
    int step = 0;
    int epoch = 0;
    double trainScore = noScore();
    double valScore = noScore();
    bool accepted = true;
    QMap<QString, QString> candidate;   // values proposed at this step
    QMap<QString, QString> current;     // accepted values after the step (what the next step uses)
    double bestValScore = noScore();    // the gating reference after this step
    QVector<PromptVersion> versions;
    QVector<SampleResult> samples;      // train batch and validation results of this step
    QVector<GradientRecord> gradients;
    QVector<RunEvent> events;
    QDateTime finishedAt;
};

struct CallTotals
{
    int total = 0;       // requests sent (attempts; cached hits excluded)
    int cached = 0;
    QMap<QString, int> byPurpose;   // forward, loss, backward, optimizer, validation, test
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    int errors = 0;
    // What the calls sent cost, in USD, as far as prices are known; unknownCostCalls counts
    // the calls sent whose price was unknown (their cost is in neither sum).
    double costUsd = 0.0;
    QMap<QString, double> costByPurpose;
    int unknownCostCalls = 0;
};
