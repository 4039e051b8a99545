// The run report (HTML), the per-sample results CSV and the optimized pipeline export, from a
// real scripted run and from hand-made runs with awkward text: final prompts present and
// escaped, critiques of accepted steps, cost per phase, no API key anywhere, RFC 4180 quoting.

#include "ScriptedRuns.h"
#include "graph/PipelineJson.h"
#include "report/PromptExport.h"
#include "report/ResultsCsv.h"
#include "report/RunReport.h"
#include "store/RunStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

const QString kSecret = u"sk-test-SECRET-0123456789abcdef"_s;

// A small RFC 4180 reader, to check what the writer produced.
QVector<QStringList> parseCsv(const QString &text)
{
    QVector<QStringList> records;
    QStringList current;
    QString field;
    bool quoted = false;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text.at(i + 1) == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            current.append(field);
            field.clear();
        } else if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n') {
            current.append(field);
            field.clear();
            records.append(current);
            current.clear();
            ++i;
        } else {
            field += c;
        }
    }
    return records;
}

// A run written straight into the store: a prompt with markup, an engine carrying a key where
// none belongs, a setting named like a secret, one accepted step with a critique.
QString handMadeRun(RunStore &store)
{
    RunInfo run;
    run.id = u"hand-made"_s;
    run.pipelineName = u"Markup & keys"_s;
    run.status = RunStatus::Completed;
    run.initialValScore = 0.5;
    run.pipeline = QJsonObject {
        { u"name"_s, run.pipelineName },
        { u"objective"_s, u"score"_s },
        { u"engines"_s,
            QJsonObject { { u"m"_s,
                QJsonObject { { u"provider"_s, u"openai"_s }, { u"model"_s, u"gpt-4o-mini"_s },
                    { u"apiKey"_s, kSecret } } } } },
        { u"optimizer"_s, QJsonObject { { u"kind"_s, u"tgd"_s }, { u"batchSize"_s, 2 } } },
        { u"nodes"_s,
            QJsonArray { QJsonObject { { u"id"_s, u"p"_s }, { u"type"_s, u"parameter"_s },
                             { u"trainable"_s, true }, { u"role"_s, u"a prompt"_s },
                             { u"value"_s, u"Say <b>hi</b> & bye"_s } },
                QJsonObject { { u"id"_s, u"score"_s }, { u"type"_s, u"metric"_s } } } },
    };
    run.settings = QJsonObject { { u"apiKey"_s, kSecret }, { u"concurrency"_s, 2 } };
    run.data = QJsonObject { { u"validation"_s,
        QJsonArray { QJsonObject {
            { u"line"_s, 2 }, { u"fields"_s, QJsonObject { { u"q"_s, u"a, \"b\"\nc"_s } } } } } } };
    if (!store.createRun(run))
        return {};
    StepRecord step;
    step.step = 1;
    step.trainScore = 0.0;
    step.valScore = 1.0;
    step.bestValScore = 1.0;
    step.accepted = true;
    step.candidate = { { u"p"_s, u"Say <i>hello</i>"_s } };
    step.current = step.candidate;
    step.gradients.append(GradientRecord {
        1, u"p"_s, u"answer"_s, 0, u"chain"_s, u"Greet with hello, not hi."_s, {}, 0 });
    step.samples.append(SampleResult { 1, u"validation"_s, 0, 2,
        QJsonObject { { u"answer"_s, u"x"_s } }, 1.0, u"matches, \"exactly\""_s, {} });
    store.saveStep(run.id, step);
    return run.id;
}

} // namespace

