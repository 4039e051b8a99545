#pragma once

#include "inspector/InspectorSection.h"

class QCheckBox;
class QLabel;
class QListWidget;
class QListWidgetItem;
class QPlainTextEdit;
class QPushButton;

// A parameter node: its value, whether the optimizer may rewrite it, and the constraints the
// optimizer must respect when it does. Constraints are edited only on a trainable parameter
// (nothing reads them otherwise); a note says so instead of silently greying them out.
class ParameterSection : public InspectorSection {
    Q_OBJECT

public:
    ParameterSection(PipelineDocument *document, QUndoStack *undoStack, QWidget *parent = nullptr);

    bool appliesTo(NodeType type) const override { return type == NodeType::Parameter; }

protected:
    void refresh(const PipelineNode &node) override;

private:
    QStringList listedConstraints() const;
    void onConstraintEdited(QListWidgetItem *item);
    void addConstraint();
    void removeConstraint();
    void updateButtons();

    QPlainTextEdit *m_value = nullptr;
    QCheckBox *m_trainable = nullptr;
    QListWidget *m_constraints = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_remove = nullptr;
    QLabel *m_constraintsNote = nullptr;
};
