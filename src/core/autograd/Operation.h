#pragma once

#include "providers/ChatTypes.h"

#include <QMap>
#include <QString>
#include <QVector>

enum class OperationKind {
    LlmCall,          // (system prompt, formatted input) -> response
    StringFunction,   // deterministic metric with a purpose line; LLM backward only
    Judge,            // LLM call whose system prompt is a rubric: critique and score
    Sum               // joins the per-sample losses of a batch; backward makes no call
};

// One recorded operation of the forward pass. It keeps what the backward pass needs to
// explain the operation to the backward engine: the conversation (for LLM-backed operations)
// or the function's purpose (for metrics).
struct Operation
{
    int id = -1;
    OperationKind kind = OperationKind::LlmCall;
    QString nodeId;
    int sampleIndex = -1;
    QMap<QString, int> inputs;          // port -> variable id
    int output = -1;                    // variable id
    QVector<ChatMessage> conversation;  // messages sent, then the reply as "assistant"
    QString purpose;                    // StringFunction: what the function checks
    double score = 0.0;                 // loss operations: the numeric score
    bool isLoss = false;                // the objective of its sample
};
