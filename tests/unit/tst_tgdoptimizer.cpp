#include "optimizer/GradientBudget.h"
#include "optimizer/TgdOptimizer.h"
#include "prompts/PromptLibrary.h"

#include "ScriptedClient.h"

#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString Tag = u"IMPROVED_VARIABLE"_s;

QString wrapped(const QString &value)
{
    return u"Some reasoning.\n<IMPROVED_VARIABLE>\n"_s + value + u"\n</IMPROVED_VARIABLE>"_s;
}

GradientRecord gradient(int sample, const QString &feedback, const QString &context)
{
    GradientRecord g;
    g.step = 1;
    g.targetNode = u"system"_s;
    g.sourceNode = u"answer"_s;
    g.sampleIndex = sample;
    g.mode = u"base"_s;
    g.feedback = feedback;
    g.conversation = QJsonArray{
        QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, u"You criticise variables."_s}},
        QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, context}},
    };
    return g;
}

QString longValue(int words)
{
    QStringList out;
    for (int i = 0; i < words; ++i)
        out << u"word"_s + QString::number(i);
    return out.join(u' ');
}

OptimizerRequest basicRequest()
{
    OptimizerRequest r;
    r.nodeId = u"system"_s;
    r.role = u"system prompt for a math tutor"_s;
    r.currentValue = u"Solve the problem."_s;
    r.step = 2;
    r.gradients << gradient(0, u"FEEDBACK-ZERO: show the steps"_s, u"CONTEXT-ZERO: 2+2"_s)
                << gradient(1, u"FEEDBACK-ONE: state the unit"_s, u"CONTEXT-ONE: 3 apples"_s);
    return r;
}

EngineConfig engine()
{
    EngineConfig e;
    e.name = u"teacher"_s;
    e.provider = u"openai"_s;
    e.model = u"test-model"_s;
    return e;
}

CallTag optimizerTag(int step)
{
    CallTag t;
    t.runId = u"run"_s;
    t.step = step;
    t.purpose = CallPurpose::Optimizer;
    t.nodeId = u"system"_s;
    return t;
}

QStringList kinds(const OptimizerResult &r)
{
    QStringList out;
    for (const RunEvent &e : r.events)
        out << e.kind;
    return out;
}

QString allText(const ChatRequest &request)
{
    QString out;
    for (const ChatMessage &m : request.messages)
        out += m.content + u"\n"_s;
    return out;
}

} // namespace

class TestTgdOptimizer : public QObject
{
    Q_OBJECT

private slots:
    void promptShowsEverything();
    void promptHasNoDanglingSections();
    void valueWithPlaceholdersIsVerbatim();
    void reaskOnceOnMissingOpenTag();
    void twiceMissingKeepsValue();
    void missingCloseTagTolerated();
    void emptyReplyKeepsValue();
    void identicalValueIsNoChange();
    void customTag();
    void momentumMemory();
    void momentumWindow();
    void memoryIgnoredForPlainTgd();
    void sampleModeBoundsPrompt();
    void summarizeMode();
    void summarizeModeChunks();
    void overlongSummaryIsCapped();
    void providerFailure();
    void providerFailureOnReask();
    void cancelled();
    void overrideIsUsed();
    void fillDoesNotRescan();
    void builtInPrompts();
};

