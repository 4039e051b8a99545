#pragma once

#include "cost/PriceTable.h"
#include "graph/Pipeline.h"
#include "training/TrainingData.h"

#include <QMap>
#include <QString>
#include <QVector>

#include <optional>

// What a run will cost before it starts: calls, tokens and money, for the run setup's estimate
// box and the budget fields next to it. An upper bound on calls, a rough guess on tokens:
//
// Calls follow the method's counts (docs/architecture.md), for every step the run plans
// (Trainer::plannedSteps), as if it never stopped early and every step changed a parameter:
//   forward    batch x llm nodes the objective depends on
//   loss       batch x judge nodes
//   backward   batch x edges criticised (an input that depends on a trainable parameter, into a
//              node that does): 2 per sample for prompt -> llm -> metric
//   optimizer  trainable parameters, once per step
//   validation validation rows x (llm + judge nodes), before step 1 and after every step
//   test       test rows x (llm + judge nodes), once at the end
// Test-time runs: one empty sample per iteration, then one scoring of the final value (loss).
// Not counted: judge re-asks, optimizer re-asks, gradient summaries, retries; and samples
// skipped as perfect are counted anyway.
//
// Tokens: characters / 4 of what each call sends, built from the texts it would hold: the
// dataset's mean field lengths per split, parameter values, templates, rubrics and our built-in
// prompts. Replies are assumed to be kForwardReplyTokens (capped by the engine's maxTokens),
// kJudgeReplyTokens, kBackwardReplyTokens, and for the optimizer the parameter's length plus
// kOptimizerOverheadTokens. Gradients shown to the optimizer are capped by its token budget.
//
// Cost: each engine's tokens priced by the price table; local servers cost nothing; a model
// the table does not know makes the total unknown (it is never shown as zero).
struct RunEstimate
{
    static constexpr int kCharsPerToken = 4;
    static constexpr int kForwardReplyTokens = 200;
    static constexpr int kJudgeReplyTokens = 150;
    static constexpr int kBackwardReplyTokens = 250;
    static constexpr int kOptimizerOverheadTokens = 150;

    struct Engine
    {
        QString name;
        QString model;
        int calls = 0;
        qint64 promptTokens = 0;
        qint64 completionTokens = 0;
        bool local = false;
        std::optional<double> costUsd;   // nullopt: no price for this model
    };

    int steps = 0;
    QMap<QString, int> callsByPurpose;   // forward, loss, backward, optimizer, validation, test
    int calls = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    std::optional<double> costUsd;       // nullopt when any engine used has no price
    QStringList unpricedModels;          // "engine (model)"
    QVector<Engine> engines;             // in name order, only those the run calls

    static RunEstimate compute(const Pipeline &pipeline, const TrainingData &data,
                               const PriceTable &prices);
    static qint64 tokensFor(qint64 chars) { return (chars + kCharsPerToken - 1) / kCharsPerToken; }

    // "$0.42", "$0 (local models)", "unknown: no price for teacher (my-model)".
    QString costText() const;
};
