#pragma once

#include <QMainWindow>

class QLabel;

// The workbench's main window. This first version is the shell the editors and run views
// (later issues) dock into: menus, a status bar and a welcome page that points at the CLI.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);

private:
    void buildMenus();
    void showAbout();
};