void TestTgdOptimizer::promptShowsEverything()
{
    ScriptedClient client([](const ChatRequest &) { return ScriptedClient::text(wrapped(u"NEW"_s)); });
    OptimizerSettings settings;
    TgdOptimizer optimizer(settings, PromptLibrary(), &client, engine(), nullptr, makeCancelFlag());

    OptimizerRequest request = basicRequest();
    request.currentValue = longValue(400);
    request.constraints << u"Keep it under 200 words."_s << u"Answer in English."_s;
    request.examples << u"EXAMPLE-ALPHA: think step by step"_s << u"EXAMPLE-BETA: be terse"_s;

    const OptimizerResult result = optimizer.step(request, optimizerTag(2));
    QVERIFY(result.ok);
    QCOMPARE(client.count(), 1);
    const ChatRequest sent = client.requests().first();
    QCOMPARE(sent.tag.purpose, CallPurpose::Optimizer);
    QCOMPARE(sent.engine.model, u"test-model"_s);
    QCOMPARE(sent.messages.size(), 2);
    QCOMPARE(sent.messages[0].role, u"system"_s);
    QCOMPARE(sent.messages[1].role, u"user"_s);

    const QString user = ScriptedClient::lastUser(sent);
    QVERIFY(user.contains(request.currentValue));   // the full value, verbatim
    QVERIFY(user.contains(u"word399"_s));
    QVERIFY(user.contains(request.role));
    QVERIFY(user.contains(u"FEEDBACK-ZERO: show the steps"_s));
    QVERIFY(user.contains(u"FEEDBACK-ONE: state the unit"_s));
    QVERIFY(user.contains(u"CONTEXT-ZERO: 2+2"_s));
    QVERIFY(user.contains(u"CONTEXT-ONE: 3 apples"_s));
    QVERIFY(user.contains(u"Constraint 1: Keep it under 200 words."_s));
    QVERIFY(user.contains(u"Constraint 2: Answer in English."_s));
    QVERIFY(user.contains(u"EXAMPLE-ALPHA: think step by step"_s));
    QVERIFY(user.contains(u"EXAMPLE-BETA: be terse"_s));
    QVERIFY(user.contains(u"<IMPROVED_VARIABLE>"_s));
    QVERIFY(user.contains(u"</IMPROVED_VARIABLE>"_s));
    QVERIFY(ScriptedClient::systemText(sent).contains(u"<IMPROVED_VARIABLE>"_s));
    QVERIFY(!allText(sent).contains(u"{{"_s));

    QVERIFY(result.changed);
    QCOMPARE(result.newValue, u"NEW"_s);
    QVERIFY(result.events.isEmpty());
    const PromptVersion &v = result.version;
    QCOMPARE(v.step, 2);
    QCOMPARE(v.nodeId, u"system"_s);
    QCOMPARE(v.value, u"NEW"_s);
    QCOMPARE(v.previous, request.currentValue);
    QVERIFY(v.changed);
    QCOMPARE(v.optimizerReply, wrapped(u"NEW"_s));
    QCOMPARE(v.gradientsUsed, 2);
    QCOMPARE(v.gradientsTotal, 2);
    QCOMPARE(v.optimizerPrompt.size(), 2);
    QCOMPARE(v.optimizerPrompt[1].toObject().value(u"content"_s).toString(), user);
    QCOMPARE(v.optimizerPrompt[0].toObject().value(u"role"_s).toString(), u"system"_s);
}

void TestTgdOptimizer::promptHasNoDanglingSections()
{
    ScriptedClient client([](const ChatRequest &) { return ScriptedClient::text(wrapped(u"NEW"_s)); });
    OptimizerSettings settings;
    settings.kind = u"tgd-momentum"_s;
    TgdOptimizer optimizer(settings, PromptLibrary(), &client, engine(), nullptr, makeCancelFlag());
    const QVector<ChatMessage> messages = optimizer.buildMessages(basicRequest(), basicRequest().gradients, {});
    const QString user = messages.last().content;
    QVERIFY(!user.contains(u"Constraint"_s));
    QVERIFY(!user.contains(u"# Examples"_s));
    QVERIFY(!user.contains(u"# Earlier steps"_s));
    QVERIFY(!user.contains(u"{{"_s));
    QVERIFY(!user.contains(u"\n\n\n"_s));
}

