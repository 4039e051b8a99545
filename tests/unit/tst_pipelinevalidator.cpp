#include "graph/PipelineJson.h"
#include "graph/PipelineValidator.h"
#include "PipelineExamples.h"

#include <QJsonDocument>
#include <QTest>

#include <functional>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(Pipeline)

namespace {

Pipeline contractPipeline()
{
    Pipeline p;
    const QJsonObject json = QJsonDocument::fromJson(QByteArray(kContractExample)).object();
    if (!PipelineJson::fromJson(json, &p, nullptr))
        qFatal("the contract example does not load");
    return p;
}

Pipeline edited(const std::function<void(Pipeline &)> &edit)
{
    Pipeline p = contractPipeline();
    edit(p);
    return p;
}

PipelineNode &nodeOf(Pipeline &p, const QString &id)
{
    PipelineNode *n = p.node(id);
    Q_ASSERT(n);
    return *n;
}

QString joined(const QVector<PipelineIssue> &issues)
{
    QStringList lines;
    for (const PipelineIssue &i : issues)
        lines << i.toString();
    return lines.join(u'\n');
}

} // namespace

class TestPipelineValidator : public QObject
{
    Q_OBJECT

private slots:
    void contractExampleIsValid()
    {
        const QVector<PipelineIssue> issues = PipelineValidator::validate(contractPipeline());
        QVERIFY2(issues.isEmpty(), qPrintable(joined(issues)));
        QVERIFY(!PipelineValidator::hasErrors(issues));
    }

