#include "graph/PipelineValidator.h"

#include "graph/PromptTemplate.h"
#include "metrics/Metrics.h"
#include "prompts/PromptLibrary.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <functional>
#include <queue>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

QString quoted(const QString &s)
{
    return u"\""_s + s + u"\""_s;
}

class Checker
{
public:
    Checker(const Pipeline &p, PipelineValidator::Use use) : m_p(p), m_use(use) {}

    QVector<PipelineIssue> run()
    {
        checkIds();
        checkEngines();
        for (const PipelineNode &n : m_p.nodes)
            checkNode(n);
        checkCycle();
        checkObjective();
        // Scoring a pipeline as written needs no trainable parameter and no feedback engine.
        if (m_use == PipelineValidator::Use::Optimize)
            checkTraining();
        checkOptimizer();
        checkPromptNames();
        return m_issues;
    }

private:
    void error(const QString &nodeId, const QString &message)
    {
        m_issues.append({ PipelineIssue::Severity::Error, nodeId, message });
    }
    void warning(const QString &nodeId, const QString &message)
    {
        m_issues.append({ PipelineIssue::Severity::Warning, nodeId, message });
    }

    void checkIds()
    {
        QHash<QString, int> seen;
        for (int i = 0; i < m_p.nodes.size(); ++i) {
            const QString &id = m_p.nodes[i].id;
            if (id.trimmed().isEmpty()) {
                error(QString(), u"node "_s + QString::number(i + 1)
                                     + u" has an empty \"id\"; every node needs a unique id"_s);
                continue;
            }
            if (seen.contains(id))
                error(id, u"duplicate id: nodes "_s + QString::number(seen.value(id) + 1)
                              + u" and "_s + QString::number(i + 1) + u" are both called "_s
                              + quoted(id));
            else
                seen.insert(id, i);
        }
    }

    void checkEngines()
    {
        const QStringList providers = knownProviders();
        for (const EngineConfig &e : m_p.engines) {
            const QString where = u"engine "_s + quoted(e.name) + u": "_s;
            if (e.provider.isEmpty()) {
                error(QString(), where + u"no \"provider\" (one of "_s
                                     + providers.join(u", "_s) + u")"_s);
            } else if (!providers.contains(e.provider)) {
                error(QString(), where + u"unknown provider "_s + quoted(e.provider)
                                     + u" (known: "_s + providers.join(u", "_s) + u")"_s);
            } else if (e.baseUrl.isEmpty() && defaultBaseUrl(e.provider).isEmpty()) {
                error(QString(), where + u"provider "_s + quoted(e.provider)
                                     + u" has no default address; set \"baseUrl\""_s);
            }
            if (e.provider == u"azure-openai" && e.deployment.trimmed().isEmpty())
                error(QString(), where + u"provider \"azure-openai\" needs \"deployment\" "
                                         "(the deployment name in the Azure resource)"_s);
            if (e.stream && e.provider == u"gemini")
                warning(QString(), where + u"\"stream\" is not supported for gemini yet; replies come whole"_s);
            if (e.model.trimmed().isEmpty())
                error(QString(), where + u"no \"model\""_s);
            if (e.temperature && (*e.temperature < 0 || *e.temperature > 2))
                error(QString(), where + u"\"temperature\" must be between 0 and 2"_s);
            if (e.topP && (*e.topP <= 0 || *e.topP > 1))
                error(QString(), where + u"\"topP\" must be in (0, 1]"_s);
            if (e.maxTokens && *e.maxTokens < 1)
                error(QString(), where + u"\"maxTokens\" must be at least 1"_s);
            if (e.timeoutSeconds <= 0 || e.inactivitySeconds <= 0)
                error(QString(), where + u"\"timeoutSeconds\" and \"inactivitySeconds\" must be positive"_s);
            if (e.maxRetries < 0)
                error(QString(), where + u"\"maxRetries\" must not be negative"_s);
        }
    }

    void checkEngineRef(const PipelineNode &n)
    {
        if (n.engine.isEmpty())
            error(n.id, nodeTypeName(n.type) + u" node has no \"engine\""_s);
        else if (!m_p.engines.contains(n.engine))
            error(n.id, u"engine "_s + quoted(n.engine) + u" is not defined in \"engines\""_s);
    }

