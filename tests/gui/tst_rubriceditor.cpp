#include "editors/RubricEditor.h"
#include "graph/RubricCriteriaModel.h"

#include "FakeOpenAiServer.h"
#include "providers/KeySource.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

Rubric sampleRubric()
{
    Rubric r;
    r.instructions = u"Judge the answer to a customer's billing question."_s;
    r.criteria = {
        {u"Accuracy"_s, u"The facts and numbers are right."_s, 2.0, {{1, u"wrong"_s}, {5, u"exact"_s}}},
        {u"Clarity"_s, u"Easy to follow for a non-expert."_s, 1.0, {}},
        {u"Tone"_s, u"Polite and calm."_s, 0.5, {}},
    };
    return r;
}

EngineConfig fakeEngine(const FakeOpenAiServer &server)
{
    EngineConfig e;
    e.name = u"judge"_s;
    e.provider = u"openai-compatible"_s;
    e.baseUrl = server.baseUrl();
    e.model = u"fake-model"_s;
    e.maxRetries = 0;
    return e;
}

} // namespace

class TestRubricEditor : public QObject
{
    Q_OBJECT

private slots:
    void criteriaModelPassesTester()
    {
        RubricCriteriaModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setCriteria(sampleRubric().criteria);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.addCriterion(), 3);
        QCOMPARE(model.criteria().at(3).name, u"Criterion 4"_s);
        QVERIFY(model.moveCriterion(0, +1));
        QCOMPARE(model.criteria().at(0).name, u"Clarity"_s);
        QCOMPARE(model.criteria().at(1).name, u"Accuracy"_s);
        QCOMPARE(model.criteria().at(1).anchors.value(5), u"exact"_s);   // anchors move along
        QVERIFY(model.moveCriterion(1, -1));
        QCOMPARE(model.criteria().at(0).name, u"Accuracy"_s);
        QVERIFY(!model.moveCriterion(0, -1));
        QVERIFY(!model.moveCriterion(3, +1));
        QVERIFY(model.setData(model.index(2, RubricCriteriaModel::WeightColumn), 3.0));
        QCOMPARE(model.criteria().at(2).weight, 3.0);
        QVERIFY(!model.setData(model.index(2, RubricCriteriaModel::NameColumn), u"  "_s));   // unscorable
        QVERIFY(!model.setData(model.index(2, RubricCriteriaModel::WeightColumn), -1.0));
        QVERIFY(model.removeRows(3, 1));
        QCOMPARE(model.rowCount(), 3);
    }

    void editsUpdateRubricAndPreview()
    {
        RubricEditor editor;
        editor.setRubric(sampleRubric());
        QCOMPARE(editor.rubric(), sampleRubric());
        for (const RubricCriterion &c : sampleRubric().criteria) {
            QVERIFY2(editor.previewText().contains(c.name + u" (weight "_s + QString::number(c.weight)),
                     qPrintable(editor.previewText()));
        }
        QVERIFY(editor.previewText().contains(u"1 means: wrong"_s));
        QVERIFY(editor.previewText().contains(u"SYSTEM"_s));
        QVERIFY(editor.previewText().contains(u"<answer>"_s));

        QSignalSpy changed(&editor, &RubricEditor::rubricChanged);
        auto *view = editor.findChild<QTableView *>(u"criteriaView"_s);
        QVERIFY(view);
        QAbstractItemModel *model = view->model();
        QVERIFY(model->setData(model->index(1, RubricCriteriaModel::NameColumn), u"Readability"_s));
        QVERIFY(model->setData(model->index(1, RubricCriteriaModel::WeightColumn), 1.5));
        QVERIFY(changed.count() >= 2);
        QCOMPARE(changed.last().first().value<Rubric>().criteria.at(1).name, u"Readability"_s);
        QCOMPARE(editor.rubric().criteria.at(1).weight, 1.5);
        QTRY_VERIFY(editor.previewText().contains(u"Readability (weight 1.5)"_s));
        QVERIFY(!editor.previewText().contains(u"Clarity"_s));

        // Instructions and scale reach the preview too.
        editor.findChild<QPlainTextEdit *>(u"instructions"_s)->setPlainText(u"Be harsh about numbers."_s);
        editor.findChild<QSpinBox *>(u"scaleMax"_s)->setValue(10);
        QCOMPARE(editor.rubric().scaleMax, 10);
        QTRY_VERIFY(editor.previewText().contains(u"Be harsh about numbers."_s));
        QVERIFY(editor.previewText().contains(u"from 1 to 10"_s));

        // Add, move and remove through the buttons.
        editor.findChild<QPushButton *>(u"addCriterion"_s)->click();
        QCOMPARE(editor.rubric().criteria.size(), 4);
        view->setCurrentIndex(model->index(3, 0));
        editor.findChild<QPushButton *>(u"moveUp"_s)->click();
        QCOMPARE(editor.rubric().criteria.at(2).name, u"Criterion 4"_s);
        QCOMPARE(view->currentIndex().row(), 2);
        editor.findChild<QPushButton *>(u"removeCriterion"_s)->click();
        QCOMPARE(editor.rubric().criteria.size(), 3);
        QTRY_VERIFY(!editor.previewText().contains(u"Criterion 4"_s));
    }

    void anchorsFollowTheSelectedCriterion()
    {
        RubricEditor editor;
        editor.setRubric(sampleRubric());
        auto *view = editor.findChild<QTableView *>(u"criteriaView"_s);
        auto *anchors = editor.findChild<QTableWidget *>(u"anchors"_s);
        QCOMPARE(anchors->rowCount(), 5);   // levels 1..5
        QCOMPARE(anchors->item(4, 0)->text(), u"exact"_s);
        view->setCurrentIndex(view->model()->index(1, 0));
        QCOMPARE(anchors->item(4, 0)->text(), QString());
        anchors->item(2, 0)->setText(u"understandable with effort"_s);
        QCOMPARE(editor.rubric().criteria.at(1).anchors.value(3), u"understandable with effort"_s);
        QTRY_VERIFY(editor.previewText().contains(u"3 means: understandable with effort"_s));
    }

    void tryItShowsScoreAndCritique()
    {
        FakeOpenAiServer server;
        QVERIFY(server.start());
        server.enqueue(FakeReply::completion(
                           u"<CRITIQUE>Correct amount, but the refund date is missing.</CRITIQUE>\n"
                           "<SCORES>\nAccuracy: 5\nClarity: 3\nTone: 1\n</SCORES>"_s)
                           .withDelay(300));
        RubricEditor editor;
        editor.setKeySource(std::make_shared<EnvironmentKeySource>(QProcessEnvironment()));
        editor.setRubric(sampleRubric());
        editor.setInputPorts({u"question"_s, u"answer"_s});
        editor.setEngines({{u"judge"_s, fakeEngine(server)}});
        editor.findChild<QPlainTextEdit *>(u"sample_answer"_s)->setPlainText(u"You will get 12.50 back."_s);

        QSignalSpy finished(&editor, &RubricEditor::trialFinished);
        editor.findChild<QPushButton *>(u"runTrial"_s)->click();
        // The click returned while the server is still waiting: the call is off this thread.
        QCOMPARE(finished.count(), 0);
        QVERIFY(editor.isTrialRunning());
        QVERIFY(editor.findChild<QPushButton *>(u"cancelTrial"_s)->isEnabled());
        QTRY_COMPARE(finished.count(), 1);

        // (2*1 + 1*0.5 + 0.5*0) / 3.5
        const auto *status = editor.findChild<QLabel *>(u"trialStatus"_s);
        QVERIFY2(status->text().contains(u"0.71"_s), qPrintable(status->text()));
        const QString output = editor.findChild<QPlainTextEdit *>(u"trialOutput"_s)->toPlainText();
        QVERIFY(output.contains(u"refund date is missing"_s));
        QVERIFY(output.contains(u"Clarity: 3"_s));

        const FakeRequest request = server.lastRequest();
        QVERIFY(request.lastMessage().contains(u"You will get 12.50 back."_s));
        QVERIFY(request.lastMessage().contains(u"<question>"_s));
        QCOMPARE(request.messages.first().role, u"system"_s);
        QVERIFY(request.messages.first().content.contains(u"Accuracy (weight 2)"_s));
    }

    void tryItShowsServerError()
    {
        FakeOpenAiServer server;
        QVERIFY(server.start());
        server.enqueue(FakeReply::error(400, u"judge model is sleeping"_s));
        RubricEditor editor;
        editor.setKeySource(std::make_shared<EnvironmentKeySource>(QProcessEnvironment()));
        editor.setRubric(sampleRubric());
        editor.setEngines({{u"judge"_s, fakeEngine(server)}});
        QSignalSpy finished(&editor, &RubricEditor::trialFinished);
        editor.runTrial();
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY(editor.findChild<QLabel *>(u"trialStatus"_s)->text().contains(u"failed"_s));
        const QString output = editor.findChild<QPlainTextEdit *>(u"trialOutput"_s)->toPlainText();
        QVERIFY2(output.contains(u"judge model is sleeping"_s), qPrintable(output));
        QVERIFY(!finished.first().first().value<RubricTrialResult>().ok);
        QVERIFY(editor.findChild<QPushButton *>(u"runTrial"_s)->isEnabled());
    }

    void aReplyWithoutScoresIsAskedAgainOnce()
    {
        FakeOpenAiServer server;
        QVERIFY(server.start());
        server.enqueue(FakeReply::completion(u"Looks fine to me."_s));
        server.enqueue(FakeReply::completion(u"<CRITIQUE>Fine.</CRITIQUE><SCORES>Accuracy: 5\nClarity: 5\nTone: 5</SCORES>"_s));
        server.enqueue(FakeReply::completion(u"Still fine."_s));
        server.enqueue(FakeReply::completion(u"Really fine."_s));
        RubricEditor editor;
        editor.setKeySource(std::make_shared<EnvironmentKeySource>(QProcessEnvironment()));
        editor.setRubric(sampleRubric());
        editor.setEngines({{u"judge"_s, fakeEngine(server)}});
        QSignalSpy finished(&editor, &RubricEditor::trialFinished);
        editor.runTrial();
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(server.requestCount(), 2);
        QVERIFY(server.lastRequest().lastMessage().contains(u"no readable scores"_s));
        const QString status = editor.findChild<QLabel *>(u"trialStatus"_s)->text();
        QVERIFY2(status.contains(u"1.00"_s), qPrintable(status));
        QVERIFY(editor.findChild<QPlainTextEdit *>(u"trialOutput"_s)->toPlainText().contains(u"reminded once"_s));

        // Twice without scores: said so, with what the judge wrote.
        editor.runTrial();
        QTRY_COMPARE(finished.count(), 2);
        QVERIFY(!finished.last().first().value<RubricTrialResult>().ok);
        QVERIFY(editor.findChild<QPlainTextEdit *>(u"trialOutput"_s)->toPlainText().contains(u"lowest score"_s));
        QVERIFY(editor.findChild<QPlainTextEdit *>(u"trialOutput"_s)->toPlainText().contains(u"Really fine."_s));
    }

    void cancelStopsAHangingJudge()
    {
        FakeOpenAiServer server;
        QVERIFY(server.start());
        server.enqueue(FakeReply::hang());
        RubricEditor editor;
        editor.setKeySource(std::make_shared<EnvironmentKeySource>(QProcessEnvironment()));
        editor.setRubric(sampleRubric());
        editor.setEngines({{u"judge"_s, fakeEngine(server)}});
        QSignalSpy finished(&editor, &RubricEditor::trialFinished);
        editor.runTrial();
        QVERIFY(server.waitForRequests(1, 5000));
        editor.findChild<QPushButton *>(u"cancelTrial"_s)->click();
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(editor.findChild<QLabel *>(u"trialStatus"_s)->text(), u"Cancelled."_s);
        QVERIFY(finished.first().first().value<RubricTrialResult>().cancelled);
    }

    // Renders the editor as a reviewer sees it; TEXTGRAD_SCREENSHOT_DIR keeps the picture.
    void screenshot()
    {
        FakeOpenAiServer server;
        QVERIFY(server.start());
        server.enqueue(FakeReply::completion(
            u"<CRITIQUE>The amount is right, but the answer never says when the refund arrives, "
            "and the second sentence is hard to follow.</CRITIQUE>\n<SCORES>\nAccuracy: 4\nClarity: 3\nTone: 5\n</SCORES>"_s));
        RubricEditor editor;
        editor.setKeySource(std::make_shared<EnvironmentKeySource>(QProcessEnvironment()));
        editor.setRubric(sampleRubric());
        editor.setInputPorts({u"question"_s, u"answer"_s});
        editor.setEngines({{u"judge"_s, fakeEngine(server)}, {u"student"_s, fakeEngine(server)}});
        editor.findChild<QPlainTextEdit *>(u"sample_question"_s)->setPlainText(u"Why was I charged twice?"_s);
        editor.findChild<QPlainTextEdit *>(u"sample_answer"_s)->setPlainText(
            u"You were charged twice because of a retry. You will get 12.50 back."_s);
        editor.resize(1100, 760);
        editor.show();
        QSignalSpy finished(&editor, &RubricEditor::trialFinished);
        editor.runTrial();
        QTRY_COMPARE(finished.count(), 1);
        QTRY_VERIFY(editor.previewText().contains(u"charged twice"_s));
        const QPixmap shot = editor.grab();
        QVERIFY(!shot.isNull());
        const QString dir = qEnvironmentVariable("TEXTGRAD_SCREENSHOT_DIR");
        if (!dir.isEmpty())
            QVERIFY(shot.save(dir + u"/rubriceditor.png"_s));

        // A failed call, in a small window.
        server.enqueue(FakeReply::error(400, u"The model `judge-x` does not exist or you do not have access to it."_s));
        editor.resize(820, 600);
        editor.runTrial();
        QTRY_COMPARE(finished.count(), 2);
        if (!dir.isEmpty())
            QVERIFY(editor.grab().save(dir + u"/rubriceditor-error.png"_s));
    }

    void noEngineMeansNoRun()
    {
        RubricEditor editor;
        editor.setRubric(sampleRubric());
        QVERIFY(!editor.findChild<QPushButton *>(u"runTrial"_s)->isEnabled());
    }
};

QTEST_MAIN(TestRubricEditor)
#include "tst_rubriceditor.moc"
