// Graph recording during the forward pass and the dispatch of the backward pass: which calls are
// made, in which mode, with which text.

#include "ScriptedClient.h"
#include "TestPipelines.h"

#include "autograd/BackwardPass.h"
#include "autograd/ForwardPass.h"
#include "autograd/JudgeCall.h"
#include "graph/PipelineValidator.h"

#include <QtTest>

using namespace Qt::StringLiterals;

class TestAutograd : public QObject
{
    Q_OBJECT

private:
    struct Fixture
    {
        Pipeline pipeline;
        ComputationGraph graph;
        ForwardContext forward;
        BackwardContext backward;
    };

    void setUp(Fixture &f, const QString &json, LlmClient *client)
    {
        f.pipeline = TestPipelines::parse(json);
        f.forward.pipeline = &f.pipeline;
        f.forward.order = PipelineValidator::objectiveClosure(f.pipeline);
        f.forward.client = client;
        f.forward.cancel = makeCancelFlag();
        f.forward.step = 1;
        f.forward.split = u"train"_s;
        for (const PipelineNode &n : f.pipeline.nodes) {
            if (n.type != NodeType::Parameter)
                continue;
            Variable v;
            v.nodeId = n.id;
            v.role = n.role;
            v.value = n.value;
            v.requiresGrad = n.trainable;
            f.forward.parameterVariables.insert(n.id, f.graph.addVariable(v));
            f.forward.parameterValues.insert(n.id, n.value);
        }
        f.backward.pipeline = &f.pipeline;
        f.backward.graph = &f.graph;
        f.backward.client = client;
        f.backward.cancel = f.forward.cancel;
        f.backward.engine = f.pipeline.engines.value(f.pipeline.backwardEngine);
        f.backward.engine.name = f.pipeline.backwardEngine;
        f.backward.step = 1;
    }

    static Variable findVar(const ComputationGraph &g, const QString &node, int sample)
    {
        for (int i = 0; i < g.variableCount(); ++i) {
            const Variable v = g.variable(i);
            if (v.nodeId == node && v.sampleIndex == sample)
                return v;
        }
        return Variable();
    }

private slots:
    void forwardRecordsTheGraph()
    {
        ScriptedClient client([](const ChatRequest &) { return ScriptedClient::text(u"5"_s); });
        Fixture f;
        setUp(f, TestPipelines::arithmeticJson(), &client);
        const Dataset data = TestPipelines::additions(1);   // "1+2" -> "3"
        const SampleOutcome outcome = ForwardPass::run(f.forward, data.rows.first(), 0, &f.graph);
        QVERIFY(outcome.ok);
        QCOMPARE(outcome.score, 0.0);
        QVERIFY(outcome.evaluation.contains(u"5"_s));
        QVERIFY(outcome.evaluation.contains(u"3"_s));

        // Shared parameter leaf, then one variable per node of the sample.
        const Variable prompt = f.graph.variable(f.forward.parameterVariables.value(u"system_prompt"_s));
        QVERIFY(prompt.requiresGrad);
        QCOMPARE(prompt.producer, -1);
        QCOMPARE(prompt.sampleIndex, -1);
        const Variable question = findVar(f.graph, u"question"_s, 0);
        QCOMPARE(question.value, u"1+2"_s);
        QVERIFY(!question.requiresGrad);
        const Variable answer = findVar(f.graph, u"answer"_s, 0);
        QCOMPARE(answer.value, u"5"_s);
        QVERIFY(answer.requiresGrad);   // computed from a trainable prompt
        QCOMPARE(answer.role, u"the assistant's answer"_s);
        const Variable score = findVar(f.graph, u"score"_s, 0);
        QVERIFY(score.requiresGrad);

        const QVector<Operation> ops = f.graph.operations();
        QCOMPARE(ops.size(), 2);
        QCOMPARE(ops.at(0).kind, OperationKind::LlmCall);
        QCOMPARE(ops.at(0).inputs.value(u"system"_s), prompt.id);
        QCOMPARE(ops.at(0).inputs.value(u"question"_s), question.id);
        QCOMPARE(ops.at(0).output, answer.id);
        QCOMPARE(answer.producer, ops.at(0).id);
        QCOMPARE(ops.at(0).conversation.size(), 3);   // system, user, assistant
        QCOMPARE(ops.at(0).conversation.at(0).content, u"You are an arithmetic assistant."_s);
        QCOMPARE(ops.at(0).conversation.at(1).content, u"1+2"_s);
        QVERIFY(!ops.at(0).isLoss);
        QCOMPARE(ops.at(1).kind, OperationKind::StringFunction);
        QVERIFY(ops.at(1).isLoss);
        QVERIFY(!ops.at(1).purpose.isEmpty());
        QCOMPARE(client.count(CallPurpose::Forward), 1);
    }