    void checkRegex(const PipelineNode &n, const QString &key, const QString &pattern)
    {
        const QRegularExpression re(pattern);
        if (!re.isValid())
            error(n.id, u"\""_s + key + u"\" is not a valid regular expression ("_s
                            + re.errorString() + u" at offset "_s
                            + QString::number(re.patternErrorOffset()) + u")"_s);
    }

    void checkNode(const PipelineNode &n)
    {
        for (auto it = n.inputs.begin(); it != n.inputs.end(); ++it) {
            if (it.value().isEmpty())
                error(n.id, u"input "_s + quoted(it.key()) + u" names no node"_s);
            else if (m_p.indexOf(it.value()) < 0)
                error(n.id, u"input "_s + quoted(it.key()) + u" refers to unknown node "_s
                                + quoted(it.value()));
        }

        switch (n.type) {
        case NodeType::Input:
            if (n.field.trimmed().isEmpty())
                error(n.id, u"input node has no \"field\" (the dataset column it reads)"_s);
            if (!n.inputs.isEmpty())
                warning(n.id, u"input nodes read the dataset; their \"inputs\" are ignored"_s);
            break;
        case NodeType::Parameter:
            if (n.trainable && n.role.trimmed().isEmpty())
                warning(n.id, u"trainable parameter has no \"role\"; the optimizer rewrites it "
                              "better when it knows what the text is for"_s);
            if (!n.inputs.isEmpty())
                warning(n.id, u"parameter nodes hold a value; their \"inputs\" are ignored"_s);
            break;
        case NodeType::Llm: {
            checkEngineRef(n);
            const QStringList names = PromptTemplate::placeholders(n.templateText);
            for (const QString &name : names) {
                if (!n.inputs.contains(name))
                    error(n.id, u"template placeholder {"_s + name + u"} has no input"_s);
            }
            // Without a template every input is sent under its name, so all of them are used.
            for (auto it = n.inputs.begin(); it != n.inputs.end() && !n.templateText.isEmpty(); ++it) {
                if (it.key() != u"system" && !names.contains(it.key()))
                    warning(n.id, u"input "_s + quoted(it.key()) + u" is not used by the "
                                  "template (no {"_s + it.key() + u"} placeholder)"_s);
            }
            break;
        }
        case NodeType::Metric: {
            const QStringList kinds = Metrics::kinds();
            if (n.metric.isEmpty())
                error(n.id, u"metric node has no \"metric\" (one of "_s + kinds.join(u", "_s)
                                + u")"_s);
            else if (!kinds.contains(n.metric))
                error(n.id, u"unknown metric "_s + quoted(n.metric) + u" (known: "_s
                                + kinds.join(u", "_s) + u")"_s);
            if (n.metric == u"regex") {
                if (n.pattern.isEmpty())
                    error(n.id, u"regex metric has no \"pattern\""_s);
                else
                    checkRegex(n, u"pattern"_s, n.pattern);
            }
            if (n.metric == u"numeric" && n.tolerance < 0)
                error(n.id, u"\"tolerance\" must not be negative"_s);
            if (!n.metricOptions.answerPattern.isEmpty())
                checkRegex(n, u"answerPattern"_s, n.metricOptions.answerPattern);
            for (const QString &port : { u"prediction"_s, u"reference"_s }) {
                if (!n.inputs.contains(port))
                    error(n.id, u"metric has no "_s + quoted(port) + u" input"_s);
            }
            for (auto it = n.inputs.begin(); it != n.inputs.end(); ++it) {
                if (it.key() != u"prediction" && it.key() != u"reference")
                    warning(n.id, u"input "_s + quoted(it.key()) + u" is not used: metrics "
                                  "read \"prediction\" and \"reference\""_s);
            }
            break;
        }
        case NodeType::Judge: {
            checkEngineRef(n);
            if (n.inputs.isEmpty())
                error(n.id, u"judge has no inputs to judge"_s);
            if (n.rubric.criteria.isEmpty())
                error(n.id, u"judge rubric has no criteria"_s);
            if (n.rubric.scaleMin >= n.rubric.scaleMax)
                error(n.id, u"judge rubric scale ["_s + QString::number(n.rubric.scaleMin)
                                + u", "_s + QString::number(n.rubric.scaleMax)
                                + u"] is invalid: the minimum must be below the maximum"_s);
            double total = 0;
            for (int i = 0; i < n.rubric.criteria.size(); ++i) {
                const RubricCriterion &c = n.rubric.criteria[i];
                const QString label = u"rubric criterion "_s + QString::number(i + 1);
                if (c.name.trimmed().isEmpty())
                    error(n.id, label + u" has no name"_s);
                if (c.weight < 0)
                    error(n.id, label + u" has a negative weight"_s);
                total += c.weight;
            }
            if (!n.rubric.criteria.isEmpty() && total <= 0)
                error(n.id, u"judge rubric weights sum to zero"_s);
            break;
        }
        }
    }

