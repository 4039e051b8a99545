#pragma once

#include "store/RunRecords.h"

#include <QString>
#include <QVector>

// Keeps the gradients of one variable within a token budget so an optimizer prompt cannot grow
// without limit with the batch size. Tokens are estimated at about four characters each.
struct BoundedGradients
{
    QVector<GradientRecord> kept;
    int total = 0;
    bool bounded = false;   // true when some gradients were left out or shortened
    QString note;           // human-readable account ("kept 5 of 12 gradients, ...")
};

namespace GradientBudget {

int estimateTokens(const QString &text);
// Text the optimizer sees for one gradient (feedback plus the conversation it came from).
QString renderGradient(const GradientRecord &gradient, int index);
// Chooses gradients (seeded, deterministic) until the budget is spent; a single gradient that
// alone exceeds it has its conversation shortened in the middle.
BoundedGradients sample(const QVector<GradientRecord> &gradients, int tokenBudget, quint64 seed);

} // namespace GradientBudget
