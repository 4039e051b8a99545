// The workbench window as a user meets it, offscreen: the welcome page, New / Open / Save /
// Save As / recent projects on a real project file, the modified mark and the guard on close,
// examples with their data, pipeline JSON export, the dock layout restored on the next start,
// shortcuts scoped to the canvas, and engine edits going through undo.

#include "MainWindow.h"
#include "datasets/DatasetEditor.h"
#include "editors/EnginesPanel.h"
#include "graph/GraphScene.h"
#include "graph/GraphView.h"
#include "graph/NodeItem.h"
#include "graph/PipelineDocument.h"
#include "project/ExampleCatalog.h"
#include "project/ProjectController.h"
#include "project/ProjectDialogs.h"
#include "project/RecentProjects.h"
#include "window/ShortcutsDialog.h"
#include "FakeOpenAiServer.h"
#include "ScriptedRuns.h"
#include "TestPipelines.h"
#include "graph/PipelineJson.h"
#include "runs/RunController.h"
#include "runs/RunSetupDialog.h"
#include "cost/PriceTable.h"
#include "export/RunExporter.h"
#include "history/PromptVersionsView.h"
#include "store/RunStore.h"
#include "window/RunsPanel.h"

#include <QAction>
#include <QStatusBar>
#include <QDockWidget>
#include <QFile>
#include <QJsonDocument>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QUndoStack>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

// Answers the window's questions from queues the test fills; records what was asked.
class ScriptedDialogs : public ProjectDialogs
{
public:
    QStringList openPaths, savePaths, importPaths, exportPaths;
    QList<SaveChoice> choices;
    QStringList asked, errors;

    QString openProjectPath(QWidget *) override { return take(openPaths); }
    QString saveProjectPath(QWidget *, const QString &suggestion) override
    {
        asked << u"save as "_s + suggestion;
        return take(savePaths);
    }
    QString importPipelinePath(QWidget *) override { return take(importPaths); }
    QString exportPipelinePath(QWidget *, const QString &) override { return take(exportPaths); }
    SaveChoice askToSave(QWidget *, const QString &what) override
    {
        asked << u"save? "_s + what;
        return choices.isEmpty() ? SaveChoice::Cancel : choices.takeFirst();
    }
    void showError(QWidget *, const QString &title, const QString &text) override
    {
        errors << title + u": "_s + text;
    }

private:
    static QString take(QStringList &queue) { return queue.isEmpty() ? QString() : queue.takeFirst(); }
};

