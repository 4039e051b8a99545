#include "inspector/UndoKeyRouter.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QPlainTextEdit>

void UndoKeyRouter::install(QWidget *field)
{
    new UndoKeyRouter(field);
}

UndoKeyRouter::UndoKeyRouter(QWidget *field)
    : QObject(field)
{
    field->installEventFilter(this);
    if (auto *plain = qobject_cast<QPlainTextEdit *>(field))
        plain->setUndoRedoEnabled(false);
}

bool UndoKeyRouter::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::ShortcutOverride) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->matches(QKeySequence::Undo) || key->matches(QKeySequence::Redo)) {
            // Not accepted: the key goes on to the shortcut map, i.e. the window's actions.
            event->ignore();
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}
