#include "inspector/JudgeRubricPanel.h"

#include "commands/SetNodeCommand.h"
#include "editors/RubricEditor.h"
#include "graph/PipelineDocument.h"

#include <QLabel>
#include <QScopedValueRollback>
#include <QStackedWidget>
#include <QUndoStack>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

JudgeRubricPanel::JudgeRubricPanel(
    PipelineDocument *document, QUndoStack *undoStack, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_undoStack(undoStack)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    layout->addWidget(m_stack);

    m_empty = new QLabel(tr("Select a judge node to edit its rubric.\n\nA judge is an LLM "
                            "that scores its inputs against criteria; add one from the node "
                            "palette if the pipeline has none."),
        m_stack);
    m_empty->setObjectName(u"rubricEmptyState"_s);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setMargin(24);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_stack->addWidget(m_empty);

    auto *page = new QWidget(m_stack);
    auto *pageLayout = new QVBoxLayout(page);
    pageLayout->setContentsMargins(6, 6, 6, 6);
    m_title = new QLabel(page);
    m_title->setObjectName(u"rubricTitle"_s);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    pageLayout->addWidget(m_title);
    m_editor = new RubricEditor(page);
    pageLayout->addWidget(m_editor, 1);
    m_stack->addWidget(page);

    connect(m_editor, &RubricEditor::rubricChanged, this, &JudgeRubricPanel::onRubricEdited);
    connect(document, &PipelineDocument::nodeChanged, this, &JudgeRubricPanel::refresh);
    connect(document, &PipelineDocument::nodeRemoved, this, &JudgeRubricPanel::refresh);
    connect(document, &PipelineDocument::edgeAdded, this, &JudgeRubricPanel::refresh);
    connect(document, &PipelineDocument::edgeRemoved, this, &JudgeRubricPanel::refresh);
    connect(document, &PipelineDocument::enginesChanged, this, &JudgeRubricPanel::refresh);
    connect(document, &PipelineDocument::pipelineReset, this, &JudgeRubricPanel::refresh);
    connect(document, &PipelineDocument::nodeRenamed, this, &JudgeRubricPanel::onNodeRenamed);
    refresh();
}

void JudgeRubricPanel::setNode(const QString &id)
{
    if (id == m_nodeId)
        return;
    m_nodeId = id;
    refresh();
}

bool JudgeRubricPanel::isEditing() const
{
    return m_stack->currentIndex() == 1;
}

void JudgeRubricPanel::refresh()
{
    const PipelineNode *node = m_document->node(m_nodeId);
    if (!node || node->type != NodeType::Judge) {
        m_stack->setCurrentIndex(0);
        return;
    }
    const QScopedValueRollback<bool> guard(m_loading, true);
    const Pipeline &p = m_document->pipeline();
    m_title->setText(tr("Rubric of %1").arg(node->id));
    if (!m_bound || !(p.engines == m_engines)) {
        m_engines = p.engines;
        m_editor->setEngines(p.engines); // keeps the chosen engine if it still exists
    }
    // "Try it" asks the judge's own engine first; the user may still pick another.
    if (node->id != m_triedNode || node->engine != m_triedEngine) {
        m_triedNode = node->id;
        m_triedEngine = node->engine;
        m_editor->setCurrentEngine(node->engine);
    }
    if (!m_bound || p.prompts != m_prompts) {
        m_prompts = p.prompts;
        m_editor->setPromptLibrary(PromptLibrary(p.prompts));
    }
    const QStringList ports = node->inputs.keys();
    if (!m_bound || ports != m_ports) {
        // Rebuilding the sample boxes would drop what the user typed into them.
        m_ports = ports;
        m_editor->setInputPorts(ports.isEmpty() ? QStringList { u"answer"_s } : ports);
    }
    // The editor's own edit coming back: leave its selection and focus alone.
    if (!(m_editor->rubric() == node->rubric))
        m_editor->setRubric(node->rubric);
    m_bound = true;
    m_stack->setCurrentIndex(1);
}

void JudgeRubricPanel::onRubricEdited()
{
    if (m_loading)
        return;
    const PipelineNode *node = m_document->node(m_nodeId);
    if (!node || node->type != NodeType::Judge)
        return;
    PipelineNode after = *node;
    after.rubric = m_editor->rubric();
    if (after.rubric == node->rubric)
        return;
    m_undoStack->push(new SetNodeCommand(m_document, after, u"rubric"_s));
}

void JudgeRubricPanel::onNodeRenamed(const QString &oldId, const QString &newId)
{
    if (oldId == m_nodeId)
        m_nodeId = newId;
    refresh();
}
