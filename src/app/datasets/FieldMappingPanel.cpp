#include "datasets/FieldMappingPanel.h"

#include "datasets/WarningColor.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <algorithm>

using namespace Qt::StringLiterals;

FieldMappingPanel::FieldMappingPanel(QWidget *parent)
    : QGroupBox(tr("Pipeline inputs"), parent)
{
    auto *layout = new QVBoxLayout(this);
    auto *rows = new QWidget;
    m_form = new QFormLayout(rows);
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_summary = new QLabel;
    m_summary->setObjectName(u"mappingSummary"_s);
    m_summary->setWordWrap(true);
    layout->addWidget(rows);
    layout->addWidget(m_summary);
    layout->addStretch();
    setMinimumWidth(200);
    rebuild();
}

void FieldMappingPanel::setFields(const QStringList &fields)
{
    m_fields = fields;
    m_mapping = FieldMapping::fromJson(m_mapping.toJson(), fields, m_columns);
    rebuild();
    emit mappingChanged();
}

void FieldMappingPanel::setColumns(const QStringList &columns)
{
    m_columns = columns;
    m_mapping.rematch(columns);
    rebuild();
    emit mappingChanged();
}

void FieldMappingPanel::setManualChoices(const QJsonObject &json)
{
    m_mapping = FieldMapping::fromJson(json, m_fields, m_columns);
    rebuild();
    emit mappingChanged();
}

void FieldMappingPanel::rebuild()
{
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    if (m_fields.isEmpty()) {
        m_summary->setText(
            tr("No pipeline inputs yet. Open a pipeline to choose which column feeds each input."));
        m_summary->setForegroundRole(QPalette::PlaceholderText);
        return;
    }
    for (const QString &field : std::as_const(m_fields)) {
        auto *combo = new QComboBox;
        combo->addItem(tr("(no column)"), QString());
        for (const QString &c : std::as_const(m_columns))
            combo->addItem(c, c);
        combo->setCurrentIndex(std::max(0, combo->findData(m_mapping.column(field))));
        combo->setToolTip(tr("The dataset column that fills {%1} in the pipeline").arg(field));
        // activated, not currentIndexChanged: only a choice the user makes is a manual override.
        connect(combo, &QComboBox::activated, this, [this, combo, field] {
            m_mapping.setColumn(field, combo->currentData().toString());
            updateWarnings();
            emit mappingChanged();
        });
        auto *label = new QLabel(field);
        label->setProperty("field", field);
        m_form->addRow(label, combo);
    }
    updateWarnings();
}

void FieldMappingPanel::updateWarnings()
{
    const QStringList unmapped = m_mapping.unmappedFields();
    const QColor warning = warningColor(palette());
    for (int r = 0; r < m_form->rowCount(); ++r) {
        QLayoutItem *item = m_form->itemAt(r, QFormLayout::LabelRole);
        auto *label = item ? qobject_cast<QLabel *>(item->widget()) : nullptr;
        if (!label)
            continue;
        const bool missing = unmapped.contains(label->property("field").toString());
        QPalette p = label->palette();
        p.setColor(QPalette::WindowText, missing ? warning : palette().color(QPalette::WindowText));
        label->setPalette(p);
        label->setToolTip(missing ? tr("No column feeds this input") : QString());
    }
    if (unmapped.isEmpty()) {
        m_summary->setForegroundRole(QPalette::PlaceholderText);
        m_summary->setText(tr("Every input has a column."));
        return;
    }
    QPalette p = m_summary->palette();
    p.setColor(QPalette::WindowText, warning);
    m_summary->setPalette(p);
    m_summary->setForegroundRole(QPalette::WindowText);
    m_summary->setText((unmapped.size() == 1 ? tr("No column feeds this input: %1")
                                             : tr("No column feeds these inputs: %1"))
                           .arg(unmapped.join(u", "_s)));
}
