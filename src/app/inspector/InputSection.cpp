#include "inspector/InputSection.h"

#include "datasets/WarningColor.h"
#include "graph/PipelineDocument.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>

using namespace Qt::StringLiterals;

InputSection::InputSection(PipelineDocument *document, QUndoStack *undoStack, QWidget *parent)
    : InspectorSection(document, undoStack, parent)
{
    QFormLayout *form = makeForm(this);
    m_field = new QComboBox(this);
    m_field->setObjectName(u"datasetField"_s);
    m_field->setEditable(true);
    m_field->setInsertPolicy(QComboBox::NoInsert);
    m_field->lineEdit()->setPlaceholderText(tr("column name"));
    m_field->setToolTip(tr("The dataset column this input reads, one value per sample."));
    routeUndoKeys(m_field->lineEdit());
    form->addRow(tr("Dataset &field:"), m_field);

    m_columnNote = makeNote(QString(), this);
    m_columnNote->setObjectName(u"columnNote"_s);
    form->addRow(static_cast<QWidget *>(nullptr), m_columnNote);

    // Typed text and a column picked from the list are both edits of the same field.
    connect(m_field, &QComboBox::editTextChanged, this, [this](const QString &text) {
        updateColumnNote(text);
        edit(u"field"_s, [&](PipelineNode &n) { n.field = text; });
    });
}

void InputSection::setDatasetColumns(const QStringList &columns)
{
    if (columns == m_columns)
        return;
    m_columns = columns;
    const QString text = m_field->currentText();
    {
        const QSignalBlocker blocker(m_field);
        m_field->clear();
        m_field->addItems(columns);
        m_field->setEditText(text);
    }
    updateColumnNote(text);
}

void InputSection::refresh(const PipelineNode &node)
{
    syncText(m_field->lineEdit(), node.field);
    updateColumnNote(node.field);
}

void InputSection::updateColumnNote(const QString &field)
{
    if (m_columns.isEmpty()) {
        m_columnNote->setText(tr("Open a dataset to pick from its columns."));
        setNoteColor(m_columnNote, QColor());
    } else if (!field.isEmpty() && !m_columns.contains(field)) {
        m_columnNote->setText(tr("The open dataset has no column “%1”.").arg(field));
        setNoteColor(m_columnNote, warningColor(palette()));
    } else {
        m_columnNote->setText(tr("A column of the open dataset."));
        setNoteColor(m_columnNote, QColor());
    }
}
