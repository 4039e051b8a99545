// The critique history and prompt versions views on a real (scripted) run, offscreen: the
// empty states, the timeline with its marks, a step's diffs, gradients and conversation, the
// search filter, version diffs, the blame with its critiques, and the restore signal.
// With TEXTGRAD_SCREENSHOT_DIR set, both views are saved there as PNGs (light and dark).

#include "ScriptedClient.h"
#include "TestPipelines.h"
#include "history/CritiqueHistoryView.h"
#include "history/PromptVersionsView.h"
#include "history/StepTimelineModel.h"
#include "store/RunStore.h"
#include "training/Trainer.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QToolButton>
#include <QTreeWidget>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

// The optimizer's proposals, one per step: step 3's loses validation and is rejected.
QString proposal(int step)
{
    switch (step) {
    case 1:
        return u"You are an arithmetic assistant. Work carefully and reply with the number only."_s;
    case 2:
        return u"You are a careful arithmetic assistant. Work carefully, adding digit by digit, "
               "and reply with the number only. Never explain your steps."_s;
    case 3:
        return u"Be quick. Reply with a number."_s;
    default:
        return u"You are a careful arithmetic assistant.\n- Work carefully, adding digit by "
               u"digit.\n"
               "- Check the sum once before answering.\n- Reply with the number only."_s;
    }
}

ScriptedClient::Reply world(const ChatRequest &r)
{
    switch (r.tag.purpose) {
    case CallPurpose::Backward:
        return ScriptedClient::text(
            u"For sample %1 the answer was one too high. The prompt should ask the assistant to "
            "add digit by digit and check the sum before replying with the number only."_s.arg(
                r.tag.sampleIndex));
    case CallPurpose::Optimizer:
        return ScriptedClient::text(
            u"The critiques agree that the assistant adds too fast.\n<IMPROVED_VARIABLE>"_s
            + proposal(r.tag.step) + u"</IMPROVED_VARIABLE>"_s);
    default:
        return ScriptedClient::text(TestPipelines::arithmeticWorld(r));
    }
}

template<typename T> T *child(const QWidget &w, const QString &name)
{
    T *c = w.findChild<T *>(name);
    if (!c)
        qWarning("no child %s", qPrintable(name));
    return c;
}

void screenshot(QWidget &w, const QString &name)
{
    const QString dir = qEnvironmentVariable("TEXTGRAD_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QTest::qWait(50);
    w.grab().save(dir + u"/"_s + name + u".png"_s);
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x65, 0xca));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    return p;
}

} // namespace

