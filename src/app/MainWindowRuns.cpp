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
    connect(m_curves, &ScoreCurvesView::stepClicked, this, [this](const QString &runId, int step) {
        m_runsPanel->selectRun(runId);
        m_history->setRun(runId);
        m_history->selectStep(step);
        showWorkspaceTab(m_history);
    });
    connect(m_versions, &PromptVersionsView::stepActivated, this, [this](int step) {
        m_history->selectStep(step);
        showWorkspaceTab(m_history);
    });
    connect(m_versions, &PromptVersionsView::restoreRequested, this, &MainWindow::restorePromptVersion);
    connect(m_results, &ResultsMatrixView::stepActivated, this, [this](const QString &runId, int step) {
        m_history->setRun(runId);
        m_history->selectStep(step);
        showWorkspaceTab(m_history);
    });
    connect(m_runsPanel, &RunsPanel::exportRequested, this, &MainWindow::exportRun);
    connect(m_runsPanel, &RunsPanel::currentRunChanged, this, &MainWindow::updateEditActions);
}

void MainWindow::updateRunViewsProject()
{
    // Views of runs read the project file itself: an untitled project has none yet.
    const QString path = m_project->hasProject() ? m_project->path() : QString();
    if (m_runsPanel->projectPath() == path)
        return;
    m_runsPanel->setProjectPath(path);
    m_curves->setStorePath(path);
    m_history->setStorePath(path);
    m_versions->setStorePath(path);
    m_compare->setStorePath(path);
    m_results->setStorePath(path);
    m_exporter->setStorePath(path);
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
