#include "MainWindow.h"

#include <QApplication>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("TextGrad Workbench"));
    resize(1100, 720);

    auto *welcome = new QWidget(this);
    auto *layout = new QVBoxLayout(welcome);
    layout->addStretch();
    auto *title = new QLabel(tr("<h2>TextGrad Workbench</h2>"), welcome);
    title->setAlignment(Qt::AlignCenter);
    auto *body = new QLabel(
        tr("Optimize the prompts of an LLM pipeline with textual gradients.<br><br>"
           "The graph editor and run views are on their way. Until then, pipelines run from "
           "the command line:<br><code>textgrad-cli optimize PIPELINE --train FILE --val FILE</code>"
           "<br><br>See <code>textgrad-cli --help</code> and docs/pipeline-format.md."),
        welcome);
    body->setAlignment(Qt::AlignCenter);
    body->setWordWrap(true);
    body->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(title);
    layout->addWidget(body);
    layout->addStretch();
    setCentralWidget(welcome);

    buildMenus();
    statusBar()->showMessage(tr("Ready"));
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, qApp, &QApplication::quit);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About TextGrad Workbench"));
    connect(about, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About TextGrad Workbench"),
                       tr("TextGrad Workbench %1<br>Prompt optimization with textual gradients.")
                           .arg(QStringLiteral(TEXTGRAD_VERSION)));
}
