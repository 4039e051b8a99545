#pragma once

#include <QWidget>

class IssueList;
class PipelineDocument;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QUndoStack;
class ReferenceCombo;

// What the inspector shows when no node is selected: the pipeline's name and description, its
// objective (the metric or judge whose score is optimized), the engine that writes feedback,
// and pipeline-level problems. Every change is an undo step.
class PipelinePage : public QWidget {
    Q_OBJECT

public:
    PipelinePage(PipelineDocument *document, QUndoStack *undoStack, QWidget *parent = nullptr);

    // Shows the document's current state, leaving fields that already match alone.
    void refresh();

private:
    PipelineDocument *m_document;
    QUndoStack *m_undoStack;
    QLineEdit *m_name = nullptr;
    QPlainTextEdit *m_description = nullptr;
    ReferenceCombo *m_objective = nullptr;
    ReferenceCombo *m_backwardEngine = nullptr;
    IssueList *m_issues = nullptr;
    bool m_loading = false;
};
