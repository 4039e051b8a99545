#pragma once

#include "autograd/Operation.h"
#include "autograd/Variable.h"

#include <QMutex>
#include <QVector>

// The graph recorded during the forward pass of one step. Samples of a batch are recorded
// concurrently from worker threads, so every access goes through the lock and reads return
// copies. Within one sample, operations are added in execution (topological) order, which the
// backward pass relies on.
class ComputationGraph
{
public:
    int addVariable(Variable variable);            // returns its id
    int addOperation(Operation operation);         // returns its id; sets the output's producer
    void addGradient(int variableId, const GradientRecord &gradient);

    Variable variable(int id) const;
    Operation operation(int id) const;
    int variableCount() const;
    int operationCount() const;

    // Operations of one sample in reverse execution order: the order of its backward pass.
    QVector<Operation> reverseOperations(int sampleIndex) const;
    // Every operation, in the order recorded.
    QVector<Operation> operations() const;
    // Ids of the variables of a node (one per sample, or one shared).
    QVector<int> variablesOfNode(const QString &nodeId) const;

    // Gradients a variable received, ordered by (sample, source node, target) so that the
    // optimizer sees the same text whatever order the worker threads finished in.
    QVector<GradientRecord> sortedGradients(int variableId) const;

private:
    mutable QMutex m_mutex;
    QVector<Variable> m_variables;
    QVector<Operation> m_operations;
};
