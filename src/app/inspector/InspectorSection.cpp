#include "inspector/InspectorSection.h"

#include "commands/SetNodeCommand.h"
#include "graph/PipelineDocument.h"
#include "inspector/UndoKeyRouter.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScopedValueRollback>
#include <QTextBlock>
#include <QTextCursor>
#include <QUndoStack>

InspectorSection::InspectorSection(
    PipelineDocument *document, QUndoStack *undoStack, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_undoStack(undoStack)
{
}

void InspectorSection::load(const QString &nodeId)
{
    m_nodeId = nodeId;
    const PipelineNode *node = m_document->node(nodeId);
    if (!node)
        return;
    const QScopedValueRollback<bool> guard(m_loading, true);
    refresh(*node);
}

void InspectorSection::edit(const QString &field, const std::function<void(PipelineNode &)> &change)
{
    if (m_loading)
        return;
    const PipelineNode *current = m_document->node(m_nodeId);
    if (!current)
        return;
    PipelineNode after = *current;
    change(after);
    m_undoStack->push(new SetNodeCommand(m_document, after, field));
}

QFormLayout *InspectorSection::makeForm(QWidget *owner)
{
    auto *form = new QFormLayout(owner);
    form->setContentsMargins(0, 0, 0, 0);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    return form;
}

QLabel *InspectorSection::makeCaption(const QString &text, QWidget *buddy, QWidget *owner)
{
    auto *label = new QLabel(text, owner);
    label->setBuddy(buddy);
    return label;
}

QLabel *InspectorSection::makeTopLabel(const QString &text, QWidget *owner)
{
    auto *label = new QLabel(text, owner);
    // QFormLayout centres a label on a tall field; stretched to the row, it can sit at the top.
    label->setAlignment(Qt::AlignRight | Qt::AlignTop);
    label->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    return label;
}

QLabel *InspectorSection::makeNote(const QString &text, QWidget *owner)
{
    auto *label = new QLabel(text, owner);
    label->setWordWrap(true);
    // The form estimates a wrapped label's height generously; the slack goes below the text,
    // which stays close to the field it explains.
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

void InspectorSection::setNoteColor(QLabel *note, const QColor &color)
{
    if (!color.isValid()) {
        note->setPalette(QPalette()); // inherit again, so a palette change reaches it
        return;
    }
    QPalette pal = note->palette();
    pal.setColor(QPalette::PlaceholderText, color);
    note->setPalette(pal);
}

void InspectorSection::syncText(QLineEdit *edit, const QString &text)
{
    if (edit->text() == text)
        return;
    // Only a field being typed in has a cursor worth keeping; elsewhere setText's (at the end)
    // is where a click or Tab into the field expects it.
    const bool keepCursor = edit->hasFocus();
    const int cursor = edit->cursorPosition();
    edit->setText(text);
    if (keepCursor)
        edit->setCursorPosition(std::min(cursor, int(text.size())));
}

void InspectorSection::syncText(QPlainTextEdit *edit, const QString &text)
{
    const QString old = edit->toPlainText();
    if (old == text)
        return;
    // Common prefix and suffix; only the middle is replaced. The document moves the user's
    // cursor with the change like for any edit, and the highlighter redoes only those blocks.
    const int maxCommon = std::min(old.size(), text.size());
    int prefix = 0;
    while (prefix < maxCommon && old.at(prefix) == text.at(prefix))
        ++prefix;
    int suffix = 0;
    while (suffix < maxCommon - prefix
        && old.at(old.size() - 1 - suffix) == text.at(text.size() - 1 - suffix))
        ++suffix;
    QTextCursor cursor(edit->document());
    cursor.beginEditBlock();
    cursor.setPosition(prefix);
    cursor.setPosition(int(old.size()) - suffix, QTextCursor::KeepAnchor);
    cursor.insertText(text.mid(prefix, text.size() - prefix - suffix));
    cursor.endEditBlock();
}

void InspectorSection::routeUndoKeys(QWidget *field)
{
    UndoKeyRouter::install(field);
}
