#pragma once

#include "graph/PipelineNode.h"

#include <QString>

// The deterministic, string-based losses. Each returns a score in [0, 1] and a sentence that
// explains it; that sentence is the "evaluation" the backward pass criticises against.
struct MetricResult
{
    double score = 0.0;
    QString explanation;   // e.g. "prediction \"41\" does not equal reference \"42\" (score 0)"
    QString error;         // set when the metric cannot run (bad regex); score is then 0
};

namespace Metrics {

QStringList kinds();   // exact_match, contains, regex, numeric
MetricResult evaluate(const PipelineNode &metricNode, const QString &prediction,
                      const QString &reference);
// The one-line purpose shown to the backward engine: node.purpose, or a default per kind.
QString purpose(const PipelineNode &metricNode);
// Normalisation as the options ask (case, white space, punctuation, answerPattern extraction).
QString normalize(const QString &text, const MetricOptions &options, bool isPrediction);

} // namespace Metrics
