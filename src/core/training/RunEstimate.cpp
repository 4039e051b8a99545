#include "training/RunEstimate.h"

#include "graph/PipelineValidator.h"
#include "metrics/Metrics.h"
#include "prompts/PromptLibrary.h"
#include "training/Trainer.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace {

// Character counts stand in for texts: the estimate never builds a prompt.
using Chars = qint64;

struct Shape
{
    QMap<QString, Chars> output;         // node id -> length of its value
    QMap<QString, Chars> conversation;   // computed node -> what its backward call quotes
    QMap<QString, Chars> prompt;         // llm / judge node -> what it sends
};

QMap<QString, double> meanFieldChars(const Dataset &data)
{
    QMap<QString, double> mean;
    if (data.rows.isEmpty())
        return mean;
    for (const DataRow &row : data.rows) {
        for (auto it = row.fields.cbegin(); it != row.fields.cend(); ++it)
            mean[it.key()] += it.value().size();
    }
    for (auto it = mean.begin(); it != mean.end(); ++it)
        it.value() /= data.rows.size();
    return mean;
}

class Estimator
{
public:
    Estimator(const Pipeline &pipeline, const PriceTable &prices, RunEstimate *out)
        : m_p(pipeline)
        , m_prices(prices)
        , m_out(out)
        , m_prompts(pipeline.prompts)
        , m_order(PipelineValidator::objectiveClosure(pipeline))
    {
        // A node needs a gradient when it is a trainable parameter or computed from one.
        for (const QString &id : m_order) {
            const PipelineNode *n = m_p.node(id);
            if (!n)
                continue;
            bool rg = n->type == NodeType::Parameter && n->trainable;
            if (n->type == NodeType::Llm || n->type == NodeType::Metric || n->type == NodeType::Judge) {
                for (const QString &src : n->inputs)
                    rg = rg || m_requiresGrad.contains(src);
            }
            if (rg)
                m_requiresGrad.insert(id);
        }
        for (const QString &id : m_order) {
            const PipelineNode *n = m_p.node(id);
            if (n && n->type == NodeType::Parameter && n->trainable)
                m_trainables.append(id);
        }
    }

    Shape shape(const QMap<QString, double> &fields) const
    {
        Shape s;
        for (const QString &id : m_order) {
            const PipelineNode *n = m_p.node(id);
            if (!n)
                continue;
            Chars inputs = 0;
            for (const QString &src : n->inputs)
                inputs += s.output.value(src);
            switch (n->type) {
            case NodeType::Input:
                s.output[id] = Chars(fields.value(n->field));
                break;
            case NodeType::Parameter:
                s.output[id] = n->value.size();
                break;
            case NodeType::Llm: {
                const EngineConfig e = m_p.engines.value(n->engine);
                const int replyTokens = qMin(RunEstimate::kForwardReplyTokens,
                                             e.maxTokens.value_or(RunEstimate::kForwardReplyTokens));
                s.prompt[id] = inputs + n->templateText.size();
                s.output[id] = Chars(replyTokens) * RunEstimate::kCharsPerToken;
                s.conversation[id] = s.prompt[id] + s.output[id];
                break;
            }
            case NodeType::Judge: {
                Chars rubric = n->rubric.instructions.size();
                for (const RubricCriterion &c : n->rubric.criteria)
                    rubric += c.name.size() + c.description.size() + 16;
                s.prompt[id] = m_prompts.text(u"judge_system"_s).size()
                    + m_prompts.text(u"judge_user"_s).size() + rubric + inputs;
                s.output[id] = Chars(RunEstimate::kJudgeReplyTokens) * RunEstimate::kCharsPerToken;
                s.conversation[id] = s.prompt[id] + s.output[id];
                break;
            }
            case NodeType::Metric:
                s.output[id] = 80;   // "exact match: ... differs from ..."
                s.conversation[id] = Metrics::purpose(*n).size() + inputs + s.output[id];
                break;
            }
        }
        return s;
    }

    // One forward pass (llm and judge calls) of `samples` samples.
    void forward(const Shape &s, int samples, const QString &forwardPurpose, const QString &lossPurpose)
    {
        for (const QString &id : m_order) {
            const PipelineNode *n = m_p.node(id);
            if (!n || (n->type != NodeType::Llm && n->type != NodeType::Judge))
                continue;
            add(n->type == NodeType::Llm ? forwardPurpose : lossPurpose, n->engine, samples,
                s.prompt.value(id), s.output.value(id));
        }
    }

    // The backward pass of `samples` samples; returns the gradients each trainable gets per sample.
    QMap<QString, int> backward(const Shape &s, int samples)
    {
        QMap<QString, int> gradients;
        const Chars system = m_prompts.text(u"backward_system"_s).size();
        const Chars reply = Chars(RunEstimate::kBackwardReplyTokens) * RunEstimate::kCharsPerToken;
        for (const QString &id : m_order) {
            const PipelineNode *n = m_p.node(id);
            if (!n || !m_requiresGrad.contains(id) || n->type == NodeType::Parameter)
                continue;
            const bool base = id == m_p.objective;
            const Chars mode = m_prompts.text(base ? u"backward_base"_s : u"backward_chain"_s).size();
            for (const QString &src : n->inputs) {
                if (!m_requiresGrad.contains(src))
                    continue;
                const Chars signal = base ? s.output.value(id) : reply;
                add(u"backward"_s, m_p.backwardEngine, samples,
                    system + mode + s.conversation.value(id) + s.output.value(src) + signal, reply);
                ++gradients[src];
            }
        }
        return gradients;
    }

