#include "inspector/ParameterSection.h"

#include "graph/PipelineDocument.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalBlocker>

using namespace Qt::StringLiterals;

ParameterSection::ParameterSection(
    PipelineDocument *document, QUndoStack *undoStack, QWidget *parent)
    : InspectorSection(document, undoStack, parent)
{
    QFormLayout *form = makeForm(this);

    m_value = new QPlainTextEdit(this);
    m_value->setObjectName(u"value"_s);
    m_value->setPlaceholderText(tr("The text this parameter feeds into the pipeline, e.g. a "
                                   "system prompt."));
    m_value->setMinimumHeight(m_value->fontMetrics().lineSpacing() * 8 + 12);
    routeUndoKeys(m_value);
    form->addRow(makeCaption(tr("&Value:"), m_value, this));
    form->addRow(m_value);

    m_trainable = new QCheckBox(tr("&Trainable: the optimizer rewrites this text"), this);
    m_trainable->setObjectName(u"trainable"_s);
    form->addRow(m_trainable);

    m_constraints = new QListWidget(this);
    m_constraints->setObjectName(u"constraints"_s);
    m_constraints->setWordWrap(true);
    m_constraints->setAlternatingRowColors(true);
    m_constraints->setToolTip(tr("Rules every rewrite must keep, e.g. “Answer in English”. "
                                 "Double-click to edit."));
    // A few rules at most; the value is what needs the height.
    const int line = m_constraints->fontMetrics().lineSpacing();
    m_constraints->setMinimumHeight(line * 3 + 12);
    m_constraints->setMaximumHeight(line * 8 + 12);
    m_constraints->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    form->addRow(makeCaption(tr("&Constraints:"), m_constraints, this));
    // Above the list: why it is disabled is read before the empty box.
    m_constraintsNote = makeNote(QString(), this);
    m_constraintsNote->setObjectName(u"constraintsNote"_s);
    form->addRow(m_constraintsNote);
    form->addRow(m_constraints);

    auto *buttons = new QHBoxLayout;
    m_add = new QPushButton(tr("&Add"), this);
    m_add->setObjectName(u"addConstraint"_s);
    m_remove = new QPushButton(tr("Remo&ve"), this);
    m_remove->setObjectName(u"removeConstraint"_s);
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    form->addRow(buttons);

    connect(m_value, &QPlainTextEdit::textChanged, this, [this] {
        const QString text = m_value->toPlainText();
        edit(u"value"_s, [&](PipelineNode &n) { n.value = text; });
    });
    connect(m_trainable, &QCheckBox::toggled, this,
        [this](bool on) { edit(u"trainable"_s, [&](PipelineNode &n) { n.trainable = on; }); });
    connect(m_constraints, &QListWidget::itemChanged, this, &ParameterSection::onConstraintEdited);
    connect(m_constraints, &QListWidget::currentRowChanged, this, &ParameterSection::updateButtons);
    connect(m_add, &QPushButton::clicked, this, &ParameterSection::addConstraint);
    connect(m_remove, &QPushButton::clicked, this, &ParameterSection::removeConstraint);
}

void ParameterSection::refresh(const PipelineNode &node)
{
    syncText(m_value, node.value);
    m_trainable->setChecked(node.trainable);
    if (listedConstraints() != node.constraints) {
        const int row = m_constraints->currentRow();
        const QSignalBlocker blocker(m_constraints);
        m_constraints->clear();
        for (const QString &c : node.constraints) {
            auto *item = new QListWidgetItem(c, m_constraints);
            item->setFlags(item->flags() | Qt::ItemIsEditable);
        }
        m_constraints->setCurrentRow(std::min(row, int(m_constraints->count()) - 1));
    }
    m_constraints->setEnabled(node.trainable);
    m_constraintsNote->setText(node.trainable
            ? (node.constraints.isEmpty()
                    ? tr("No constraints: the optimizer may change anything. Add rules every "
                         "rewrite must keep.")
                    : tr("The optimizer is told to keep every rule. Double-click one to edit "
                         "it."))
            : tr("Constraints steer the optimizer, so they apply to trainable parameters only. "
                 "Turn on Trainable to edit them."));
    updateButtons();
}

QStringList ParameterSection::listedConstraints() const
{
    QStringList out;
    for (int i = 0; i < m_constraints->count(); ++i)
        out << m_constraints->item(i)->text();
    return out;
}

void ParameterSection::onConstraintEdited(QListWidgetItem *)
{
    QStringList constraints = listedConstraints();
    // A rule emptied in place is a removal.
    constraints.removeIf([](const QString &c) { return c.trimmed().isEmpty(); });
    edit(u"constraints"_s, [&](PipelineNode &n) { n.constraints = constraints; });
}

void ParameterSection::addConstraint()
{
    edit(u"constraints"_s, [](PipelineNode &n) { n.constraints << tr("New constraint"); });
    // The document's change rebuilt the list: edit the new row in place.
    const int last = m_constraints->count() - 1;
    if (last >= 0) {
        m_constraints->setCurrentRow(last);
        m_constraints->editItem(m_constraints->item(last));
    }
}

void ParameterSection::removeConstraint()
{
    const int row = m_constraints->currentRow();
    if (row < 0)
        return;
    edit(u"constraints"_s, [row](PipelineNode &n) {
        if (row < n.constraints.size())
            n.constraints.removeAt(row);
    });
}

void ParameterSection::updateButtons()
{
    const bool trainable = m_trainable->isChecked();
    m_add->setEnabled(trainable);
    m_remove->setEnabled(trainable && m_constraints->currentRow() >= 0);
}
