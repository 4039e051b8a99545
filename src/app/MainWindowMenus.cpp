// The window's actions, menus and toolbar. Shortcuts that act on nodes are bound to the canvas
// only (Qt::WidgetWithChildrenShortcut): Delete in the dataset grid or Ctrl+C in a text field
// must not touch the graph.
#include "MainWindow.h"

#include "graph/GraphScene.h"
#include "graph/GraphView.h"
#include "graph/NodePalette.h"
#include "graph/PipelineDocument.h"
#include "project/ExampleCatalog.h"
#include "project/ProjectController.h"
#include "project/RecentProjects.h"
#include "window/Appearance.h"
#include "window/RunsPanel.h"
#include "runs/RunController.h"
#include "window/ShortcutsDialog.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStyle>
#include <QToolBar>
#include <QUndoStack>

using namespace Qt::StringLiterals;

QAction *MainWindow::makeAction(
    const QString &name, const QString &text, const QKeySequence &shortcut, const QString &tip)
{
    auto *action = new QAction(text, this);
    action->setObjectName(name);
    action->setShortcut(shortcut);
    action->setStatusTip(tip);
    if (!shortcut.isEmpty())
        action->setToolTip(u"%1 (%2)"_s.arg(QString(text).remove(u'&').remove(u"..."_s),
            shortcut.toString(QKeySequence::NativeText)));
    return action;
}