    void checkCycle()
    {
        QStringList order, cycle;
        if (!PipelineValidator::topologicalOrder(m_p, &order, &cycle)) {
            error(cycle.value(0), u"cycle: "_s + cycle.join(u" -> "_s) + u" -> "_s
                                      + cycle.value(0));
        }
    }

    void checkObjective()
    {
        if (m_p.objective.isEmpty()) {
            error(QString(), u"no \"objective\": name the metric or judge node whose score "
                             "the run maximises"_s);
            return;
        }
        const PipelineNode *n = m_p.node(m_p.objective);
        if (!n)
            error(QString(), u"\"objective\" refers to unknown node "_s + quoted(m_p.objective));
        else if (!n->isLoss())
            error(n->id, u"the objective must be a metric or judge node, not "_s
                             + nodeTypeName(n->type));
    }

    void checkTraining()
    {
        const QStringList trainable = m_p.trainableIds();
        if (trainable.isEmpty())
            error(QString(), u"nothing to optimize: no parameter node has \"trainable\": true"_s);
        if (!m_p.backwardEngine.isEmpty() && !m_p.engines.contains(m_p.backwardEngine))
            error(QString(), u"\"backwardEngine\" "_s + quoted(m_p.backwardEngine)
                                 + u" is not defined in \"engines\""_s);
        if (!m_p.optimizer.engine.isEmpty() && !m_p.engines.contains(m_p.optimizer.engine))
            error(QString(), u"optimizer: \"engine\" "_s + quoted(m_p.optimizer.engine)
                                 + u" is not defined in \"engines\""_s);
        // Backward calls always use backwardEngine; optimizer.engine only moves the rewrite.
        if (!trainable.isEmpty() && m_p.backwardEngine.isEmpty())
            error(QString(), u"no \"backwardEngine\": name the engine that writes feedback "
                             "and rewrites the trainable parameters"_s);
    }

    void checkPromptNames()
    {
        const QStringList known = PromptLibrary::names();
        for (auto it = m_p.prompts.cbegin(); it != m_p.prompts.cend(); ++it) {
            if (!known.contains(it.key()))
                error(QString(), u"prompts: unknown prompt "_s + quoted(it.key()) + u" (known: "_s
                                     + known.join(u", "_s) + u")"_s);
        }
    }

    void checkOptimizer()
    {
        const OptimizerSettings &o = m_p.optimizer;
        auto atLeast = [this](int value, int minimum, const QString &key) {
            if (value < minimum)
                error(QString(), u"optimizer: \""_s + key + u"\" must be at least "_s
                                     + QString::number(minimum) + u" (it is "_s
                                     + QString::number(value) + u")"_s);
        };
        auto oneOf = [this](const QString &value, const QStringList &allowed, const QString &key) {
            if (!allowed.contains(value))
                error(QString(), u"optimizer: \""_s + key + u"\" must be one of "_s
                                     + allowed.join(u", "_s) + u" (it is "_s + quoted(value)
                                     + u")"_s);
        };
        oneOf(o.kind, { u"tgd"_s, u"tgd-momentum"_s }, u"kind"_s);
        atLeast(o.batchSize, 1, u"batchSize"_s);
        atLeast(o.epochs, 1, u"epochs"_s);
        atLeast(o.maxSteps, 1, u"maxSteps"_s);
        atLeast(o.concurrency, 1, u"concurrency"_s);
        atLeast(o.momentumWindow, 1, u"momentumWindow"_s);
        atLeast(o.gradientTokenBudget, 1, u"gradientTokenBudget"_s);
        oneOf(o.validation, { u"none"_s, u"revert-if-worse"_s }, u"validation"_s);
        oneOf(o.budgetMode, { u"sample"_s, u"summarize"_s }, u"budgetMode"_s);
        static const QRegularExpression tagName(u"^[A-Za-z_][A-Za-z0-9_.-]*$"_s);
        if (!tagName.match(o.tag).hasMatch())
            error(QString(), u"optimizer: \"tag\" must be a plain XML tag name"_s);
        if (!o.votePattern.isEmpty() && !QRegularExpression(o.votePattern).isValid())
            error(QString(), u"optimizer: \"votePattern\" is not a valid regular expression"_s);
    }

