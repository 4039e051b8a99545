#include "MainWindow.h"

#include "datasets/DatasetEditor.h"
#include "editors/EnginesPanel.h"
#include "editors/RubricEditor.h"
#include "inspector/InspectorPanel.h"
#include "inspector/JudgeRubricPanel.h"
#include "graph/GraphScene.h"
#include "graph/GraphView.h"
#include "graph/NodeItem.h"
#include "graph/NodePalette.h"
#include "graph/PipelineDocument.h"
#include "KeychainKeySource.h"
#include "project/ExampleCatalog.h"
#include "project/ProjectController.h"
#include "project/ProjectDialogs.h"
#include "project/RecentProjects.h"
#include "runs/RunController.h"
#include "window/EnginesBinder.h"
#include "window/ProblemsPanel.h"
#include "window/WelcomePage.h"

#include <QAction>
#include <QCloseEvent>
#include <QGuiApplication>
#include <QScreen>
#include <QDockWidget>
#include <QLabel>
#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QUndoStack>

using namespace Qt::StringLiterals;

namespace {

constexpr int kStateVersion = 1;
const QString kGeometryKey = u"window/geometry"_s;
const QString kEditorStateKey = u"window/editorState"_s;

} // namespace

MainWindow::MainWindow(ProjectDialogs *dialogs, QWidget *parent)
    : QMainWindow(parent)
{
    if (!dialogs) {
        m_ownDialogs = std::make_unique<WidgetProjectDialogs>();
        dialogs = m_ownDialogs.get();
    }
    m_document = new PipelineDocument(this);
    m_undoStack = new QUndoStack(this);
    m_project = new ProjectController(m_document, m_undoStack, dialogs, this);
    m_project->setDialogParent(this);

    setWindowTitle(tr("TextGrad Workbench"));
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);
    resize(1280, 800);

    buildCentral();
    buildDocks();
    buildActions();
    buildMenus();
    buildToolBar();
    connectProject();
    connectDataset();

    m_problemsLabel = new QLabel;
    statusBar()->addPermanentWidget(m_problemsLabel);
    connect(m_problems, &ProblemsPanel::summaryChanged, m_problemsLabel, &QLabel::setText);
    m_problemsLabel->setText(m_problems->summary());

    m_defaultState = saveState(kStateVersion);
    const QByteArray geometry = QSettings().value(kGeometryKey).toByteArray();
    if (!geometry.isEmpty()) {
        restoreGeometry(geometry);
    } else if (const QScreen *screen = QGuiApplication::primaryScreen()) {
        // First start: most of the screen, since the canvas and its docks all want room.
        const QSize available = screen->availableGeometry().size();
        resize(QSize(1280, 800).expandedTo(available * 0.85).boundedTo(available));
    }
    onProjectChanged();
    statusBar()->showMessage(tr("Ready"));
}

MainWindow::~MainWindow()
{
    // Children die in creation order: the undo stack, clearing itself, would otherwise signal a
    // window that is half gone, and the scene would outlive the document it mirrors.
    m_undoStack->disconnect();
    m_project->disconnect(this);
    delete m_scene;
}

// ---- assembly ------------------------------------------------------------------------------------

void MainWindow::buildCentral()
{
    m_central = new QStackedWidget;
    m_welcome = new WelcomePage;
    m_welcome->setExamples(ExampleCatalog::all());
    m_welcome->setRecentProjects(RecentProjects::list());

    m_scene = new GraphScene(m_document, m_undoStack, this);
    m_view = new GraphView(m_scene);
    m_view->setObjectName(u"canvas"_s);

    // The canvas and the views of runs share the middle as tabs: each wants the most room.
    m_workspace = new QTabWidget;
    m_workspace->setObjectName(u"workspace"_s);
    m_workspace->setDocumentMode(true);
    m_workspace->addTab(m_view, tr("Pipeline"));

    m_central->addWidget(m_welcome);
    m_central->addWidget(m_workspace);
    setCentralWidget(m_central);

    connect(m_welcome, &WelcomePage::newRequested, m_project, &ProjectController::newProject);
    connect(m_welcome, &WelcomePage::openRequested, m_project, &ProjectController::open);
    connect(m_welcome, &WelcomePage::importRequested, m_project, &ProjectController::importPipeline);
    connect(m_welcome, &WelcomePage::exampleChosen, m_project, &ProjectController::newFromExample);
    connect(m_welcome, &WelcomePage::recentChosen, m_project, &ProjectController::openPath);
    connect(m_scene, &GraphScene::statusMessage, this, [this](const QString &text) {
        if (text.isEmpty())
            statusBar()->clearMessage();
        else
            statusBar()->showMessage(text, 6000);
    });
    connect(m_scene, &QGraphicsScene::selectionChanged, this, &MainWindow::onSelectionChanged);
}