void TestTgdOptimizer::valueWithPlaceholdersIsVerbatim()
{
    ScriptedClient client([](const ChatRequest &) { return ScriptedClient::text(wrapped(u"NEW"_s)); });
    TgdOptimizer optimizer(OptimizerSettings(), PromptLibrary(), &client, engine(), nullptr,
                           makeCancelFlag());
    OptimizerRequest request = basicRequest();
    request.currentValue = u"Answer {question}. Literal {{gradients}} and {{tag}} stay."_s;
    optimizer.step(request, optimizerTag(1));
    QVERIFY(ScriptedClient::lastUser(client.requests().first()).contains(request.currentValue));
}

void TestTgdOptimizer::reaskOnceOnMissingOpenTag()
{
    ScriptedClient client([](const ChatRequest &r) {
        return ScriptedClient::text(r.messages.size() == 2 ? u"Here you go: Solve it carefully."_s
                                                           : wrapped(u"Solve it carefully."_s));
    });
    TgdOptimizer optimizer(OptimizerSettings(), PromptLibrary(), &client, engine(), nullptr,
                           makeCancelFlag());
    const OptimizerResult result = optimizer.step(basicRequest(), optimizerTag(2));
    QVERIFY(result.ok);
    QCOMPARE(client.count(), 2);
    const ChatRequest second = client.requests().at(1);
    QCOMPARE(second.messages.size(), 4);
    QCOMPARE(second.messages[2].role, u"assistant"_s);
    QCOMPARE(second.messages[2].content, u"Here you go: Solve it carefully."_s);
    QCOMPARE(second.messages[3].role, u"user"_s);
    QVERIFY(second.messages[3].content.contains(u"<IMPROVED_VARIABLE>"_s));
    QVERIFY(second.messages[3].content.contains(u"</IMPROVED_VARIABLE>"_s));
    QCOMPARE(second.messages[1].content, client.requests().first().messages[1].content);
    QCOMPARE(second.tag.purpose, CallPurpose::Optimizer);

    QVERIFY(result.changed);
    QCOMPARE(result.newValue, u"Solve it carefully."_s);
    QCOMPARE(kinds(result), (QStringList{u"missing-open-tag"_s, u"reask"_s}));
    QCOMPARE(result.version.optimizerReply, wrapped(u"Solve it carefully."_s));
    QCOMPARE(result.version.optimizerPrompt.size(), 2);   // the first call's messages
    for (const RunEvent &e : result.events) {
        QCOMPARE(e.step, 2);
        QCOMPARE(e.nodeId, u"system"_s);
        QVERIFY(!e.message.isEmpty());
    }
}

void TestTgdOptimizer::twiceMissingKeepsValue()
{
    ScriptedClient client([](const ChatRequest &) { return ScriptedClient::text(u"I think it is fine."_s); });
    TgdOptimizer optimizer(OptimizerSettings(), PromptLibrary(), &client, engine(), nullptr,
                           makeCancelFlag());
    const OptimizerRequest request = basicRequest();
    const OptimizerResult result = optimizer.step(request, optimizerTag(2));
    QVERIFY(result.ok);
    QCOMPARE(client.count(), 2);
    QVERIFY(!result.changed);
    QCOMPARE(result.newValue, request.currentValue);
    QCOMPARE(result.version.value, request.currentValue);
    QVERIFY(!result.version.changed);
    QCOMPARE(kinds(result),
             (QStringList{u"missing-open-tag"_s, u"reask"_s, u"unusable-reply"_s}));
}

void TestTgdOptimizer::missingCloseTagTolerated()
{
    ScriptedClient client([](const ChatRequest &) {
        return ScriptedClient::text(u"<IMPROVED_VARIABLE>\nSolve it, showing steps."_s);
    });
    TgdOptimizer optimizer(OptimizerSettings(), PromptLibrary(), &client, engine(), nullptr,
                           makeCancelFlag());
    const OptimizerResult result = optimizer.step(basicRequest(), optimizerTag(2));
    QVERIFY(result.ok);
    QCOMPARE(client.count(), 1);
    QVERIFY(result.changed);
    QCOMPARE(result.newValue, u"Solve it, showing steps."_s);
    QCOMPARE(kinds(result), QStringList{u"missing-close-tag"_s});
}