    void issues_data()
    {
        QTest::addColumn<Pipeline>("pipeline");
        QTest::addColumn<bool>("isError");
        QTest::addColumn<QString>("expected");   // a line of PipelineIssue::toString()

        auto row = [](const char *name, bool isError, const QString &expected,
                      const std::function<void(Pipeline &)> &edit) {
            QTest::newRow(name) << edited(edit) << isError << expected;
        };

        row("duplicate id", true, u"node \"question\": duplicate id: nodes 2 and 4"_s,
            [](Pipeline &p) { nodeOf(p, u"reference"_s).id = u"question"_s; });
        row("empty id", true, u"node 2 has an empty \"id\""_s,
            [](Pipeline &p) { nodeOf(p, u"question"_s).id = QString(); });
        row("dangling input", true,
            u"node \"answer\": input \"question\" refers to unknown node \"q\""_s,
            [](Pipeline &p) { nodeOf(p, u"answer"_s).inputs[u"question"_s] = u"q"_s; });
        row("cycle", true,
            u"node \"system_prompt\": cycle: system_prompt -> answer -> system_prompt"_s,
            [](Pipeline &p) { nodeOf(p, u"system_prompt"_s).inputs[u"x"_s] = u"answer"_s; });
        row("self loop", true, u"node \"answer\": cycle: answer -> answer"_s,
            [](Pipeline &p) { nodeOf(p, u"answer"_s).inputs[u"self"_s] = u"answer"_s; });
        row("llm without engine", true, u"node \"answer\": llm node has no \"engine\""_s,
            [](Pipeline &p) { nodeOf(p, u"answer"_s).engine.clear(); });
        row("llm engine undefined", true,
            u"node \"answer\": engine \"nope\" is not defined in \"engines\""_s,
            [](Pipeline &p) { nodeOf(p, u"answer"_s).engine = u"nope"_s; });
        row("unknown provider", true, u"engine \"student\": unknown provider \"openia\""_s,
            [](Pipeline &p) { p.engines[u"student"_s].provider = u"openia"_s; });
        row("azure without deployment", true,
            u"engine \"student\": provider \"azure-openai\" needs \"deployment\""_s,
            [](Pipeline &p) { p.engines[u"student"_s].provider = u"azure-openai"_s; });
        row("gemini stream", false, u"engine \"student\": \"stream\" is not supported for gemini yet"_s,
            [](Pipeline &p) {
                p.engines[u"student"_s].provider = u"gemini"_s;
                p.engines[u"student"_s].stream = true;
            });
        row("engine without model", true, u"engine \"teacher\": no \"model\""_s,
            [](Pipeline &p) { p.engines[u"teacher"_s].model.clear(); });
        row("compatible without baseUrl", true,
            u"engine \"student\": provider \"openai-compatible\" has no default address; set \"baseUrl\""_s,
            [](Pipeline &p) { p.engines[u"student"_s].baseUrl.clear(); });
        row("placeholder without input", true,
            u"node \"answer\": template placeholder {foo} has no input"_s,
            [](Pipeline &p) { nodeOf(p, u"answer"_s).templateText = u"{question} {foo}"_s; });
        row("port unused by template", false,
            u"warning: node \"answer\": input \"hint\" is not used by the template (no {hint} placeholder)"_s,
            [](Pipeline &p) { nodeOf(p, u"answer"_s).inputs[u"hint"_s] = u"reference"_s; });
        row("input without field", true,
            u"node \"question\": input node has no \"field\""_s,
            [](Pipeline &p) { nodeOf(p, u"question"_s).field.clear(); });
        row("trainable without role", false,
            u"warning: node \"system_prompt\": trainable parameter has no \"role\""_s,
            [](Pipeline &p) { nodeOf(p, u"system_prompt"_s).role.clear(); });
        row("unknown metric", true, u"node \"score\": unknown metric \"exact\""_s,
            [](Pipeline &p) { nodeOf(p, u"score"_s).metric = u"exact"_s; });
        row("metric kind missing", true, u"node \"score\": metric node has no \"metric\""_s,
            [](Pipeline &p) { nodeOf(p, u"score"_s).metric.clear(); });
        row("regex without pattern", true, u"node \"score\": regex metric has no \"pattern\""_s,
            [](Pipeline &p) { nodeOf(p, u"score"_s).metric = u"regex"_s; });
        row("regex invalid", true,
            u"node \"score\": \"pattern\" is not a valid regular expression"_s, [](Pipeline &p) {
                nodeOf(p, u"score"_s).metric = u"regex"_s;
                nodeOf(p, u"score"_s).pattern = u"(unclosed"_s;
            });
        row("answerPattern invalid", true,
            u"node \"score\": \"answerPattern\" is not a valid regular expression"_s,
            [](Pipeline &p) { nodeOf(p, u"score"_s).metricOptions.answerPattern = u"[a"_s; });
        row("metric without reference", true, u"node \"score\": metric has no \"reference\" input"_s,
            [](Pipeline &p) { nodeOf(p, u"score"_s).inputs.remove(u"reference"_s); });
        row("metric without prediction", true,
            u"node \"score\": metric has no \"prediction\" input"_s,
            [](Pipeline &p) { nodeOf(p, u"score"_s).inputs.remove(u"prediction"_s); });
        auto toJudge = [](Pipeline &p) {
            PipelineNode &n = nodeOf(p, u"score"_s);
            n.type = NodeType::Judge;
            n.engine = u"teacher"_s;
            n.inputs = { { u"answer"_s, u"answer"_s } };
            n.rubric.criteria = { RubricCriterion{ u"correct"_s, u"is right"_s, 1.0, {} } };
        };
        row("judge without criteria", true, u"node \"score\": judge rubric has no criteria"_s,
            [toJudge](Pipeline &p) {
                toJudge(p);
                nodeOf(p, u"score"_s).rubric.criteria.clear();
            });
        row("judge scale invalid", true, u"node \"score\": judge rubric scale [5, 1] is invalid"_s,
            [toJudge](Pipeline &p) {
                toJudge(p);
                nodeOf(p, u"score"_s).rubric.scaleMin = 5;
                nodeOf(p, u"score"_s).rubric.scaleMax = 1;
            });
        row("judge without engine", true, u"node \"score\": judge node has no \"engine\""_s,
            [toJudge](Pipeline &p) {
                toJudge(p);
                nodeOf(p, u"score"_s).engine.clear();
            });
        row("objective missing", true, u"no \"objective\""_s,
            [](Pipeline &p) { p.objective.clear(); });
        row("objective unknown", true, u"\"objective\" refers to unknown node \"nope\""_s,
            [](Pipeline &p) { p.objective = u"nope"_s; });
        row("objective not a loss", true,
            u"node \"answer\": the objective must be a metric or judge node, not llm"_s,
            [](Pipeline &p) { p.objective = u"answer"_s; });
        row("nothing trainable", true, u"nothing to optimize"_s,
            [](Pipeline &p) { nodeOf(p, u"system_prompt"_s).trainable = false; });
        row("backwardEngine missing", true, u"no \"backwardEngine\""_s,
            [](Pipeline &p) { p.backwardEngine.clear(); });
        row("backwardEngine unknown", true,
            u"\"backwardEngine\" \"nope\" is not defined in \"engines\""_s,
            [](Pipeline &p) { p.backwardEngine = u"nope"_s; });
        row("optimizer engine unknown", true,
            u"optimizer: \"engine\" \"nope\" is not defined in \"engines\""_s,
            [](Pipeline &p) { p.optimizer.engine = u"nope"_s; });
        row("batchSize", true, u"optimizer: \"batchSize\" must be at least 1 (it is 0)"_s,
            [](Pipeline &p) { p.optimizer.batchSize = 0; });
        row("maxSteps", true, u"optimizer: \"maxSteps\" must be at least 1"_s,
            [](Pipeline &p) { p.optimizer.maxSteps = 0; });
        row("epochs", true, u"optimizer: \"epochs\" must be at least 1"_s,
            [](Pipeline &p) { p.optimizer.epochs = -1; });
        row("concurrency", true, u"optimizer: \"concurrency\" must be at least 1"_s,
            [](Pipeline &p) { p.optimizer.concurrency = 0; });
        row("validation", true,
            u"optimizer: \"validation\" must be one of none, revert-if-worse (it is \"always\")"_s,
            [](Pipeline &p) { p.optimizer.validation = u"always"_s; });
        row("kind", true, u"optimizer: \"kind\" must be one of tgd, tgd-momentum"_s,
            [](Pipeline &p) { p.optimizer.kind = u"adam"_s; });
        row("budgetMode", true, u"optimizer: \"budgetMode\" must be one of sample, summarize"_s,
            [](Pipeline &p) { p.optimizer.budgetMode = u"all"_s; });
    }

