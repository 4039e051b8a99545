#include "inspector/NodeCommonSection.h"

#include "commands/RenameNodeCommand.h"
#include "graph/PipelineDocument.h"
#include "inspector/ErrorColor.h"
#include "inspector/IssueList.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QUndoStack>

using namespace Qt::StringLiterals;

namespace {

QString typeDescription(NodeType type)
{
    switch (type) {
    case NodeType::Input:
        return NodeCommonSection::tr("One column of the dataset, a value per sample.");
    case NodeType::Parameter:
        return NodeCommonSection::tr("A text the pipeline uses, e.g. a system prompt.");
    case NodeType::Llm:
        return NodeCommonSection::tr("One call to a language model.");
    case NodeType::Metric:
        return NodeCommonSection::tr("Scores a text by comparing it with a reference.");
    case NodeType::Judge:
        return NodeCommonSection::tr("A language model that scores its inputs against a rubric.");
    }
    return QString();
}

} // namespace

NodeCommonSection::NodeCommonSection(
    PipelineDocument *document, QUndoStack *undoStack, QWidget *parent)
    : InspectorSection(document, undoStack, parent)
{
    QFormLayout *form = makeForm(this);

    m_id = new QLineEdit(this);
    m_id->setObjectName(u"nodeId"_s);
    m_id->setToolTip(tr("The name other nodes and the objective use for this node. Renaming "
                        "updates every reference."));
    routeUndoKeys(m_id);
    form->addRow(tr("&Id:"), m_id);

    m_idProblem = new QLabel(this);
    m_idProblem->setObjectName(u"idProblem"_s);
    m_idProblem->setWordWrap(true);
    m_idProblem->hide();
    form->addRow(static_cast<QWidget *>(nullptr), m_idProblem);

    m_type = new QLabel(this);
    m_type->setObjectName(u"nodeType"_s);
    form->addRow(tr("Type:"), m_type);
    // On its own row: a wrapped label beside a form label is given too little height.
    m_typeNote = makeNote(QString(), this);
    m_typeNote->setObjectName(u"nodeTypeNote"_s);
    form->addRow(static_cast<QWidget *>(nullptr), m_typeNote);

    m_role = new QPlainTextEdit(this);
    m_role->setObjectName(u"role"_s);
    m_role->setPlaceholderText(tr("What this node is, in a few words. Feedback and rewrite "
                                  "prompts quote it."));
    m_role->setTabChangesFocus(true);
    m_role->setFixedHeight(m_role->fontMetrics().lineSpacing() * 3 + 12);
    routeUndoKeys(m_role);
    form->addRow(makeCaption(tr("&Role:"), m_role, this), m_role);

    m_issues = new IssueList(this);
    m_issues->setObjectName(u"nodeIssues"_s);
    form->addRow(makeTopLabel(tr("Problems:"), this), m_issues);

    connect(m_id, &QLineEdit::textEdited, this, &NodeCommonSection::onIdEdited);
    connect(m_id, &QLineEdit::editingFinished, this, &NodeCommonSection::commitId);
    connect(m_role, &QPlainTextEdit::textChanged, this, [this] {
        const QString text = m_role->toPlainText();
        edit(u"role"_s, [&](PipelineNode &n) { n.role = text; });
    });
}

QString NodeCommonSection::renameProblem(const QString &newId) const
{
    if (newId == nodeId())
        return QString();
    if (newId.trimmed().isEmpty())
        return tr("An id cannot be empty.");
    if (newId.trimmed() != newId)
        return tr("An id cannot start or end with a space.");
    if (document()->contains(newId))
        return tr("“%1” is already the id of another node.").arg(newId);
    if (document()->isIdReferenced(newId))
        return tr("“%1” is still named by an input or the objective; remove that reference "
                  "first.")
            .arg(newId);
    return QString();
}

void NodeCommonSection::refresh(const PipelineNode &node)
{
    // A rename (ours or an undo) or another node: the field follows. While the user types an
    // id, or after one was refused, their text stays (with the reason) so they can fix it.
    const bool userText = m_id->hasFocus() || m_idProblem->isVisibleTo(this);
    if (node.id != m_shownId || !userText) {
        syncText(m_id, node.id);
        m_idProblem->hide();
    }
    m_shownId = node.id;
    m_type->setText(nodeTypeName(node.type));
    m_typeNote->setText(typeDescription(node.type));
    syncText(m_role, node.role);
    m_issues->setIssues(document()->issuesFor(node.id));
}

void NodeCommonSection::onIdEdited()
{
    const QString problem = renameProblem(m_id->text());
    m_idProblem->setVisible(!problem.isEmpty());
    if (!problem.isEmpty()) {
        m_idProblem->setText(problem);
        QPalette pal = m_idProblem->palette();
        pal.setColor(QPalette::WindowText, errorColor(palette()));
        m_idProblem->setPalette(pal);
    }
}

void NodeCommonSection::commitId()
{
    const QString newId = m_id->text();
    if (newId == nodeId() || !document()->contains(nodeId()))
        return;
    onIdEdited();
    if (!renameProblem(newId).isEmpty())
        return;
    // The document's nodeRenamed makes the inspector follow the new id.
    undoStack()->push(new RenameNodeCommand(document(), nodeId(), newId));
}
