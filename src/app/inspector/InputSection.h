#pragma once

#include "inspector/InspectorSection.h"

#include <QStringList>

class QComboBox;
class QLabel;

// An input node: the dataset column it reads. The combo offers the open dataset's columns
// (setDatasetColumns) and still takes any name, since a pipeline may be edited before its data.
class InputSection : public InspectorSection {
    Q_OBJECT

public:
    InputSection(PipelineDocument *document, QUndoStack *undoStack, QWidget *parent = nullptr);

    bool appliesTo(NodeType type) const override { return type == NodeType::Input; }
    void setDatasetColumns(const QStringList &columns);

protected:
    void refresh(const PipelineNode &node) override;

private:
    void updateColumnNote(const QString &field);

    QComboBox *m_field = nullptr;
    QLabel *m_columnNote = nullptr;
    QStringList m_columns;
};