ExampleInfo example(const QString &id)
{
    for (const ExampleInfo &e : ExampleCatalog::all()) {
        if (e.id == id)
            return e;
    }
    return {};
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"textgrad-workbench-tests"_s);
        QCoreApplication::setApplicationName(u"tst_mainwindow"_s);
    }

    void init() { QSettings().clear(); }

    void startsOnTheWelcomePage()
    {
        ScriptedDialogs dialogs;
        MainWindow window(&dialogs);
        window.show();
        QVERIFY(window.isShowingWelcome());
        QVERIFY(!window.dock(u"datasetDock"_s)->isVisible());
        QVERIFY(!window.action(u"save"_s)->isEnabled());
        QCOMPARE(window.windowTitle(), u"TextGrad Workbench"_s);
        QCOMPARE(ExampleCatalog::all().size(), 5);
    }

    void newProjectEditsMarkTheTitleAndUndoClearsIt()
    {
        ScriptedDialogs dialogs;
        MainWindow window(&dialogs);
        window.show();
        QVERIFY(window.project()->newProject());
        QVERIFY(!window.isShowingWelcome());
        QVERIFY(window.dock(u"datasetDock"_s)->isVisible());
        QVERIFY(!window.isWindowModified());
        QVERIFY(window.windowTitle().contains(u"Untitled"_s));

        window.scene()->addNodeAt(u"input"_s, QPointF(0, 0));
        QVERIFY(window.isWindowModified());
        window.action(u"undo"_s)->trigger();
        QVERIFY(window.document()->pipeline().nodes.isEmpty());
        QVERIFY(!window.isWindowModified());
        window.action(u"redo"_s)->trigger();
        QCOMPARE(window.document()->pipeline().nodes.size(), 1);
        QVERIFY(window.isWindowModified());
    }

    void saveCloseReopenGivesTheSamePipeline()
    {
        ScriptedDialogs dialogs;
        const QString file = path(u"qa.tgdb"_s);
        QJsonObject saved;
        {
            MainWindow window(&dialogs);
            window.show();
            QVERIFY(window.project()->newProject());
            window.scene()->addNodeAt(u"input"_s, QPointF(0, 0));
            window.scene()->addNodeAt(u"parameter"_s, QPointF(0, 200));
            window.scene()->addNodeAt(u"llm"_s, QPointF(300, 100));
            dialogs.savePaths << file;
            window.action(u"save"_s)->trigger();
            QVERIFY2(dialogs.errors.isEmpty(), qPrintable(dialogs.errors.join(u'\n')));
            QCOMPARE(dialogs.asked.size(), 1); // the first save asks where
            QVERIFY(QFile::exists(file));
            QVERIFY(!window.isWindowModified());
            QVERIFY(window.windowTitle().contains(u"qa.tgdb"_s));
            QCOMPARE(RecentProjects::list(), QStringList { QFileInfo(file).absoluteFilePath() });
            saved = window.document()->toJson();

            // A second save writes in place without asking.
            window.scene()->addNodeAt(u"metric"_s, QPointF(600, 100));
            window.action(u"save"_s)->trigger();
            QCOMPARE(dialogs.asked.size(), 1);
            saved = window.document()->toJson();
            QVERIFY(window.close());
        }
        MainWindow again(&dialogs);
        again.show();
        QVERIFY(again.project()->openPath(file));
        QCOMPARE(again.document()->toJson(), saved);
        QVERIFY(!again.isWindowModified());
        QCOMPARE(again.project()->storedPipelines().size(), 1);
    }

    void closingWithChangesAsksAndCancelKeepsEverything()
    {
        ScriptedDialogs dialogs;
        MainWindow window(&dialogs);
        window.show();
        QVERIFY(window.project()->newProject());
        window.scene()->addNodeAt(u"input"_s, QPointF(0, 0));

        dialogs.choices << ProjectDialogs::SaveChoice::Cancel;
        QVERIFY(!window.close());
        QVERIFY(window.isVisible());
        QCOMPARE(window.document()->pipeline().nodes.size(), 1);
        QCOMPARE(dialogs.asked.size(), 1);
        QVERIFY(dialogs.asked.constFirst().contains(u"untitled"_s));

        // New asks too; Discard lets it go.
        dialogs.choices << ProjectDialogs::SaveChoice::Discard;
        QVERIFY(window.project()->newProject());
        QVERIFY(window.document()->pipeline().nodes.isEmpty());

        // Save from the question: the save dialog is cancelled, so nothing closes.
        window.scene()->addNodeAt(u"input"_s, QPointF(0, 0));
        dialogs.choices << ProjectDialogs::SaveChoice::Save;
        QVERIFY(!window.project()->closeProject());
        QVERIFY(window.project()->hasProject());
    }

    void anExampleOpensWithItsSplitDataAndSurvivesASave()
    {
        ScriptedDialogs dialogs;
        const QString file = path(u"summary.tgdb"_s);
        {
            MainWindow window(&dialogs);
            window.show();
            const ExampleInfo summary = example(u"support-summary/summary"_s);
            QVERIFY(!summary.pipelinePath.isEmpty());
            QVERIFY(window.project()->newFromExample(summary));
            QVERIFY2(dialogs.errors.isEmpty(), qPrintable(dialogs.errors.join(u'\n')));
            QCOMPARE(window.datasetEditor()->dataset().size(), 16);
            QCOMPARE(window.datasetEditor()->split().train.size(), 8);
            QCOMPARE(window.datasetEditor()->split().validation.size(), 4);
            QCOMPARE(window.datasetEditor()->split().test.size(), 4);
            QVERIFY(window.datasetEditor()->mapping().isComplete());
            QVERIFY(!window.isWindowModified());
            QVERIFY(window.document()->issues().isEmpty());

            dialogs.savePaths << file;
            QVERIFY(window.project()->save());
            QVERIFY(dialogs.asked.constFirst().endsWith(u"Support ticket summary (rubric judge).tgdb"_s));
        }
        MainWindow again(&dialogs);
        again.show();
        QVERIFY(again.project()->openPath(file));
        QCOMPARE(again.datasetEditor()->dataset().size(), 16);
        QCOMPARE(again.datasetEditor()->split().validation.size(), 4);
        // Showing the stored dataset is not an edit.
        QTest::qWait(400); // past the editor's split debounce
        QVERIFY(!again.isWindowModified());
    }

    void changingTheSplitIsAnEditThatSaves()
    {
        ScriptedDialogs dialogs;
        const QString file = path(u"split.tgdb"_s);
        MainWindow window(&dialogs);
        window.show();
        QVERIFY(window.project()->newFromExample(example(u"object-counting/ollama"_s)));
        dialogs.savePaths << file;
        QVERIFY(window.project()->save());
        SplitSettings ratios;
        ratios.mode = SplitSettings::Mode::Ratios;
        ratios.seed = 7;
        window.datasetEditor()->setSplitSettings(ratios);
        QTRY_VERIFY(window.isWindowModified());
        QVERIFY(window.project()->save());
        ProjectContents contents;
        QVERIFY(ProjectFile::read(file, 0, 0, &contents, nullptr));
        const SplitSettings stored = SplitSettings::fromJson(contents.dataset.split);
        QCOMPARE(stored.mode, SplitSettings::Mode::Ratios);
        QCOMPARE(stored.seed, quint64(7));
    }

    void exportedJsonIsTheContractFormatExactly()
    {
        ScriptedDialogs dialogs;
        MainWindow window(&dialogs);
        window.show();
        const ExampleInfo chain = example(u"plan-then-answer/chain"_s);
        QVERIFY(window.project()->newFromExample(chain));
        const QString out = path(u"chain.tgpipe.json"_s);
        dialogs.exportPaths << out;
        window.action(u"export"_s)->trigger();
        QVERIFY2(dialogs.errors.isEmpty(), qPrintable(dialogs.errors.join(u'\n')));
        // Byte for byte the bundled file: the writer's order and layout are the files' own.
        QCOMPARE(readFile(out), readFile(chain.pipelinePath));

        // Importing it back gives the same document, marked as not yet in the project.
        dialogs.choices << ProjectDialogs::SaveChoice::Discard;
        const QJsonObject before = window.document()->toJson();
        QVERIFY(window.project()->importPipelinePath(out));
        QCOMPARE(window.document()->toJson(), before);
        QVERIFY(window.isWindowModified());
    }

    void aBrokenPipelineFileIsRefusedWithItsName()
    {
        ScriptedDialogs dialogs;
        MainWindow window(&dialogs);
        window.show();
        const QString bad = path(u"bad.tgpipe.json"_s);
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"formatVersion\": 1, \"nodes\": [ {\"id\": \"a\", \"type\": \"wizard\"} ]}");
        f.close();
        QVERIFY(!window.project()->importPipelinePath(bad));
        QCOMPARE(dialogs.errors.size(), 1);
        QVERIFY2(dialogs.errors.constFirst().contains(bad), qPrintable(dialogs.errors.constFirst()));
        QVERIFY(window.isShowingWelcome());
    }

    void saveAsKeepsTheOriginalFile()
    {
        ScriptedDialogs dialogs;
        MainWindow window(&dialogs);
        window.show();
        QVERIFY(window.project()->newProject());
        window.scene()->addNodeAt(u"input"_s, QPointF(0, 0));
        const QString first = path(u"first.tgdb"_s), second = path(u"second.tgdb"_s);
        dialogs.savePaths << first << second;
        QVERIFY(window.project()->save());
        window.scene()->addNodeAt(u"input"_s, QPointF(0, 200));
        window.action(u"saveAs"_s)->trigger();
        QCOMPARE(window.project()->path(), second);
        ProjectContents a, b;
        QVERIFY(ProjectFile::read(first, 0, 0, &a, nullptr));
        QVERIFY(ProjectFile::read(second, 0, 0, &b, nullptr));
        QCOMPARE(a.pipeline.value(u"nodes"_s).toArray().size(), 1);
        QCOMPARE(b.pipeline.value(u"nodes"_s).toArray().size(), 2);
    }

    void theDockLayoutComesBackOnTheNextStart()
    {
        ScriptedDialogs dialogs;
        {
            MainWindow window(&dialogs);
            window.show();
            QVERIFY(window.project()->newProject());
            QVERIFY(window.dock(u"problemsDock"_s)->isVisible()
                || !window.dock(u"problemsDock"_s)->isHidden());
            window.dock(u"nodesDock"_s)->hide();
            window.dock(u"datasetDock"_s)->setFloating(true);
            QVERIFY(window.close());
        }
        MainWindow again(&dialogs);
        again.show();
        QVERIFY(again.project()->newProject());
        QVERIFY(again.dock(u"nodesDock"_s)->isHidden());
        QVERIFY(again.dock(u"datasetDock"_s)->isFloating());
        again.resetLayout();
        QVERIFY(!again.dock(u"nodesDock"_s)->isHidden());
        QVERIFY(!again.dock(u"datasetDock"_s)->isFloating());
    }

    void deleteActsOnTheCanvasOnly()
    {
        ScriptedDialogs dialogs;
        MainWindow window(&dialogs);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.project()->newFromExample(example(u"object-counting/ollama"_s)));
        const int nodes = window.document()->pipeline().nodes.size();
        NodeItem *item = window.scene()->nodeItems().constFirst();
        item->setSelected(true);

        window.datasetEditor()->view()->setFocus();
        QTest::keyClick(window.datasetEditor()->view(), Qt::Key_Delete);
        QCOMPARE(window.document()->pipeline().nodes.size(), nodes);

        window.view()->setFocus();
        QTest::keyClick(window.view(), Qt::Key_Delete);
        QCOMPARE(window.document()->pipeline().nodes.size(), nodes - 1);
        QTest::keyClick(window.view(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(window.document()->pipeline().nodes.size(), nodes);
    }

    void engineEditsAreUndoable()
    {
        ScriptedDialogs dialogs;
        MainWindow window(&dialogs);
        window.show();
        QVERIFY(window.project()->newProject());
        auto *panel = window.findChild<EnginesPanel *>();
        QVERIFY(panel);
        const QString name = panel->addEngine();
        QVERIFY(window.document()->pipeline().engines.contains(name));
        window.scene()->addNodeAt(u"llm"_s, QPointF(0, 0));
        QCOMPARE(window.document()->pipeline().nodes.constFirst().engine, name);

        // A rename follows into the node that names the engine, as one undo step.
        const int steps = window.undoStack()->count();
        QVERIFY(panel->renameEngine(name, u"tutor"_s));
        QCOMPARE(window.undoStack()->count(), steps + 1);
        QVERIFY(window.document()->pipeline().engines.contains(u"tutor"_s));
        QVERIFY(!window.document()->pipeline().engines.contains(name));
        QCOMPARE(window.document()->pipeline().nodes.constFirst().engine, u"tutor"_s);
        window.undoStack()->undo();
        QVERIFY(window.document()->pipeline().engines.contains(name));
        QCOMPARE(window.document()->pipeline().nodes.constFirst().engine, name);
        QVERIFY(panel->engines().contains(name));
    }

    void theShortcutListShowsTheRealBindings()
    {
        ScriptedDialogs dialogs;
        MainWindow window(&dialogs);
        ShortcutsDialog shortcuts(window.menuBar());
        QStringList listed;
        for (QTreeWidgetItemIterator it(shortcuts.tree()); *it; ++it)
            listed << (*it)->text(1);
        for (const QKeySequence &key : { QKeySequence(QKeySequence::New), QKeySequence(QKeySequence::Open),
                 QKeySequence(QKeySequence::Save), QKeySequence(QKeySequence::Undo),
                 QKeySequence(u"Ctrl+Shift+Z"_s), QKeySequence(QKeySequence::Copy),
                 QKeySequence(QKeySequence::Paste), QKeySequence(QKeySequence::Delete) }) {
            const QString text = key.toString(QKeySequence::NativeText);
            QVERIFY2(listed.contains(text), qPrintable(text));
        }
    }

    void aProjectWithRunsShowsTheNewestRunEverywhere()
    {
        const QString file = path(u"with-runs.tgdb"_s);
        QString runId;
        {
            RunStore store;
            QVERIFY(store.open(file, nullptr));
            ScriptedRuns::activateTestPrices();
            const RunOutcome outcome = ScriptedRuns::gatedArithmetic(&store);
            QVERIFY2(outcome.ok, qPrintable(outcome.error));
            runId = outcome.runId;
        }
        ScriptedDialogs dialogs;
        MainWindow window(&dialogs);
        window.show();
        QVERIFY(window.project()->openPath(file));
        QTRY_COMPARE(window.runsPanel()->currentRun(), runId);

        // A file only the CLI wrote: the run's pipeline and the rows it used, ready to save.
        QVERIFY(!window.document()->pipeline().nodes.isEmpty());
        QCOMPARE(window.datasetEditor()->dataset().size(), 14);
        QCOMPARE(window.datasetEditor()->split().validation.size(), 5);
        QVERIFY(window.isWindowModified());

        // Restoring a version from the versions view is an undoable edit of the document.
        auto *versions = window.findChild<PromptVersionsView *>();
        QVERIFY(versions);
        const QString node = window.document()->pipeline().nodes.constFirst().id;
        Q_EMIT versions->restoreRequested(node, QString::fromLatin1(ScriptedRuns::kSloppyPrompt));
        QCOMPARE(window.document()->node(node)->value, QString::fromLatin1(ScriptedRuns::kSloppyPrompt));
        window.undoStack()->undo();
        QVERIFY(window.document()->node(node)->value != QString::fromLatin1(ScriptedRuns::kSloppyPrompt));

        // The report carries the run's curves as a figure.
        auto *exporter = window.findChild<RunExporter *>();
        QVERIFY(exporter);
        exporter->setRun(runId);
        QSignalSpy done(exporter, &RunExporter::finished);
        const QString report = path(u"report.html"_s);
        QVERIFY(exporter->exportTo(RunExporter::Kind::ReportHtml, report));
        QTRY_COMPARE(done.size(), 1);
        QVERIFY2(done.constFirst().at(2).toBool(), qPrintable(done.constFirst().at(3).toString()));
        QVERIFY(readFile(report).contains("data:image/png;base64,"));
        PriceTable::setActive(std::make_shared<const PriceTable>(PriceTable::builtin()));
    }

    void aRunStartedFromTheWindowFillsTheViews()
    {
        FakeOpenAiServer server;
        QVERIFY(server.start());
        server.setResponder([](const FakeRequest &r) {
            const QString system = r.messages.isEmpty() ? QString() : r.messages.constFirst().content;
            if (system.contains(u"You revise one text variable"_s))
                return FakeReply::completion(u"<IMPROVED_VARIABLE>Add the numbers carefully.</IMPROVED_VARIABLE>"_s);
            if (system.contains(u"You are the critic"_s))
                return FakeReply::completion(u"Ask for the sum only."_s);
            return FakeReply::completion(u"4"_s);
        });
        ScriptedDialogs dialogs;
        MainWindow window(&dialogs);
        window.show();
        QVERIFY(window.project()->newProject());
        window.document()->setPipeline(TestPipelines::parse(TestPipelines::arithmeticJson(server.baseUrl())));
        Dataset data;
        data.columns = { u"question"_s, u"answer"_s };
        for (int i = 0; i < 8; ++i)
            data.rows.append({ i + 2, { { u"question"_s, u"2+%1"_s.arg(i) }, { u"answer"_s, QString::number(2 + i) } } });
        SplitSettings split;
        split.ratios = { 0.5, 0.25, 0.25 };
        window.datasetEditor()->setDataset(data, split);
        QVERIFY(window.datasetEditor()->mapping().isComplete());

        // Ctrl+Enter on an untitled project saves it first (runs live in the project file).
        const QString file = path(u"gui-run.tgdb"_s);
        dialogs.savePaths << file;
        QSignalSpy activity(window.runController(), &RunController::nodeActivity);
        QSignalSpy finished(window.runController(), &RunController::finished);
        QVERIFY(QTest::qWaitForWindowActive(&window));
        window.view()->setFocus();
        QTest::keyClick(window.view(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_VERIFY2(window.findChild<RunSetupDialog *>(), qPrintable(window.statusBar()->currentMessage()));
        QCOMPARE(window.project()->path(), file);
        window.findChild<RunSetupDialog *>()->accept();
        QTRY_VERIFY(window.runController()->isRunning());
        QVERIFY(!window.action(u"run"_s)->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        const RunOutcome outcome = finished.constFirst().constFirst().value<RunOutcome>();
        QVERIFY2(outcome.ok, qPrintable(outcome.error));
        QVERIFY(activity.size() > 0);
        QTRY_VERIFY(window.action(u"run"_s)->isEnabled());
        // The runs list shows the run, selected; the scene has no highlight left.
        QTRY_COMPARE(window.runsPanel()->currentRun(), outcome.runId);
        for (NodeItem *item : window.scene()->nodeItems())
            QCOMPARE(item->runHighlight(), NodeItem::RunHighlight::None);
    }

    void screenshots()
    {
        // For visual review: the welcome page and an example, light and dark.
        const QString dir = qEnvironmentVariable("TEXTGRAD_SCREENSHOT_DIR");
        if (dir.isEmpty())
            QSKIP("set TEXTGRAD_SCREENSHOT_DIR to save screenshots");
        ScriptedDialogs dialogs;
        MainWindow window(&dialogs);
        window.resize(1400, 900);
        window.show();
        QVERIFY(window.grab().save(dir + u"/window-welcome.png"_s));
        QVERIFY(window.project()->newFromExample(example(u"support-summary/summary"_s)));
        QTest::qWait(200);
        QVERIFY(window.grab().save(dir + u"/window-example.png"_s));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
