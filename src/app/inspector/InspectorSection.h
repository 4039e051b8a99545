#pragma once

#include "graph/PipelineNode.h"

#include <QWidget>
#include <functional>

class PipelineDocument;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QUndoStack;

// One part of the inspector's form (the fields every node has, or those of one node type).
// The document is the truth: the inspector calls load() after every change, and a section shows
// what the model holds. Fields whose text already equals the model are not touched, so loading
// while the user types (their own edit coming back from the document) keeps the cursor, the
// selection and the scroll position. User edits go through edit(): one SetNodeCommand per
// change, named by field so that a typing burst merges into one undo step.
class InspectorSection : public QWidget {
    Q_OBJECT

public:
    InspectorSection(PipelineDocument *document, QUndoStack *undoStack, QWidget *parent = nullptr);

    virtual bool appliesTo(NodeType type) const = 0;
    // Shows the node (nothing if it does not exist).
    void load(const QString &nodeId);
    QString nodeId() const { return m_nodeId; }

    // Bring a field to the model's text without disturbing an equal one.
    static void syncText(QLineEdit *edit, const QString &text);
    // Replaces only the part that differs, so the cursor and the scroll position stay.
    static void syncText(QPlainTextEdit *edit, const QString &text);
    // The label of a row whose field is text (e.g. a list of issues): level with its first line.
    static QLabel *makeTopLabel(const QString &text, QWidget *owner);

protected:
    // Make the widgets show node; called with loading() true, so their signals are not edits.
    virtual void refresh(const PipelineNode &node) = 0;

    PipelineDocument *document() const { return m_document; }
    QUndoStack *undoStack() const { return m_undoStack; }
    bool loading() const { return m_loading; }
    // Pushes one undo command changing the shown node; an empty field never merges.
    void edit(const QString &field, const std::function<void(PipelineNode &)> &change);

    // A form laid out for a narrow dock: labels right-aligned beside fields that grow.
    static QFormLayout *makeForm(QWidget *owner);
    // A caption above a full-width field (multi-line editors need the width).
    static QLabel *makeCaption(const QString &text, QWidget *buddy, QWidget *owner);
    // A muted, wrapping note under a field.
    static QLabel *makeNote(const QString &text, QWidget *owner);
    // Colours a note (a warning, an error); an invalid colour makes it muted again.
    static void setNoteColor(QLabel *note, const QColor &color);

    // Ctrl+Z in the field undoes on the document's stack (see UndoKeyRouter).
    static void routeUndoKeys(QWidget *field);

private:
    PipelineDocument *m_document;
    QUndoStack *m_undoStack;
    QString m_nodeId;
    bool m_loading = false;
};
