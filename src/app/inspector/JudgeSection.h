#pragma once

#include "inspector/InspectorSection.h"

class QLabel;
class QPushButton;
class ReferenceCombo;

// A judge node: the engine that scores, and a summary of its rubric with a way to the Rubric
// panel, where the rubric itself is edited (it needs more room than a dock column).
class JudgeSection : public InspectorSection {
    Q_OBJECT

public:
    JudgeSection(PipelineDocument *document, QUndoStack *undoStack, QWidget *parent = nullptr);

    bool appliesTo(NodeType type) const override { return type == NodeType::Judge; }

signals:
    void rubricEditorRequested(const QString &judgeId);

protected:
    void refresh(const PipelineNode &node) override;

private:
    ReferenceCombo *m_engine = nullptr;
    QLabel *m_rubric = nullptr;
    QPushButton *m_openRubric = nullptr;
};
