#include "graph/PipelineDocument.h"

#include "graph/PipelineJson.h"

using namespace Qt::StringLiterals;

namespace {

bool sameIssue(const PipelineIssue &a, const PipelineIssue &b)
{
    return a.severity == b.severity && a.nodeId == b.nodeId && a.message == b.message;
}

bool sameIssues(const QVector<PipelineIssue> &a, const QVector<PipelineIssue> &b)
{
    if (a.size() != b.size())
        return false;
    for (int i = 0; i < a.size(); ++i) {
        if (!sameIssue(a[i], b[i]))
            return false;
    }
    return true;
}

} // namespace

PipelineDocument::PipelineDocument(QObject *parent)
    : QObject(parent)
{
    revalidate();
}

void PipelineDocument::setPipeline(const Pipeline &pipeline)
{
    m_pipeline = pipeline;
    Q_EMIT pipelineReset();
    revalidate();
    setModified(false);
}

QJsonObject PipelineDocument::toJson() const
{
    return PipelineJson::toJson(m_pipeline);
}

bool PipelineDocument::fromJson(
    const QJsonObject &json, QVector<PipelineIssue> *issues, const QString &baseDir)
{
    Pipeline p;
    if (!PipelineJson::fromJson(json, &p, issues, baseDir))
        return false;
    setPipeline(p);
    return true;
}

bool PipelineDocument::loadFile(const QString &path, QVector<PipelineIssue> *issues)
{
    Pipeline p;
    if (!PipelineJson::loadFile(path, &p, issues))
        return false;
    setPipeline(p);
    return true;
}

bool PipelineDocument::saveFile(const QString &path, QString *error)
{
    if (!PipelineJson::saveFile(path, m_pipeline, error))
        return false;
    m_pipeline.sourcePath = path;
    setModified(false);
    return true;
}

QStringList PipelineDocument::nodeIds() const
{
    QStringList ids;
    ids.reserve(m_pipeline.nodes.size());
    for (const PipelineNode &n : m_pipeline.nodes)
        ids << n.id;
    return ids;
}

QVector<PipelineEdge> PipelineDocument::edges() const
{
    QVector<PipelineEdge> all;
    for (const PipelineNode &n : m_pipeline.nodes) {
        for (auto it = n.inputs.begin(); it != n.inputs.end(); ++it)
            all.append({ n.id, it.key(), it.value() });
    }
    return all;
}

bool PipelineDocument::addNode(const PipelineNode &node, int index)
{
    if (node.id.isEmpty() || contains(node.id))
        return false;
    if (index < 0 || index > m_pipeline.nodes.size())
        index = int(m_pipeline.nodes.size());
    m_pipeline.nodes.insert(index, node);
    Q_EMIT nodeAdded(node.id);
    for (auto it = node.inputs.begin(); it != node.inputs.end(); ++it)
        Q_EMIT edgeAdded(node.id, it.key(), it.value());
    edited();
    return true;
}

std::optional<PipelineDocument::RemovedNode> PipelineDocument::removeNode(const QString &id)
{
    const int index = m_pipeline.indexOf(id);
    if (index < 0)
        return std::nullopt;
    RemovedNode removed;
    removed.index = index;
    removed.node = m_pipeline.nodes[index];
    for (PipelineNode &other : m_pipeline.nodes) {
        if (other.id == id)
            continue;
        for (auto it = other.inputs.begin(); it != other.inputs.end();) {
            if (it.value() == id) {
                removed.referencing.append({ other.id, it.key(), id });
                it = other.inputs.erase(it);
            } else {
                ++it;
            }
        }
    }
    m_pipeline.nodes.remove(index);
    for (const PipelineEdge &e : std::as_const(removed.referencing))
        Q_EMIT edgeRemoved(e.target, e.port, e.source);
    for (auto it = removed.node.inputs.begin(); it != removed.node.inputs.end(); ++it)
        Q_EMIT edgeRemoved(id, it.key(), it.value());
    Q_EMIT nodeRemoved(id);
    edited();
    return removed;
}

