#pragma once

#include "inspector/InspectorSection.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;

// A metric node: which comparison, its pattern or tolerance (only the one its kind reads), how
// both texts are normalised first, and the purpose line the feedback engine is shown. Regular
// expressions are checked as they are typed, with Qt's reason when they do not compile.
class MetricSection : public InspectorSection {
    Q_OBJECT

public:
    MetricSection(PipelineDocument *document, QUndoStack *undoStack, QWidget *parent = nullptr);

    bool appliesTo(NodeType type) const override { return type == NodeType::Metric; }

protected:
    void refresh(const PipelineNode &node) override;

private:
    void showRegexProblem(QLabel *label, const QString &pattern);

    QComboBox *m_kind = nullptr;
    QLabel *m_kindNote = nullptr;
    QLabel *m_patternLabel = nullptr;
    QLineEdit *m_pattern = nullptr;
    QLabel *m_patternProblem = nullptr;
    QLabel *m_toleranceLabel = nullptr;
    QDoubleSpinBox *m_tolerance = nullptr;
    QCheckBox *m_caseSensitive = nullptr;
    QCheckBox *m_whitespace = nullptr;
    QCheckBox *m_punctuation = nullptr;
    QLineEdit *m_answerPattern = nullptr;
    QLabel *m_answerProblem = nullptr;
    QLineEdit *m_purpose = nullptr;
    QLabel *m_purposeNote = nullptr;
};
