#include "graph/PortTypes.h"

#include "graph/PromptTemplate.h"

using namespace Qt::StringLiterals;

QString portTypeName(PortType type)
{
    switch (type) {
    case PortType::Text:
        return u"text"_s;
    case PortType::Prompt:
        return u"prompt"_s;
    case PortType::Score:
        return u"score"_s;
    case PortType::Any:
        return u"any"_s;
    }
    return QString();
}

bool portAccepts(PortType port, PortType source)
{
    if (port == PortType::Any)
        return true;
    if (source == PortType::Score)
        return false;
    return source == PortType::Text || source == PortType::Prompt || source == PortType::Any;
}

int NodePorts::indexOf(const QString &name) const
{
    for (int i = 0; i < inputs.size(); ++i) {
        if (inputs[i].name == name)
            return i;
    }
    return -1;
}

namespace Ports {

PortType outputType(NodeType type)
{
    switch (type) {
    case NodeType::Input:
    case NodeType::Llm:
        return PortType::Text;
    case NodeType::Parameter:
        return PortType::Prompt;
    case NodeType::Metric:
    case NodeType::Judge:
        return PortType::Score;
    }
    return PortType::Text;
}

NodePorts of(const PipelineNode &node)
{
    NodePorts ports;
    ports.output = outputType(node.type);
    switch (node.type) {
    case NodeType::Input:
    case NodeType::Parameter:
        break;
    case NodeType::Llm: {
        ports.inputs.append({ u"system"_s, PortType::Prompt, false, false });
        const QStringList names = PromptTemplate::placeholders(node.templateText);
        if (node.templateText.isEmpty()) {
            // Without a template every non-system input is listed in the user message, so each
            // existing input is a used port.
            for (auto it = node.inputs.begin(); it != node.inputs.end(); ++it) {
                if (it.key() != u"system"_s)
                    ports.inputs.append({ it.key(), PortType::Text, true, false });
            }
            ports.acceptsNewPorts = true;
        }
        for (const QString &name : names) {
            if (name != u"system"_s)
                ports.inputs.append({ name, PortType::Text, true, false });
        }
        break;
    }
    case NodeType::Metric:
        ports.inputs.append({ u"prediction"_s, PortType::Text, true, false });
        ports.inputs.append({ u"reference"_s, PortType::Text, true, false });
        break;
    case NodeType::Judge:
        for (auto it = node.inputs.begin(); it != node.inputs.end(); ++it)
            ports.inputs.append({ it.key(), PortType::Any, true, false });
        ports.acceptsNewPorts = true;
        break;
    }
    // Edges the node type ignores are still edges of the file: list them so they can be seen
    // and removed rather than hidden.
    for (auto it = node.inputs.begin(); it != node.inputs.end(); ++it) {
        if (ports.indexOf(it.key()) < 0)
            ports.inputs.append({ it.key(), PortType::Any, false, true });
    }
    return ports;
}

QString newPortName(const PipelineNode &node, const QString &base)
{
    const QString stem = base.isEmpty() ? u"input"_s : base;
    const NodePorts ports = of(node);
    if (ports.indexOf(stem) < 0)
        return stem;
    for (int n = 2;; ++n) {
        const QString candidate = stem + u'_' + QString::number(n);
        if (ports.indexOf(candidate) < 0)
            return candidate;
    }
}

} // namespace Ports
