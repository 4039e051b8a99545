#include "autograd/BackwardPass.h"

#include "metrics/Metrics.h"
#include "training/ObservedCall.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

QString renderConversation(const BackwardContext &ctx, const Operation &op)
{
    if (op.kind == OperationKind::StringFunction) {
        QString text = u"<FUNCTION>\n"_s + op.purpose + u"\n</FUNCTION>\n"_s;
        for (auto it = op.inputs.cbegin(); it != op.inputs.cend(); ++it) {
            const Variable v = ctx.graph->variable(it.value());
            text += u"<INPUT name=\""_s + it.key() + u"\" role=\""_s + v.role + u"\">\n"_s + v.value
                + u"\n</INPUT>\n"_s;
        }
        text += u"<OUTPUT>\n"_s + ctx.graph->variable(op.output).value + u"\n</OUTPUT>"_s;
        return text;
    }
    QString text;
    for (const ChatMessage &m : op.conversation) {
        const QString tag = m.role == u"system"_s      ? u"SYSTEM_PROMPT"_s
                            : m.role == u"assistant"_s ? u"MODEL_OUTPUT"_s
                                                       : u"MODEL_INPUT"_s;
        text += u"<"_s + tag + u">\n"_s + m.content + u"\n</"_s + tag + u">\n"_s;
    }
    return text.trimmed();
}

// How the criticised variable took part in the operation, in words for the backward engine.
QString usage(const Operation &op, const QString &port)
{
    if (op.kind == OperationKind::LlmCall && port == u"system"_s)
        return u"It was the system prompt of this call."_s;
    if (op.kind == OperationKind::Judge)
        return u"It was the input \"%1\" that the judge evaluated."_s.arg(port);
    if (op.kind == OperationKind::StringFunction)
        return u"It was the input \"%1\" of this function."_s.arg(port);
    return u"It filled the placeholder {%1} of this call's input."_s.arg(port);
}

QString objectiveText(const Pipeline &pipeline)
{
    const PipelineNode *objective = pipeline.node(pipeline.objective);
    if (!objective)
        return u"make the pipeline's final evaluation as good as possible"_s;
    if (objective->type == NodeType::Metric)
        return u"raise the score of \"%1\", which %2"_s.arg(objective->id, Metrics::purpose(*objective).trimmed());
    return u"raise the score that the judge \"%1\" gives under its rubric"_s.arg(objective->id);
}

} // namespace

QVector<ChatMessage> BackwardPass::buildMessages(const BackwardContext &ctx, const Operation &op,
                                                 const QString &port, const Variable &target,
                                                 bool baseMode, const QString &evaluationOrFeedback)
{
    const Variable output = ctx.graph->variable(op.output);
    const QMap<QString, QString> values{
        {u"conversation"_s, renderConversation(ctx, op)},
        {u"target_role"_s, target.role.isEmpty() ? target.nodeId : target.role},
        {u"target_value"_s, target.value},
        {u"target_usage"_s, usage(op, port)},
        {u"output_role"_s, output.role.isEmpty() ? output.nodeId : output.role},
        {u"evaluation"_s, evaluationOrFeedback},
        {u"feedback"_s, evaluationOrFeedback},
        {u"objective"_s, objectiveText(*ctx.pipeline)},
    };
    return {ChatMessage{u"system"_s, ctx.prompts.render(u"backward_system"_s, values)},
            ChatMessage{u"user"_s, ctx.prompts.render(baseMode ? u"backward_base"_s : u"backward_chain"_s, values)}};
}

BackwardOutcome BackwardPass::runSample(const BackwardContext &ctx, int sampleIndex)
{
    BackwardOutcome outcome;
    const QVector<Operation> ops = ctx.graph->reverseOperations(sampleIndex);
    for (const Operation &op : ops) {
        if (op.kind == OperationKind::Sum)
            continue;   // a sum hands its feedback to every input unchanged, with no call
        const Variable output = ctx.graph->variable(op.output);
        const bool baseMode = op.isLoss;
        QString signal;
        if (baseMode) {
            signal = output.value;
        } else {
            const QVector<GradientRecord> grads = ctx.graph->sortedGradients(op.output);
            if (grads.isEmpty())
                continue;
            QStringList parts;
            for (const GradientRecord &g : grads)
                parts.append(grads.size() > 1 ? u"[from %1]\n%2"_s.arg(g.sourceNode, g.feedback) : g.feedback);
            signal = parts.join(u"\n\n"_s);
        }
        for (auto it = op.inputs.cbegin(); it != op.inputs.cend(); ++it) {
            const Variable target = ctx.graph->variable(it.value());
            if (!target.requiresGrad)
                continue;
            if (ctx.cancel && ctx.cancel->load()) {
                outcome.ok = false;
                outcome.failure.errorKind = CallErrorKind::Cancelled;
                outcome.failure.error = u"cancelled"_s;
                return outcome;
            }
            ChatRequest request;
            request.engine = ctx.engine;
            request.messages = buildMessages(ctx, op, it.key(), target, baseMode, signal);
            request.tag = CallTag{ctx.runId, ctx.step, CallPurpose::Backward, op.nodeId, sampleIndex, ctx.split};
            const ChatResult reply = ObservedCall::complete(ctx.client, request, ctx.sink, ctx.cancel,
                                                            ctx.observer, ActivityPhase::Backward,
                                                            target.nodeId);
            ++outcome.calls;
            if (!reply.ok) {
                outcome.ok = false;
                outcome.failure = reply;
                return outcome;
            }
            GradientRecord g;
            g.step = ctx.step;
            g.targetNode = target.nodeId;
            g.sourceNode = op.nodeId;
            g.sampleIndex = sampleIndex;
            g.mode = baseMode ? u"base"_s : u"chain"_s;
            g.feedback = reply.text.trimmed();
            QJsonArray conversation;
            for (const ChatMessage &m : request.messages)
                conversation.append(QJsonObject{{u"role"_s, m.role}, {u"content"_s, m.content}});
            conversation.append(QJsonObject{{u"role"_s, u"assistant"_s}, {u"content"_s, reply.text}});
            g.conversation = conversation;
            g.callId = reply.callId;
            ctx.graph->addGradient(target.id, g);
            outcome.gradients.append(g);
        }
    }
    return outcome;
}
