#include "inspector/PipelinePage.h"

#include "commands/SetPipelineSettingsCommand.h"
#include "graph/PipelineDocument.h"
#include "inspector/EditPipelineInfoCommand.h"
#include "inspector/InspectorSection.h"
#include "inspector/IssueList.h"
#include "inspector/ReferenceCombo.h"
#include "inspector/UndoKeyRouter.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScopedValueRollback>
#include <QUndoStack>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

PipelinePage::PipelinePage(PipelineDocument *document, QUndoStack *undoStack, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_undoStack(undoStack)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto *hint = new QLabel(tr("Select a node on the canvas to edit it."), this);
    hint->setObjectName(u"selectHint"_s);
    hint->setWordWrap(true);
    QFont hintFont = hint->font();
    hintFont.setBold(true);
    hint->setFont(hintFont);
    layout->addWidget(hint);
    auto *sub = new QLabel(tr("With no node selected, these are the settings of the whole "
                              "pipeline."),
        this);
    sub->setWordWrap(true);
    sub->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(sub);
    layout->addSpacing(6);

    auto *form = new QFormLayout;
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->addLayout(form);

    m_name = new QLineEdit(this);
    m_name->setObjectName(u"pipelineName"_s);
    m_name->setPlaceholderText(tr("e.g. Support answers"));
    UndoKeyRouter::install(m_name);
    form->addRow(tr("&Name:"), m_name);

    m_description = new QPlainTextEdit(this);
    m_description->setObjectName(u"pipelineDescription"_s);
    m_description->setPlaceholderText(tr("What the pipeline does and how it is scored."));
    m_description->setTabChangesFocus(true);
    m_description->setFixedHeight(m_description->fontMetrics().lineSpacing() * 4 + 12);
    UndoKeyRouter::install(m_description);
    auto *descriptionLabel = new QLabel(tr("&Description:"), this);
    descriptionLabel->setBuddy(m_description);
    form->addRow(descriptionLabel);
    form->addRow(m_description);

    m_objective = new ReferenceCombo(this);
    m_objective->setObjectName(u"objective"_s);
    m_objective->setToolTip(tr("The metric or judge whose score the optimizer improves."));
    form->addRow(tr("&Objective:"), m_objective);

    m_backwardEngine = new ReferenceCombo(this);
    m_backwardEngine->setObjectName(u"backwardEngine"_s);
    m_backwardEngine->setToolTip(tr("The engine that writes the textual gradients (feedback) "
                                    "and, unless the optimizer names another, the rewrites."));
    form->addRow(tr("&Backward engine:"), m_backwardEngine);

    m_issues = new IssueList(this);
    m_issues->setObjectName(u"pipelineIssues"_s);
    form->addRow(InspectorSection::makeTopLabel(tr("Problems:"), this), m_issues);

    connect(m_name, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_undoStack->push(
            new EditPipelineInfoCommand(m_document, EditPipelineInfoCommand::Field::Name, text));
    });
    connect(m_description, &QPlainTextEdit::textChanged, this, [this] {
        if (m_loading)
            return;
        m_undoStack->push(new EditPipelineInfoCommand(
            m_document, EditPipelineInfoCommand::Field::Description, m_description->toPlainText()));
    });
    connect(m_objective, &ReferenceCombo::nameChosen, this, [this](const QString &id) {
        m_undoStack->push(new SetPipelineSettingsCommand(
            m_document, SetPipelineSettingsCommand::Setting::Objective, id));
    });
    connect(m_backwardEngine, &ReferenceCombo::nameChosen, this, [this](const QString &name) {
        m_undoStack->push(new SetPipelineSettingsCommand(
            m_document, SetPipelineSettingsCommand::Setting::BackwardEngine, name));
    });
    refresh();
}

void PipelinePage::refresh()
{
    const QScopedValueRollback<bool> guard(m_loading, true);
    const Pipeline &p = m_document->pipeline();
    InspectorSection::syncText(m_name, p.name);
    InspectorSection::syncText(m_description, p.description);

    QStringList losses;
    for (const PipelineNode &node : p.nodes) {
        if (node.isLoss() || node.id == p.objective)
            losses << node.id;
    }
    m_objective->setChoices(losses, p.objective);
    m_backwardEngine->setChoices(p.engines.keys(), p.backwardEngine);
    m_issues->setIssues(m_document->pipelineIssues());
}
