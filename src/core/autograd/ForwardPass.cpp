#include "autograd/ForwardPass.h"

#include "autograd/JudgeCall.h"
#include "graph/PromptTemplate.h"
#include "metrics/Metrics.h"
#include "training/ObservedCall.h"

using namespace Qt::StringLiterals;

namespace {

ChatResult callEngine(const ForwardContext &ctx, const PipelineNode &node, const QVector<ChatMessage> &messages,
                      CallPurpose purpose, int sampleIndex)
{
    ChatRequest request;
    request.engine = ctx.pipeline->engines.value(node.engine);
    request.engine.name = node.engine;
    request.messages = messages;
    request.tag = CallTag{ctx.runId, ctx.step, purpose, node.id, sampleIndex, ctx.split};
    const ActivityPhase phase = node.type == NodeType::Judge ? ActivityPhase::Loss : ActivityPhase::Forward;
    return ObservedCall::complete(ctx.client, request, ctx.sink, ctx.cancel, ctx.observer, phase);
}

// The user message of an llm node: its template over the non-system ports, or, without a
// template, each port's value under its name.
QString userMessage(const PipelineNode &node, const QMap<QString, QString> &portValues)
{
    if (!node.templateText.isEmpty())
        return PromptTemplate::render(node.templateText, portValues);
    QString text;
    for (auto it = portValues.cbegin(); it != portValues.cend(); ++it)
        text += it.key() + u":\n"_s + it.value() + u"\n\n"_s;
    return text.trimmed();
}

} // namespace

