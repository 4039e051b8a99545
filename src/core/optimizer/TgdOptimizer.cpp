#include "optimizer/TgdOptimizer.h"

#include "optimizer/GradientBudget.h"
#include "optimizer/ReplyParser.h"
#include "training/ObservedCall.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// One summary call may read this many times the optimizer's own gradient budget: a summary is
// much shorter than what it reads, and the optimizer prompt is what must stay small.
constexpr int SummaryInputFactor = 4;
// Below this many tokens a summary has no room to say anything useful.
constexpr int MinSummaryTokens = 200;

QString count(qsizetype n, const QString &singular, const QString &plural)
{
    return QString::number(n) + u' ' + (n == 1 ? singular : plural);
}

QString scoreText(double score)
{
    return hasScore(score) ? QString::number(score, 'g', 4) : u"no score"_s;
}

QJsonArray messagesJson(const QVector<ChatMessage> &messages)
{
    QJsonArray array;
    for (const ChatMessage &m : messages)
        array.append(QJsonObject{{u"role"_s, m.role}, {u"content"_s, m.content}});
    return array;
}

QString renderAll(const QVector<GradientRecord> &gradients)
{
    QString text;
    for (int i = 0; i < gradients.size(); ++i)
        text += (i ? u"\n"_s : QString()) + GradientBudget::renderGradient(gradients[i], i + 1);
    return text;
}

QString constraintsBody(const QStringList &constraints)
{
    QString text;
    for (int i = 0; i < constraints.size(); ++i)
        text += u"Constraint "_s + QString::number(i + 1) + u": "_s + constraints[i].trimmed()
                + u"\n"_s;
    return text;
}

QString examplesBody(const QStringList &examples)
{
    QString text;
    for (int i = 0; i < examples.size(); ++i) {
        const QString n = QString::number(i + 1);
        text += u"<EXAMPLE_"_s + n + u">\n"_s + examples[i].trimmed() + u"\n</EXAMPLE_"_s + n
                + u">\n"_s;
    }
    return text;
}

// Accepted steps are history the current value already reflects; rejected ones are values to
// stay away from. Only accepted steps bring their feedback along: replaying the feedback of a
// rejected step would steer the optimizer back toward the value validation turned down.
QString memoryBody(const QVector<MemoryEntry> &entries)
{
    QString text;
    for (const MemoryEntry &e : entries) {
        const QString step = QString::number(e.step);
        if (e.accepted) {
            text += u"## Step "_s + step + u" (accepted"_s
                    + (hasScore(e.valScore) ? u"; validation score "_s + scoreText(e.valScore)
                                            : QString())
                    + u")\nFeedback from step "_s + step
                    + u" that was already acted on; the value then was:\n<VALUE_AT_STEP_"_s + step
                    + u">\n"_s + e.value.trimmed() + u"\n</VALUE_AT_STEP_"_s + step + u">\n"_s
                    + u"and the feedback was:\n<FEEDBACK_AT_STEP_"_s + step + u">\n"_s
                    + (e.feedback.trimmed().isEmpty() ? u"(none recorded)"_s : e.feedback.trimmed())
                    + u"\n</FEEDBACK_AT_STEP_"_s + step + u">\n\n"_s;
        } else {
            text += u"## Step "_s + step + u" (REJECTED)\n"_s
                    + u"A value proposed at step "_s + step
                    + u" that validation REJECTED (score "_s + scoreText(e.valScore)
                    + u"); do not return to it or to anything close to it. It is shown only so "
                      u"that you can avoid it, not as an example to follow:\n<REJECTED_AT_STEP_"_s
                    + step + u">\n"_s + e.value.trimmed() + u"\n</REJECTED_AT_STEP_"_s + step
                    + u">\n\n"_s;
        }
    }
    return text;
}

} // namespace

TgdOptimizer::TgdOptimizer(const OptimizerSettings &settings, const PromptLibrary &prompts,
                           LlmClient *client, const EngineConfig &engine, CallSink *sink,
                           CancelFlag cancel)
    : m_settings(settings)
    , m_prompts(prompts)
    , m_client(client)
    , m_engine(engine)
    , m_sink(sink)
    , m_cancel(std::move(cancel))
{
}

