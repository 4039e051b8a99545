#include "MainWindow.h"

#include "ui_WelcomePage.h"

#include <QApplication>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QWidget>

using namespace Qt::StringLiterals;

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("TextGrad Workbench"));
    resize(1100, 720);

    // The welcome page is a form in ui/; it is the central widget until a project is open.
    auto *welcome = new QWidget(this);
    Ui::WelcomePage form;
    form.setupUi(welcome);
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