QDockWidget *MainWindow::addDock(
    const QString &name, const QString &title, QWidget *content, Qt::DockWidgetArea area)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(name);
    dock->setWidget(content);
    addDockWidget(area, dock);
    return dock;
}

void MainWindow::buildDocks()
{
    m_palette = new NodePalette;
    connect(m_palette, &NodePalette::nodeTypeChosen, m_view,
        [this](const QString &type) { m_view->addNodeAtCenter(type); });
    addDock(u"nodesDock"_s, tr("Nodes"), m_palette, Qt::LeftDockWidgetArea);

    m_inspector = new InspectorPanel(m_document, m_undoStack);
    QDockWidget *inspector
        = addDock(u"inspectorDock"_s, tr("Inspector"), m_inspector, Qt::RightDockWidgetArea);

    m_enginesPanel = new EnginesPanel;
    m_enginesPanel->setKeySource(std::make_shared<KeychainKeySource>());
    m_enginesBinder = new EnginesBinder(m_document, m_undoStack, m_enginesPanel, this);
    QDockWidget *engines
        = addDock(u"enginesDock"_s, tr("Engines"), m_enginesPanel, Qt::RightDockWidgetArea);
    tabifyDockWidget(inspector, engines);
    inspector->raise();

    // The wide editors share the bottom: the dataset grid and the rubric (criteria table and
    // prompt preview side by side) need width more than height.
    m_datasetEditor = new DatasetEditor;
    QDockWidget *dataset
        = addDock(u"datasetDock"_s, tr("Dataset"), m_datasetEditor, Qt::BottomDockWidgetArea);
    m_rubricPanel = new JudgeRubricPanel(m_document, m_undoStack);
    m_rubricPanel->rubricEditor()->setKeySource(std::make_shared<KeychainKeySource>());
    // Scrolls rather than forcing its full height on the tab group it shares.
    auto *rubricScroll = new QScrollArea;
    rubricScroll->setWidget(m_rubricPanel);
    rubricScroll->setWidgetResizable(true);
    rubricScroll->setFrameShape(QFrame::NoFrame);
    QDockWidget *rubric
        = addDock(u"rubricDock"_s, tr("Rubric"), rubricScroll, Qt::BottomDockWidgetArea);
    tabifyDockWidget(dataset, rubric);
    m_problems = new ProblemsPanel(m_document);
    connect(m_problems, &ProblemsPanel::nodeActivated, this, &MainWindow::showNode);
    QDockWidget *problems
        = addDock(u"problemsDock"_s, tr("Problems"), m_problems, Qt::BottomDockWidgetArea);
    tabifyDockWidget(rubric, problems);
    connect(m_inspector, &InspectorPanel::rubricEditorRequested, rubric, [this, rubric] {
        rubric->show();
        rubric->raise();
        // The rubric editor wants room: give the bottom docks most of the height while editing.
        if (!rubric->isFloating())
            resizeDocks({ rubric }, { int(height() * 0.55) }, Qt::Vertical);
    });
    buildRunViews();
    tabifyDockWidget(problems, dock(u"runsDock"_s));
    tabifyDockWidget(dock(u"runsDock"_s), dock(u"liveRunDock"_s));
    dataset->raise();
}

void MainWindow::applyDefaultDockSizes()
{
    // Only meaningful once the window has its size; called after the default layout is restored.
    resizeDocks({ dock(u"nodesDock"_s), dock(u"inspectorDock"_s) }, { 210, 380 }, Qt::Horizontal);
    resizeDocks({ dock(u"datasetDock"_s) }, { 250 }, Qt::Vertical);
}

QDockWidget *MainWindow::dock(const QString &name) const
{
    return findChild<QDockWidget *>(name);
}

QAction *MainWindow::action(const QString &name) const
{
    return findChild<QAction *>(name);
}

bool MainWindow::isShowingWelcome() const
{
    return m_central->currentWidget() == m_welcome;
}

void MainWindow::resetLayout()
{
    restoreState(m_defaultState, kStateVersion);
    // Once the layout has settled: sizes asked for before that are overridden by size hints.
    QTimer::singleShot(0, this, &MainWindow::applyDefaultDockSizes);
}

// ---- project -------------------------------------------------------------------------------------