QVector<ChatMessage> TgdOptimizer::buildMessages(const OptimizerRequest &request,
                                                 const QVector<GradientRecord> &gradients,
                                                 const QString &gradientNote) const
{
    QString note = !gradientNote.isEmpty() ? gradientNote
                   : gradients.isEmpty()   ? u"No feedback was produced at this step."_s
                   : gradients.size() == 1 ? u"There is one piece of feedback."_s
                                           : u"There are "_s + QString::number(gradients.size())
                               + u" pieces of feedback; all of them are shown."_s;
    // Said only for raw gradients: a summary has no conversations to point to.
    if (!gradients.isEmpty())
        note += u" Each piece comes with the conversation it was written about, between "
                u"<CONTEXT> tags, so that you can see the situation it refers to."_s;
    return buildMessagesFromText(request,
                                 gradients.isEmpty() ? u"(none)"_s : renderAll(gradients), note);
}

QVector<ChatMessage> TgdOptimizer::buildMessagesFromText(const OptimizerRequest &request,
                                                         const QString &gradientsText,
                                                         const QString &gradientNote) const
{
    QVector<MemoryEntry> memory;
    if (m_settings.kind == u"tgd-momentum"_s && m_settings.momentumWindow > 0) {
        memory = request.memory;
        std::stable_sort(memory.begin(), memory.end(),
                         [](const MemoryEntry &a, const MemoryEntry &b) { return a.step < b.step; });
        if (memory.size() > m_settings.momentumWindow)
            memory = memory.mid(memory.size() - m_settings.momentumWindow);
    }
    const bool anyRejected = std::any_of(memory.cbegin(), memory.cend(),
                                         [](const MemoryEntry &e) { return !e.accepted; });

    const QString constraints = constraintsBody(request.constraints);
    const QString examples = examplesBody(request.examples);
    const QString memoryText = memoryBody(memory).trimmed();

    // Sections are assembled here rather than in the template so that an empty one leaves no
    // heading behind; overriding templates can still use the bare bodies.
    QString constraintsSection;
    if (!constraints.isEmpty())
        constraintsSection = u"\n# Constraints\nThe new value must satisfy every one of these; "
                             u"they take precedence over the feedback.\n"_s + constraints;
    QString examplesSection;
    if (!examples.isEmpty())
        examplesSection = u"\n# Examples\nExamples of good values for this variable, to show "
                          u"the kind of result wanted. Learn from their qualities; do not copy "
                          u"them.\n"_s + examples;
    QString memorySection;
    if (!memoryText.isEmpty())
        memorySection = u"\n# Earlier steps\nWhat happened to this variable at earlier steps, "
                        u"oldest first. The current value already reflects the accepted "
                        u"feedback: keep its improvements and do not undo them, but do not "
                        u"apply that feedback a second time."_s
                        + (anyRejected ? u" Values marked REJECTED scored worse on validation "
                                         u"and were reverted; do not propose them again."_s
                                       : QString())
                        + u"\n\n"_s + memoryText + u"\n"_s;

    QStringList extras;
    if (!constraints.isEmpty())
        extras << u"satisfies every constraint"_s;
    if (anyRejected)
        extras << u"does not return to a rejected value"_s;
    QString taskExtras;
    for (const QString &e : std::as_const(extras))
        taskExtras += (e == extras.last() ? u" and "_s : u", "_s) + e;

    const QString role = request.role.trimmed().isEmpty() ? u"a text variable"_s
                                                          : request.role.trimmed();
    const QMap<QString, QString> values{
        {u"role"_s, role},
        {u"value"_s, request.currentValue},
        {u"gradients"_s, gradientsText.trimmed()},
        {u"gradient_note"_s, gradientNote},
        {u"constraints"_s, constraints},
        {u"constraints_section"_s, constraintsSection},
        {u"examples"_s, examples},
        {u"examples_section"_s, examplesSection},
        {u"memory"_s, memoryText},
        {u"memory_section"_s, memorySection},
        {u"task_extras"_s, taskExtras},
        {u"tag"_s, m_settings.tag},
        {u"step"_s, QString::number(request.step)},
    };
    return {ChatMessage{u"system"_s, m_prompts.render(u"optimizer_system"_s, values)},
            ChatMessage{u"user"_s, m_prompts.render(u"optimizer_user"_s, values)}};
}

ChatResult TgdOptimizer::call(const QVector<ChatMessage> &messages, const CallTag &tag) const
{
    CallTag optimizerTag = tag;
    optimizerTag.purpose = CallPurpose::Optimizer;
    return ObservedCall::complete(m_client, ChatRequest{m_engine, messages, optimizerTag}, m_sink,
                                  m_cancel, m_observer, ActivityPhase::Optimizer);
}

