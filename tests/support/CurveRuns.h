#pragma once

#include <QString>
#include <QVector>

class RunStore;

// Real runs for the curve and comparison tests: the Trainer against a ScriptedClient on the
// arithmetic pipeline, priced as gpt-4o-mini (student) and gpt-4o (teacher) with the built-in
// price table, so cost and tokens are real figures.
//
// The world is graded: the optimizer's proposal at step s sets "Level levels[s-1]" in the
// prompt, and the assistant answers a+b right when a % 4 < level (level 1 without a Level).
// Validation has 8 rows (scores 0.25 per level), test 4 rows, training 6 rows in batches of 3;
// gating is revert-if-worse, so a lower level is rejected. stopWhenPerfect is off.
namespace CurveRuns {

// Returns the run id, or "" with *error set.
QString gradedRun(RunStore &store, const QVector<int> &levels, QString *error = nullptr);
// The level the graded world reads from a system prompt.
int levelOf(const QString &systemPrompt);

} // namespace CurveRuns
