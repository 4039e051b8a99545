// The run views: the setup dialog (estimate follows the settings, a missing cloud key blocks,
// Ctrl+Enter runs, the settings it returns), the live panel (empty state, step and totals,
// streaming text bounded, errors in place), and the canvas highlight during a run (no undo
// step). With TEXTGRAD_SCREENSHOT_DIR set, each view is saved as a PNG there.

#include "TestPipelines.h"

#include "graph/GraphScene.h"
#include "graph/GraphView.h"
#include "graph/EdgeItem.h"
#include "graph/NodeItem.h"
#include "graph/NodePalette.h"
#include "graph/PipelineDocument.h"
#include "graph/PipelineJson.h"
#include "runs/LiveRunPanel.h"
#include "runs/RunSetupDialog.h"

#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QUndoStack>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

void save(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("TEXTGRAD_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        QVERIFY(widget->grab().save(dir + u'/' + name));
}

// The arithmetic pipeline on OpenAI's cloud, so keys and prices matter.
Pipeline cloudPipeline()
{
    Pipeline p = TestPipelines::parse(TestPipelines::arithmeticJson());
    p.engines[u"student"_s].provider = u"openai"_s;
    p.engines[u"student"_s].baseUrl.clear();
    p.engines[u"student"_s].model = u"gpt-4.1-mini"_s;
    p.engines[u"teacher"_s].provider = u"openai"_s;
    p.engines[u"teacher"_s].baseUrl.clear();
    p.engines[u"teacher"_s].model = u"gpt-4.1"_s;
    return p;
}

TrainingData splits()
{
    TrainingData d;
    d.train = TestPipelines::additions(30);
    d.validation = TestPipelines::additions(10, 100);
    d.test = TestPipelines::additions(20, 200);
    return d;
}

QLabel *labelContaining(QWidget *root, const QString &text)
{
    for (QLabel *label : root->findChildren<QLabel *>()) {
        if (label->text().contains(text))
            return label;
    }
    return nullptr;
}

} // namespace

