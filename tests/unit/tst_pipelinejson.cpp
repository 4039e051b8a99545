#include "graph/PipelineJson.h"
#include "PipelineExamples.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QJsonObject parse(const char *text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(text), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("test JSON does not parse: %s", qPrintable(error.errorString()));
    return doc.object();
}

QString joined(const QVector<PipelineIssue> &issues)
{
    QStringList lines;
    for (const PipelineIssue &i : issues)
        lines << i.toString();
    return lines.join(u'\n');
}

} // namespace

class TestPipelineJson : public QObject
{
    Q_OBJECT

private slots:
    void loadsContractExample()
    {
        Pipeline p;
        QVector<PipelineIssue> issues;
        QVERIFY2(PipelineJson::fromJson(parse(kContractExample), &p, &issues), qPrintable(joined(issues)));
        QVERIFY(issues.isEmpty());
        QCOMPARE(p.name, u"Arithmetic QA"_s);
        QCOMPARE(p.engines.size(), 2);
        QCOMPARE(p.engines.value(u"student"_s).provider, u"openai-compatible"_s);
        QCOMPARE(p.engines.value(u"student"_s).temperature, std::optional<double>(0.0));
        QCOMPARE(p.engines.value(u"student"_s).name, u"student"_s);
        QCOMPARE(p.engines.value(u"teacher"_s).model, u"gpt-4o"_s);
        QCOMPARE(p.backwardEngine, u"teacher"_s);
        QCOMPARE(p.nodes.size(), 5);
        QCOMPARE(p.trainableIds(), QStringList{ u"system_prompt"_s });
        QCOMPARE(p.inputFields(), (QStringList{ u"question"_s, u"answer"_s }));
        QVERIFY(!p.isTestTime());
        QCOMPARE(p.optimizerEngine(), u"teacher"_s);
        const PipelineNode *answer = p.node(u"answer"_s);
        QVERIFY(answer);
        QCOMPARE(answer->type, NodeType::Llm);
        QCOMPARE(answer->inputs.value(u"system"_s), u"system_prompt"_s);
        QCOMPARE(answer->templateText, u"{question}"_s);
        QCOMPARE(p.node(u"score"_s)->metric, u"exact_match"_s);
        QCOMPARE(p.objective, u"score"_s);
        QCOMPARE(p.optimizer.maxSteps, 8);
        QCOMPARE(p.optimizer.seed, quint64(1));
    }

