#include "graph/NodePalette.h"

#include "graph/GraphStyle.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QPixmap>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

struct PaletteEntry {
    NodeType type;
    const char *title;
    const char *description;
};

// What each type is for, in the words a first-time user would search with.
const PaletteEntry kEntries[] = {
    { NodeType::Input, QT_TRANSLATE_NOOP("NodePalette", "Input"),
        QT_TRANSLATE_NOOP("NodePalette", "a dataset column (question, reference answer)") },
    { NodeType::Parameter, QT_TRANSLATE_NOOP("NodePalette", "Parameter"),
        QT_TRANSLATE_NOOP("NodePalette", "a text the optimizer may rewrite (system prompt)") },
    { NodeType::Llm, QT_TRANSLATE_NOOP("NodePalette", "LLM call"),
        QT_TRANSLATE_NOOP("NodePalette", "a model call filling a template") },
    { NodeType::Metric, QT_TRANSLATE_NOOP("NodePalette", "Metric"),
        QT_TRANSLATE_NOOP("NodePalette", "exact match, contains, regex or numeric score") },
    { NodeType::Judge, QT_TRANSLATE_NOOP("NodePalette", "LLM judge"),
        QT_TRANSLATE_NOOP("NodePalette", "a model grading with a rubric and a critique") },
};

QIcon swatch(NodeType type, int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(GraphStyle::headerColor(type));
    p.drawRoundedRect(QRectF(1, 1, size - 2, size - 2), size / 4.0, size / 4.0);
    return QIcon(pixmap);
}

} // namespace

NodePalette::NodePalette(QWidget *parent)
    : QWidget(parent)
    , m_search(new QLineEdit(this))
    , m_list(new QListWidget(this))
{
    setWindowTitle(tr("Nodes"));
    m_search->setPlaceholderText(tr("Search nodes…"));
    m_search->setClearButtonEnabled(true);
    const int iconSize = fontMetrics().height();
    m_list->setIconSize(QSize(iconSize, iconSize));
    // Title and description on two lines, wrapped to the width the dock gives: no sideways
    // scrolling in a narrow panel.
    m_list->setWordWrap(true);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setSpacing(2);
    for (const PaletteEntry &entry : kEntries) {
        auto *item = new QListWidgetItem(swatch(entry.type, iconSize),
            tr(entry.title) + u'\n' + tr(entry.description), m_list);
        item->setData(Qt::UserRole, nodeTypeName(entry.type));
        item->setToolTip(tr(entry.description));
    }
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addWidget(m_search);
    layout->addWidget(m_list);

    connect(m_search, &QLineEdit::textChanged, this, &NodePalette::filter);
    connect(m_search, &QLineEdit::returnPressed, this, &NodePalette::chooseFirst);
    connect(m_list, &QListWidget::itemActivated, this, &NodePalette::choose);
    // Arrow keys in the search field move through the list, Esc closes the popup.
    m_search->installEventFilter(this);
}

QStringList NodePalette::types()
{
    QStringList names;
    for (const PaletteEntry &entry : kEntries)
        names << nodeTypeName(entry.type);
    return names;
}

QStringList NodePalette::visibleTypes() const
{
    QStringList names;
    for (int i = 0; i < m_list->count(); ++i) {
        if (!m_list->item(i)->isHidden())
            names << m_list->item(i)->data(Qt::UserRole).toString();
    }
    return names;
}

void NodePalette::popup(const QPoint &globalPos)
{
    setWindowFlags(Qt::Popup);
    m_search->clear();
    const QFontMetrics fm = fontMetrics();
    resize(fm.horizontalAdvance(u'x') * 60, fm.height() * 14);
    move(globalPos);
    show();
    m_search->setFocus();
}

void NodePalette::filter(const QString &text)
{
    const QStringList words = text.simplified().split(u' ', Qt::SkipEmptyParts);
    QListWidgetItem *first = nullptr;
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem *item = m_list->item(i);
        const QString haystack = item->text() + u' ' + item->data(Qt::UserRole).toString();
        bool match = true;
        for (const QString &word : words)
            match = match && haystack.contains(word, Qt::CaseInsensitive);
        item->setHidden(!match);
        if (match && !first)
            first = item;
    }
    m_list->setCurrentItem(first);
}

void NodePalette::choose(QListWidgetItem *item)
{
    if (!item || item->isHidden())
        return;
    Q_EMIT nodeTypeChosen(item->data(Qt::UserRole).toString(), m_scenePos);
    if (windowFlags() & Qt::Popup)
        close();
}

void NodePalette::chooseFirst()
{
    QListWidgetItem *current = m_list->currentItem();
    if (current && !current->isHidden()) {
        choose(current);
        return;
    }
    for (int i = 0; i < m_list->count(); ++i) {
        if (!m_list->item(i)->isHidden()) {
            choose(m_list->item(i));
            return;
        }
    }
}

bool NodePalette::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape) {
            if (windowFlags() & Qt::Popup)
                close();
            else
                m_search->clear();
            return true;
        }
        if (key->key() == Qt::Key_Down || key->key() == Qt::Key_Up) {
            // Step through the visible rows without leaving the search field.
            const int step = key->key() == Qt::Key_Down ? 1 : -1;
            int row = m_list->currentRow();
            for (int i = 0; i < m_list->count(); ++i) {
                row = (row + step + m_list->count()) % m_list->count();
                if (!m_list->item(row)->isHidden()) {
                    m_list->setCurrentRow(row);
                    break;
                }
            }
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}