void MainWindow::buildActions()
{
    const QStyle *s = style();
    auto file = [this](const QString &name, const QString &text, const QKeySequence &key,
                    const QString &tip, auto slot) {
        QAction *a = makeAction(name, text, key, tip);
        connect(a, &QAction::triggered, m_project, slot);
        return a;
    };
    file(u"new"_s, tr("&New Project"), QKeySequence::New, tr("Start a project with an empty pipeline"),
        &ProjectController::newProject)
        ->setIcon(s->standardIcon(QStyle::SP_FileIcon));
    file(u"open"_s, tr("&Open Project..."), QKeySequence::Open, tr("Open a .tgdb project file"),
        &ProjectController::open)
        ->setIcon(s->standardIcon(QStyle::SP_DialogOpenButton));
    file(u"save"_s, tr("&Save"), QKeySequence::Save, tr("Save the pipeline and dataset to the project file"),
        &ProjectController::save)
        ->setIcon(s->standardIcon(QStyle::SP_DialogSaveButton));
    file(u"saveAs"_s, tr("Save &As..."), QKeySequence(u"Ctrl+Shift+S"_s),
        tr("Save the project, with its runs, to another file"), &ProjectController::saveAs);
    file(u"import"_s, tr("&Import Pipeline JSON..."), QKeySequence(u"Ctrl+Shift+O"_s),
        tr("Open a pipeline file (the format textgrad-cli runs)"), &ProjectController::importPipeline);
    file(u"export"_s, tr("&Export Pipeline JSON..."), QKeySequence(u"Ctrl+E"_s),
        tr("Write the pipeline as a file textgrad-cli can run"), &ProjectController::exportPipeline);
    QAction *exportRun = makeAction(u"exportRun"_s, tr("Export &Run..."), QKeySequence(u"Ctrl+Shift+E"_s),
        tr("Export the selected run's prompts, optimized pipeline, report or results"));
    connect(exportRun, &QAction::triggered, this, [this] { this->exportRun(m_runsPanel->currentRun()); });
    file(u"close"_s, tr("&Close Project"), QKeySequence::Close, tr("Close the project and show the welcome page"),
        &ProjectController::closeProject);
    QAction *quit = makeAction(u"quit"_s, tr("&Quit"), QKeySequence::Quit, tr("Quit TextGrad Workbench"));
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QAction *undo = m_undoStack->createUndoAction(this, tr("&Undo"));
    undo->setObjectName(u"undo"_s);
    undo->setShortcut(QKeySequence::Undo);
    undo->setIcon(s->standardIcon(QStyle::SP_ArrowBack));
    QAction *redo = m_undoStack->createRedoAction(this, tr("&Redo"));
    redo->setObjectName(u"redo"_s);
    redo->setShortcuts({ QKeySequence(u"Ctrl+Shift+Z"_s), QKeySequence(u"Ctrl+Y"_s) });
    redo->setIcon(s->standardIcon(QStyle::SP_ArrowForward));

    // Canvas actions: live while the canvas (or a child) has focus, and from the menus.
    auto canvas = [this](const QString &name, const QString &text, const QKeySequence &key,
                      const QString &tip, auto slot) {
        QAction *a = makeAction(name, text, key, tip);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_view->addAction(a);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    canvas(u"cut"_s, tr("Cu&t"), QKeySequence::Cut, tr("Copy the selected nodes and delete them"),
        [this] {
            m_scene->copy();
            m_scene->deleteSelection();
        });
    canvas(u"copy"_s, tr("&Copy"), QKeySequence::Copy, tr("Copy the selected nodes"),
        [this] { m_scene->copy(); });
    canvas(u"paste"_s, tr("&Paste"), QKeySequence::Paste, tr("Paste nodes"),
        [this] { m_scene->paste(); });
    canvas(u"duplicate"_s, tr("D&uplicate"), QKeySequence(u"Ctrl+D"_s),
        tr("Copy and paste the selected nodes in one step"), [this] { m_scene->duplicate(); });
    QAction *del = canvas(u"delete"_s, tr("&Delete"), QKeySequence::Delete,
        tr("Delete the selected nodes and their connections"), [this] { m_scene->deleteSelection(); });
    del->setShortcuts({ QKeySequence::Delete, QKeySequence(Qt::Key_Backspace) });
    canvas(u"rename"_s, tr("&Rename Node"), QKeySequence(Qt::Key_F2),
        tr("Edit the selected node's id in the inspector"), [this] { renameSelectedNode(); });
    canvas(u"selectAll"_s, tr("Select &All"), QKeySequence::SelectAll, tr("Select every node"),
        [this] { m_scene->selectAll(); });
    canvas(u"addNode"_s, tr("&Add Node..."), QKeySequence(u"Ctrl+Shift+A"_s),
        tr("Search the node types and add one in the middle of the view"), [this] {
            m_view->showPalette(m_view->viewport()->rect().center());
        });
    canvas(u"fit"_s, tr("&Fit to View"), QKeySequence(u"."_s), tr("Show the whole graph"),
        [this] { m_view->fitToView(); });
    canvas(u"zoomIn"_s, tr("Zoom &In"), QKeySequence::ZoomIn, tr("Zoom in"),
        [this] { m_view->zoomBy(1.25, m_view->viewport()->rect().center()); });
    canvas(u"zoomOut"_s, tr("Zoom &Out"), QKeySequence::ZoomOut, tr("Zoom out"),
        [this] { m_view->zoomBy(0.8, m_view->viewport()->rect().center()); });
    canvas(u"zoomReset"_s, tr("&Actual Size"), QKeySequence(u"Ctrl+0"_s), tr("Zoom to 100%"),
        [this] { m_view->zoomBy(1.0 / m_view->zoom(), m_view->viewport()->rect().center()); });
    QAction *snap = makeAction(u"snap"_s, tr("&Snap to Grid"), QKeySequence(),
        tr("Moved nodes land on the grid"));
    snap->setCheckable(true);
    snap->setChecked(m_scene->snapToGrid());
    connect(snap, &QAction::toggled, m_scene, &GraphScene::setSnapToGrid);

    QAction *run = makeAction(u"run"_s, tr("&Run..."), QKeySequence(u"Ctrl+Return"_s),
        tr("Choose the run's settings, see its estimated cost, and start it"));
    // Ctrl+Enter on the keypad is the same request.
    run->setShortcuts({ QKeySequence(u"Ctrl+Return"_s), QKeySequence(u"Ctrl+Enter"_s) });
    run->setIcon(s->standardIcon(QStyle::SP_MediaPlay));
    connect(run, &QAction::triggered, this, &MainWindow::startRun);
    QAction *pause = makeAction(u"pause"_s, tr("&Pause"), QKeySequence(u"Ctrl+Shift+P"_s),
        tr("Let the calls in flight finish and start no new ones"));
    pause->setIcon(s->standardIcon(QStyle::SP_MediaPause));
    connect(pause, &QAction::triggered, this, [this] { m_runs->isPaused() ? m_runs->resume() : m_runs->pause(); });
    QAction *cancel = makeAction(u"cancelRun"_s, tr("&Cancel Run"), QKeySequence(u"Ctrl+Shift+Backspace"_s),
        tr("Stop the run; it stays in the project and can be resumed from its last step"));
    cancel->setIcon(s->standardIcon(QStyle::SP_MediaStop));
    connect(cancel, &QAction::triggered, this, [this] { m_runs->cancel(); });

    QAction *shortcuts = makeAction(u"shortcuts"_s, tr("&Keyboard Shortcuts"),
        QKeySequence(u"Ctrl+/"_s), tr("Every shortcut and canvas gesture"));
    connect(shortcuts, &QAction::triggered, this, &MainWindow::showShortcuts);
    QAction *about = makeAction(u"about"_s, tr("&About TextGrad Workbench"), QKeySequence(), QString());
    connect(about, &QAction::triggered, this, &MainWindow::showAbout);
    QAction *reset = makeAction(u"resetLayout"_s, tr("&Reset Layout"), QKeySequence(),
        tr("Put the panels back where they started"));
    connect(reset, &QAction::triggered, this, &MainWindow::resetLayout);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(action(u"new"_s));
    m_examplesMenu = file->addMenu(tr("New from &Example"));
    for (const ExampleInfo &example : ExampleCatalog::all()) {
        QAction *a = m_examplesMenu->addAction(example.title);
        a->setStatusTip(example.description.section(u". "_s, 0, 0));
        connect(a, &QAction::triggered, m_project,
            [this, example] { m_project->newFromExample(example); });
    }
    file->addAction(action(u"open"_s));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_pipelinesMenu = file->addMenu(tr("&Pipelines in Project"));
    file->addSeparator();
    file->addAction(action(u"save"_s));
    file->addAction(action(u"saveAs"_s));
    file->addSeparator();
    file->addAction(action(u"import"_s));
    file->addAction(action(u"export"_s));
    file->addAction(action(u"exportRun"_s));
    file->addSeparator();
    file->addAction(action(u"close"_s));
    file->addAction(action(u"quit"_s));
    rebuildRecentMenu();

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    for (const QString &name : { u"undo"_s, u"redo"_s, QString(), u"cut"_s, u"copy"_s,
             u"paste"_s, u"duplicate"_s, u"delete"_s, u"rename"_s, QString(), u"selectAll"_s,
             u"addNode"_s }) {
        if (name.isEmpty())
            edit->addSeparator();
        else
            edit->addAction(action(name));
    }

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (const QString &name : { u"fit"_s, u"zoomIn"_s, u"zoomOut"_s, u"zoomReset"_s, u"snap"_s })
        view->addAction(action(name));
    view->addSeparator();
    QMenu *panels = view->addMenu(tr("&Panels"));
    for (QDockWidget *d : findChildren<QDockWidget *>())
        panels->addAction(d->toggleViewAction());
    view->addAction(action(u"resetLayout"_s));
    QMenu *looks = view->addMenu(tr("&Appearance"));
    auto *group = new QActionGroup(this);
    const QList<QPair<Appearance::Mode, QString>> modes = { { Appearance::Mode::System, tr("Follow &System") },
        { Appearance::Mode::Light, tr("&Light") }, { Appearance::Mode::Dark, tr("&Dark") } };
    for (const auto &[mode, text] : modes) {
        QAction *a = looks->addAction(text);
        a->setObjectName(u"appearance-"_s + Appearance::name(mode));
        a->setCheckable(true);
        a->setChecked(Appearance::stored() == mode);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [mode] {
            Appearance::store(mode);
            Appearance::apply(mode);
        });
    }

    QMenu *runMenu = menuBar()->addMenu(tr("&Run"));
    runMenu->addAction(action(u"run"_s));
    runMenu->addAction(action(u"pause"_s));
    runMenu->addAction(action(u"cancelRun"_s));
    runMenu->addSeparator();
    runMenu->addAction(action(u"exportRun"_s));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(action(u"shortcuts"_s));
    help->addSeparator();
    help->addAction(action(u"about"_s));
}

