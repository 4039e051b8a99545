#include "window/ShortcutsDialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMenu>
#include <QMenuBar>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

QString plainText(QString text)
{
    // Menu texts carry mnemonics ("&Save") and ellipses; the list shows what users read.
    text.remove(u'&');
    if (text.endsWith(u"..."_s))
        text.chop(3);
    if (text.endsWith(QChar(0x2026)))
        text.chop(1);
    return text;
}

void addMenu(QTreeWidgetItem *parent, const QMenu *menu)
{
    for (QAction *action : menu->actions()) {
        if (action->menu()) {
            addMenu(parent, action->menu());
            continue;
        }
        if (action->isSeparator() || action->shortcut().isEmpty())
            continue;
        auto *item = new QTreeWidgetItem(parent,
            { plainText(action->text()), action->shortcut().toString(QKeySequence::NativeText) });
        item->setToolTip(0, action->statusTip());
    }
}

} // namespace

ShortcutsDialog::ShortcutsDialog(const QMenuBar *menuBar, QWidget *parent)
    : QDialog(parent)
    , m_tree(new QTreeWidget)
{
    setWindowTitle(tr("Keyboard Shortcuts"));
    m_tree->setColumnCount(2);
    m_tree->setHeaderLabels({ tr("Action"), tr("Shortcut") });
    m_tree->setRootIsDecorated(false);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::NoSelection);

    for (QAction *top : menuBar->actions()) {
        if (!top->menu())
            continue;
        auto *group = new QTreeWidgetItem(m_tree, { plainText(top->text()) });
        QFont bold = group->font(0);
        bold.setBold(true);
        group->setFont(0, bold);
        group->setFirstColumnSpanned(true);
        addMenu(group, top->menu());
        if (group->childCount() == 0)
            delete group;
    }

    auto *canvas = new QTreeWidgetItem(m_tree, { tr("Canvas") });
    QFont bold = canvas->font(0);
    bold.setBold(true);
    canvas->setFont(0, bold);
    canvas->setFirstColumnSpanned(true);
    const QList<QPair<QString, QString>> gestures = {
        { tr("Add a node (search the palette)"), tr("Double-click on empty canvas") },
        { tr("Connect two nodes"), tr("Drag from an output port to an input port") },
        { tr("Move the selected nodes"), tr("Drag a node") },
        { tr("Select several nodes"), tr("Drag on empty canvas") },
        { tr("Zoom"), tr("Mouse wheel") },
        { tr("Pan"), tr("Middle-drag, or hold Space and drag") },
        { tr("Fit the graph to the view"), u"."_s },
        { tr("Cancel a connection being dragged"), tr("Esc") },
    };
    for (const auto &gesture : gestures)
        new QTreeWidgetItem(canvas, { gesture.first, gesture.second });

    m_tree->expandAll();
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tree);
    layout->addWidget(buttons);
    resize(560, 640);
}
