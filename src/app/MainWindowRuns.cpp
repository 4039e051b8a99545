// The views of runs and how they follow each other: the runs list picks the run that the
// history, the prompt versions and the results show, checked runs are overlaid on the curves,
// and a click on a curve point or a version opens that step's critiques.
#include "MainWindow.h"

#include "commands/SetNodeCommand.h"
#include "compare/RunCompareView.h"
#include "export/ExportDialog.h"
#include "export/RunExporter.h"
#include "history/CurveData.h"
#include "results/ResultsMatrixView.h"
#include "store/RunStore.h"
#include "graph/GraphScene.h"
#include "graph/PipelineDocument.h"
#include "history/CritiqueHistoryView.h"
#include "history/PromptVersionsView.h"
#include "inspector/InspectorPanel.h"
#include "inspector/JudgeRubricPanel.h"
#include "plots/ScoreCurvesView.h"
#include "project/ProjectController.h"
#include "history/RunListModel.h"
#include "window/RunsPanel.h"
#include "runs/LiveRunPanel.h"
#include "runs/RunController.h"
#include "runs/RunSetupDialog.h"
#include "datasets/DatasetEditor.h"

#include <QDockWidget>
#include <QFileInfo>
#include <QLineEdit>
#include <QStatusBar>
#include <QTabWidget>
#include <QUndoStack>

using namespace Qt::StringLiterals;

void MainWindow::buildRunViews()
{
    m_runsPanel = new RunsPanel;
    addDock(u"runsDock"_s, tr("Runs"), m_runsPanel, Qt::BottomDockWidgetArea);
    m_runs = new RunController(this);
    m_livePanel = new LiveRunPanel;
    m_livePanel->setController(m_runs);
    addDock(u"liveRunDock"_s, tr("Live Run"), m_livePanel, Qt::BottomDockWidgetArea);

    m_curves = new ScoreCurvesView;
    m_curves->setObjectName(u"curvesView"_s);
    m_history = new CritiqueHistoryView;
    m_history->setObjectName(u"historyView"_s);
    m_versions = new PromptVersionsView;
    m_versions->setObjectName(u"versionsView"_s);
    m_compare = new RunCompareView;
    m_compare->setObjectName(u"compareView"_s);
    m_results = new ResultsMatrixView;
    m_results->setObjectName(u"resultsView"_s);
    m_exporter = new RunExporter(this);
    m_exporter->setCurvesProvider([this] { return curvesImage(m_exporter->runId()); });
    m_workspace->addTab(m_curves, tr("Curves"));
    m_workspace->addTab(m_history, tr("Critiques"));
    m_workspace->addTab(m_versions, tr("Prompt Versions"));
    m_workspace->addTab(m_results, tr("Results"));
    m_workspace->addTab(m_compare, tr("Compare"));
    // A page's own minimum would hold the whole middle (and squeeze the docks) even while another
    // tab is shown; each page scrolls or elides below this instead.
    for (int i = 0; i < m_workspace->count(); ++i)
        m_workspace->widget(i)->setMinimumSize(360, 240);
    connectRunViews();
    connectRunController();
}

void MainWindow::connectRunViews()
{
    connect(m_runsPanel, &RunsPanel::currentRunChanged, this, [this](const QString &runId) {
        m_history->setRun(runId);
        m_versions->setRun(runId);
        m_results->setRun(runId);
        // With nothing checked for overlay, the curves follow the selected run.
        if (m_runsPanel->model()->checkedRuns().isEmpty())
            m_curves->setRuns({ runId });
    });
    connect(m_runsPanel, &RunsPanel::checkedRunsChanged, this, [this](const QStringList &runIds) {
        m_curves->setRuns(runIds.isEmpty() && !m_runsPanel->currentRun().isEmpty()
                ? QStringList { m_runsPanel->currentRun() }
                : runIds);
    });
    connect(m_runsPanel, &RunsPanel::compareRequested, this,
        [this](const QString &baseline, const QString &candidate) {
            m_compare->setRuns(baseline, candidate);
            showWorkspaceTab(m_compare);
        });
    connect(m_curves, &ScoreCurvesView::stepClicked, this, &MainWindow::showStepCritiques);
    connect(m_versions, &PromptVersionsView::stepActivated, this,
        [this](int step) { showStepCritiques(m_runsPanel->currentRun(), step); });
    connect(m_versions, &PromptVersionsView::restoreRequested, this, &MainWindow::restorePromptVersion);
    connect(m_results, &ResultsMatrixView::stepActivated, this, &MainWindow::showStepCritiques);
    connect(m_runsPanel, &RunsPanel::exportRequested, this, &MainWindow::exportRun);
    connect(m_runsPanel, &RunsPanel::currentRunChanged, this, &MainWindow::updateEditActions);
}

