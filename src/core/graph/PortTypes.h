#pragma once

#include "graph/PipelineNode.h"

#include <QString>
#include <QVector>

// What travels along an edge, for the editor. Every value is text at run time; the types only
// keep an evaluation (a metric's or judge's critique) from being wired into a generation or a
// comparison by mistake, and give ports their colour. Files that do so still load and run.
enum class PortType {
    Text, // a dataset cell or an LLM reply
    Prompt, // a parameter's text (instructions, system prompts)
    Score, // a metric's or judge's evaluation (score plus critique)
    Any, // judge ports: the judge may be shown anything, including another evaluation
};

QString portTypeName(PortType type); // "text", "prompt", "score", "any"

// Whether a port of type `port` takes the output of a node of type `source`.
// Text and Prompt are interchangeable (a parameter may fill a placeholder, a generated text
// may be a system prompt); Score goes only into Any.
bool portAccepts(PortType port, PortType source);

struct NodePort {
    QString name;
    PortType type = PortType::Text;
    bool required = false;
    // The port is in "inputs" but the node type does not use it (an llm input no placeholder
    // names, an input node's inputs): listed so the editor can still draw and remove its edge.
    bool unused = false;
};

struct NodePorts {
    QVector<NodePort> inputs; // in display order
    PortType output = PortType::Text;
    bool acceptsNewPorts = false; // judge: any port name may be connected
    int indexOf(const QString &name) const;
};

// One edge of the graph: target.inputs[port] == source.
struct PipelineEdge {
    QString target;
    QString port;
    QString source;

    bool operator==(const PipelineEdge &o) const
    {
        return target == o.target && port == o.port && source == o.source;
    }
    bool operator!=(const PipelineEdge &o) const { return !(*this == o); }
};

namespace Ports {

PortType outputType(NodeType type);
// The node's input ports: llm has "system" (Prompt) and one Text port per template
// placeholder; metric has prediction and reference; judge has one Any port per input;
// input and parameter have none. Inputs already present but unused come last.
NodePorts of(const PipelineNode &node);
// A name for a new port on a node that accepts new ports: base, base_2, ...
QString newPortName(const PipelineNode &node, const QString &base);

} // namespace Ports