class TestCritiqueHistory : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    QString m_runId;

    bool openOnRun(CritiqueHistoryView &view)
    {
        QSignalSpy shown(&view, &CritiqueHistoryView::stepShown);
        view.setStorePath(m_db);
        view.setRun(m_runId);
        return shown.wait(20000) && shown.first().first().toInt() == 1;
    }

    bool openOnRun(PromptVersionsView &view)
    {
        QSignalSpy loaded(&view, &PromptVersionsView::versionsLoaded);
        view.setStorePath(m_db);
        view.setRun(m_runId);
        return loaded.wait(20000);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(u"project.tgdb"_s);
        RunStore store;
        QVERIFY(store.open(m_db, nullptr));
        ScriptedClient client(&world);
        Pipeline p = TestPipelines::parse(TestPipelines::arithmeticJson());
        p.optimizer.maxSteps = 4;
        p.optimizer.stopWhenPerfect = false;
        TrainingData data;
        data.train = TestPipelines::additions(12);
        data.validation = TestPipelines::additions(3, 100);
        Trainer trainer(&store, &client);
        const RunOutcome out = trainer.start(p, data, {});
        QVERIFY2(out.ok, qPrintable(out.error));
        m_runId = out.runId;
    }

    void emptyStatesSayWhatToDo()
    {
        CritiqueHistoryView history;
        history.resize(900, 500);
        history.show();
        QVERIFY(QTest::qWaitForWindowExposed(&history));
        QLabel *empty = child<QLabel>(history, u"emptyState"_s);
        QVERIFY(empty->isVisible());
        QVERIFY(empty->text().contains(u"Ctrl+Enter"_s));
        screenshot(history, u"history-empty"_s);

        PromptVersionsView versions;
        versions.resize(900, 500);
        versions.show();
        QVERIFY(QTest::qWaitForWindowExposed(&versions));
        QVERIFY(child<QLabel>(versions, u"emptyState"_s)->isVisible());
        QVERIFY(child<QLabel>(versions, u"emptyState"_s)->text().contains(u"Ctrl+Enter"_s));
    }

    void showsTheStepsAndTheirCritiques()
    {
        CritiqueHistoryView view;
        QAbstractItemModelTester tester(
            view.timelineModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.resize(1280, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(openOnRun(view));
        QVERIFY(!child<QLabel>(view, u"emptyState"_s)->isVisible());
        QCOMPARE(view.timelineModel()->rowCount(), 4);
        QTRY_VERIFY(child<QLabel>(view, u"counts"_s)->text().contains(u"4 steps (3 accepted)"_s));

        // Step 1: accepted, the prompt gained a sentence, every critique with its conversation.
        QVERIFY(child<QLabel>(view, u"stepHeader"_s)->text().contains(u"accepted"_s));
        const QString diff = child<QTextBrowser>(view, u"diffs"_s)->toPlainText();
        QVERIFY2(
            diff.contains(u"Work carefully and reply with the number only."_s), qPrintable(diff));
        QVERIFY(diff.contains(u"system_prompt"_s));
        QTreeWidget *gradients = child<QTreeWidget>(view, u"gradients"_s);
        QCOMPARE(gradients->topLevelItemCount(), 6); // batch 3 x (metric, llm call)
        QStringList targets;
        for (int i = 0; i < gradients->topLevelItemCount(); ++i)
            targets << gradients->topLevelItem(i)->text(0);
        QVERIFY(targets.contains(u"system_prompt"_s));
        QVERIFY(targets.contains(u"answer"_s));
        QVERIFY(gradients->topLevelItem(0)->text(2).contains(u"line"_s));
        const QString conversation = child<QTextBrowser>(view, u"conversation"_s)->toPlainText();
        QVERIFY(conversation.contains(u"SYSTEM"_s));
        QVERIFY(conversation.contains(u"the critique (this gradient)"_s));
        QVERIFY(conversation.contains(u"one too high"_s));

        // The raw reply is folded until asked for.
        QPlainTextEdit *reply = child<QPlainTextEdit>(view, u"reply"_s);
        QVERIFY(!reply->isVisible());
        child<QToolButton>(view, u"replyToggle"_s)->click();
        QVERIFY(reply->isVisible());
        QVERIFY(reply->toPlainText().contains(u"<IMPROVED_VARIABLE>"_s));
        gradients->setCurrentItem(gradients->topLevelItem(1));
        screenshot(view, u"history-step"_s);

        // Step 3 was rejected.
        QSignalSpy shown(&view, &CritiqueHistoryView::stepShown);
        view.selectStep(3);
        QVERIFY(shown.wait(20000));
        QCOMPARE(view.selectedStep(), 3);
        QVERIFY(child<QLabel>(view, u"stepHeader"_s)->text().contains(u"rejected"_s));
        QVERIFY(child<QTextBrowser>(view, u"diffs"_s)->toPlainText().contains(u"Be quick."_s));
    }

    void searchFiltersTheTimeline()
    {
        CritiqueHistoryView view;
        view.resize(1280, 800);
        view.show();
        QVERIFY(openOnRun(view));
        StepTimelineModel *model = view.timelineModel();
        QSignalSpy pages(model, &StepTimelineModel::pageLoaded);
        view.setSearchText(u"be QUICK"_s);
        QVERIFY(pages.wait(20000));
        QCOMPARE(model->rowCount(), 1);
        QCOMPARE(model->index(0).data(StepTimelineModel::StepRole).toInt(), 3);
        QVERIFY(child<QLabel>(view, u"status"_s)->text().contains(u"1 step matches"_s));

        // The matching step opens on its matching critique.
        view.setSearchText(u"for SAMPLE 5 the"_s);
        QVERIFY(pages.wait(20000));
        QCOMPARE(model->rowCount(), 1); // each training sample is in one batch of epoch 1
        const int matchingStep = model->index(0).data(StepTimelineModel::StepRole).toInt();
        QTRY_COMPARE(view.selectedStep(), matchingStep);
        QTreeWidget *gradients = child<QTreeWidget>(view, u"gradients"_s);
        QTRY_VERIFY(gradients->currentItem()
            && gradients->currentItem()->toolTip(4).startsWith(u"For sample 5 the"_s));
        QVERIFY(gradients->currentItem()->font(0).bold());

        view.setSearchText(u"no such words anywhere"_s);
        QVERIFY(pages.wait(20000));
        QCOMPARE(model->rowCount(), 0);
        QVERIFY(child<QLabel>(view, u"status"_s)->text().startsWith(u"No step matches"_s));
        QVERIFY(!child<QLabel>(view, u"emptyState"_s)->isVisible()); // the search, not the run

        // Typing goes through the debounce and ends with every step back.
        child<QLineEdit>(view, u"search"_s)->clear();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 4, 20000);
    }

    void versionsDiffBlameAndRestore()
    {
        PromptVersionsView view;
        view.resize(1280, 760);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy blameReady(&view, &PromptVersionsView::blameReady);
        QVERIFY(openOnRun(view));
        QCOMPARE(view.currentNode(), u"system_prompt"_s);
        QCOMPARE(view.versions().size(), 4);
        QCOMPARE(child<QTreeWidget>(view, u"versions"_s)->topLevelItemCount(), 5); // + initial
        // The current value (step 4, accepted) is selected first, against step 2's value
        // (step 3 was rejected).
        QCOMPARE(view.selectedVersions(), QVector<int> { 3 });
        QCOMPARE(view.versions().at(3).version.previous, proposal(2));
        const QString diff = child<QTextBrowser>(view, u"diff"_s)->toPlainText();
        QVERIFY(diff.contains(u"Check the sum once before answering."_s));

        // Blame: which step wrote each sentence, and the critiques behind it.
        QVERIFY(blameReady.wait(20000) || !view.blame().isEmpty());
        QTRY_VERIFY(!view.blame().isEmpty() && !view.blame().last().critiques.isEmpty());
        const QVector<BlameSentence> blame = view.blame();
        QCOMPARE(blame.size(), 4);
        QCOMPARE(blame.at(0).step, 2); // "a careful arithmetic assistant": reworded at step 2
        QCOMPARE(blame.at(0).firstStep, 0);
        QCOMPARE(blame.at(0).origin, BlameSentence::Origin::Carried);
        QCOMPARE(blame.at(1).origin, BlameSentence::Origin::Revised); // shortened at step 4
        QCOMPARE(blame.at(1).firstStep, 1);
        QCOMPARE(blame.at(2).step, 4); // the new check
        QCOMPARE(blame.at(2).origin, BlameSentence::Origin::New);
        QVERIFY(blame.at(2).critiques.first().feedback.contains(u"check the sum"_s));
        QVERIFY(child<QTextBrowser>(view, u"blame"_s)->toHtml().contains(u"blame:2"_s));
        QTabWidget *tabs = view.findChild<QTabWidget *>();
        tabs->setCurrentIndex(1);
        QSignalSpy activated(&view, &PromptVersionsView::stepActivated);
        QMetaObject::invokeMethod(child<QTextBrowser>(view, u"blame"_s), "anchorClicked",
            Q_ARG(QUrl, QUrl(u"blame:2"_s)));
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.first().first().toInt(), 4);
        QVERIFY(child<QTextBrowser>(view, u"blameInfo"_s)
                    ->toPlainText()
                    .contains(u"written at step 4"_s));
        screenshot(view, u"versions-blame"_s);

        // Any two versions: the initial value against step 2's.
        tabs->setCurrentIndex(0);
        view.selectVersions({ -1, 1 });
        QCOMPARE(view.selectedVersions(), (QVector<int> { -1, 1 }));
        QVERIFY(!child<QPushButton>(view, u"restore"_s)->isEnabled());
        const QString twoWay = child<QTextBrowser>(view, u"diff"_s)->toHtml();
        QVERIFY(twoWay.contains(u"line-through"_s));
        QVERIFY(
            child<QLabel>(view, u"hint"_s)->text().contains(u"From the initial value to step 2"_s));
        screenshot(view, u"versions-diff"_s);

        // Restore the rejected candidate of step 3.
        view.selectVersions({ 2 });
        QPushButton *restore = child<QPushButton>(view, u"restore"_s);
        QVERIFY(restore->isEnabled());
        QSignalSpy restored(&view, &PromptVersionsView::restoreRequested);
        restore->click();
        QCOMPARE(restored.count(), 1);
        QCOMPARE(restored.first().at(0).toString(), u"system_prompt"_s);
        QCOMPARE(restored.first().at(1).toString(), proposal(3));
    }

    void darkPaletteScreenshots()
    {
        if (qEnvironmentVariable("TEXTGRAD_SCREENSHOT_DIR").isEmpty())
            QSKIP("screenshots only (TEXTGRAD_SCREENSHOT_DIR unset)");
        const QPalette old = QApplication::palette();
        QApplication::setPalette(darkPalette());
        {
            CritiqueHistoryView view;
            view.resize(1280, 800);
            view.show();
            QVERIFY(openOnRun(view));
            child<QTreeWidget>(view, u"gradients"_s)
                ->setCurrentItem(child<QTreeWidget>(view, u"gradients"_s)->topLevelItem(1));
            screenshot(view, u"history-step-dark"_s);
            PromptVersionsView versions;
            versions.resize(1280, 760);
            versions.show();
            QSignalSpy blameReady(&versions, &PromptVersionsView::blameReady);
            QVERIFY(openOnRun(versions));
            blameReady.wait(5000);
            versions.findChild<QTabWidget *>()->setCurrentIndex(1);
            screenshot(versions, u"versions-blame-dark"_s);
        }
        QApplication::setPalette(old);
    }
};

QTEST_MAIN(TestCritiqueHistory)
#include "tst_critiquehistory.moc"
