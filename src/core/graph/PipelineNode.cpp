#include "graph/PipelineNode.h"

using namespace Qt::StringLiterals;

QString nodeTypeName(NodeType type)
{
    switch (type) {
    case NodeType::Input: return u"input"_s;
    case NodeType::Parameter: return u"parameter"_s;
    case NodeType::Llm: return u"llm"_s;
    case NodeType::Metric: return u"metric"_s;
    case NodeType::Judge: return u"judge"_s;
    }
    return QString();
}

std::optional<NodeType> nodeTypeFromName(const QString &name)
{
    for (NodeType t : { NodeType::Input, NodeType::Parameter, NodeType::Llm, NodeType::Metric,
                        NodeType::Judge }) {
        if (nodeTypeName(t) == name)
            return t;
    }
    return std::nullopt;
}