void MainWindow::buildToolBar()
{
    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(u"mainToolBar"_s);
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    for (const QString &name : { u"new"_s, u"open"_s, u"save"_s, QString(), u"undo"_s, u"redo"_s,
             QString(), u"addNode"_s, u"fit"_s, QString(), u"run"_s, u"pause"_s, u"cancelRun"_s }) {
        if (name.isEmpty())
            bar->addSeparator();
        else
            bar->addAction(action(name));
    }
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = RecentProjects::list();
    for (const QString &path : recent) {
        QAction *a = m_recentMenu->addAction(QFileInfo(path).fileName());
        a->setStatusTip(QDir::toNativeSeparators(path));
        connect(a, &QAction::triggered, m_project, [this, path] { m_project->openPath(path); });
    }
    if (recent.isEmpty()) {
        m_recentMenu->addAction(tr("No recent projects"))->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    connect(m_recentMenu->addAction(tr("&Clear Menu")), &QAction::triggered, this, [this] {
        RecentProjects::clear();
        rebuildRecentMenu();
    });
}

void MainWindow::rebuildPipelinesMenu()
{
    m_pipelinesMenu->clear();
    const auto pipelines = m_project->storedPipelines();
    for (const auto &[id, name] : pipelines) {
        QAction *a = m_pipelinesMenu->addAction(name);
        a->setCheckable(true);
        a->setChecked(id == m_project->pipelineId());
        connect(a, &QAction::triggered, m_project,
            [this, id = id] { m_project->openStoredPipeline(id); rebuildPipelinesMenu(); });
    }
    if (pipelines.isEmpty())
        m_pipelinesMenu->addAction(tr("No saved pipelines yet"))->setEnabled(false);
}

void MainWindow::updateEditActions()
{
    const bool open = m_project->hasProject();
    const bool selection = open && !m_scene->selectedItems().isEmpty();
    for (const QString &name : { u"save"_s, u"saveAs"_s, u"export"_s, u"close"_s, u"paste"_s,
             u"selectAll"_s, u"addNode"_s, u"fit"_s, u"zoomIn"_s, u"zoomOut"_s, u"zoomReset"_s,
             u"snap"_s })
        action(name)->setEnabled(open);
    for (const QString &name : { u"cut"_s, u"copy"_s, u"duplicate"_s, u"delete"_s, u"rename"_s })
        action(name)->setEnabled(selection);
    m_pipelinesMenu->setEnabled(open && !m_project->isUntitled());
    action(u"exportRun"_s)->setEnabled(open && !m_runsPanel->currentRun().isEmpty());
    const bool running = m_runs->isRunning();
    action(u"run"_s)->setEnabled(open && !running);
    action(u"pause"_s)->setEnabled(running);
    action(u"pause"_s)->setText(m_runs->isPaused() ? tr("&Resume") : tr("&Pause"));
    action(u"cancelRun"_s)->setEnabled(running);
}

void MainWindow::showShortcuts()
{
    ShortcutsDialog dialog(menuBar(), this);
    dialog.exec();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About TextGrad Workbench"),
        tr("<b>TextGrad Workbench %1</b><br>Optimize the prompts of LLM pipelines with textual "
           "gradients.<br><br>Projects are SQLite files that textgrad-cli reads and writes too.")
            .arg(QStringLiteral(TEXTGRAD_VERSION)));
}