void MainWindow::updateRunViewsProject()
{
    // Views of runs read the project file itself: an untitled project has none yet.
    const QString path = m_project->hasProject() ? m_project->path() : QString();
    if (m_runsPanel->projectPath() == path)
        return;
    m_runsShownForProject = false;
    if (m_runs->isRunning()) {
        // The run writes to the file it started in; the views now show another one. Stopping it
        // keeps both files consistent, and the run resumes from its last step in its own file.
        m_runs->cancel();
        statusBar()->showMessage(tr("The run in progress was cancelled because the project file "
                                    "changed; reopen %1 to resume it.")
                                     .arg(m_runsPanel->projectPath()),
            15000);
    }
    m_runsPanel->setProjectPath(path);
    m_curves->setStorePath(path);
    m_history->setStorePath(path);
    m_versions->setStorePath(path);
    m_compare->setStorePath(path);
    m_results->setStorePath(path);
    m_exporter->setStorePath(path);
    m_runs->setProjectPath(path);
}

// ---- running -------------------------------------------------------------------------------------

void MainWindow::connectRunController()
{
    connect(m_runs, &RunController::nodeActivity, m_scene, &GraphScene::setRunActivity);
    connect(m_runs, &RunController::runStarted, this, [this](const QString &runId) {
        m_liveRunId = runId;
        if (QDockWidget *live = dock(u"liveRunDock"_s)) {
            live->show();
            live->raise();
        }
        m_runsPanel->selectRun(runId);
        m_runsPanel->refresh();
    });
    connect(m_runs, &RunController::stepFinished, this, [this](const StepRecord &step) {
        // Every view of the running run follows it step by step; each coalesces its reload.
        m_curves->appendStep(m_liveRunId, step);
        if (m_runsPanel->currentRun() == m_liveRunId) {
            m_history->reload();
            m_versions->reload();
            m_results->refresh();
        }
        m_runsPanel->refresh();
    });
    connect(m_runs, &RunController::finished, this, [this](const RunOutcome &outcome) {
        m_scene->clearRunActivity();
        m_runsPanel->refresh();
        m_curves->refresh();
        m_compare->refresh();
        if (m_runsPanel->currentRun() == outcome.runId) {
            m_history->reload();
            m_versions->reload();
            m_results->refresh();
        }
        statusBar()->showMessage(outcome.ok
                ? tr("Run %1 %2.").arg(outcome.runId, outcome.status)
                : tr("Run %1 %2: %3").arg(outcome.runId, outcome.status, outcome.error),
            12000);
    });
    connect(m_runs, &RunController::error, this, [this](const QString &text) {
        statusBar()->showMessage(text, 12000);
    });
    connect(m_runs, &RunController::runningChanged, this, &MainWindow::updateEditActions);
    connect(m_runs, &RunController::pausedChanged, this, &MainWindow::updateEditActions);
    connect(m_runsPanel, &RunsPanel::resumeRequested, this, &MainWindow::resumeRun);
    connect(m_runs, &RunController::runsListed, this,
        [this](const QVector<RunInfo> &, const QVector<RunInfo> &resumable) {
            if (!resumable.isEmpty() && !m_runs->isRunning())
                statusBar()->showMessage(resumable.size() == 1
                        ? tr("1 run of this project stopped before the end; resume it from the "
                             "Live Run or Runs panel.")
                        : tr("%1 runs of this project stopped before the end; resume them from "
                             "the Live Run or Runs panel.").arg(resumable.size()),
                    12000);
        });
    // A project with runs opens on its runs; one without, on its dataset.
    connect(m_runsPanel, &RunsPanel::loaded, this, [this] {
        if (m_runsPanel->model()->rowCount() > 0 && !m_runsShownForProject) {
            m_runsShownForProject = true;
            if (QDockWidget *runs = dock(u"runsDock"_s); runs && !runs->isHidden())
                runs->raise();
        }
    });
    connect(m_livePanel, &LiveRunPanel::resumeRequested, this, &MainWindow::resumeRun);
}

bool MainWindow::readyToRun(QString *why) const
{
    int errors = 0;
    for (const PipelineIssue &issue : m_document->issues())
        errors += issue.severity == PipelineIssue::Severity::Error ? 1 : 0;
    if (errors > 0) {
        *why = (errors == 1 ? tr("The pipeline has 1 problem to fix first")
                            : tr("The pipeline has %1 problems to fix first").arg(errors))
            + tr("; see Problems.");
        return false;
    }
    const bool needsData = !m_document->pipeline().inputFields().isEmpty();
    if (needsData && !m_datasetEditor->hasDataset()) {
        *why = tr("The pipeline reads a dataset: import one in the Dataset panel first.");
        return false;
    }
    if (needsData && !m_datasetEditor->mapping().isComplete()) {
        *why = tr("Some pipeline inputs have no dataset column: choose them in the Dataset panel.");
        return false;
    }
    if (needsData && m_datasetEditor->split().train.size() == 0) {
        *why = tr("The training split is empty: change the split in the Dataset panel.");
        return false;
    }
    return true;
}

