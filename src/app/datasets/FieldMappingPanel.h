#pragma once

#include "data/FieldMapping.h"

#include <QGroupBox>

class QFormLayout;
class QLabel;

// "Pipeline inputs": one combo box per input field of the pipeline, listing the dataset's
// columns. Fields without a column are shown in a warning colour and summed up below.
class FieldMappingPanel : public QGroupBox
{
    Q_OBJECT

public:
    explicit FieldMappingPanel(QWidget *parent = nullptr);

    // Pipeline::inputFields(); manual choices are kept where they still apply.
    void setFields(const QStringList &fields);
    void setColumns(const QStringList &columns);
    const FieldMapping &mapping() const { return m_mapping; }
    // Restores saved manual choices (FieldMapping::toJson) for the current fields and columns.
    void setManualChoices(const QJsonObject &json);

signals:
    void mappingChanged();

private:
    void rebuild();
    void updateWarnings();

    FieldMapping m_mapping;
    QStringList m_fields;
    QStringList m_columns;
    QFormLayout *m_form = nullptr;
    QLabel *m_summary = nullptr;
};
