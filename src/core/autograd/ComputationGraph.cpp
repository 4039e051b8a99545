#include "autograd/ComputationGraph.h"

#include <QMutexLocker>

#include <algorithm>

int ComputationGraph::addVariable(Variable variable)
{
    QMutexLocker lock(&m_mutex);
    variable.id = m_variables.size();
    m_variables.append(variable);
    return variable.id;
}

int ComputationGraph::addOperation(Operation operation)
{
    QMutexLocker lock(&m_mutex);
    operation.id = m_operations.size();
    if (operation.output >= 0 && operation.output < m_variables.size())
        m_variables[operation.output].producer = operation.id;
    m_operations.append(operation);
    return operation.id;
}

void ComputationGraph::addGradient(int variableId, const GradientRecord &gradient)
{
    QMutexLocker lock(&m_mutex);
    if (variableId >= 0 && variableId < m_variables.size())
        m_variables[variableId].gradients.append(gradient);
}

Variable ComputationGraph::variable(int id) const
{
    QMutexLocker lock(&m_mutex);
    return (id >= 0 && id < m_variables.size()) ? m_variables.at(id) : Variable();
}

Operation ComputationGraph::operation(int id) const
{
    QMutexLocker lock(&m_mutex);
    return (id >= 0 && id < m_operations.size()) ? m_operations.at(id) : Operation();
}

int ComputationGraph::variableCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_variables.size();
}

int ComputationGraph::operationCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_operations.size();
}

QVector<Operation> ComputationGraph::reverseOperations(int sampleIndex) const
{
    QMutexLocker lock(&m_mutex);
    QVector<Operation> result;
    for (auto it = m_operations.crbegin(); it != m_operations.crend(); ++it) {
        if (it->sampleIndex == sampleIndex)
            result.append(*it);
    }
    return result;
}

QVector<Operation> ComputationGraph::operations() const
{
    QMutexLocker lock(&m_mutex);
    return m_operations;
}

QVector<int> ComputationGraph::variablesOfNode(const QString &nodeId) const
{
    QMutexLocker lock(&m_mutex);
    QVector<int> ids;
    for (const Variable &v : m_variables) {
        if (v.nodeId == nodeId)
            ids.append(v.id);
    }
    return ids;
}

QVector<GradientRecord> ComputationGraph::sortedGradients(int variableId) const
{
    QVector<GradientRecord> grads = variable(variableId).gradients;
    std::stable_sort(grads.begin(), grads.end(), [](const GradientRecord &a, const GradientRecord &b) {
        if (a.sampleIndex != b.sampleIndex)
            return a.sampleIndex < b.sampleIndex;
        if (a.sourceNode != b.sourceNode)
            return a.sourceNode < b.sourceNode;
        return a.targetNode < b.targetNode;
    });
    return grads;
}