bool PipelineDocument::setNode(const QString &id, const PipelineNode &node)
{
    PipelineNode *current = m_pipeline.node(id);
    if (!current || node.id != id)
        return false;
    const PipelineNode before = *current;
    *current = node;
    for (auto it = before.inputs.begin(); it != before.inputs.end(); ++it) {
        const auto now = node.inputs.constFind(it.key());
        if (now == node.inputs.constEnd() || *now != it.value())
            Q_EMIT edgeRemoved(id, it.key(), it.value());
    }
    for (auto it = node.inputs.begin(); it != node.inputs.end(); ++it) {
        const auto was = before.inputs.constFind(it.key());
        if (was == before.inputs.constEnd() || *was != it.value())
            Q_EMIT edgeAdded(id, it.key(), it.value());
    }
    if (before.position != node.position)
        Q_EMIT nodeMoved(id, node.position.value_or(QPointF()));
    Q_EMIT nodeChanged(id);
    edited();
    return true;
}

bool PipelineDocument::renameNode(const QString &oldId, const QString &newId)
{
    PipelineNode *n = m_pipeline.node(oldId);
    if (!n || newId.isEmpty() || newId == oldId || contains(newId) || isIdReferenced(newId))
        return false;
    n->id = newId;
    for (PipelineNode &other : m_pipeline.nodes) {
        for (auto it = other.inputs.begin(); it != other.inputs.end(); ++it) {
            if (it.value() == oldId)
                it.value() = newId;
        }
    }
    const bool objective = m_pipeline.objective == oldId;
    if (objective)
        m_pipeline.objective = newId;
    Q_EMIT nodeRenamed(oldId, newId);
    if (objective)
        Q_EMIT settingsChanged();
    edited();
    return true;
}

bool PipelineDocument::moveNode(const QString &id, const QPointF &position)
{
    return setPosition(id, position);
}

bool PipelineDocument::setPosition(const QString &id, const std::optional<QPointF> &position)
{
    PipelineNode *n = m_pipeline.node(id);
    if (!n)
        return false;
    if (n->position == position)
        return true;
    n->position = position;
    Q_EMIT nodeMoved(id, position.value_or(QPointF()));
    // A position is no graph property, so validation is skipped; the file still changed.
    setModified(true);
    return true;
}

std::optional<QString> PipelineDocument::connect(
    const QString &targetId, const QString &port, const QString &sourceId)
{
    PipelineNode *target = m_pipeline.node(targetId);
    if (!target || port.isEmpty() || sourceId.isEmpty())
        return std::nullopt;
    const QString previous = target->inputs.value(port);
    if (previous == sourceId)
        return previous;
    target->inputs.insert(port, sourceId);
    if (!previous.isEmpty())
        Q_EMIT edgeRemoved(targetId, port, previous);
    Q_EMIT edgeAdded(targetId, port, sourceId);
    edited();
    return previous;
}

std::optional<QString> PipelineDocument::disconnect(const QString &targetId, const QString &port)
{
    PipelineNode *target = m_pipeline.node(targetId);
    if (!target)
        return std::nullopt;
    const QString previous = target->inputs.take(port);
    if (!previous.isEmpty()) {
        Q_EMIT edgeRemoved(targetId, port, previous);
        edited();
    }
    return previous;
}

void PipelineDocument::setEngine(const QString &name, const EngineConfig &engine)
{
    EngineConfig e = engine;
    e.name = name;
    const auto it = m_pipeline.engines.constFind(name);
    if (it != m_pipeline.engines.constEnd() && *it == e)
        return;
    m_pipeline.engines.insert(name, e);
    Q_EMIT enginesChanged();
    edited();
}

bool PipelineDocument::removeEngine(const QString &name)
{
    if (!m_pipeline.engines.remove(name))
        return false;
    Q_EMIT enginesChanged();
    edited();
    return true;
}

void PipelineDocument::setObjective(const QString &id)
{
    if (m_pipeline.objective == id)
        return;
    m_pipeline.objective = id;
    Q_EMIT settingsChanged();
    edited();
}

void PipelineDocument::setBackwardEngine(const QString &name)
{
    if (m_pipeline.backwardEngine == name)
        return;
    m_pipeline.backwardEngine = name;
    Q_EMIT settingsChanged();
    edited();
}

void PipelineDocument::setOptimizer(const OptimizerSettings &settings)
{
    m_pipeline.optimizer = settings;
    Q_EMIT settingsChanged();
    edited();
}

void PipelineDocument::setInfo(const QString &name, const QString &description)
{
    if (m_pipeline.name == name && m_pipeline.description == description)
        return;
    m_pipeline.name = name;
    m_pipeline.description = description;
    Q_EMIT settingsChanged();
    edited();
}

