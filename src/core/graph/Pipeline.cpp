#include "graph/Pipeline.h"

const PipelineNode *Pipeline::node(const QString &id) const
{
    const int i = indexOf(id);
    return i < 0 ? nullptr : &nodes[i];
}

PipelineNode *Pipeline::node(const QString &id)
{
    const int i = indexOf(id);
    return i < 0 ? nullptr : &nodes[i];
}

int Pipeline::indexOf(const QString &id) const
{
    for (int i = 0; i < nodes.size(); ++i) {
        if (nodes[i].id == id)
            return i;
    }
    return -1;
}

QStringList Pipeline::trainableIds() const
{
    QStringList ids;
    for (const PipelineNode &n : nodes) {
        if (n.type == NodeType::Parameter && n.trainable)
            ids << n.id;
    }
    return ids;
}

QStringList Pipeline::inputFields() const
{
    QStringList fields;
    for (const PipelineNode &n : nodes) {
        if (n.type == NodeType::Input && !n.field.isEmpty() && !fields.contains(n.field))
            fields << n.field;
    }
    return fields;
}

bool Pipeline::isTestTime() const
{
    for (const PipelineNode &n : nodes) {
        if (n.type == NodeType::Input)
            return false;
    }
    return true;
}

QString Pipeline::optimizerEngine() const
{
    return optimizer.engine.isEmpty() ? backwardEngine : optimizer.engine;
}