ChatResult TgdOptimizer::summarize(const OptimizerRequest &request, const CallTag &tag,
                                   QString *summary, int *calls) const
{
    const int budget = m_settings.gradientTokenBudget;
    const int chunkBudget = std::max(budget * SummaryInputFactor, MinSummaryTokens * 4);
    const QString role = request.role.trimmed().isEmpty() ? u"a text variable"_s
                                                          : request.role.trimmed();

    auto summarizeText = [&](const QString &feedback, qsizetype n, int targetTokens,
                             QString *out) {
        const QMap<QString, QString> values{
            {u"role"_s, role},
            {u"value"_s, request.currentValue},
            {u"feedback"_s, feedback},
            {u"count"_s, QString::number(n)},
            {u"target_tokens"_s, QString::number(std::max(targetTokens, MinSummaryTokens))},
        };
        const ChatResult r = call({ChatMessage{u"user"_s,
                                               m_prompts.render(u"gradient_summary"_s, values)}},
                                  tag);
        ++*calls;
        if (r.ok)
            *out = r.text.trimmed();
        return r;
    };

    // Chunks in the caller's order; a gradient too long even for a chunk is shortened first.
    QStringList chunks;
    QVector<qsizetype> chunkCounts;
    QString current;
    qsizetype currentCount = 0;
    for (int i = 0; i < request.gradients.size(); ++i) {
        QString rendered = GradientBudget::renderGradient(request.gradients[i], i + 1);
        if (GradientBudget::estimateTokens(rendered) > chunkBudget) {
            const BoundedGradients one =
                GradientBudget::sample({request.gradients[i]}, chunkBudget, m_settings.seed);
            rendered = GradientBudget::renderGradient(one.kept.value(0), i + 1);
        }
        if (!current.isEmpty()
            && GradientBudget::estimateTokens(current) + GradientBudget::estimateTokens(rendered)
                   > chunkBudget) {
            chunks << current;
            chunkCounts << currentCount;
            current.clear();
            currentCount = 0;
        }
        current += (current.isEmpty() ? QString() : u"\n"_s) + rendered;
        ++currentCount;
    }
    if (!current.isEmpty()) {
        chunks << current;
        chunkCounts << currentCount;
    }

    if (chunks.size() <= 1) {
        return summarizeText(chunks.value(0), request.gradients.size(), budget / 2, summary);
    }

    // Each chunk gets its share of the budget so that the joined summaries fit it as well.
    const int share = budget / int(chunks.size());
    QString joined;
    bool anyContent = false;
    int first = 1;
    for (int c = 0; c < chunks.size(); ++c) {
        QString part;
        const ChatResult r = summarizeText(chunks[c], chunkCounts[c], share, &part);
        if (!r.ok)
            return r;
        anyContent = anyContent || !part.isEmpty();
        const int last = first + int(chunkCounts[c]) - 1;
        joined += u"## Summary of feedback "_s + QString::number(first) + u" to "_s
                  + QString::number(last) + u"\n"_s + part + u"\n\n"_s;
        first = last + 1;
    }
    joined = anyContent ? joined.trimmed() : QString();
    if (GradientBudget::estimateTokens(joined) > budget) {
        // The partial summaries are still too long together: one more pass over them.
        ChatResult r = summarizeText(joined, request.gradients.size(), budget / 2, summary);
        return r;
    }
    *summary = joined;
    ChatResult ok;
    ok.ok = true;
    ok.text = joined;
    return ok;
}

