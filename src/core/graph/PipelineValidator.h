#pragma once

#include "graph/Pipeline.h"
#include "graph/PipelineIssue.h"

#include <QStringList>
#include <QVector>

// Checks a loaded pipeline for graph problems: duplicate ids, dangling inputs, cycles, missing
// or unknown engines, template placeholders with no input (and inputs no placeholder uses),
// metric settings, the objective, trainable parameters, judges without criteria.
namespace PipelineValidator {

// What the pipeline is about to be used for: scoring it as written (eval) needs no trainable
// parameter and no backward engine.
enum class Use { Optimize, Evaluate };

QVector<PipelineIssue> validate(const Pipeline &pipeline, Use use = Use::Optimize);
bool hasErrors(const QVector<PipelineIssue> &issues);

// Node ids in an order where every node comes after the nodes that feed it.
// Returns false (and leaves order partial) when there is a cycle; cycleNodes then names it.
bool topologicalOrder(const Pipeline &pipeline, QStringList *order, QStringList *cycleNodes = nullptr);

// Ids of the objective and everything it depends on, in topological order.
QStringList objectiveClosure(const Pipeline &pipeline);

} // namespace PipelineValidator