void MainWindow::connectProject()
{
    connect(m_project, &ProjectController::projectChanged, this, &MainWindow::onProjectChanged);
    connect(m_project, &ProjectController::stateChanged, this, &MainWindow::updateTitle);
    connect(m_project, &ProjectController::statusMessage, this,
        [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    connect(m_project, &ProjectController::projectFileUsed, this, [this](const QString &path) {
        RecentProjects::add(path);
        rebuildRecentMenu();
        rebuildPipelinesMenu();
        m_welcome->setRecentProjects(RecentProjects::list());
        updateRunViewsProject();
    });
    connect(m_document, &PipelineDocument::settingsChanged, this, &MainWindow::updateTitle);
    connect(m_undoStack, &QUndoStack::indexChanged, this, &MainWindow::updateEditActions);
}

void MainWindow::onProjectChanged()
{
    const bool open = m_project->hasProject();
    const bool wasWelcome = isShowingWelcome();
    if (!open && !wasWelcome)
        saveWindowState();
    m_central->setCurrentWidget(open ? static_cast<QWidget *>(m_workspace) : m_welcome);
    if (open && wasWelcome)
        m_workspace->setCurrentWidget(m_view);
    // The docks belong to the editor; the welcome page stands alone.
    for (QDockWidget *d : findChildren<QDockWidget *>()) {
        if (!open)
            d->hide();
    }
    if (open && wasWelcome) {
        restoreWindowState();
        m_view->setFocus();
    }
    if (open) {
        // After the docks have taken their room, so the graph fits the space it really has.
        QTimer::singleShot(0, m_view, &GraphView::fitToView);
    }
    if (!open)
        m_welcome->setRecentProjects(RecentProjects::list());
    m_problemsLabel->setVisible(open);
    rebuildPipelinesMenu();
    updateRunViewsProject();
    onSelectionChanged();
    updateTitle();
}

void MainWindow::updateTitle()
{
    if (!m_project->hasProject()) {
        setWindowTitle(tr("TextGrad Workbench"));
        setWindowModified(false);
        return;
    }
    const QString pipeline = m_document->pipeline().name.trimmed();
    // "[*]" is where Qt draws the modified mark.
    setWindowTitle(tr("%1 — %2[*] — TextGrad Workbench")
                       .arg(pipeline.isEmpty() ? tr("Untitled pipeline") : pipeline,
                           m_project->displayName()));
    setWindowModified(m_project->isModified());
}

void MainWindow::showNode(const QString &id)
{
    NodeItem *item = m_scene->nodeItem(id);
    if (!item)
        return;
    m_scene->clearSelection();
    item->setSelected(true);
    m_view->ensureVisible(item, 60, 60);
}

// ---- dataset -------------------------------------------------------------------------------------

void MainWindow::connectDataset()
{
    connect(m_project, &ProjectController::datasetReplaced, this, &MainWindow::applyDataset);
    connect(m_datasetEditor, &DatasetEditor::loadFinished, this, [this](bool ok) {
        if (ok)
            m_inspector->setDatasetColumns(m_datasetEditor->dataset().columns);
        if (ok && !m_applyingDataset)
            m_project->setDatasetRows(m_datasetEditor->dataset(),
                m_datasetEditor->splitSettings().toJson(), m_datasetEditor->mapping().toJson());
    });
    auto settingsEdited = [this] {
        if (!m_applyingDataset && m_datasetEditor->hasDataset())
            m_project->setDatasetSettings(
                m_datasetEditor->splitSettings().toJson(), m_datasetEditor->mapping().toJson());
    };
    connect(m_datasetEditor, &DatasetEditor::splitChanged, this, settingsEdited);
    connect(m_datasetEditor, &DatasetEditor::mappingChanged, this, settingsEdited);
    for (auto signal : { &PipelineDocument::pipelineReset, &PipelineDocument::issuesChanged })
        connect(m_document, signal, this, &MainWindow::updatePipelineFields);
}

void MainWindow::applyDataset()
{
    m_inspector->setDatasetColumns(m_project->dataset().data.columns);
    const StoredDataset &stored = m_project->dataset();
    m_applyingDataset = true;
    updatePipelineFields();
    if (stored.data.rows.isEmpty() && stored.data.columns.isEmpty())
        m_datasetEditor->clear();
    else
        m_datasetEditor->setDataset(stored.data, SplitSettings::fromJson(stored.split));
    m_datasetEditor->setMappingChoices(stored.mapping);
    m_applyingDataset = false;
}

void MainWindow::updatePipelineFields()
{
    // The mapping panel lists the pipeline's input fields; re-sent only when they change, since
    // each call re-matches the columns.
    const QStringList fields = m_document->pipeline().inputFields();
    if (fields != m_pipelineFields) {
        m_pipelineFields = fields;
        m_datasetEditor->setPipelineFields(fields);
    }
}

// ---- window state --------------------------------------------------------------------------------

void MainWindow::saveWindowState() const
{
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    if (!isShowingWelcome())
        settings.setValue(kEditorStateKey, saveState(kStateVersion));
}

void MainWindow::restoreWindowState()
{
    const QByteArray state = QSettings().value(kEditorStateKey).toByteArray();
    if (state.isEmpty() || !restoreState(state, kStateVersion))
        resetLayout();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_project->maybeSave()) {
        event->ignore();
        return;
    }
    saveWindowState();
    // A run in progress is cancelled; it stays in the project, resumable from its last step.
    m_runs->shutdown();
    event->accept();
}