SampleOutcome ForwardPass::run(const ForwardContext &ctx, const DataRow &row, int sampleIndex,
                               ComputationGraph *graph)
{
    SampleOutcome outcome;
    QMap<QString, QString> values;   // node id -> value for this sample
    QMap<QString, int> varOf;        // node id -> variable id (when recording)

    const auto addVar = [&](const PipelineNode &node, const QString &value, bool requiresGrad) {
        if (!graph)
            return;
        Variable v;
        v.nodeId = node.id;
        v.sampleIndex = sampleIndex;
        v.role = node.role;
        v.value = value;
        v.requiresGrad = requiresGrad;
        varOf.insert(node.id, graph->addVariable(v));
    };
    const auto inputsRequireGrad = [&](const PipelineNode &node) {
        if (!graph)
            return false;
        for (const QString &src : node.inputs) {
            if (graph->variable(varOf.value(src, -1)).requiresGrad)
                return true;
        }
        return false;
    };
    const auto recordOp = [&](const PipelineNode &node, OperationKind kind,
                              const QVector<ChatMessage> &conversation, double score) {
        if (!graph)
            return;
        Operation op;
        op.kind = kind;
        op.nodeId = node.id;
        op.sampleIndex = sampleIndex;
        for (auto it = node.inputs.cbegin(); it != node.inputs.cend(); ++it)
            op.inputs.insert(it.key(), varOf.value(it.value(), -1));
        op.output = varOf.value(node.id, -1);
        op.conversation = conversation;
        op.purpose = kind == OperationKind::StringFunction ? Metrics::purpose(node) : QString();
        op.score = score;
        op.isLoss = node.id == ctx.pipeline->objective;
        graph->addOperation(op);
    };

    for (const QString &id : ctx.order) {
        if (ctx.cancel && ctx.cancel->load()) {
            outcome.ok = false;
            outcome.failure.errorKind = CallErrorKind::Cancelled;
            outcome.failure.error = u"cancelled"_s;
            return outcome;
        }
        const PipelineNode *node = ctx.pipeline->node(id);
        if (!node)
            continue;
        QMap<QString, QString> ports;
        for (auto it = node->inputs.cbegin(); it != node->inputs.cend(); ++it)
            ports.insert(it.key(), values.value(it.value()));

        switch (node->type) {
        case NodeType::Input: {
            values.insert(id, row.fields.value(node->field));
            addVar(*node, values.value(id), false);
            break;
        }
        case NodeType::Parameter: {
            const QString value = ctx.parameterValues.value(id, node->value);
            values.insert(id, value);
            if (graph && ctx.parameterVariables.contains(id))
                varOf.insert(id, ctx.parameterVariables.value(id));
            else
                addVar(*node, value, node->trainable);
            break;
        }
        case NodeType::Llm: {
            QVector<ChatMessage> messages;
            const QString system = ports.take(u"system"_s);
            if (!system.isEmpty())
                messages.append(ChatMessage{u"system"_s, system});
            messages.append(ChatMessage{u"user"_s, userMessage(*node, ports)});
            const ChatResult reply = callEngine(ctx, *node, messages, ctx.forwardPurpose, sampleIndex);
            if (!reply.ok) {
                outcome.ok = false;
                outcome.failure = reply;
                outcome.failedNode = id;
                return outcome;
            }
            values.insert(id, reply.text);
            addVar(*node, reply.text, inputsRequireGrad(*node));
            messages.append(ChatMessage{u"assistant"_s, reply.text});
            recordOp(*node, OperationKind::LlmCall, messages, 0.0);
            break;
        }
        case NodeType::Metric: {
            const MetricResult m = Metrics::evaluate(*node, ports.value(u"prediction"_s),
                                                     ports.value(u"reference"_s));
            const QString text = m.error.isEmpty() ? m.explanation : m.error;
            values.insert(id, text);
            addVar(*node, text, inputsRequireGrad(*node));
            recordOp(*node, OperationKind::StringFunction, {}, m.score);
            if (id == ctx.pipeline->objective) {
                outcome.score = m.score;
                outcome.evaluation = text;
            }
            break;
        }
        case NodeType::Judge: {
            QVector<JudgeInput> judgeInputs;
            for (auto it = node->inputs.cbegin(); it != node->inputs.cend(); ++it) {
                const PipelineNode *src = ctx.pipeline->node(it.value());
                judgeInputs.append(JudgeInput{it.key(), src ? src->role : QString(), values.value(it.value())});
            }
            QVector<ChatMessage> messages = JudgeCall::buildMessages(node->rubric, judgeInputs, ctx.prompts);
            ChatResult reply = callEngine(ctx, *node, messages, ctx.lossPurpose, sampleIndex);
            if (!reply.ok) {
                outcome.ok = false;
                outcome.failure = reply;
                outcome.failedNode = id;
                return outcome;
            }
            JudgeScore verdict = JudgeCall::parse(reply.text, node->rubric);
            if (!verdict.parsed) {
                // One reminder; a judge that still gives no score counts as the lowest score,
                // and the event says so, so that a flaky judge is visible rather than silent.
                outcome.events.append(RunEvent{ctx.step, u"judge-reask"_s, id,
                                               u"sample %1: %2; asked again"_s.arg(sampleIndex).arg(verdict.problem)});
                messages.append(ChatMessage{u"assistant"_s, reply.text});
                messages.append(JudgeCall::reminder(node->rubric));
                reply = callEngine(ctx, *node, messages, ctx.lossPurpose, sampleIndex);
                if (!reply.ok) {
                    outcome.ok = false;
                    outcome.failure = reply;
                    outcome.failedNode = id;
                    return outcome;
                }
                verdict = JudgeCall::parse(reply.text, node->rubric);
                if (!verdict.parsed)
                    outcome.events.append(RunEvent{ctx.step, u"judge-unparsed"_s, id,
                                                   u"sample %1: %2 after a reminder; scored 0"_s.arg(sampleIndex).arg(verdict.problem)});
            } else if (!verdict.problem.isEmpty()) {
                outcome.events.append(RunEvent{ctx.step, u"judge-partial"_s, id,
                                               u"sample %1: %2"_s.arg(sampleIndex).arg(verdict.problem)});
            }
            const QString evaluation = JudgeCall::evaluationText(verdict, reply.text);
            values.insert(id, evaluation);
            addVar(*node, evaluation, inputsRequireGrad(*node));
            messages.append(ChatMessage{u"assistant"_s, reply.text});
            recordOp(*node, OperationKind::Judge, messages, verdict.score);
            if (id == ctx.pipeline->objective) {
                outcome.score = verdict.score;
                outcome.evaluation = evaluation;
            }
            break;
        }
        }
    }
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        outcome.outputs.insert(it.key(), it.value());
    return outcome;
}