void TestTgdOptimizer::emptyReplyKeepsValue()
{
    for (const QString &reply : {QString(), u"  \n"_s, u"<IMPROVED_VARIABLE>   </IMPROVED_VARIABLE>"_s}) {
        ScriptedClient client([reply](const ChatRequest &) { return ScriptedClient::text(reply); });
        TgdOptimizer optimizer(OptimizerSettings(), PromptLibrary(), &client, engine(), nullptr,
                               makeCancelFlag());
        const OptimizerRequest request = basicRequest();
        const OptimizerResult result = optimizer.step(request, optimizerTag(2));
        QVERIFY(result.ok);
        QCOMPARE(client.count(), 1);
        QVERIFY(!result.changed);
        QCOMPARE(result.newValue, request.currentValue);
        QCOMPARE(kinds(result), QStringList{u"empty-reply"_s});
    }
}

void TestTgdOptimizer::identicalValueIsNoChange()
{
    ScriptedClient client([](const ChatRequest &) { return ScriptedClient::text(wrapped(u"Solve the problem."_s)); });
    TgdOptimizer optimizer(OptimizerSettings(), PromptLibrary(), &client, engine(), nullptr,
                           makeCancelFlag());
    const OptimizerResult result = optimizer.step(basicRequest(), optimizerTag(2));
    QVERIFY(result.ok);
    QVERIFY(!result.changed);
    QCOMPARE(kinds(result), QStringList{u"no-change"_s});
}

void TestTgdOptimizer::customTag()
{
    ScriptedClient client([](const ChatRequest &r) {
        return ScriptedClient::text(r.messages.size() == 2 ? u"<NEW_PROMPT>custom</NEW_PROMPT>"_s
                                                           : QString());
    });
    OptimizerSettings settings;
    settings.tag = u"NEW_PROMPT"_s;
    TgdOptimizer optimizer(settings, PromptLibrary(), &client, engine(), nullptr, makeCancelFlag());
    const OptimizerResult result = optimizer.step(basicRequest(), optimizerTag(1));
    QVERIFY(result.changed);
    QCOMPARE(result.newValue, u"custom"_s);
    const QString text = allText(client.requests().first());
    QVERIFY(text.contains(u"<NEW_PROMPT>"_s));
    QVERIFY(!text.contains(u"IMPROVED_VARIABLE"_s));
}

void TestTgdOptimizer::momentumMemory()
{
    ScriptedClient client([](const ChatRequest &) { return ScriptedClient::text(wrapped(u"NEW"_s)); });
    OptimizerSettings settings;
    settings.kind = u"tgd-momentum"_s;
    settings.momentumWindow = 3;
    TgdOptimizer optimizer(settings, PromptLibrary(), &client, engine(), nullptr, makeCancelFlag());

    OptimizerRequest request = basicRequest();
    request.step = 3;
    MemoryEntry accepted;
    accepted.step = 1;
    accepted.value = u"ACCEPTED-VALUE-1"_s;
    accepted.feedback = u"ACCEPTED-FEEDBACK-1: mention units"_s;
    accepted.accepted = true;
    accepted.valScore = 0.7;
    MemoryEntry rejected;
    rejected.step = 2;
    rejected.value = u"REJECTED-VALUE-2"_s;
    rejected.feedback = u"REJECTED-FEEDBACK-2: be much longer"_s;
    rejected.accepted = false;
    rejected.valScore = 0.4;
    request.memory << accepted << rejected;

    optimizer.step(request, optimizerTag(3));
    const QString user = ScriptedClient::lastUser(client.requests().first());
    QVERIFY(user.contains(u"ACCEPTED-FEEDBACK-1: mention units"_s));
    QVERIFY(user.contains(u"ACCEPTED-VALUE-1"_s));
    QVERIFY(user.contains(u"feedback from step 1 that was already acted on; the value then was"_s,
                          Qt::CaseInsensitive));
    QVERIFY(user.contains(u"REJECTED-VALUE-2"_s));
    QVERIFY(user.contains(u"a value proposed at step 2 that validation REJECTED (score 0.4); do not return to it"_s,
                          Qt::CaseInsensitive));
    // The rejected step's feedback is not replayed as advice.
    QVERIFY(!user.contains(u"REJECTED-FEEDBACK-2"_s));
    // The rejected value is introduced as rejected, before it appears.
    QVERIFY(user.lastIndexOf(u"REJECTED ("_s, user.indexOf(u"REJECTED-VALUE-2"_s)) >= 0);
}