    void roundTrip_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("contract example") << QByteArray(kContractExample);
        QTest::newRow("every key and unknown keys") << QByteArray(kEverything);
    }

    void roundTrip()
    {
        QFETCH(QByteArray, json);
        const QJsonObject original = parse(json.constData());
        Pipeline p;
        QVector<PipelineIssue> issues;
        QVERIFY2(PipelineJson::fromJson(original, &p, &issues), qPrintable(joined(issues)));
        const QJsonObject saved = PipelineJson::toJson(p);
        if (saved != original) {
            qWarning().noquote() << QJsonDocument(saved).toJson();
        }
        QCOMPARE(saved, original);

        Pipeline again;
        QVERIFY(PipelineJson::fromJson(saved, &again, &issues));
        QCOMPARE(PipelineJson::toJson(again), original);
    }

    void everythingParsed()
    {
        Pipeline p;
        QVERIFY(PipelineJson::fromJson(parse(kEverything), &p, nullptr));
        const EngineConfig e = p.engines.value(u"e"_s);
        QCOMPARE(e.stop, (QStringList{ u"END"_s, u"STOP"_s }));
        QCOMPARE(e.maxTokens, std::optional<int>(512));
        QCOMPARE(e.timeoutSeconds, 30.0);
        QCOMPARE(e.extra.value(u"x-engine"_s).toBool(), true);
        QVERIFY(!e.stream);
        const EngineConfig az = p.engines.value(u"az"_s);
        QCOMPARE(az.deployment, u"prod-4o"_s);
        QCOMPARE(az.apiVersion, u"2024-06-01"_s);
        QVERIFY(az.stream);
        QVERIFY(az.extra.isEmpty());
        QCOMPARE(p.node(u"p"_s)->position, std::optional<QPointF>(QPointF(10.5, -20)));
        QCOMPARE(p.node(u"p"_s)->extra.value(u"x-node"_s).toString(), u"kept"_s);
        const PipelineNode *m = p.node(u"m"_s);
        QVERIFY(m->metricOptions.caseSensitive);
        QVERIFY(!m->metricOptions.normalizeWhitespace);
        QCOMPARE(m->tolerance, 0.5);
        const Rubric &r = p.node(u"j"_s)->rubric;
        QCOMPARE(r.criteria.size(), 1);
        QCOMPARE(r.criteria[0].weight, 2.0);
        QCOMPARE(r.criteria[0].anchors.value(5), u"right"_s);
        QCOMPARE(r.scaleMax, 10);
        QCOMPARE(p.optimizer.kind, u"tgd-momentum"_s);
        QCOMPARE(p.optimizer.seed, quint64(42));
        QVERIFY(!p.optimizer.stopWhenPerfect);
        QCOMPARE(p.optimizerEngine(), u"e"_s);
        QCOMPARE(p.prompts.value(u"backward_base"_s), u"inline text"_s);
        QCOMPARE(p.extra.value(u"x-top"_s).toObject().value(u"kept"_s).toArray().size(), 2);
    }

    void stopAsSingleString()
    {
        QJsonObject o = parse(kContractExample);
        QJsonObject engines = o.value(u"engines"_s).toObject();
        QJsonObject teacher = engines.value(u"teacher"_s).toObject();
        teacher.insert(u"stop"_s, u"###"_s);
        engines.insert(u"teacher"_s, teacher);
        o.insert(u"engines"_s, engines);
        Pipeline p;
        QVERIFY(PipelineJson::fromJson(o, &p, nullptr));
        QCOMPARE(p.engines.value(u"teacher"_s).stop, QStringList{ u"###"_s });
    }

    // Each row edits the contract example by a JSON pointer-ish path and expects an error
    // message naming the node (if any) and the problem.
    void structuralErrors_data()
    {
        QTest::addColumn<QString>("node");     // node index to edit, -1 for top level
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("valueJson");
        QTest::addColumn<QString>("expected");

        QTest::newRow("inputs not an object") << u"2"_s << u"inputs"_s << u"[\"a\"]"_s
            << u"node \"answer\": \"inputs\" must be an object"_s;
        QTest::newRow("input port not a string") << u"2"_s << u"inputs"_s << u"{\"question\": 3}"_s
            << u"node \"answer\": \"inputs\": port \"question\" must name a node"_s;
        QTest::newRow("unknown type") << u"2"_s << u"type"_s << u"\"llmm\""_s
            << u"node \"answer\": unknown type \"llmm\""_s;
        QTest::newRow("type missing") << u"2"_s << u"type"_s << QString()
            << u"node \"answer\": missing \"type\""_s;
        QTest::newRow("trainable not bool") << u"0"_s << u"trainable"_s << u"\"yes\""_s
            << u"node \"system_prompt\": \"trainable\" must be true or false"_s;
        QTest::newRow("template not string") << u"2"_s << u"template"_s << u"42"_s
            << u"node \"answer\": \"template\" must be a string"_s;
        QTest::newRow("position malformed") << u"1"_s << u"position"_s << u"[1]"_s
            << u"node \"question\": \"position\" must be [x, y]"_s;
        QTest::newRow("tolerance not number") << u"4"_s << u"tolerance"_s << u"\"0.1\""_s
            << u"node \"score\": \"tolerance\" must be a number"_s;
        QTest::newRow("rubric not object") << u"4"_s << u"rubric"_s << u"\"be nice\""_s
            << u"node \"score\": \"rubric\" must be an object"_s;
        QTest::newRow("rubric scale") << u"4"_s << u"rubric"_s << u"{\"scale\": [1]}"_s
            << u"node \"score\": \"rubric\" \"scale\" must be [min, max]"_s;
        QTest::newRow("constraints not list") << u"0"_s << u"constraints"_s << u"\"short\""_s
            << u"node \"system_prompt\": \"constraints\" must be a list of strings"_s;
        QTest::newRow("nodes not array") << u"-1"_s << u"nodes"_s << u"{}"_s
            << u"\"nodes\" must be a list"_s;
        QTest::newRow("engines not object") << u"-1"_s << u"engines"_s << u"[]"_s
            << u"\"engines\" must be an object"_s;
        QTest::newRow("engine not object") << u"-1"_s << u"engines"_s << u"{\"e\": 1}"_s
            << u"engine \"e\": settings must be an object"_s;
        QTest::newRow("engine temperature") << u"-1"_s << u"engines"_s
            << u"{\"e\": {\"provider\": \"openai\", \"model\": \"m\", \"temperature\": \"hot\"}}"_s
            << u"engine \"e\": \"temperature\" must be a number"_s;
        QTest::newRow("engine maxTokens") << u"-1"_s << u"engines"_s
            << u"{\"e\": {\"maxTokens\": 1.5}}"_s
            << u"engine \"e\": \"maxTokens\" must be an integer"_s;
        QTest::newRow("optimizer batchSize") << u"-1"_s << u"optimizer"_s
            << u"{\"batchSize\": \"four\"}"_s << u"optimizer: \"batchSize\" must be an integer"_s;
        QTest::newRow("optimizer not object") << u"-1"_s << u"optimizer"_s << u"[]"_s
            << u"optimizer: must be an object"_s;
        QTest::newRow("objective not string") << u"-1"_s << u"objective"_s << u"1"_s
            << u"\"objective\" must be a string"_s;
        QTest::newRow("format missing") << u"-1"_s << u"format"_s << QString()
            << u"missing \"format\""_s;
        QTest::newRow("format wrong") << u"-1"_s << u"format"_s << u"\"something.else\""_s
            << u"\"format\" must be \"textgrad-workbench.pipeline\""_s;
        QTest::newRow("newer formatVersion") << u"-1"_s << u"formatVersion"_s << u"2"_s
            << u"file was written by a newer version (formatVersion 2, this build reads up to 1)"_s;
        QTest::newRow("formatVersion missing") << u"-1"_s << u"formatVersion"_s << QString()
            << u"missing \"formatVersion\""_s;
        QTest::newRow("prompt malformed") << u"-1"_s << u"prompts"_s << u"{\"backward_base\": 3}"_s
            << u"prompt \"backward_base\" must be a string or {\"file\": \"path\"}"_s;
        QTest::newRow("apiKey in engine") << u"-1"_s << u"engines"_s
            << u"{\"e\": {\"provider\": \"openai\", \"model\": \"m\", \"apiKey\": \"sk-abc123secret\"}}"_s
            << u"engine \"e\": \"apiKey\" holds an API key; keys never go in pipeline files"_s;
        QTest::newRow("key in engine") << u"-1"_s << u"engines"_s
            << u"{\"e\": {\"provider\": \"openai\", \"model\": \"m\", \"key\": \"sk-abc123secret\"}}"_s
            << u"use \"apiKeyEnv\""_s;
    }

    void structuralErrors()
    {
        QFETCH(QString, node);
        QFETCH(QString, key);
        QFETCH(QString, valueJson);
        QFETCH(QString, expected);

        QJsonObject root = parse(kContractExample);
        QJsonValue value(QJsonValue::Undefined);
        if (!valueJson.isEmpty()) {
            const QJsonDocument doc = QJsonDocument::fromJson("[" + valueJson.toUtf8() + "]");
            QVERIFY(doc.isArray());
            value = doc.array().at(0);
        }
        const int index = node.toInt();
        if (index < 0) {
            if (value.isUndefined())
                root.remove(key);
            else
                root.insert(key, value);
        } else {
            QJsonArray nodes = root.value(u"nodes"_s).toArray();
            QJsonObject n = nodes.at(index).toObject();
            if (value.isUndefined())
                n.remove(key);
            else
                n.insert(key, value);
            nodes.replace(index, n);
            root.insert(u"nodes"_s, nodes);
        }

        Pipeline p;
        QVector<PipelineIssue> issues;
        QVERIFY(!PipelineJson::fromJson(root, &p, &issues));
        const QString text = joined(issues);
        QVERIFY2(text.contains(expected), qPrintable(u"got: "_s + text));
        QVERIFY(!text.contains(u"sk-abc123secret"_s));
    }

    void secretsFromEnvironmentNamesAreFine()
    {
        // apiKeyEnv names a variable; an empty "apiKey" holds nothing and is kept as is.
        QJsonObject root = parse(kContractExample);
        QJsonObject engines = root.value(u"engines"_s).toObject();
        QJsonObject teacher = engines.value(u"teacher"_s).toObject();
        teacher.insert(u"apiKey"_s, u""_s);
        engines.insert(u"teacher"_s, teacher);
        root.insert(u"engines"_s, engines);
        Pipeline p;
        QVERIFY(PipelineJson::fromJson(root, &p, nullptr));
        QCOMPARE(PipelineJson::toJson(p), root);
    }

    void syntaxErrorHasLineAndColumn()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"broken.tgpipe.json"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\n  \"format\": \"textgrad-workbench.pipeline\",\n  \"name\" \"x\"\n}\n");
        f.close();
        Pipeline p;
        QVector<PipelineIssue> issues;
        QVERIFY(!PipelineJson::loadFile(path, &p, &issues));
        QCOMPARE(issues.size(), 1);
        // Qt reports the offset just past the offending character; either side is useful.
        static const QRegularExpression where(u"^JSON syntax error at line 3, column 1[01]: "_s);
        QVERIFY2(where.match(issues[0].message).hasMatch(), qPrintable(issues[0].message));
        QVERIFY(issues[0].toString(path).startsWith(path + u": "_s));
    }

    void fileRoundTripAndPromptFiles()
    {
        QTemporaryDir dir;
        QFile prompt(dir.filePath(u"backward.txt"_s));
        QVERIFY(prompt.open(QIODevice::WriteOnly));
        prompt.write("Be critical.\n");
        prompt.close();

        QJsonObject root = parse(kContractExample);
        root.insert(u"prompts"_s, QJsonObject{
            { u"backward_base"_s, QJsonObject{ { u"file"_s, u"backward.txt"_s } } },
            { u"optimizer_system"_s, u"inline"_s } });
        const QString path = dir.filePath(u"p.tgpipe.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(root).toJson());
        file.close();

        Pipeline p;
        QVector<PipelineIssue> issues;
        QVERIFY2(PipelineJson::loadFile(path, &p, &issues), qPrintable(joined(issues)));
        QCOMPARE(p.sourcePath, path);
        QCOMPARE(p.prompts.value(u"backward_base"_s), u"Be critical.\n"_s);
        QCOMPARE(p.prompts.value(u"optimizer_system"_s), u"inline"_s);
        QCOMPARE(PipelineJson::toJson(p), root);

        const QString copy = dir.filePath(u"copy.tgpipe.json"_s);
        QString error;
        QVERIFY2(PipelineJson::saveFile(copy, p, &error), qPrintable(error));
        Pipeline again;
        QVERIFY(PipelineJson::loadFile(copy, &again, &issues));
        QCOMPARE(PipelineJson::toJson(again), root);
    }

    void missingPromptFileIsAnError()
    {
        QJsonObject root = parse(kContractExample);
        root.insert(u"prompts"_s, QJsonObject{
            { u"backward_base"_s, QJsonObject{ { u"file"_s, u"nope.txt"_s } } } });
        QTemporaryDir dir;
        Pipeline p;
        QVector<PipelineIssue> issues;
        QVERIFY(!PipelineJson::fromJson(root, &p, &issues, dir.path()));
        QVERIFY(joined(issues).contains(u"prompt \"backward_base\": cannot read"_s));
    }

    void explicitDefaultsAreStableOnSecondSave()
    {
        // Keys holding their default are not written back; what a save writes reloads to the
        // same document.
        QJsonObject root = parse(kContractExample);
        QJsonArray nodes = root.value(u"nodes"_s).toArray();
        QJsonObject question = nodes.at(1).toObject();
        question.insert(u"trainable"_s, false);
        question.insert(u"inputs"_s, QJsonObject());
        question.insert(u"normalizeWhitespace"_s, true);
        nodes.replace(1, question);
        root.insert(u"nodes"_s, nodes);
        Pipeline p;
        QVERIFY(PipelineJson::fromJson(root, &p, nullptr));
        const QJsonObject once = PipelineJson::toJson(p);
        QCOMPARE(once, parse(kContractExample));
        Pipeline again;
        QVERIFY(PipelineJson::fromJson(once, &again, nullptr));
        QCOMPARE(PipelineJson::toJson(again), once);
    }

    void unknownNestedKeysWarn()
    {
        QJsonObject root = parse(kEverything);
        QJsonArray nodes = root.value(u"nodes"_s).toArray();
        QJsonObject judge = nodes.at(4).toObject();
        QJsonObject rubric = judge.value(u"rubric"_s).toObject();
        rubric.insert(u"colour"_s, u"blue"_s);
        judge.insert(u"rubric"_s, rubric);
        nodes.replace(4, judge);
        root.insert(u"nodes"_s, nodes);
        Pipeline p;
        QVector<PipelineIssue> issues;
        QVERIFY(PipelineJson::fromJson(root, &p, &issues));
        QCOMPARE(issues.size(), 1);
        QCOMPARE(issues[0].severity, PipelineIssue::Severity::Warning);
        QCOMPARE(issues[0].toString(u"p.tgpipe.json"_s),
                 u"p.tgpipe.json: warning: node \"j\": \"rubric\": unknown key \"colour\" ignored"_s);
    }

    void issueText()
    {
        const PipelineIssue node{ PipelineIssue::Severity::Error, u"answer"_s, u"went wrong"_s };
        QCOMPARE(node.toString(), u"node \"answer\": went wrong"_s);
        QCOMPARE(node.toString(u"a.tgpipe.json"_s), u"a.tgpipe.json: node \"answer\": went wrong"_s);
        const PipelineIssue top{ PipelineIssue::Severity::Error, QString(), u"no objective"_s };
        QCOMPARE(top.toString(), u"no objective"_s);
    }

    void engineDefaults()
    {
        QCOMPARE(defaultBaseUrl(u"openai"_s), u"https://api.openai.com/v1"_s);
        QCOMPARE(defaultBaseUrl(u"ollama"_s), u"http://localhost:11434/v1"_s);
        QCOMPARE(defaultBaseUrl(u"anthropic"_s), u"https://api.anthropic.com"_s);
        QCOMPARE(defaultBaseUrl(u"gemini"_s), u"https://generativelanguage.googleapis.com"_s);
        QVERIFY(defaultBaseUrl(u"openai-compatible"_s).isEmpty());
        QVERIFY(defaultBaseUrl(u"azure-openai"_s).isEmpty());
        QCOMPARE(defaultApiKeyEnv(u"openai"_s), u"OPENAI_API_KEY"_s);
        QCOMPARE(defaultApiKeyEnv(u"azure-openai"_s), u"AZURE_OPENAI_API_KEY"_s);
        QCOMPARE(defaultApiKeyEnv(u"anthropic"_s), u"ANTHROPIC_API_KEY"_s);
        QCOMPARE(defaultBaseUrl(u"groq"_s), u"https://api.groq.com/openai/v1"_s);
        QCOMPARE(defaultApiKeyEnv(u"openrouter"_s), u"OPENROUTER_API_KEY"_s);
        QCOMPARE(defaultBaseUrl(u"lmstudio"_s), u"http://localhost:1234/v1"_s);
        QVERIFY(defaultApiKeyEnv(u"vllm"_s).isEmpty());
        QVERIFY(knownProviders().contains(u"mistral"_s));
        QCOMPARE(defaultApiKeyEnv(u"gemini"_s), u"GEMINI_API_KEY"_s);
        QVERIFY(defaultApiKeyEnv(u"ollama"_s).isEmpty());
        QCOMPARE(knownProviders().size(), 14);
        EngineConfig a, b;
        QVERIFY(a == b);
        b.temperature = 0.0;
        QVERIFY(!(a == b));
    }

    void nodeTypeNames()
    {
        for (NodeType t : { NodeType::Input, NodeType::Parameter, NodeType::Llm, NodeType::Metric,
                            NodeType::Judge })
            QCOMPARE(nodeTypeFromName(nodeTypeName(t)), std::optional<NodeType>(t));
        QVERIFY(!nodeTypeFromName(u"LLM"_s));
    }
};

QTEST_GUILESS_MAIN(TestPipelineJson)
#include "tst_pipelinejson.moc"
