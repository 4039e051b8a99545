#pragma once

#include "graph/Rubric.h"

#include <QJsonObject>
#include <QMap>
#include <QPointF>
#include <QString>
#include <QStringList>

#include <optional>

enum class NodeType { Input, Parameter, Llm, Metric, Judge };

QString nodeTypeName(NodeType type);                              // "input", "parameter", ...
std::optional<NodeType> nodeTypeFromName(const QString &name);   // nullopt for unknown types

// Text normalisation applied by metrics before comparing prediction and reference.
struct MetricOptions
{
    bool caseSensitive = false;
    bool normalizeWhitespace = true;  // trim and collapse runs of white space
    bool stripPunctuation = false;    // drop punctuation at both ends of the text
    QString answerPattern;            // regex; if set, the first capture (or whole match) of the
                                      // prediction is compared instead of the whole text

    bool operator==(const MetricOptions &o) const
    {
        return caseSensitive == o.caseSensitive && normalizeWhitespace == o.normalizeWhitespace
            && stripPunctuation == o.stripPunctuation && answerPattern == o.answerPattern;
    }
};

// One node of a pipeline graph, in the shape of the pipeline file.
// "inputs" maps this node's input ports to the ids of the nodes that feed them.
struct PipelineNode
{
    QString id;
    NodeType type = NodeType::Input;
    QString role;            // role description, spliced into backward and optimizer prompts

    // input
    QString field;           // dataset column

    // parameter
    QString value;
    bool trainable = false;
    QStringList constraints; // constraints specific to this parameter

    // llm and judge
    QString engine;
    QString templateText;    // llm: "{question}" style template over the non-system ports
    QMap<QString, QString> inputs;

    // metric
    QString metric;          // exact_match | contains | regex | numeric
    QString pattern;         // regex metric
    double tolerance = 0.0;  // numeric metric: absolute tolerance
    MetricOptions metricOptions;
    QString purpose;         // one line saying what the metric checks; default from the metric kind

    // judge
    Rubric rubric;

    std::optional<QPointF> position;
    QJsonObject extra;       // unknown keys, kept for a lossless round trip

    bool isLlmBacked() const { return type == NodeType::Llm || type == NodeType::Judge; }
    bool isLoss() const { return type == NodeType::Metric || type == NodeType::Judge; }
};