void TestTgdOptimizer::momentumWindow()
{
    ScriptedClient client([](const ChatRequest &) { return ScriptedClient::text(wrapped(u"NEW"_s)); });
    OptimizerSettings settings;
    settings.kind = u"tgd-momentum"_s;
    settings.momentumWindow = 2;
    TgdOptimizer optimizer(settings, PromptLibrary(), &client, engine(), nullptr, makeCancelFlag());

    OptimizerRequest request = basicRequest();
    request.step = 6;
    for (int s = 1; s <= 5; ++s) {
        MemoryEntry e;
        e.step = s;
        e.value = u"MEM-VALUE-"_s + QString::number(s);
        e.feedback = u"MEM-FEEDBACK-"_s + QString::number(s);
        request.memory << e;
    }
    optimizer.step(request, optimizerTag(6));
    const QString user = ScriptedClient::lastUser(client.requests().first());
    for (int s = 1; s <= 3; ++s)
        QVERIFY2(!user.contains(u"MEM-VALUE-"_s + QString::number(s)), qPrintable(QString::number(s)));
    QVERIFY(user.contains(u"MEM-VALUE-4"_s));
    QVERIFY(user.contains(u"MEM-FEEDBACK-4"_s));
    QVERIFY(user.contains(u"MEM-VALUE-5"_s));
    QVERIFY(user.indexOf(u"MEM-VALUE-4"_s) < user.indexOf(u"MEM-VALUE-5"_s));   // oldest first
}

void TestTgdOptimizer::memoryIgnoredForPlainTgd()
{
    ScriptedClient client([](const ChatRequest &) { return ScriptedClient::text(wrapped(u"NEW"_s)); });
    TgdOptimizer optimizer(OptimizerSettings(), PromptLibrary(), &client, engine(), nullptr,
                           makeCancelFlag());
    OptimizerRequest request = basicRequest();
    MemoryEntry e;
    e.step = 1;
    e.value = u"MEM-VALUE-1"_s;
    e.feedback = u"MEM-FEEDBACK-1"_s;
    request.memory << e;
    optimizer.step(request, optimizerTag(2));
    QVERIFY(!ScriptedClient::lastUser(client.requests().first()).contains(u"MEM-"_s));
}

