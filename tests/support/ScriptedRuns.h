#pragma once

#include "training/Trainer.h"

#include <QString>

class RunStore;

// Complete runs recorded in a store by the real Trainer against a ScriptedClient, for the
// results matrix, report and export tests. Deterministic in the requests alone.
namespace ScriptedRuns {

// The arithmetic pipeline with validation gating (revert-if-worse), 6 train, 5 validation and
// 3 test rows. The student answers right when its system prompt says "carefully", or when the
// first operand is even unless the prompt says "sloppy", and always when it is a multiple of 4;
// it is always wrong when the first operand is a multiple of 5. The optimizer proposes
// "...sloppy..." at step 1 (rejected: validation 0.4 -> 0.2) and "...carefully..." from step 2
// on (validation 0.8, accepted; later steps propose the same text, so no validation runs).
// Validation operands are 101..105, test operands 201..203.
//
// The engines point at api.openai.com (never contacted) so that, with pricedTable() active,
// every call has a known, non-zero cost.
RunOutcome gatedArithmetic(RunStore *store);

// Prices student-model and teacher-model on api.openai.com at $1 / $2 per million prompt /
// completion tokens. Activate it (PriceTable::setActive) before running.
void activateTestPrices();

inline const char *kSloppyPrompt = "You are an arithmetic assistant. Be sloppy.";
inline const char *kCarefulPrompt = "You are an arithmetic assistant. Work carefully.";

} // namespace ScriptedRuns