void MainWindow::startRun()
{
    if (!m_project->hasProject())
        return;
    QString why;
    if (!readyToRun(&why)) {
        statusBar()->showMessage(why, 10000);
        if (why.contains(tr("Problems")))
            dock(u"problemsDock"_s)->raise();
        else
            dock(u"datasetDock"_s)->raise();
        return;
    }
    // A run is written into the project file: an untitled project is saved first.
    if (m_project->isUntitled() && !m_project->save()) {
        statusBar()->showMessage(tr("Save the project to run it: runs are kept in the project file."), 8000);
        return;
    }
    TrainingData data;
    if (!m_document->pipeline().inputFields().isEmpty()) {
        const FieldMapping &mapping = m_datasetEditor->mapping();
        const SplitResult &split = m_datasetEditor->split();
        data.train = mapping.apply(split.train);
        data.validation = mapping.apply(split.validation);
        data.test = mapping.apply(split.test);
    }
    auto *dialog = new RunSetupDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setPipeline(m_document->pipeline());
    dialog->setData(data, m_project->dataset().name);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_runs->enqueue(dialog->pipeline(), dialog->data(), dialog->settings());
    });
    dialog->open();
}

void MainWindow::resumeRun(const QString &runId)
{
    if (m_runs->isRunning()) {
        statusBar()->showMessage(
            tr("A run is in progress; resume %1 once it has finished or been cancelled.").arg(runId), 8000);
        return;
    }
    m_runs->resumeRun(runId);
}

void MainWindow::exportRun(const QString &runId)
{
    if (runId.isEmpty()) {
        statusBar()->showMessage(tr("Select a run in the Runs panel to export it."), 6000);
        return;
    }
    m_exporter->setRun(runId);
    auto *dialog = new ExportDialog(m_exporter, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const int row = m_runsPanel->model()->rowOf(runId);
    dialog->setRun(runId, row >= 0 ? m_runsPanel->model()->rows().at(row).pipelineName : QString());
    if (!m_project->isUntitled())
        dialog->setDefaultDirectory(QFileInfo(m_project->path()).absolutePath());
    dialog->open();
}

// The report's figure: the run's curves drawn by a view of their own, so the export does not
// depend on which runs the Curves tab happens to show.
QImage MainWindow::curvesImage(const QString &runId) const
{
    RunStore store;
    if (runId.isEmpty() || !store.open(m_project->path(), nullptr))
        return QImage();
    ScoreCurvesView view;
    view.setCurves({ CurveData::load(store, runId) });
    return view.renderImage(QSize(900, 450));
}

void MainWindow::showWorkspaceTab(QWidget *page)
{
    m_workspace->setCurrentWidget(page);
}

// A point on the curves, a version, a results column: each leads to the critiques of its step.
void MainWindow::showStepCritiques(const QString &runId, int step)
{
    m_runsPanel->selectRun(runId); // an overlaid curve may belong to a run not selected yet
    m_history->setRun(runId);
    m_history->selectStep(step);
    showWorkspaceTab(m_history);
}

void MainWindow::restorePromptVersion(const QString &nodeId, const QString &value)
{
    const PipelineNode *node = m_document->node(nodeId);
    if (!node) {
        statusBar()->showMessage(
            tr("The pipeline has no node \"%1\" any more; nothing was restored.").arg(nodeId), 8000);
        return;
    }
    if (node->value == value) {
        statusBar()->showMessage(tr("\"%1\" already has this value.").arg(nodeId), 6000);
        return;
    }
    PipelineNode changed = *node;
    changed.value = value;
    auto *command = new SetNodeCommand(m_document, changed);
    command->setText(tr("Restore a version of %1").arg(nodeId));
    m_undoStack->push(command);
    statusBar()->showMessage(
        tr("Restored a version of \"%1\" into the pipeline (Ctrl+Z takes it back).").arg(nodeId), 8000);
}

void MainWindow::onSelectionChanged()
{
    const QStringList ids = m_scene->selectedNodeIds();
    const QString id = ids.size() == 1 ? ids.constFirst() : QString();
    m_inspector->showNode(id);
    m_rubricPanel->setNode(id);
    updateEditActions();
}

void MainWindow::renameSelectedNode()
{
    const QStringList ids = m_scene->selectedNodeIds();
    if (ids.size() != 1) {
        statusBar()->showMessage(tr("Select one node to rename it."), 4000);
        return;
    }
    QDockWidget *inspector = dock(u"inspectorDock"_s);
    inspector->show();
    inspector->raise();
    if (auto *field = m_inspector->findChild<QLineEdit *>(u"nodeId"_s)) {
        field->setFocus(Qt::ShortcutFocusReason);
        field->selectAll();
    }
}