void TestTgdOptimizer::sampleModeBoundsPrompt()
{
    ScriptedClient client([](const ChatRequest &) { return ScriptedClient::text(wrapped(u"NEW"_s)); });
    OptimizerSettings settings;
    settings.gradientTokenBudget = 3000;
    settings.budgetMode = u"sample"_s;
    TgdOptimizer optimizer(settings, PromptLibrary(), &client, engine(), nullptr, makeCancelFlag());

    OptimizerRequest request = basicRequest();
    request.gradients.clear();
    for (int i = 0; i < 40; ++i)   // about 1,000 tokens each: 40,000 in all
        request.gradients << gradient(i, u"FB-"_s + QString::number(i),
                                      u"CTX "_s + QString(4000, u'z'));

    const OptimizerResult result = optimizer.step(request, optimizerTag(4));
    QVERIFY(result.ok);
    QCOMPARE(client.count(), 1);

    int promptTokens = 0;
    for (const ChatMessage &m : client.requests().first().messages)
        promptTokens += GradientBudget::estimateTokens(m.content);
    int templateTokens = 0;
    OptimizerRequest empty = request;
    empty.gradients.clear();
    for (const ChatMessage &m : optimizer.buildMessages(empty, {}, {}))
        templateTokens += GradientBudget::estimateTokens(m.content);
    QVERIFY2(promptTokens <= settings.gradientTokenBudget + templateTokens + 200,
             qPrintable(QString::number(promptTokens)));
    QVERIFY(promptTokens > templateTokens);

    QVERIFY(kinds(result).contains(u"gradients-bounded"_s));
    QCOMPARE(result.version.gradientsTotal, 40);
    QVERIFY(result.version.gradientsUsed > 0);
    QVERIFY(result.version.gradientsUsed < 40);
    for (const RunEvent &e : result.events) {
        if (e.kind == u"gradients-bounded"_s)
            QVERIFY2(e.message.contains(u"of 40 gradients"_s), qPrintable(e.message));
    }
    // The optimizer is told it sees part of the feedback.
    QVERIFY(ScriptedClient::lastUser(client.requests().first()).contains(u"of 40 gradients"_s));

    // Same step, same seed: the same subset.
    client.clear();
    optimizer.step(request, optimizerTag(4));
    const QString again = ScriptedClient::lastUser(client.requests().first());
    QCOMPARE(again, result.version.optimizerPrompt[1].toObject().value(u"content"_s).toString());
}

void TestTgdOptimizer::summarizeMode()
{
    ScriptedClient client([](const ChatRequest &r) {
        if (r.messages.size() == 1)   // the summary call has no system message
            return ScriptedClient::text(u"SUMMARY-TEXT: most answers lack units."_s);
        return ScriptedClient::text(wrapped(u"NEW"_s));
    });
    OptimizerSettings settings;
    settings.gradientTokenBudget = 3000;
    settings.budgetMode = u"summarize"_s;
    TgdOptimizer optimizer(settings, PromptLibrary(), &client, engine(), nullptr, makeCancelFlag());

    OptimizerRequest request = basicRequest();
    request.gradients.clear();
    for (int i = 0; i < 8; ++i)   // about 8,000 tokens: over the budget, within one summary call
        request.gradients << gradient(i, u"FB-"_s + QString::number(i),
                                      u"CTX "_s + QString(4000, u'z'));

    const OptimizerResult result = optimizer.step(request, optimizerTag(5));
    QVERIFY(result.ok);
    QCOMPARE(client.count(), 2);
    QCOMPARE(client.count(CallPurpose::Optimizer), 2);
    const ChatRequest summaryCall = client.requests().at(0);
    const QString summaryPrompt = ScriptedClient::lastUser(summaryCall);
    for (int i = 0; i < 8; ++i)
        QVERIFY(summaryPrompt.contains(u"FB-"_s + QString::number(i)));
    QVERIFY(summaryPrompt.contains(request.role));

    const QString user = ScriptedClient::lastUser(client.requests().at(1));
    QVERIFY(user.contains(u"SUMMARY-TEXT: most answers lack units."_s));
    QVERIFY(!user.contains(u"FB-3"_s));
    QVERIFY(user.contains(request.currentValue));
    QVERIFY(kinds(result).contains(u"gradients-summarized"_s));
    QVERIFY(result.changed);
    QCOMPARE(result.version.gradientsUsed, 8);
    QCOMPARE(result.version.gradientsTotal, 8);

    // Within budget: no summary call.
    client.clear();
    const OptimizerResult small = optimizer.step(basicRequest(), optimizerTag(5));
    QCOMPARE(client.count(), 1);
    QVERIFY(small.events.isEmpty());
}

