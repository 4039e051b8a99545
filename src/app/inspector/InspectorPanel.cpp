#include "inspector/InspectorPanel.h"

#include "graph/PipelineDocument.h"
#include "inspector/InputSection.h"
#include "inspector/JudgeSection.h"
#include "inspector/LlmSection.h"
#include "inspector/MetricSection.h"
#include "inspector/NodeCommonSection.h"
#include "inspector/ParameterSection.h"
#include "inspector/PipelinePage.h"

#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

InspectorPanel::InspectorPanel(PipelineDocument *document, QUndoStack *undoStack, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_scroll = new QScrollArea(this);
    m_scroll->setObjectName(u"inspectorScroll"_s);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    // Fields wrap and shrink to the dock's width; only height scrolls.
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    outer->addWidget(m_scroll);

    auto *content = new QWidget(m_scroll);
    content->setObjectName(u"inspectorContent"_s);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(10, 10, 10, 10);
    layout->setSpacing(12);

    m_pipelinePage = new PipelinePage(document, undoStack, content);
    m_pipelinePage->setObjectName(u"pipelinePage"_s);
    layout->addWidget(m_pipelinePage);

    m_inputSection = new InputSection(document, undoStack, content);
    auto *judge = new JudgeSection(document, undoStack, content);
    m_sections = { new NodeCommonSection(document, undoStack, content), m_inputSection,
        new ParameterSection(document, undoStack, content),
        new LlmSection(document, undoStack, content),
        new MetricSection(document, undoStack, content), judge };
    for (InspectorSection *section : std::as_const(m_sections)) {
        section->hide();
        layout->addWidget(section);
    }
    layout->addStretch(1);
    m_scroll->setWidget(content);
    alignLabelColumns();

    connect(
        judge, &JudgeSection::rubricEditorRequested, this, &InspectorPanel::rubricEditorRequested);

    // Any change may show here: a node's own fields, its ports (edges), its issues (any edit
    // re-validates), the engine and objective lists. Loading is cheap and leaves equal fields
    // alone, so the panel simply reloads what it shows.
    connect(document, &PipelineDocument::nodeChanged, this, &InspectorPanel::refresh);
    connect(document, &PipelineDocument::nodeAdded, this, &InspectorPanel::refresh);
    connect(document, &PipelineDocument::edgeAdded, this, &InspectorPanel::refresh);
    connect(document, &PipelineDocument::edgeRemoved, this, &InspectorPanel::refresh);
    connect(document, &PipelineDocument::enginesChanged, this, &InspectorPanel::refresh);
    connect(document, &PipelineDocument::settingsChanged, this, &InspectorPanel::refresh);
    connect(document, &PipelineDocument::issuesChanged, this, &InspectorPanel::refresh);
    connect(document, &PipelineDocument::pipelineReset, this, &InspectorPanel::refresh);
    connect(document, &PipelineDocument::nodeRenamed, this, &InspectorPanel::onNodeRenamed);
    connect(document, &PipelineDocument::nodeRemoved, this, &InspectorPanel::onNodeRemoved);

    showNode(QString());
}

void InspectorPanel::showNode(const QString &id)
{
    const QString shown = m_document->contains(id) ? id : QString();
    const bool other = shown != m_nodeId;
    m_nodeId = shown;
    refresh();
    if (other)
        m_scroll->ensureVisible(0, 0);
}

void InspectorPanel::setDatasetColumns(const QStringList &columns)
{
    m_inputSection->setDatasetColumns(columns);
}

QSize InspectorPanel::sizeHint() const
{
    return QSize(360, 560);
}

void InspectorPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        alignLabelColumns();
}

void InspectorPanel::alignLabelColumns()
{
    // The node's sections are separate forms stacked in one column; one label width for all
    // makes their fields start at the same x, so they read as one form.
    QVector<QWidget *> labels;
    int width = 0;
    for (InspectorSection *section : std::as_const(m_sections)) {
        for (QFormLayout *form : section->findChildren<QFormLayout *>()) {
            for (int row = 0; row < form->rowCount(); ++row) {
                QLayoutItem *item = form->itemAt(row, QFormLayout::LabelRole);
                if (!item || !item->widget())
                    continue;
                // Stretched to the shared width, a label must align its own text.
                if (auto *label = qobject_cast<QLabel *>(item->widget()))
                    label->setAlignment((label->alignment() & Qt::AlignVertical_Mask)
                        | (form->labelAlignment() & Qt::AlignHorizontal_Mask));
                item->widget()->setMinimumWidth(0);
                width = std::max(width, item->widget()->sizeHint().width());
                labels << item->widget();
            }
        }
    }
    for (QWidget *label : std::as_const(labels))
        label->setMinimumWidth(width);
}

void InspectorPanel::refresh()
{
    const PipelineNode *node = m_document->node(m_nodeId);
    if (!node)
        m_nodeId.clear(); // gone with a reset
    m_pipelinePage->setVisible(!node);
    if (!node) {
        m_pipelinePage->refresh();
        for (InspectorSection *section : std::as_const(m_sections))
            section->hide();
        return;
    }
    for (InspectorSection *section : std::as_const(m_sections)) {
        const bool applies = section->appliesTo(node->type);
        if (applies)
            section->load(m_nodeId);
        section->setVisible(applies);
    }
}

void InspectorPanel::onNodeRenamed(const QString &oldId, const QString &newId)
{
    if (oldId == m_nodeId)
        m_nodeId = newId;
    refresh();
}

void InspectorPanel::onNodeRemoved(const QString &id)
{
    if (id == m_nodeId)
        m_nodeId.clear();
    refresh();
}