OptimizerResult TgdOptimizer::step(const OptimizerRequest &request, const CallTag &tag) const
{
    OptimizerResult result;
    result.newValue = request.currentValue;
    PromptVersion &version = result.version;
    version.step = request.step;
    version.nodeId = request.nodeId;
    version.value = request.currentValue;
    version.previous = request.currentValue;
    version.gradientsTotal = int(request.gradients.size());

    auto addEvent = [&](const QString &kind, const QString &message) {
        RunEvent event;
        event.step = request.step;
        event.kind = kind;
        event.nodeId = request.nodeId;
        event.message = message;
        result.events.append(event);
    };
    auto fail = [&](const ChatResult &failure) {
        result.ok = false;
        result.failure = failure;
        return result;
    };

    const int budget = m_settings.gradientTokenBudget;
    int totalTokens = 0;
    for (int i = 0; i < request.gradients.size(); ++i)
        totalTokens += GradientBudget::estimateTokens(
            GradientBudget::renderGradient(request.gradients[i], i + 1));
    const bool overBudget = budget > 0 && totalTokens > budget;

    QVector<ChatMessage> messages;
    bool haveMessages = false;
    if (overBudget && m_settings.budgetMode == u"summarize"_s) {
        QString summary;
        int calls = 0;
        const ChatResult r = summarize(request, tag, &summary, &calls);
        if (!r.ok)
            return fail(r);
        if (summary.size() > qsizetype(budget) * 4) {
            // A summary that ignored its length target must not undo the bound; its most
            // important issues come first, so the tail is what goes.
            const qsizetype dropped = summary.size() - qsizetype(budget) * 4;
            summary = summary.left(qsizetype(budget) * 4) + u"\n[... "_s
                      + QString::number(dropped) + u" characters of the summary left out ...]"_s;
        }
        if (!summary.isEmpty()) {
            const QString n = QString::number(request.gradients.size());
            messages = buildMessagesFromText(
                request, summary,
                u"The "_s + n + u" pieces of feedback were too long to show in full (about "_s
                    + QString::number(totalTokens) + u" tokens), so they were condensed into the "
                                                      u"summary below. It covers all of them."_s);
            haveMessages = true;
            version.gradientsUsed = version.gradientsTotal;
            addEvent(u"gradients-summarized"_s,
                     u"the "_s + n + u" gradients (about "_s + QString::number(totalTokens)
                         + u" tokens; budget "_s + QString::number(budget)
                         + u") were condensed by "_s + count(calls, u"extra call"_s, u"extra calls"_s)
                         + u" into a summary of about "_s
                         + QString::number(GradientBudget::estimateTokens(summary))
                         + u" tokens; the optimizer saw the summary instead of the gradients"_s);
        } else {
            addEvent(u"empty-reply"_s, u"the gradient summary came back empty; the gradients "
                                       u"are sampled to fit the budget instead"_s);
        }
    }
    if (!haveMessages) {
        const BoundedGradients bounded = GradientBudget::sample(
            request.gradients, budget, m_settings.seed ^ quint64(request.step));
        QString note;
        if (bounded.bounded) {
            addEvent(u"gradients-bounded"_s, bounded.note);
            note = u"Only part of the feedback is shown, to keep this request within its size "
                   u"limit ("_s
                   + bounded.note
                   + u"). Treat what is shown as a representative sample of all of it."_s;
        }
        messages = buildMessages(request, bounded.kept, note);
        version.gradientsUsed = int(bounded.kept.size());
    }
    version.optimizerPrompt = messagesJson(messages);

    ChatResult reply = call(messages, tag);
    if (!reply.ok)
        return fail(reply);
    version.optimizerReply = reply.text;
    ParsedReply parsed = ReplyParser::parse(reply.text, m_settings.tag);

    const QString openTag = u"<"_s + m_settings.tag + u">"_s;
    if (parsed.status == ParsedReply::Status::MissingOpenTag) {
        addEvent(u"missing-open-tag"_s,
                 u"the optimizer reply has no "_s + openTag + u" tag; asking once more"_s);
        QVector<ChatMessage> again = messages;
        again.append(ChatMessage{u"assistant"_s, reply.text});
        again.append(ChatMessage{
            u"user"_s, m_prompts.render(u"optimizer_reask"_s, {{u"tag"_s, m_settings.tag}})});
        addEvent(u"reask"_s, u"re-asked the optimizer for the value between "_s + openTag
                                 + u" and </"_s + m_settings.tag + u">"_s);
        reply = call(again, tag);
        if (!reply.ok)
            return fail(reply);
        version.optimizerReply = reply.text;
        parsed = ReplyParser::parse(reply.text, m_settings.tag);
        if (parsed.status == ParsedReply::Status::MissingOpenTag) {
            addEvent(u"unusable-reply"_s, u"the re-asked reply still has no "_s + openTag
                                              + u" tag; the value is kept unchanged"_s);
            return result;
        }
    }

    switch (parsed.status) {
    case ParsedReply::Status::Empty:
        addEvent(u"empty-reply"_s,
                 u"the optimizer reply holds no new value; the value is kept unchanged"_s);
        return result;
    case ParsedReply::Status::MissingCloseTag:
        addEvent(u"missing-close-tag"_s,
                 u"the optimizer reply has no closing </"_s + m_settings.tag
                     + u"> tag (possibly cut off); the text after the opening tag was used"_s);
        break;
    case ParsedReply::Status::Ok:
    case ParsedReply::Status::MissingOpenTag:
        break;
    }

    if (parsed.value == request.currentValue || parsed.value == request.currentValue.trimmed()) {
        addEvent(u"no-change"_s, u"the optimizer returned the current value unchanged"_s);
        return result;
    }
    result.changed = true;
    result.newValue = parsed.value;
    version.value = parsed.value;
    version.changed = true;
    return result;
}
