// The results matrix of a real (scripted) run: which versions become columns, which samples
// rows, pass / fail against the threshold, the "failures only" and "changed only" filters, and
// one cell's details (rendered prompt, output, evaluation, tokens, latency, cost). The model
// runs under QAbstractItemModelTester throughout.

#include "ScriptedRuns.h"
#include "history/ResultsMatrix.h"
#include "history/ResultsMatrixModel.h"
#include "store/RunStore.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

QVector<int> shownSamples(const ResultsMatrixModel &model)
{
    QVector<int> samples;
    for (int r = 0; r < model.rowCount(); ++r)
        samples.append(
            model.headerData(r, Qt::Vertical, ResultsMatrixModel::SampleIndexRole).toInt());
    return samples;
}

QString outcomes(const ResultsMatrix &m, int row, double threshold)
{
    QString s;
    for (int c = 0; c < m.columnCount(); ++c) {
        switch (m.outcome(row, c, threshold)) {
        case CellOutcome::Pass:
            s += u'P';
            break;
        case CellOutcome::Fail:
            s += u'F';
            break;
        case CellOutcome::Error:
            s += u'E';
            break;
        case CellOutcome::Missing:
            s += u'.';
            break;
        }
    }
    return s;
}

} // namespace

class TestResultsMatrix : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    RunStore m_store;
    QString m_runId;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        ScriptedRuns::activateTestPrices();
        QVERIFY(m_store.open(m_dir.filePath(u"results.tgdb"_s), nullptr));
        const RunOutcome out = ScriptedRuns::gatedArithmetic(&m_store);
        QVERIFY2(out.ok, qPrintable(out.error));
        m_runId = out.runId;
    }

    void validationColumnsAreTheEvaluatedVersions()
    {
        const ResultsMatrix m = ResultsMatrix::load(m_store, m_runId);
        QVERIFY2(m.isValid(), qPrintable(m.error()));
        QCOMPARE(m.split(), u"validation"_s);
        QCOMPARE(m.defaultThreshold(), 1.0);
        // Initial values, the rejected step 1 and the accepted step 2; steps 3 and 4 proposed
        // nothing new, so validation did not run and they are no columns.
        QCOMPARE(m.columnCount(), 3);
        QCOMPARE(m.column(0).step, 0);
        QVERIFY(m.column(0).initial);
        QCOMPARE(m.column(0).label, u"Initial"_s);
        QCOMPARE(
            m.column(0).values.value(u"system_prompt"_s), u"You are an arithmetic assistant."_s);
        QCOMPARE(m.column(1).step, 1);
        QVERIFY(!m.column(1).accepted);
        QCOMPARE(m.column(1).values.value(u"system_prompt"_s),
            QString::fromUtf8(ScriptedRuns::kSloppyPrompt));
        QCOMPARE(m.column(2).step, 2);
        QVERIFY(m.column(2).accepted);
        QCOMPARE(m.column(2).label, u"Step 2"_s);
        QCOMPARE(m.column(2).values.value(u"system_prompt"_s),
            QString::fromUtf8(ScriptedRuns::kCarefulPrompt));
        QCOMPARE(m.column(0).meanScore, 0.4);
        QCOMPARE(m.column(1).meanScore, 0.2);
        QCOMPARE(m.column(2).meanScore, 0.8);

        QCOMPARE(m.rowCount(), 5);
        QCOMPARE(m.row(0).sampleIndex, 0);
        QCOMPARE(m.row(0).line, 2);
        QCOMPARE(m.row(0).fields.value(u"question"_s).toString(), u"101+302"_s);
        // The question before the reference: the order of the pipeline's input nodes.
        QCOMPARE(m.row(0).preview, u"question: 101+302 · answer: 403"_s);
        QCOMPARE(m.fieldOrder(), (QStringList { u"question"_s, u"answer"_s }));
        QCOMPARE(m.outputNodes(), QStringList { u"answer"_s });
        // Operands 101..105: odd fails until "carefully"; 102 passes unless sloppy; 104 always
        // passes; 105 never does.
        QCOMPARE(outcomes(m, 0, 1.0), u"FFP"_s);
        QCOMPARE(outcomes(m, 1, 1.0), u"PFP"_s);
        QCOMPARE(outcomes(m, 2, 1.0), u"FFP"_s);
        QCOMPARE(outcomes(m, 3, 1.0), u"PPP"_s);
        QCOMPARE(outcomes(m, 4, 1.0), u"FFF"_s);
        QVERIFY(m.rowHasFailure(4, 1.0));
        QVERIFY(!m.rowChanged(4, 1.0));
        QVERIFY(!m.rowHasFailure(3, 1.0));
        QVERIFY(m.rowChanged(1, 1.0));
    }

    void testAndTrainSplits()
    {
        const ResultsMatrix test = ResultsMatrix::load(m_store, m_runId, u"test"_s);
        QCOMPARE(test.columnCount(), 1);
        QCOMPARE(test.column(0).label, u"Final"_s);
        QCOMPARE(test.column(0).step, 4);
        QCOMPARE(test.column(0).values.value(u"system_prompt"_s),
            QString::fromUtf8(ScriptedRuns::kCarefulPrompt));
        QCOMPARE(test.rowCount(), 3);
        QCOMPARE(test.column(0).meanScore, 1.0);

        // Four batches of 3 over 6 rows and two epochs: every row drawn twice, so each row has
        // two evaluated cells out of four columns.
        const ResultsMatrix train = ResultsMatrix::load(m_store, m_runId, u"train"_s);
        QCOMPARE(train.columnCount(), 4);
        QCOMPARE(train.rowCount(), 6);
        // Step 1 ran with the initial values, step 3 with the values accepted at step 2.
        QCOMPARE(train.column(0).values.value(u"system_prompt"_s),
            u"You are an arithmetic assistant."_s);
        QCOMPARE(train.column(2).values.value(u"system_prompt"_s),
            QString::fromUtf8(ScriptedRuns::kCarefulPrompt));
        for (int r = 0; r < train.rowCount(); ++r)
            QCOMPARE(outcomes(train, r, 1.0).count(u'.'), 2);
    }

    void missingRunIsAnError()
    {
        const ResultsMatrix m = ResultsMatrix::load(m_store, u"no-such-run"_s);
        QVERIFY(!m.isValid());
        QVERIFY(m.error().contains(u"no-such-run"_s));
        ResultsMatrixModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setMatrix(m);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), 0);
    }

    void modelFiltersAndThreshold()
    {
        ResultsMatrixModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy filtered(&model, &ResultsMatrixModel::filterChanged);
        model.setMatrix(ResultsMatrix::load(m_store, m_runId));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.columnCount(), 3);
        QCOMPARE(model.threshold(), 1.0);

        const QModelIndex cell = model.index(1, 1); // sample 1 under the sloppy prompt
        QCOMPARE(model.data(cell).toString(), u"0"_s);
        QCOMPARE(model.data(cell, ResultsMatrixModel::OutcomeRole).toInt(), int(CellOutcome::Fail));
        QCOMPARE(model.data(cell, ResultsMatrixModel::StepRole).toInt(), 1);
        QCOMPARE(model.data(cell, ResultsMatrixModel::SampleIndexRole).toInt(), 1);
        QVERIFY(model.data(cell, Qt::ToolTipRole).toString().contains(u"fail"_s));
        QCOMPARE(model.data(model.index(1, 2)).toString(), u"1"_s);
        QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), u"Step 1 ✗"_s);
        QVERIFY(model.headerData(1, Qt::Horizontal, Qt::ToolTipRole)
                    .toString()
                    .contains(u"rejected"_s));
        QVERIFY(model.headerData(2, Qt::Horizontal, Qt::ToolTipRole)
                    .toString()
                    .contains(u"4 of 5 pass"_s));
        QCOMPARE(model.passCount(0), qMakePair(2, 5));

        model.setFailuresOnly(true);
        QCOMPARE(shownSamples(model), (QVector<int> { 0, 1, 2, 4 }));
        model.setChangedOnly(true);
        QCOMPARE(shownSamples(model), (QVector<int> { 0, 1, 2 }));
        model.setFailuresOnly(false);
        QCOMPARE(shownSamples(model), (QVector<int> { 0, 1, 2 }));
        QCOMPARE(model.matrixRow(2), 2);
        QCOMPARE(model.tableRowOfSample(4), -1);
        model.setChangedOnly(false);
        QCOMPARE(model.rowCount(), 5);
        QVERIFY(filtered.count() >= 5);

        // A threshold of 0 makes every scored cell pass: nothing fails, nothing changes.
        model.setFailuresOnly(true);
        model.setThreshold(0.0);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), 0);
        model.setThreshold(1.0);
        QCOMPARE(model.rowCount(), 4);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void cellDetails()
    {
        const ResultsMatrix m = ResultsMatrix::load(m_store, m_runId);
        const MatrixCellDetails d = ResultsMatrix::details(m_store, m, 0, 2, 1.0);
        QVERIFY(d.found);
        QCOMPARE(d.step, 2);
        QCOMPARE(d.split, u"validation"_s);
        QCOMPARE(d.sampleIndex, 0);
        QCOMPARE(d.columnLabel, u"Step 2"_s);
        QCOMPARE(d.outcome, CellOutcome::Pass);
        QCOMPARE(d.inputs.value(u"question"_s).toString(), u"101+302"_s);
        QCOMPARE(d.parameterValues.value(u"system_prompt"_s),
            QString::fromUtf8(ScriptedRuns::kCarefulPrompt));
        QCOMPARE(d.result.outputs.value(u"answer"_s).toString(), u"403"_s);
        QCOMPARE(d.result.score, 1.0);
        QVERIFY(!d.result.evaluation.isEmpty());

        // One call: the student's answer, with the prompt as it was rendered and sent.
        QCOMPARE(d.calls.size(), 1);
        const CellCall &call = d.calls.first();
        QCOMPARE(call.purpose, u"validation"_s);
        QCOMPARE(call.nodeId, u"answer"_s);
        QCOMPARE(call.model, u"student-model"_s);
        QCOMPARE(call.reply, u"403"_s);
        QCOMPARE(call.messages.size(), 2);
        QCOMPARE(call.messages.at(0).role, u"system"_s);
        QCOMPARE(call.messages.at(0).content, QString::fromUtf8(ScriptedRuns::kCarefulPrompt));
        QCOMPARE(call.messages.at(1).role, u"user"_s);
        QCOMPARE(call.messages.at(1).content, u"101+302"_s);
        // ScriptedClient counts a token per 4 characters (+1); the test prices are $1 / $2 per
        // million prompt / completion tokens.
        const int promptTokens
            = (QString::fromUtf8(ScriptedRuns::kCarefulPrompt).size() + 7) / 4 + 1;
        QCOMPARE(d.callsSent, 1);
        QCOMPARE(d.promptTokens, qint64(promptTokens));
        QCOMPARE(d.completionTokens, qint64(1));
        QCOMPARE(d.unknownCostCalls, 0);
        QCOMPARE(d.costUsd, (promptTokens * 1.0 + 1 * 2.0) / 1e6);
        QCOMPARE(d.latencyMs, call.latencyMs);

        // The store's per-sample totals agree with the drawer.
        const QVector<RunStore::SampleCallTotals> totals
            = m_store.sampleCallTotals(m_runId, u"validation"_s);
        QCOMPARE(totals.size(), 15);
        bool seen = false;
        for (const RunStore::SampleCallTotals &t : totals) {
            if (t.step == 2 && t.sampleIndex == 0) {
                seen = true;
                QCOMPARE(t.calls, 1);
                QCOMPARE(t.promptTokens, qint64(promptTokens));
                QCOMPARE(t.costUsd, d.costUsd);
            }
        }
        QVERIFY(seen);

        // A cell that was not evaluated has no details; out of range neither.
        const ResultsMatrix train = ResultsMatrix::load(m_store, m_runId, u"train"_s);
        for (int c = 0; c < train.columnCount(); ++c) {
            if (train.outcome(0, c, 1.0) == CellOutcome::Missing) {
                const MatrixCellDetails missing = ResultsMatrix::details(m_store, train, 0, c, 1.0);
                QVERIFY(!missing.found);
                QVERIFY(missing.calls.isEmpty());
                break;
            }
        }
        QVERIFY(!ResultsMatrix::details(m_store, m, 9, 0, 1.0).found);
    }

    void renderedMessagesOfEveryDialect()
    {
        const auto openAi = ResultsMatrix::renderedMessages(
            uR"({"messages":[{"role":"system","content":"S"},{"role":"user","content":[{"type":"text","text":"U"}]}]})"_s);
        QCOMPARE(openAi.size(), 2);
        QCOMPARE(openAi.at(1).content, u"U"_s);
        const auto anthropic = ResultsMatrix::renderedMessages(
            uR"({"system":"S","messages":[{"role":"user","content":"U"}]})"_s);
        QCOMPARE(anthropic.size(), 2);
        QCOMPARE(anthropic.at(0).role, u"system"_s);
        QCOMPARE(anthropic.at(0).content, u"S"_s);
        const auto gemini = ResultsMatrix::renderedMessages(
            uR"({"systemInstruction":{"parts":[{"text":"S"}]},"contents":[{"role":"model","parts":[{"text":"A"}]}]})"_s);
        QCOMPARE(gemini.size(), 2);
        QCOMPARE(gemini.at(1).role, u"assistant"_s);
        QCOMPARE(gemini.at(1).content, u"A"_s);
        QVERIFY(ResultsMatrix::renderedMessages(u"not json"_s).isEmpty());
    }

    void judgeThreshold()
    {
        QJsonObject judge { { u"objective"_s, u"j"_s },
            { u"nodes"_s,
                QJsonArray { QJsonObject { { u"id"_s, u"j"_s }, { u"type"_s, u"judge"_s } } } } };
        QCOMPARE(ResultsMatrix::defaultThreshold(judge), 0.75);
        QCOMPARE(ResultsMatrix::defaultThreshold(QJsonObject {}), 1.0);
    }
};

QTEST_GUILESS_MAIN(TestResultsMatrix)
#include "tst_resultsmatrix.moc"