    void backwardDispatchAndExactPrompts()
    {
        // The fake backward engine echoes a fingerprint of what it received, so the test can
        // follow the feedback from one call into the next.
        int counter = 0;
        QMutex mutex;
        ScriptedClient client([&](const ChatRequest &r) {
            if (r.tag.purpose == CallPurpose::Forward)
                return ScriptedClient::text(u"5"_s);
            QMutexLocker lock(&mutex);
            return ScriptedClient::text(u"critique #%1"_s.arg(++counter));
        });
        Fixture f;
        setUp(f, TestPipelines::arithmeticJson(), &client);
        const Dataset data = TestPipelines::additions(1);
        QVERIFY(ForwardPass::run(f.forward, data.rows.first(), 0, &f.graph).ok);
        client.clear();

        const BackwardOutcome out = BackwardPass::runSample(f.backward, 0);
        QVERIFY(out.ok);
        // One call per (LLM-backed operation, predecessor requiring a gradient): metric -> answer,
        // then llm -> system prompt. The question and the reference get none.
        QCOMPARE(out.calls, 2);
        const QVector<ChatRequest> sent = client.requests();
        QCOMPARE(sent.size(), 2);
        for (const ChatRequest &r : sent) {
            QCOMPARE(r.tag.purpose, CallPurpose::Backward);
            QCOMPARE(r.engine.name, u"teacher"_s);
            QCOMPARE(r.engine.model, u"teacher-model"_s);
        }

        // Base mode on the metric: the evaluation and the prediction, criticised as the answer.
        const QString first = ScriptedClient::lastUser(sent.at(0));
        QCOMPARE(sent.at(0).tag.nodeId, u"score"_s);
        QVERIFY(first.contains(u"<EVALUATION>"_s));
        QVERIFY(first.contains(f.graph.variable(findVar(f.graph, u"score"_s, 0).id).value));
        QVERIFY(first.contains(u"<TEXT_TO_CRITICISE>\n5\n</TEXT_TO_CRITICISE>"_s));
        QVERIFY(first.contains(u"the assistant's answer"_s));
        QVERIFY(!first.contains(u"<FEEDBACK_ON_OUTPUT>"_s));
        QVERIFY(ScriptedClient::systemText(sent.at(0)).contains(u"Do not write a replacement"_s));

        // Chain mode on the llm call: the first critique is the feedback its output received.
        const QString second = ScriptedClient::lastUser(sent.at(1));
        QCOMPARE(sent.at(1).tag.nodeId, u"answer"_s);
        QVERIFY(second.contains(u"<FEEDBACK_ON_OUTPUT>\ncritique #1\n</FEEDBACK_ON_OUTPUT>"_s));
        QVERIFY(second.contains(u"<TEXT_TO_CRITICISE>\nYou are an arithmetic assistant.\n</TEXT_TO_CRITICISE>"_s));
        QVERIFY(second.contains(u"It was the system prompt of this call."_s));
        QVERIFY(second.contains(u"<SYSTEM_PROMPT>\nYou are an arithmetic assistant.\n</SYSTEM_PROMPT>"_s));
        QVERIFY(second.contains(u"<MODEL_INPUT>\n1+2\n</MODEL_INPUT>"_s));
        QVERIFY(second.contains(u"<MODEL_OUTPUT>\n5\n</MODEL_OUTPUT>"_s));

        // Gradients land on the right variables, with their conversation.
        const QVector<GradientRecord> promptGrads =
            f.graph.sortedGradients(f.forward.parameterVariables.value(u"system_prompt"_s));
        QCOMPARE(promptGrads.size(), 1);
        QCOMPARE(promptGrads.first().feedback, u"critique #2"_s);
        QCOMPARE(promptGrads.first().mode, u"chain"_s);
        QCOMPARE(promptGrads.first().sourceNode, u"answer"_s);
        QCOMPARE(promptGrads.first().conversation.size(), 3);
        QCOMPARE(promptGrads.first().conversation.last().toObject().value(u"content"_s).toString(), u"critique #2"_s);
        const Variable answer = findVar(f.graph, u"answer"_s, 0);
        QCOMPARE(answer.gradients.size(), 1);
        QCOMPARE(answer.gradients.first().mode, u"base"_s);
        QCOMPARE(answer.gradients.first().feedback, u"critique #1"_s);
    }

    void gradientFlowsThroughTwoLlmCalls()
    {
        ScriptedClient client([](const ChatRequest &r) {
            if (r.tag.purpose == CallPurpose::Backward)
                return ScriptedClient::text(u"fix " + r.tag.nodeId);
            return ScriptedClient::text(r.tag.nodeId == u"plan"_s ? u"add them"_s : u"9"_s);
        });
        Fixture f;
        setUp(f, TestPipelines::chainJson(), &client);
        QVERIFY(ForwardPass::run(f.forward, TestPipelines::additions(1).rows.first(), 0, &f.graph).ok);
        const BackwardOutcome out = BackwardPass::runSample(f.backward, 0);
        QVERIFY(out.ok);
        // score -> answer; answer -> solver and answer -> plan; plan -> planner.
        QCOMPARE(out.calls, 4);
        const QVector<GradientRecord> planner =
            f.graph.sortedGradients(f.forward.parameterVariables.value(u"planner"_s));
        QCOMPARE(planner.size(), 1);
        QCOMPARE(planner.first().sourceNode, u"plan"_s);
        // The planner's critique was asked in chain mode with the plan's own feedback.
        const QString planCall = planner.first().conversation.at(1).toObject().value(u"content"_s).toString();
        QVERIFY(planCall.contains(u"<FEEDBACK_ON_OUTPUT>\nfix answer\n</FEEDBACK_ON_OUTPUT>"_s));
        QCOMPARE(f.graph.sortedGradients(f.forward.parameterVariables.value(u"solver"_s)).size(), 1);
    }

