#pragma once

#include <QMainWindow>
#include <QPointer>

#include <memory>

class CritiqueHistoryView;
class DatasetEditor;
class InspectorPanel;
class JudgeRubricPanel;
class PromptVersionsView;
class RunCompareView;
class RunsPanel;
class ScoreCurvesView;
class QTabWidget;
class ResultsMatrixView;
class RunExporter;
class RunController;
class LiveRunPanel;
class EnginesBinder;
class EnginesPanel;
class GraphScene;
class GraphView;
class NodePalette;
class PipelineDocument;
class ProblemsPanel;
class ProjectController;
class ProjectDialogs;
class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QMenu;
class QStackedWidget;
class QUndoStack;
class WelcomePage;

// The workbench window: the welcome page while no project is open; otherwise the pipeline canvas
// in the middle with docks around it (node palette, inspector, rubric, engines, dataset,
// problems). The window only assembles and wires: the project lives in ProjectController, the
// pipeline in PipelineDocument with one QUndoStack, and each panel is its own class.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // dialogs: where file choosers and questions come from (tests pass a scripted one); the
    // window uses real dialogs when it is null.
    explicit MainWindow(ProjectDialogs *dialogs = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    ProjectController *project() const { return m_project; }
    PipelineDocument *document() const { return m_document; }
    QUndoStack *undoStack() const { return m_undoStack; }
    GraphScene *scene() const { return m_scene; }
    GraphView *view() const { return m_view; }
    DatasetEditor *datasetEditor() const { return m_datasetEditor; }
    InspectorPanel *inspector() const { return m_inspector; }
    RunsPanel *runsPanel() const { return m_runsPanel; }
    RunController *runController() const { return m_runs; }
    QTabWidget *workspace() const { return m_workspace; }
    bool isShowingWelcome() const;
    // A named action ("save", "undo", "fit", ...), for tests and the shortcuts list.
    QAction *action(const QString &name) const;
    QDockWidget *dock(const QString &name) const;

    // Puts the docks back where a first start has them.
    void resetLayout();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    // MainWindow.cpp: assembly and state
    void buildCentral();
    void buildDocks();
    QDockWidget *addDock(const QString &name, const QString &title, QWidget *content,
        Qt::DockWidgetArea area);
    void applyDefaultDockSizes();
    void connectProject();
    void connectDataset();
    void onProjectChanged();
    void updateTitle();
    void updateEditActions();
    void applyDataset();
    void updatePipelineFields();
    void showNode(const QString &id);
    void saveWindowState() const;
    void restoreWindowState();

    // MainWindowRuns.cpp: the views of runs (list, curves, history, versions, comparison)
    void buildRunViews();
    void connectRunViews();
    void updateRunViewsProject();
    void showWorkspaceTab(QWidget *page);
    void showStepCritiques(const QString &runId, int step);
    void restorePromptVersion(const QString &nodeId, const QString &value);
    void onSelectionChanged();
    void renameSelectedNode();
    void exportRun(const QString &runId);
    void connectRunController();
    void startRun();
    void resumeRun(const QString &runId);
    bool readyToRun(QString *why) const;
    QImage curvesImage(const QString &runId) const;

    // MainWindowMenus.cpp: actions, menus, toolbar
    QAction *makeAction(const QString &name, const QString &text, const QKeySequence &shortcut,
        const QString &tip);
    void buildActions();
    void buildMenus();
    void buildToolBar();
    void rebuildRecentMenu();
    void rebuildPipelinesMenu();
    void showShortcuts();
    void showAbout();

    std::unique_ptr<ProjectDialogs> m_ownDialogs;
    PipelineDocument *m_document = nullptr;
    QUndoStack *m_undoStack = nullptr;
    ProjectController *m_project = nullptr;
    GraphScene *m_scene = nullptr;
    GraphView *m_view = nullptr;

    QStackedWidget *m_central = nullptr;
    WelcomePage *m_welcome = nullptr;
    NodePalette *m_palette = nullptr;
    DatasetEditor *m_datasetEditor = nullptr;
    EnginesPanel *m_enginesPanel = nullptr;
    EnginesBinder *m_enginesBinder = nullptr;
    JudgeRubricPanel *m_rubricPanel = nullptr;
    InspectorPanel *m_inspector = nullptr;
    QTabWidget *m_workspace = nullptr;
    RunsPanel *m_runsPanel = nullptr;
    ScoreCurvesView *m_curves = nullptr;
    CritiqueHistoryView *m_history = nullptr;
    PromptVersionsView *m_versions = nullptr;
    RunCompareView *m_compare = nullptr;
    ResultsMatrixView *m_results = nullptr;
    RunExporter *m_exporter = nullptr;
    RunController *m_runs = nullptr;
    LiveRunPanel *m_livePanel = nullptr;
    bool m_runsShownForProject = false;
    QString m_liveRunId;            // the run the controller is executing, for step updates
    ProblemsPanel *m_problems = nullptr;
    QLabel *m_problemsLabel = nullptr;

    QMenu *m_recentMenu = nullptr;
    QMenu *m_pipelinesMenu = nullptr;
    QMenu *m_examplesMenu = nullptr;
    QByteArray m_defaultState;     // the dock layout as built, for View > Reset Layout
    QStringList m_pipelineFields;  // last sent to the dataset editor
    bool m_applyingDataset = false;
    bool m_editorStateRestored = false;
};