void TestTgdOptimizer::summarizeModeChunks()
{
    ScriptedClient client([](const ChatRequest &r) {
        if (r.messages.size() == 1)
            return ScriptedClient::text(u"PART-SUMMARY"_s);
        return ScriptedClient::text(wrapped(u"NEW"_s));
    });
    OptimizerSettings settings;
    settings.gradientTokenBudget = 1000;   // a summary call reads at most about 4,000 tokens
    settings.budgetMode = u"summarize"_s;
    TgdOptimizer optimizer(settings, PromptLibrary(), &client, engine(), nullptr, makeCancelFlag());

    OptimizerRequest request = basicRequest();
    request.gradients.clear();
    for (int i = 0; i < 12; ++i)   // about 12,000 tokens
        request.gradients << gradient(i, u"FB-"_s + QString::number(i),
                                      u"CTX "_s + QString(4000, u'z'));

    const OptimizerResult result = optimizer.step(request, optimizerTag(5));
    QVERIFY(result.ok);
    QVERIFY(client.count() >= 4);   // several chunk summaries, then the optimizer call
    for (int i = 0; i + 1 < client.count(); ++i) {
        const QString prompt = ScriptedClient::lastUser(client.requests().at(i));
        QVERIFY(GradientBudget::estimateTokens(prompt) < 4 * settings.gradientTokenBudget + 1000);
    }
    const QString user = ScriptedClient::lastUser(client.requests().last());
    QVERIFY(user.contains(u"PART-SUMMARY"_s));
    QVERIFY(!user.contains(u"FB-3"_s));
    QVERIFY(kinds(result).contains(u"gradients-summarized"_s));
}

void TestTgdOptimizer::overlongSummaryIsCapped()
{
    ScriptedClient client([](const ChatRequest &r) {
        if (r.messages.size() == 1)
            return ScriptedClient::text(u"SUMMARY-HEAD "_s + QString(100000, u's'));
        return ScriptedClient::text(wrapped(u"NEW"_s));
    });
    OptimizerSettings settings;
    settings.gradientTokenBudget = 2000;
    settings.budgetMode = u"summarize"_s;
    TgdOptimizer optimizer(settings, PromptLibrary(), &client, engine(), nullptr, makeCancelFlag());
    OptimizerRequest request = basicRequest();
    for (int i = 0; i < 4; ++i)
        request.gradients << gradient(10 + i, u"FB"_s, QString(4000, u'z'));
    const OptimizerResult result = optimizer.step(request, optimizerTag(3));
    QVERIFY(result.ok);
    const QString user = ScriptedClient::lastUser(client.requests().last());
    QVERIFY(user.contains(u"SUMMARY-HEAD"_s));
    QVERIFY(GradientBudget::estimateTokens(user) < settings.gradientTokenBudget + 1500);
}

void TestTgdOptimizer::providerFailure()
{
    ScriptedClient client([](const ChatRequest &) { return ScriptedClient::failure(u"HTTP 500 from test"_s); });
    TgdOptimizer optimizer(OptimizerSettings(), PromptLibrary(), &client, engine(), nullptr,
                           makeCancelFlag());
    const OptimizerRequest request = basicRequest();
    const OptimizerResult result = optimizer.step(request, optimizerTag(2));
    QVERIFY(!result.ok);
    QCOMPARE(result.failure.error, u"HTTP 500 from test"_s);
    QCOMPARE(result.failure.errorKind, CallErrorKind::Server);
    QVERIFY(!result.changed);
    QCOMPARE(result.newValue, request.currentValue);

    // A failing summary call stops the step as well.
    OptimizerSettings settings;
    settings.gradientTokenBudget = 100;
    settings.budgetMode = u"summarize"_s;
    TgdOptimizer summarizing(settings, PromptLibrary(), &client, engine(), nullptr, makeCancelFlag());
    OptimizerRequest big = basicRequest();
    big.gradients << gradient(5, u"FB"_s, QString(4000, u'q'));
    client.clear();
    const OptimizerResult r2 = summarizing.step(big, optimizerTag(2));
    QVERIFY(!r2.ok);
    QCOMPARE(client.count(), 1);
}