    void issues()
    {
        QFETCH(Pipeline, pipeline);
        QFETCH(bool, isError);
        QFETCH(QString, expected);

        const QVector<PipelineIssue> issues = PipelineValidator::validate(pipeline);
        const QString text = joined(issues);
        QVERIFY2(text.contains(expected), qPrintable(u"got:\n"_s + text));
        QCOMPARE(PipelineValidator::hasErrors(issues), isError);
    }

    void everyPresetIsAccepted()
    {
        for (const QString &provider : { u"openai"_s, u"openai-compatible"_s, u"ollama"_s, u"vllm"_s,
                                         u"llamacpp"_s, u"lmstudio"_s, u"openrouter"_s, u"together"_s,
                                         u"groq"_s, u"deepseek"_s, u"mistral"_s, u"anthropic"_s,
                                         u"gemini"_s, u"azure-openai"_s }) {
            const Pipeline p = edited([&provider](Pipeline &p) {
                p.engines[u"student"_s].provider = provider;
                p.engines[u"student"_s].deployment = u"d"_s;
            });
            const QVector<PipelineIssue> issues = PipelineValidator::validate(p);
            QVERIFY2(!PipelineValidator::hasErrors(issues), qPrintable(provider + u": "_s + joined(issues)));
        }
    }

    void backwardEngineIsRequiredEvenWithAnOptimizerEngine()
    {
        // Backward calls always use backwardEngine; optimizer.engine does not stand in for it.
        const Pipeline p = edited([](Pipeline &p) {
            p.optimizer.engine = p.backwardEngine;
            p.backwardEngine.clear();
        });
        const QVector<PipelineIssue> issues = PipelineValidator::validate(p);
        QVERIFY2(joined(issues).contains(u"no \"backwardEngine\""_s), qPrintable(joined(issues)));
    }

