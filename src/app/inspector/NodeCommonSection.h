#pragma once

#include "inspector/InspectorSection.h"

class IssueList;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

// What every node has: its id (renamed through RenameNodeCommand when the field is left, and
// only to a free id: the reason for a refusal shows under the field), its type, its role
// description and its validation issues.
class NodeCommonSection : public InspectorSection {
    Q_OBJECT

public:
    NodeCommonSection(PipelineDocument *document, QUndoStack *undoStack, QWidget *parent = nullptr);

    bool appliesTo(NodeType) const override { return true; }
    // Why newId cannot replace the shown id; empty if it can (or is unchanged).
    QString renameProblem(const QString &newId) const;

protected:
    void refresh(const PipelineNode &node) override;

private:
    void onIdEdited();
    void commitId();

    QLineEdit *m_id = nullptr;
    QLabel *m_idProblem = nullptr;
    QLabel *m_type = nullptr;
    QLabel *m_typeNote = nullptr;
    QPlainTextEdit *m_role = nullptr;
    IssueList *m_issues = nullptr;
    QString m_shownId; // the id the field was last loaded with
};