    const Pipeline &m_p;
    PipelineValidator::Use m_use;
    QVector<PipelineIssue> m_issues;
};

} // namespace

namespace PipelineValidator {

QVector<PipelineIssue> validate(const Pipeline &pipeline, Use use)
{
    return Checker(pipeline, use).run();
}

bool hasErrors(const QVector<PipelineIssue> &issues)
{
    for (const PipelineIssue &i : issues) {
        if (i.severity == PipelineIssue::Severity::Error)
            return true;
    }
    return false;
}

bool topologicalOrder(const Pipeline &pipeline, QStringList *order, QStringList *cycleNodes)
{
    const QVector<PipelineNode> &nodes = pipeline.nodes;
    const int n = nodes.size();
    QHash<QString, int> indexOf;
    for (int i = n - 1; i >= 0; --i)
        indexOf.insert(nodes[i].id, i);   // the first node of an id wins, as Pipeline::indexOf
    // Predecessors and successors by index; dangling inputs are the validator's other message,
    // not a cycle.
    QVector<QVector<int>> preds(n);
    QVector<QVector<int>> succs(n);
    for (int i = 0; i < n; ++i) {
        for (const QString &source : nodes[i].inputs) {
            const int j = indexOf.value(source, -1);
            if (j >= 0) {
                preds[i] << j;
                succs[j] << i;
            }
        }
    }

    // Kahn's algorithm taking the earliest ready node in file order each time (a min-heap of
    // ready indices), so that the order, and everything scheduled from it, is the same on
    // every run, in O((nodes + edges) log nodes).
    // std::vector: GCC 12 at -O2 misreads QList<bool>(n, false) as a huge memset.
    std::vector<bool> placed(size_t(n), false);
    std::vector<int> waitingFor(size_t(n), 0);
    std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
    for (int i = 0; i < n; ++i) {
        waitingFor[size_t(i)] = preds[i].size();
        if (preds[i].isEmpty())
            ready.push(i);
    }
    QStringList result;
    while (!ready.empty()) {
        const int next = ready.top();
        ready.pop();
        placed[size_t(next)] = true;
        result << nodes[next].id;
        for (int s : succs[next]) {
            if (--waitingFor[size_t(s)] == 0)
                ready.push(s);
        }
    }
    if (order)
        *order = result;
    if (result.size() == n) {
        if (cycleNodes)
            cycleNodes->clear();
        return true;
    }

    if (cycleNodes) {
        // Every unplaced node has an unplaced predecessor; walking back along those must
        // revisit a node, and the walk from that node on is a cycle.
        int at = int(std::find(placed.begin(), placed.end(), false) - placed.begin());
        QVector<int> path;
        while (!path.contains(at)) {
            path << at;
            int back = -1;
            for (int j : preds[at]) {
                if (!placed[j]) {
                    back = j;
                    break;
                }
            }
            at = back;
        }
        QStringList cycle;
        for (int k = path.indexOf(at); k < path.size(); ++k)
            cycle.prepend(nodes[path[k]].id);
        // Start the message at the cycle's earliest node in the file, for a stable text.
        int first = 0;
        for (int k = 1; k < cycle.size(); ++k) {
            if (pipeline.indexOf(cycle[k]) < pipeline.indexOf(cycle[first]))
                first = k;
        }
        *cycleNodes = cycle.mid(first) + cycle.mid(0, first);
    }
    return false;
}

QStringList objectiveClosure(const Pipeline &pipeline)
{
    QSet<QString> needed;
    QStringList stack{ pipeline.objective };
    while (!stack.isEmpty()) {
        const QString id = stack.takeLast();
        const PipelineNode *node = pipeline.node(id);
        if (!node || needed.contains(id))
            continue;
        needed.insert(id);
        for (const QString &source : node->inputs)
            stack << source;
    }
    QStringList order;
    if (!topologicalOrder(pipeline, &order)) {
        // With a cycle there is no proper order; file order still lists every needed node.
        order.clear();
        for (const PipelineNode &n : pipeline.nodes)
            order << n.id;
    }
    QStringList closure;
    for (const QString &id : order) {
        if (needed.contains(id) && !closure.contains(id))
            closure << id;
    }
    return closure;
}

} // namespace PipelineValidator