    void evaluationNeedsNothingTrainable()
    {
        const Pipeline p = edited([](Pipeline &p) {
            nodeOf(p, u"system_prompt"_s).trainable = false;
            p.backwardEngine.clear();
        });
        QVERIFY(PipelineValidator::hasErrors(PipelineValidator::validate(p)));
        const QVector<PipelineIssue> forEval = PipelineValidator::validate(p, PipelineValidator::Use::Evaluate);
        QVERIFY2(!PipelineValidator::hasErrors(forEval), qPrintable(joined(forEval)));
    }

    void llmWithoutTemplateUsesEveryInput()
    {
        const Pipeline p = edited([](Pipeline &p) { nodeOf(p, u"answer"_s).templateText.clear(); });
        const QVector<PipelineIssue> issues = PipelineValidator::validate(p);
        QVERIFY2(issues.isEmpty(), qPrintable(joined(issues)));
    }

    void unknownPromptOverrideIsAnError()
    {
        const Pipeline p = edited([](Pipeline &p) {
            p.prompts.insert(u"optimiser_system"_s, u"typo"_s);
            p.prompts.insert(u"optimizer_system"_s, u"fine"_s);
        });
        const QVector<PipelineIssue> issues = PipelineValidator::validate(p);
        QCOMPARE(issues.size(), 1);
        QVERIFY(issues.first().message.contains(u"unknown prompt \"optimiser_system\""_s));
    }

    void topologicalOrderFollowsFileOrderOnTies()
    {
        Pipeline p = contractPipeline();
        QStringList order;
        QVERIFY(PipelineValidator::topologicalOrder(p, &order));
        QCOMPARE(order, (QStringList{ u"system_prompt"_s, u"question"_s, u"answer"_s,
                                      u"reference"_s, u"score"_s }));

        std::reverse(p.nodes.begin(), p.nodes.end());
        QVERIFY(PipelineValidator::topologicalOrder(p, &order));
        QCOMPARE(order, (QStringList{ u"reference"_s, u"question"_s, u"system_prompt"_s,
                                      u"answer"_s, u"score"_s }));
    }

    void cycleNamesItsNodes()
    {
        Pipeline p = contractPipeline();
        // question <- score <- answer <- question: a three-node cycle with an unrelated tail.
        nodeOf(p, u"question"_s).inputs[u"x"_s] = u"score"_s;
        QStringList order, cycle;
        QVERIFY(!PipelineValidator::topologicalOrder(p, &order, &cycle));
        QCOMPARE(cycle, (QStringList{ u"question"_s, u"answer"_s, u"score"_s }));
        QCOMPARE(order, (QStringList{ u"system_prompt"_s, u"reference"_s }));
    }

    void objectiveClosure()
    {
        Pipeline p = contractPipeline();
        PipelineNode unrelated;
        unrelated.id = u"notes"_s;
        unrelated.type = NodeType::Parameter;
        p.nodes.prepend(unrelated);
        QCOMPARE(PipelineValidator::objectiveClosure(p),
                 (QStringList{ u"system_prompt"_s, u"question"_s, u"answer"_s, u"reference"_s,
                               u"score"_s }));
        p.objective = u"answer"_s;
        QCOMPARE(PipelineValidator::objectiveClosure(p),
                 (QStringList{ u"system_prompt"_s, u"question"_s, u"answer"_s }));
    }

    void testTimePipeline()
    {
        Pipeline p = contractPipeline();
        QVERIFY(!p.isTestTime());
        p.nodes.removeIf([](const PipelineNode &n) { return n.type == NodeType::Input; });
        QVERIFY(p.isTestTime());
        QVERIFY(p.inputFields().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPipelineValidator)
#include "tst_pipelinevalidator.moc"