bool PipelineDocument::canConnect(
    const QString &sourceId, const QString &targetId, const QString &port, QString *why) const
{
    auto refuse = [why](const QString &message) {
        if (why)
            *why = message;
        return false;
    };
    const PipelineNode *source = node(sourceId);
    const PipelineNode *target = node(targetId);
    if (!source)
        return refuse(u"there is no node \""_s + sourceId + u"\""_s);
    if (!target)
        return refuse(u"there is no node \""_s + targetId + u"\""_s);
    if (sourceId == targetId)
        return refuse(u"a node cannot feed itself"_s);
    if (port.isEmpty())
        return refuse(u"the port needs a name"_s);
    const NodePorts targetPorts = ports(*target);
    const int p = targetPorts.indexOf(port);
    if (p < 0 && !targetPorts.acceptsNewPorts)
        return refuse(u"node \""_s + targetId + u"\" has no port \""_s + port + u"\""_s);
    // An ignored input (an llm input no placeholder names, inputs of an input node) may be
    // removed, but wiring into it would do nothing.
    if (p >= 0 && targetPorts.inputs[p].unused)
        return refuse(u"node \""_s + targetId + u"\" does not use port \""_s + port + u"\""_s);
    const PortType portType = p >= 0
        ? targetPorts.inputs[p].type
        : (target->type == NodeType::Judge ? PortType::Any : PortType::Text);
    const PortType sourceType = Ports::outputType(source->type);
    if (!portAccepts(portType, sourceType))
        return refuse(u"port \""_s + port + u"\" takes "_s + portTypeName(portType) + u", but \""_s
            + sourceId + u"\" gives "_s + portTypeName(sourceType));
    if (dependsOn(sourceId, targetId))
        return refuse(u"\""_s + sourceId + u"\" already depends on \""_s + targetId
            + u"\": the edge would make a cycle"_s);
    return true;
}

bool PipelineDocument::dependsOn(const QString &targetId, const QString &sourceId) const
{
    // Walk the inputs upstream from target; graphs in an editor are small.
    QSet<QString> seen;
    QStringList stack { targetId };
    while (!stack.isEmpty()) {
        const QString id = stack.takeLast();
        const PipelineNode *n = node(id);
        if (!n)
            continue;
        for (const QString &src : n->inputs) {
            if (src == sourceId)
                return true;
            if (!seen.contains(src)) {
                seen.insert(src);
                stack << src;
            }
        }
    }
    return false;
}

QString PipelineDocument::uniqueId(const QString &base, const QSet<QString> &alsoTaken) const
{
    const QString stem = base.isEmpty() ? u"node"_s : base;
    auto taken = [&](const QString &id) {
        return contains(id) || isIdReferenced(id) || alsoTaken.contains(id);
    };
    if (!taken(stem))
        return stem;
    for (int n = 2;; ++n) {
        const QString candidate = stem + u'_' + QString::number(n);
        if (!taken(candidate))
            return candidate;
    }
}

bool PipelineDocument::isIdReferenced(const QString &id) const
{
    if (m_pipeline.objective == id)
        return true;
    for (const PipelineNode &n : m_pipeline.nodes) {
        for (const QString &src : n.inputs) {
            if (src == id)
                return true;
        }
    }
    return false;
}

QString PipelineDocument::issueText(const QString &nodeId) const
{
    QStringList lines;
    for (const PipelineIssue &issue : m_issuesByNode.value(nodeId)) {
        lines << (issue.severity == PipelineIssue::Severity::Error ? u"Error: "_s : u"Warning: "_s)
                + issue.message;
    }
    return lines.join(u'\n');
}

void PipelineDocument::setValidationUse(PipelineValidator::Use use)
{
    m_validationUse = use;
    revalidate();
}

void PipelineDocument::setModified(bool modified)
{
    if (m_modified == modified)
        return;
    m_modified = modified;
    Q_EMIT modifiedChanged(modified);
}

void PipelineDocument::edited()
{
    revalidate();
    setModified(true);
}

void PipelineDocument::revalidate()
{
    QVector<PipelineIssue> issues = PipelineValidator::validate(m_pipeline, m_validationUse);
    if (sameIssues(issues, m_issues))
        return;
    m_issues = std::move(issues);
    m_issuesByNode.clear();
    for (const PipelineIssue &issue : std::as_const(m_issues))
        m_issuesByNode[issue.nodeId].append(issue);
    Q_EMIT issuesChanged();
}