void TestTgdOptimizer::providerFailureOnReask()
{
    ScriptedClient client([](const ChatRequest &r) {
        return r.messages.size() == 2 ? ScriptedClient::text(u"no tags"_s)
                                      : ScriptedClient::failure(u"rate limited"_s);
    });
    TgdOptimizer optimizer(OptimizerSettings(), PromptLibrary(), &client, engine(), nullptr,
                           makeCancelFlag());
    const OptimizerResult result = optimizer.step(basicRequest(), optimizerTag(2));
    QVERIFY(!result.ok);
    QCOMPARE(result.failure.error, u"rate limited"_s);
    QCOMPARE(client.count(), 2);
}

void TestTgdOptimizer::cancelled()
{
    ScriptedClient client([](const ChatRequest &) { return ScriptedClient::text(wrapped(u"NEW"_s)); });
    CancelFlag cancel = makeCancelFlag();
    cancel->store(true);
    TgdOptimizer optimizer(OptimizerSettings(), PromptLibrary(), &client, engine(), nullptr, cancel);
    const OptimizerResult result = optimizer.step(basicRequest(), optimizerTag(2));
    QVERIFY(!result.ok);
    QCOMPARE(result.failure.errorKind, CallErrorKind::Cancelled);
    QVERIFY(!result.changed);
}

void TestTgdOptimizer::overrideIsUsed()
{
    ScriptedClient client([](const ChatRequest &) { return ScriptedClient::text(wrapped(u"NEW"_s)); });
    const PromptLibrary prompts(QMap<QString, QString>{
        {u"optimizer_system"_s, u"CUSTOM SYSTEM: reply with <{{tag}}>."_s}});
    QVERIFY(prompts.isOverridden(u"optimizer_system"_s));
    TgdOptimizer optimizer(OptimizerSettings(), prompts, &client, engine(), nullptr, makeCancelFlag());
    optimizer.step(basicRequest(), optimizerTag(1));
    QCOMPARE(ScriptedClient::systemText(client.requests().first()),
             u"CUSTOM SYSTEM: reply with <IMPROVED_VARIABLE>."_s);
    // The user template is still the built-in one.
    QVERIFY(ScriptedClient::lastUser(client.requests().first()).contains(u"Solve the problem."_s));
}

void TestTgdOptimizer::fillDoesNotRescan()
{
    const QMap<QString, QString> values{{u"a"_s, u"{{b}}"_s}, {u"b"_s, u"B"_s}, {u"c"_s, u"}}{{"_s}};
    QCOMPARE(PromptLibrary::fill(u"x {{a}} y {{b}} z {{unknown}} {{c}}{{b}}"_s, values),
             u"x {{b}} y B z {{unknown}} }}{{B"_s);
    QCOMPARE(PromptLibrary::fill(u"{{ b }} {{b"_s, values), u"B {{b"_s);
    QCOMPARE(PromptLibrary::fill(u"{{{b}}}"_s, values), u"{B}"_s);
    QCOMPARE(PromptLibrary::fill(QString(), values), QString());
}

void TestTgdOptimizer::builtInPrompts()
{
    const QStringList names = PromptLibrary::names();
    QCOMPARE(names.size(), 9);
    for (const QString &name : {u"optimizer_system"_s, u"optimizer_user"_s, u"optimizer_reask"_s,
                                u"gradient_summary"_s}) {
        QVERIFY(names.contains(name));
        QVERIFY2(!PromptLibrary::builtIn(name).trimmed().isEmpty(), qPrintable(name));
        QCOMPARE(PromptLibrary().text(name), PromptLibrary::builtIn(name));
    }
    QVERIFY(PromptLibrary::builtIn(u"no_such_prompt"_s).isEmpty());
    QVERIFY(PromptLibrary::builtIn(u"optimizer_user"_s).contains(u"{{value}}"_s));
}

QTEST_GUILESS_MAIN(TestTgdOptimizer)
#include "tst_tgdoptimizer.moc"