class TestRunReport : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    RunStore m_store;
    QString m_runId;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("OPENAI_API_KEY", kSecret.toUtf8());
        ScriptedRuns::activateTestPrices();
        QVERIFY(m_store.open(m_dir.filePath(u"report.tgdb"_s), nullptr));
        const RunOutcome out = ScriptedRuns::gatedArithmetic(&m_store);
        QVERIFY2(out.ok, qPrintable(out.error));
        m_runId = out.runId;
    }

    void reportOfAScriptedRun()
    {
        QString html;
        QString error;
        QVERIFY2(RunReport::render(m_store, m_runId, {}, &html, &error), qPrintable(error));
        QVERIFY(html.startsWith(u"<!DOCTYPE html>"_s));
        QVERIFY(html.contains(u"<title>Run report: Arithmetic QA</title>"_s));
        // The final prompt, and the initial one beside it.
        QVERIFY(html.contains(QString::fromUtf8(ScriptedRuns::kCarefulPrompt)));
        QVERIFY(html.contains(u"<pre>You are an arithmetic assistant.</pre>"_s));
        // Scores: initial 0.4, final 0.8, test 1.0; step 1 rejected.
        QVERIFY(html.contains(u"0.400 → <b>0.800</b>"_s));
        QVERIFY(html.contains(u"Test score with the final prompts: <b>1.000</b>"_s));
        QVERIFY(html.contains(u"<span class=\"rejected\">rejected</span>"_s));
        QVERIFY(html.contains(u"4 completed, 3 accepted, 1 rejected"_s));
        // The critique of the accepted step 2 (step 1 was rejected, steps 3 and 4 changed
        // nothing), quoted once although every sample said the same.
        QCOMPARE(html.count(u"The prompt should ask for care"_s), 1);
        QVERIFY(html.contains(u"<h3>Step 2 · system_prompt</h3>"_s));
        QVERIFY(html.contains(u"validation 0.400 → 0.800"_s));
        // Cost by phase with the test prices: every phase is priced.
        QVERIFY(html.contains(u"<td>Backward (critiques)</td>"_s));
        QVERIFY(html.contains(u"<td>Validation</td><td class=\"num\">15</td>"_s));
        QVERIFY(!html.contains(u"unknown price"_s));
        QVERIFY(html.contains(u"student-model"_s));
        // No figure unless one is given.
        QVERIFY(!html.contains(u"<img"_s));
        QVERIFY(!html.contains(kSecret));

        RunReport::Options options;
        options.curvesPng = QByteArray("\x89PNG\r\n\x1a\nfake", 12);
        QVERIFY(RunReport::render(m_store, m_runId, options, &html, &error));
        QVERIFY(html.contains(u"<img src=\"data:image/png;base64,"_s
            + QString::fromLatin1(options.curvesPng.toBase64())));
    }

    void reportEscapesAndKeepsKeysOut()
    {
        RunStore store;
        QVERIFY(store.open(m_dir.filePath(u"hand.tgdb"_s), nullptr));
        const QString runId = handMadeRun(store);
        QVERIFY(!runId.isEmpty());
        QString html;
        QString error;
        QVERIFY(RunReport::render(store, runId, {}, &html, &error));
        QVERIFY(html.contains(u"Say &lt;i&gt;hello&lt;/i&gt;"_s));
        QVERIFY(html.contains(u"Say &lt;b&gt;hi&lt;/b&gt; &amp; bye"_s));
        QVERIFY(html.contains(u"Run report: Markup &amp; keys"_s));
        QVERIFY(html.contains(u"Greet with hello, not hi."_s));
        QVERIFY(html.contains(u"gpt-4o-mini"_s));
        QVERIFY(!html.contains(kSecret));
        QVERIFY(!html.contains(u"apiKey"_s));

        QVERIFY(!RunReport::render(store, u"nope"_s, {}, &html, &error));
        QVERIFY(error.contains(u"nope"_s));
    }

    void csvQuoting_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << u"abc"_s << u"abc"_s;
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("comma") << u"a,b"_s << u"\"a,b\""_s;
        QTest::newRow("quote") << u"say \"hi\""_s << u"\"say \"\"hi\"\"\""_s;
        QTest::newRow("newline") << u"a\nb"_s << u"\"a\nb\""_s;
        QTest::newRow("carriage return") << u"a\rb"_s << u"\"a\rb\""_s;
        QTest::newRow("spaces kept") << u" a "_s << u" a "_s;
    }

    void csvQuoting()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(ResultsCsv::field(text), expected);
        QCOMPARE(ResultsCsv::record({ text, u"x"_s }), expected + u",x\r\n"_s);
    }

    void csvOfAScriptedRun()
    {
        QByteArray bytes;
        QString error;
        QVERIFY2(ResultsCsv::render(m_store, m_runId, &bytes, &error), qPrintable(error));
        const QString text = QString::fromUtf8(bytes);
        QVERIFY(text.endsWith(u"\r\n"_s));
        const QVector<QStringList> records = parseCsv(text);
        // 15 validation (initial, step 1, step 2), 12 train (4 batches of 3), 3 test.
        QCOMPARE(records.size(), 1 + 15 + 12 + 3);
        const QStringList header = records.first();
        const QStringList expectedHeader { u"run_id"_s, u"split"_s, u"step"_s, u"sample_index"_s,
            u"line"_s, u"input.answer"_s, u"input.question"_s, u"output.answer"_s,
            u"output.question"_s, u"output.reference"_s, u"output.score"_s,
            u"output.system_prompt"_s, u"score"_s, u"passed"_s, u"error"_s, u"evaluation"_s,
            u"calls"_s, u"prompt_tokens"_s, u"completion_tokens"_s, u"latency_ms"_s,
            u"cost_usd"_s };
        QCOMPARE(header, expectedHeader);
        for (const QStringList &r : records)
            QCOMPARE(r.size(), header.size());
        QCOMPARE(records.at(1).at(1), u"validation"_s);
        QCOMPARE(records.last().at(1), u"test"_s);

        // Validation, step 2, sample 0: 101+302 answered 403 under the careful prompt.
        const auto col = [&](const QString &name) { return int(header.indexOf(name)); };
        const QStringList *found = nullptr;
        for (const QStringList &r : records) {
            if (r.at(col(u"split"_s)) == u"validation"_s && r.at(col(u"step"_s)) == u"2"_s
                && r.at(col(u"sample_index"_s)) == u"0"_s)
                found = &r;
        }
        QVERIFY(found);
        QCOMPARE(found->at(col(u"input.question"_s)), u"101+302"_s);
        QCOMPARE(found->at(col(u"output.answer"_s)), u"403"_s);
        // Every node's output, the prompt version in effect included.
        QCOMPARE(found->at(col(u"output.system_prompt"_s)),
            QString::fromUtf8(ScriptedRuns::kCarefulPrompt));
        QCOMPARE(found->at(col(u"score"_s)), u"1"_s);
        QCOMPARE(found->at(col(u"passed"_s)), u"yes"_s);
        QCOMPARE(found->at(col(u"calls"_s)), u"1"_s);
        const int promptTokens
            = (QString::fromUtf8(ScriptedRuns::kCarefulPrompt).size() + 7) / 4 + 1;
        QCOMPARE(found->at(col(u"prompt_tokens"_s)), QString::number(promptTokens));
        QCOMPARE(found->at(col(u"cost_usd"_s)).toDouble(), (promptTokens + 2.0) / 1e6);

        // Train rows carry their backward calls too: 1 forward + 2 backward per sample.
        for (const QStringList &r : records) {
            if (r.at(col(u"split"_s)) == u"train"_s)
                QCOMPARE(r.at(col(u"calls"_s)), u"3"_s);
        }
        QVERIFY(!text.contains(kSecret));
    }

    void csvQuotesAwkwardText()
    {
        RunStore store;
        QVERIFY(store.open(m_dir.filePath(u"hand-csv.tgdb"_s), nullptr));
        const QString runId = handMadeRun(store);
        QByteArray bytes;
        QString error;
        QVERIFY(ResultsCsv::render(store, runId, &bytes, &error));
        const QVector<QStringList> records = parseCsv(QString::fromUtf8(bytes));
        QCOMPARE(records.size(), 2);
        const QStringList &header = records.first();
        QCOMPARE(records.at(1).at(header.indexOf(u"input.q"_s)), u"a, \"b\"\nc"_s);
        QCOMPARE(records.at(1).at(header.indexOf(u"evaluation"_s)), u"matches, \"exactly\""_s);
        QVERIFY(bytes.contains("\"a, \"\"b\"\"\nc\""));
        QVERIFY(!ResultsCsv::render(store, u"nope"_s, &bytes, &error));
    }

    void optimizedPipelineLoads()
    {
        QByteArray bytes;
        QString error;
        QVERIFY2(PromptExport::renderPipeline(m_store, m_runId, &bytes, &error), qPrintable(error));
        Pipeline pipeline;
        QVector<PipelineIssue> issues;
        QVERIFY(
            PipelineJson::fromJson(QJsonDocument::fromJson(bytes).object(), &pipeline, &issues));
        QCOMPARE(pipeline.node(u"system_prompt"_s)->value,
            QString::fromUtf8(ScriptedRuns::kCarefulPrompt));
        QCOMPARE(pipeline.name, u"Arithmetic QA"_s);
        QCOMPARE(pipeline.nodes.size(), 5);
        QVERIFY(!PromptExport::renderPipeline(m_store, u"nope"_s, &bytes, &error));
        QVERIFY(error.contains(u"nope"_s));
    }
};

QTEST_GUILESS_MAIN(TestRunReport)
#include "tst_runreport.moc"
