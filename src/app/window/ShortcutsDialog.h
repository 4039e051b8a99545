#pragma once

#include <QDialog>

class QMenuBar;
class QTreeWidget;

// Help > Keyboard Shortcuts: every menu action that has a shortcut, read from the menu bar so the
// list can never drift from the real bindings, followed by the canvas's mouse and key gestures.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT

public:
    ShortcutsDialog(const QMenuBar *menuBar, QWidget *parent = nullptr);

    QTreeWidget *tree() const { return m_tree; }

private:
    QTreeWidget *m_tree;
};