    void judgeScoresAndReasks()
    {
        Rubric rubric;
        rubric.criteria = {RubricCriterion{u"Correctness"_s, u"right"_s, 3.0, {}},
                           RubricCriterion{u"Brevity"_s, u"short"_s, 1.0, {}}};
        rubric.scaleMin = 1;
        rubric.scaleMax = 5;
        JudgeScore s = JudgeCall::parse(u"<CRITIQUE>ok</CRITIQUE><SCORES>\nCorrectness: 5\n**Brevity**: 1\n</SCORES>"_s, rubric);
        QVERIFY(s.parsed);
        QCOMPARE(s.score, 0.75);
        QCOMPARE(s.critique, u"ok"_s);
        s = JudgeCall::parse(u"Looks fine."_s, rubric);
        QVERIFY(!s.parsed);
        s = JudgeCall::parse(u"<SCORES>Correctness: 3</SCORES>"_s, rubric);
        QVERIFY(s.parsed);
        QCOMPARE(s.score, 0.5);
        QVERIFY(s.problem.contains(u"Brevity"_s));

        // A judge that forgets the scores is reminded once.
        int judgeCalls = 0;
        ScriptedClient client([&](const ChatRequest &r) {
            if (r.tag.purpose == CallPurpose::Loss)
                return ScriptedClient::text(++judgeCalls == 1 ? u"Fine."_s
                                                              : u"<SCORES>Correctness: 5\nBrevity: 5</SCORES>"_s);
            return ScriptedClient::text(u"3"_s);
        });
        Fixture f;
        setUp(f, TestPipelines::judgedJson(), &client);
        const SampleOutcome out = ForwardPass::run(f.forward, TestPipelines::additions(1).rows.first(), 0, &f.graph);
        QVERIFY(out.ok);
        QCOMPARE(out.score, 1.0);
        QCOMPARE(client.count(CallPurpose::Loss), 2);
        QCOMPARE(out.events.size(), 1);
        QCOMPARE(out.events.first().kind, u"judge-reask"_s);
        const ChatRequest second = client.requests().last();
        QCOMPARE(second.messages.size(), 4);   // system, user, the reply, the reminder
        QVERIFY(second.messages.last().content.contains(u"Correctness: <score>"_s));
    }

    void pipelinePromptOverridesReachTheCalls()
    {
        ScriptedClient client([](const ChatRequest &r) {
            if (r.tag.purpose == CallPurpose::Loss)
                return ScriptedClient::text(u"<SCORES>Correctness: 5\nBrevity: 5</SCORES>"_s);
            return ScriptedClient::text(u"5"_s);
        });
        Fixture f;
        setUp(f, TestPipelines::judgedJson(), &client);
        f.pipeline.prompts.insert(u"backward_system"_s, u"Our own critic for {{target_role}}."_s);
        f.pipeline.prompts.insert(u"judge_system"_s, u"Grade strictly. {{criteria}}"_s);
        f.forward.prompts = PromptLibrary(f.pipeline.prompts);
        f.backward.prompts = f.forward.prompts;
        QVERIFY(ForwardPass::run(f.forward, TestPipelines::additions(1).rows.first(), 0, &f.graph).ok);
        const ChatRequest judge = client.requests().last();
        QCOMPARE(judge.tag.purpose, CallPurpose::Loss);
        QVERIFY(ScriptedClient::systemText(judge).startsWith(u"Grade strictly. 1. Correctness (weight 3)"_s));
        client.clear();
        QVERIFY(BackwardPass::runSample(f.backward, 0).ok);
        QCOMPARE(ScriptedClient::systemText(client.requests().first()), u"Our own critic for the assistant's answer."_s);
    }

    void providerFailureStopsTheSample()
    {
        ScriptedClient client([](const ChatRequest &) { return ScriptedClient::failure(u"HTTP 500 from 127.0.0.1"_s); });
        Fixture f;
        setUp(f, TestPipelines::arithmeticJson(), &client);
        const SampleOutcome out = ForwardPass::run(f.forward, TestPipelines::additions(1).rows.first(), 0, &f.graph);
        QVERIFY(!out.ok);
        QCOMPARE(out.failedNode, u"answer"_s);
        QVERIFY(out.failure.error.contains(u"500"_s));
    }
};

QTEST_GUILESS_MAIN(TestAutograd)
#include "tst_autograd.moc"
