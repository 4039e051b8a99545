#pragma once

#include <QObject>

class QWidget;

// Makes Ctrl+Z / Ctrl+Shift+Z (the platform's undo and redo keys) in a text field reach the
// window's Undo/Redo actions, i.e. the document's undo stack, instead of the field's private
// history: every edit of a field is already a step on that stack, and undoing inside the field
// would just become one more edit. Fields lose their own undo history.
class UndoKeyRouter : public QObject {
    Q_OBJECT

public:
    // The router becomes a child of field and lives as long as it.
    static void install(QWidget *field);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    explicit UndoKeyRouter(QWidget *field);
};