class TestRunViews : public QObject
{
    Q_OBJECT

private slots:
    void setupDialogEstimateFollowsSettings()
    {
        RunSetupDialog dialog;
        dialog.setKeyProbe([](const QString &) { return RunSetupDialog::KeyStatus::Environment; });
        dialog.setPipeline(cloudPipeline());
        dialog.setData(splits(), u"additions"_s);
        dialog.resize(dialog.sizeHint().expandedTo(QSize(980, 700)));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTRY_VERIFY(dialog.estimate().calls > 0);
        const int before = dialog.estimate().calls;
        QVERIFY(dialog.estimate().costUsd.has_value());
        QVERIFY(labelContaining(&dialog, u"30 training rows, 10 validation rows, 20 test rows"_s));

        auto *steps = dialog.findChildren<QSpinBox *>().at(1);   // batch, steps, epochs, ...
        QCOMPARE(steps->value(), 4);
        steps->setValue(2);
        QTRY_VERIFY(dialog.estimate().calls < before);
        QTRY_VERIFY(labelContaining(&dialog, u"calls</b> over 2 steps"_s));
        QCOMPARE(dialog.pipeline().optimizer.maxSteps, 2);
        QVERIFY(dialog.blockingReason().isEmpty());
        QTRY_VERIFY(labelContaining(&dialog, u"OPENAI_API_KEY is set in the environment"_s));
        save(&dialog, u"run-setup-dialog.png"_s);

        // Ctrl+Enter runs.
        QTest::keyClick(&dialog, Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }

    void missingCloudKeyBlocks()
    {
        RunSetupDialog dialog;
        dialog.setKeyProbe([](const QString &variable) {
            return variable == u"OPENAI_API_KEY"_s ? RunSetupDialog::KeyStatus::Missing
                                                   : RunSetupDialog::KeyStatus::Environment;
        });
        dialog.setPipeline(cloudPipeline());
        dialog.setData(splits());
        dialog.resize(dialog.sizeHint().expandedTo(QSize(980, 700)));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTRY_VERIFY(dialog.blockingReason().contains(u"OPENAI_API_KEY"_s));
        QPushButton *run = nullptr;
        for (QPushButton *b : dialog.findChildren<QPushButton *>())
            run = b->text() == u"Run"_s ? b : run;
        QVERIFY(run);
        QTRY_VERIFY(!run->isEnabled());
        QTRY_VERIFY(labelContaining(&dialog, u"needs an API key"_s));
        save(&dialog, u"run-setup-missing-key.png"_s);
        QTest::keyClick(&dialog, Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(dialog.isVisible());   // not accepted
        QVERIFY(!dialog.settings().contains(u"apiKey"_s));
    }

    void setupDialogReturnsSettings()
    {
        RunSetupDialog dialog;
        dialog.setKeyProbe([](const QString &) { return RunSetupDialog::KeyStatus::Keychain; });
        dialog.setPipeline(TestPipelines::parse(TestPipelines::arithmeticJson()));   // a local server
        dialog.setData(splits());
        const QList<QSpinBox *> spins = dialog.findChildren<QSpinBox *>();
        QSpinBox *budgetCalls = nullptr;
        for (QSpinBox *s : spins)
            budgetCalls = s->suffix().contains(u"calls"_s) ? s : budgetCalls;
        QVERIFY(budgetCalls);
        budgetCalls->setValue(50);
        QTRY_VERIFY(dialog.estimate().calls > 0);
        QCOMPARE(dialog.estimate().costText(), u"$0 (local models)"_s);
        const QJsonObject s = dialog.settings();
        QCOMPARE(s.value(u"budgetCalls"_s).toInt(), 50);
        QVERIFY(!s.contains(u"budgetUsd"_s));
        QCOMPARE(s.value(u"noCache"_s).toBool(), false);
        QCOMPARE(dialog.data().train.size(), 30);
        QCOMPARE(dialog.keyStatus(u"student"_s), RunSetupDialog::KeyStatus::NotNeeded);
    }

    void livePanel()
    {
        LiveRunPanel panel;
        panel.resize(760, 560);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(panel.isShowingEmptyState());
        QVERIFY(labelContaining(&panel, u"Press Ctrl+Enter to run the pipeline."_s));
        save(&panel, u"live-run-empty.png"_s);

        panel.showRunStarted(u"20250101-120000-ab12"_s, u"Arithmetic QA"_s);
        QVERIFY(!panel.isShowingEmptyState());
        RunProgress p;
        p.step = 2;
        p.totalSteps = 4;
        p.phase = u"backward"_s;
        p.done = 1;
        p.total = 3;
        p.totals.total = 23;
        p.totals.promptTokens = 18400;
        p.totals.completionTokens = 3100;
        p.totals.costUsd = 0.0123;
        p.bestValScore = 0.6;
        panel.showProgress(p);
        QVERIFY(labelContaining(&panel, u"Step 2 of 4"_s));
        QVERIFY(labelContaining(&panel, u"23 calls"_s));
        QVERIFY(labelContaining(&panel, u"$0.0123"_s));

        NodeActivity a;
        a.step = 2;
        a.phase = ActivityPhase::Backward;
        a.purpose = CallPurpose::Backward;
        a.nodeId = u"answer"_s;
        a.sourceNodeId = u"system_prompt"_s;
        a.sampleIndex = 4;
        a.split = u"train"_s;
        panel.showActivity(a);
        QVERIFY(panel.streamTitle().contains(u"critique of answer for system_prompt"_s));
        CallDelta d;
        d.step = 2;
        d.nodeId = u"answer"_s;
        d.sourceNodeId = u"system_prompt"_s;
        d.purpose = CallPurpose::Backward;
        d.sampleIndex = 4;
        for (const QString &piece : {u"The system prompt never asks "_s, u"for the number alone, "_s,
                                     u"so the answer adds a sentence around it. "_s,
                                     u"Ask for the bare number and to check the sum carefully."_s}) {
            d.text = piece;
            panel.showDelta(d);
        }
        QVERIFY(panel.streamText().startsWith(u"The system prompt never asks for the number alone"_s));
        // Text of another call does not mix in.
        CallDelta other = d;
        other.sampleIndex = 5;
        other.text = u"OTHER"_s;
        panel.showDelta(other);
        QVERIFY(!panel.streamText().contains(u"OTHER"_s));

        // A provider error of another call is shown in place, naming it.
        NodeActivity failed = a;
        failed.sampleIndex = 1;
        failed.state = NodeActivity::State::Failed;
        failed.error = u"teacher (api.openai.com): HTTP 429 rate limited; retried 4 times"_s;
        panel.showActivity(failed);
        QVERIFY(panel.errorText().contains(u"HTTP 429"_s));
        QVERIFY(panel.errorText().contains(u"train sample 1"_s));
        save(&panel, u"live-run-streaming.png"_s);

        RunInfo queued;
        queued.id = u"20250101-130000-cd34"_s;
        queued.pipelineName = u"Arithmetic QA"_s;
        queued.status = RunStatus::Queued;
        queued.updatedAt = QDateTime(QDate(2025, 1, 1), QTime(13, 0));
        RunInfo cut;
        cut.id = u"20241231-090000-ef56"_s;
        cut.pipelineName = u"Plan then answer"_s;
        cut.status = RunStatus::Running;
        cut.updatedAt = QDateTime(QDate(2024, 12, 31), QTime(9, 42));
        panel.showRuns({queued}, {cut});
        panel.showFinished(RunOutcome{false, u"20250101-120000-ab12"_s, RunStatus::Cancelled, u"cancelled during step 2"_s});
        QVERIFY(labelContaining(&panel, u"press Resume"_s));
        save(&panel, u"live-run-cancelled.png"_s);

        // The stream stays bounded however long the reply.
        panel.showRunStarted(u"r2"_s, u"Arithmetic QA"_s);
        panel.showActivity(a);
        d.text = QString(LiveRunPanel::kMaxStreamChars, u'x');
        panel.showDelta(d);
        panel.showDelta(d);
        QVERIFY(panel.streamText().size() <= LiveRunPanel::kMaxStreamChars);
    }

    void canvasHighlight()
    {
        PipelineDocument doc;
        QUndoStack stack;
        QVector<PipelineIssue> issues;
        QVERIFY(doc.fromJson(QJsonDocument::fromJson(TestPipelines::arithmeticJson().toUtf8()).object(), &issues));
        GraphScene scene(&doc, &stack);
        GraphView view(&scene);
        view.resize(1000, 520);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.fitToView();
        const int undoBefore = stack.count();

        NodeActivity forward;
        forward.phase = ActivityPhase::Forward;
        forward.nodeId = u"answer"_s;
        forward.step = 1;
        forward.sampleIndex = 0;
        scene.setRunActivity(forward);
        forward.sampleIndex = 1;   // a second sample at the same node, concurrently
        scene.setRunActivity(forward);
        QCOMPARE(scene.nodeItem(u"answer"_s)->runHighlight(), NodeItem::RunHighlight::Forward);
        forward.state = NodeActivity::State::Finished;
        scene.setRunActivity(forward);
        QCOMPARE(scene.nodeItem(u"answer"_s)->runHighlight(), NodeItem::RunHighlight::Forward);
        forward.sampleIndex = 0;
        scene.setRunActivity(forward);
        QCOMPARE(scene.nodeItem(u"answer"_s)->runHighlight(), NodeItem::RunHighlight::None);

        NodeActivity backward;
        backward.phase = ActivityPhase::Backward;
        backward.nodeId = u"answer"_s;
        backward.sourceNodeId = u"system_prompt"_s;
        scene.setRunActivity(backward);
        QCOMPARE(scene.nodeItem(u"answer"_s)->runHighlight(), NodeItem::RunHighlight::Backward);
        EdgeItem *edge = scene.edgeItem(u"answer"_s, u"system"_s);
        QVERIFY(edge);
        QVERIFY(edge->hasBackwardFlow());
        QVERIFY(!scene.edgeItem(u"answer"_s, u"question"_s)->hasBackwardFlow());
        NodeActivity judge = forward;
        judge.nodeId = u"score"_s;
        judge.state = NodeActivity::State::Started;
        scene.setRunActivity(judge);   // another node still computing while the critique runs
        QTest::qWait(200);             // let the dashes move
        save(&view, u"canvas-run-activity.png"_s);

        backward.state = NodeActivity::State::Finished;
        scene.setRunActivity(backward);
        QVERIFY(!edge->hasBackwardFlow());
        scene.clearRunActivity();
        QCOMPARE(scene.nodeItem(u"score"_s)->runHighlight(), NodeItem::RunHighlight::None);
        QCOMPARE(stack.count(), undoBefore);
        QVERIFY(!doc.isModified());
    }
};

QTEST_MAIN(TestRunViews)
#include "tst_runviews.moc"
