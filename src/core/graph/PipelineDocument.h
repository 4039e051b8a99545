#pragma once

#include "graph/Pipeline.h"
#include "graph/PipelineIssue.h"
#include "graph/PipelineValidator.h"
#include "graph/PortTypes.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointF>
#include <QSet>
#include <QVector>
#include <optional>

// The pipeline being edited, with an edit API by node id. It lives on the GUI thread: the graph
// scene, the property editors and the undo commands all call it there, and a run copies the
// Pipeline (a value) before moving to its worker.
//
// Every edit emits signals precise enough for a scene to mirror it item by item, then
// re-validates (PipelineValidator is fast on editor-sized graphs) and keeps the issues per node.
// The edit functions are raw model operations: they do not ask canConnect() and do not record
// undo steps. Views push the commands of src/app/commands, which call these.
class PipelineDocument : public QObject {
    Q_OBJECT
public:
    // What removeNode() took out, so that an undo can put back exactly the same file.
    struct RemovedNode {
        int index = -1; // position in Pipeline::nodes
        PipelineNode node; // with its own inputs
        QVector<PipelineEdge> referencing; // inputs of other nodes that named it, in file order
    };

    explicit PipelineDocument(QObject *parent = nullptr);

    // connect() and disconnect() below are edge edits. Without these the names would hide
    // QObject's overloads, and document->disconnect(receiver) would stop compiling.
    using QObject::connect;
    using QObject::disconnect;

    const Pipeline &pipeline() const { return m_pipeline; }
    // Replaces everything (new / open / revert); emits pipelineReset() and clears modified.
    void setPipeline(const Pipeline &pipeline);

    QJsonObject toJson() const;
    bool fromJson(const QJsonObject &json, QVector<PipelineIssue> *issues,
        const QString &baseDir = QString());
    bool loadFile(const QString &path, QVector<PipelineIssue> *issues);
    bool saveFile(const QString &path, QString *error); // clears modified on success
    QString filePath() const { return m_pipeline.sourcePath; }

    const PipelineNode *node(const QString &id) const { return m_pipeline.node(id); }
    bool contains(const QString &id) const { return m_pipeline.indexOf(id) >= 0; }
    QStringList nodeIds() const;
    QVector<PipelineEdge> edges() const; // every entry of every node's inputs, in file order

    // --- nodes
    // Adds a node at index (-1: at the end). Refuses an empty or taken id.
    // Emits nodeAdded, then edgeAdded for each of its inputs.
    bool addNode(const PipelineNode &node, int index = -1);
    // Removes the node and every input of other nodes that named it (edgeRemoved for those,
    // then for its own inputs, then nodeRemoved). The objective is left as is: it becomes a
    // pipeline-level issue, and undo needs nothing more to restore it.
    std::optional<RemovedNode> removeNode(const QString &id);
    // Property edit: node.id must be id (renameNode changes ids). Emits edgeRemoved/edgeAdded
    // for inputs that changed, nodeMoved if the position changed, then nodeChanged.
    bool setNode(const QString &id, const PipelineNode &node);
    // Changes an id and every reference to it (other nodes' inputs, the objective). Refuses a
    // new id that is empty, taken by a node or already referenced (a dangling input naming it
    // would silently connect, and undoing the rename could not tell the two apart).
    // Emits nodeRenamed; edges keep their endpoints, so the scene re-keys its edge items.
    bool renameNode(const QString &oldId, const QString &newId);
    bool moveNode(const QString &id, const QPointF &position);
    // As moveNode, but can also take the position away (a node from a file that had none).
    bool setPosition(const QString &id, const std::optional<QPointF> &position);

    // --- edges
    // target.inputs[port] = source; replaces an existing source (edgeRemoved then edgeAdded).
    // The source need not exist (restoring a dangling input). Returns the previous source,
    // empty if the port was free; nullopt if the target does not exist.
    std::optional<QString> connect(
        const QString &targetId, const QString &port, const QString &sourceId);
    // Returns the source the port had (empty: it had none); nullopt if the target does not exist.
    std::optional<QString> disconnect(const QString &targetId, const QString &port);

    // --- pipeline settings
    void setEngine(const QString &name, const EngineConfig &engine); // adds or replaces
    bool removeEngine(const QString &name);
    void setObjective(const QString &id);
    void setBackwardEngine(const QString &name);
    void setOptimizer(const OptimizerSettings &settings);
    void setInfo(const QString &name, const QString &description);

    // --- ports and connection rules
    static NodePorts ports(const PipelineNode &node) { return Ports::of(node); }
    // Whether the editor may connect source -> target.port: both exist, not a self-loop, the
    // port exists (or the target accepts new ones), the types match, and no cycle would result.
    // why, if given, says what is wrong in a sentence for a tooltip.
    bool canConnect(const QString &sourceId, const QString &targetId, const QString &port,
        QString *why = nullptr) const;
    // Whether target depends on source, directly or not.
    bool dependsOn(const QString &targetId, const QString &sourceId) const;

    // A free id: base, base_2, base_3, ... that no node has and nothing refers to.
    // alsoTaken: ids reserved by the caller (a paste allocating several at once).
    QString uniqueId(const QString &base, const QSet<QString> &alsoTaken = {}) const;
    bool isIdReferenced(const QString &id) const;

    // --- validation
    const QVector<PipelineIssue> &issues() const { return m_issues; }
    QVector<PipelineIssue> issuesFor(const QString &nodeId) const
    {
        return m_issuesByNode.value(nodeId);
    }
    QVector<PipelineIssue> pipelineIssues() const { return m_issuesByNode.value(QString()); }
    QString issueText(const QString &nodeId) const; // one message per line, for hover
    void setValidationUse(PipelineValidator::Use use); // re-validates

    // --- modified state: every edit sets it; saving, loading and setModified(false) clear it.
    // With an undo stack, connect QUndoStack::cleanChanged to setModified(!clean).
    bool isModified() const { return m_modified; }
    void setModified(bool modified);

Q_SIGNALS:
    void pipelineReset();
    void nodeAdded(const QString &id);
    void nodeRemoved(const QString &id);
    void nodeChanged(const QString &id);
    void nodeRenamed(const QString &oldId, const QString &newId);
    void nodeMoved(const QString &id, const QPointF &position);
    void edgeAdded(const QString &targetId, const QString &port, const QString &sourceId);
    void edgeRemoved(const QString &targetId, const QString &port, const QString &sourceId);
    void enginesChanged();
    void settingsChanged(); // objective, backward engine, optimizer, name, description
    void issuesChanged();
    void modifiedChanged(bool modified);

private:
    void edited(); // after every edit: modified, validation
    void revalidate();

    Pipeline m_pipeline;
    QVector<PipelineIssue> m_issues;
    QHash<QString, QVector<PipelineIssue>> m_issuesByNode;
    PipelineValidator::Use m_validationUse = PipelineValidator::Use::Optimize;
    bool m_modified = false;
};