    void optimizer(const Shape &s, const QMap<QString, int> &gradientsPerSample, int batch)
    {
        const OptimizerSettings &o = m_p.optimizer;
        Chars fixed = m_prompts.text(u"optimizer_system"_s).size() + m_prompts.text(u"optimizer_user"_s).size();
        for (const QString &c : o.constraints)
            fixed += c.size() + 16;
        for (const QString &e : o.examples)
            fixed += e.size() + 16;
        const Chars perGradient = Chars(RunEstimate::kBackwardReplyTokens) * RunEstimate::kCharsPerToken
            + s.conversation.value(m_p.objective) / 2;
        const Chars gradientCap = Chars(qMax(1, o.gradientTokenBudget)) * RunEstimate::kCharsPerToken;
        for (const QString &id : m_trainables) {
            const int n = gradientsPerSample.value(id) * batch;
            if (n == 0)
                continue;   // nothing reaches it: the trainer makes no call
            const Chars value = s.output.value(id);
            add(u"optimizer"_s, m_p.optimizerEngine(), 1, fixed + value + qMin(n * perGradient, gradientCap),
                value + Chars(RunEstimate::kOptimizerOverheadTokens) * RunEstimate::kCharsPerToken);
        }
    }

    void add(const QString &purpose, const QString &engine, int calls, Chars prompt, Chars reply)
    {
        if (calls <= 0)
            return;
        m_out->callsByPurpose[purpose] += calls;
        RunEstimate::Engine &e = m_engines[engine];
        e.name = engine;
        e.calls += calls;
        e.promptTokens += qint64(calls) * RunEstimate::tokensFor(prompt);
        e.completionTokens += qint64(calls) * RunEstimate::tokensFor(reply);
    }

    void finish()
    {
        bool known = true;
        double cost = 0.0;
        for (RunEstimate::Engine e : std::as_const(m_engines)) {
            const EngineConfig cfg = m_p.engines.value(e.name);
            const QString baseUrl = cfg.baseUrl.isEmpty() ? defaultBaseUrl(cfg.provider) : cfg.baseUrl;
            e.model = cfg.model;
            e.local = PriceTable::isLocal(cfg.provider, baseUrl);
            e.costUsd = m_prices.cost(cfg.provider, baseUrl, cfg.model, e.promptTokens, e.completionTokens);
            if (e.costUsd)
                cost += *e.costUsd;
            else {
                known = false;
                m_out->unpricedModels.append(u"%1 (%2)"_s.arg(e.name, e.model));
            }
            m_out->calls += e.calls;
            m_out->promptTokens += e.promptTokens;
            m_out->completionTokens += e.completionTokens;
            m_out->engines.append(e);
        }
        if (known)
            m_out->costUsd = cost;
    }

private:
    const Pipeline &m_p;
    const PriceTable &m_prices;
    RunEstimate *m_out;
    PromptLibrary m_prompts;
    QStringList m_order;
    QSet<QString> m_requiresGrad;
    QStringList m_trainables;
    QMap<QString, RunEstimate::Engine> m_engines;
};

} // namespace

RunEstimate RunEstimate::compute(const Pipeline &pipeline, const TrainingData &data, const PriceTable &prices)
{
    RunEstimate out;
    Estimator est(pipeline, prices, &out);
    const OptimizerSettings &o = pipeline.optimizer;

    if (pipeline.isTestTime()) {
        out.steps = Trainer::plannedSteps(pipeline, 1);
        const Shape s = est.shape({});
        for (int step = 0; step < out.steps; ++step) {
            est.forward(s, 1, u"forward"_s, u"loss"_s);
            est.optimizer(s, est.backward(s, 1), 1);
        }
        if (out.steps > 0)
            est.forward(s, 1, u"loss"_s, u"loss"_s);   // the final value is scored once
        est.finish();
        return out;
    }

    const int n = data.train.size();
    out.steps = Trainer::plannedSteps(pipeline, n);
    const Shape train = est.shape(meanFieldChars(data.train));
    const int batch = qMax(1, o.batchSize);
    const int perEpoch = n > 0 ? (n + batch - 1) / batch : 0;
    for (int step = 0; step < out.steps; ++step) {
        const int first = (step % perEpoch) * batch;
        const int size = qMin(batch, n - first);
        est.forward(train, size, u"forward"_s, u"loss"_s);
        est.optimizer(train, est.backward(train, size), size);
    }
    const int v = data.validation.size();
    if (v > 0) {   // before step 1, then after every step
        const Shape val = est.shape(meanFieldChars(data.validation));
        est.forward(val, v * (out.steps + 1), u"validation"_s, u"validation"_s);
    }
    if (data.test.size() > 0) {
        const Shape test = est.shape(meanFieldChars(data.test));
        est.forward(test, data.test.size(), u"test"_s, u"test"_s);
    }
    est.finish();
    return out;
}

QString RunEstimate::costText() const
{
    if (!costUsd)
        return u"unknown: no price for %1"_s.arg(unpricedModels.join(u", "_s));
    bool allLocal = !engines.isEmpty();
    for (const Engine &e : engines)
        allLocal = allLocal && e.local;
    if (allLocal)
        return u"$0 (local models)"_s;
    const double c = *costUsd;
    return u"$"_s + QString::number(c, 'f', c < 0.01 ? 4 : 2);
}
