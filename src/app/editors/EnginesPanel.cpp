#include "editors/EnginesPanel.h"

#include "editors/EngineEditor.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
constexpr int kNameRole = Qt::UserRole;   // the name before an in-place edit
}

EnginesPanel::EnginesPanel(QWidget *parent)
    : QWidget(parent)
    , m_list(new QListWidget)
    , m_addButton(new QPushButton(u"&Add engine"_s))
    , m_removeButton(new QPushButton(u"&Remove"_s))
    , m_editor(new EngineEditor)
{
    m_list->setObjectName(u"engineList"_s);
    m_addButton->setObjectName(u"addEngine"_s);
    m_removeButton->setObjectName(u"removeEngine"_s);
    m_list->setToolTip(u"Double-click a name to rename the engine."_s);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_addButton);
    buttons->addWidget(m_removeButton);
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(new QLabel(u"Engines"_s));
    leftLayout->addWidget(m_list, 1);
    leftLayout->addLayout(buttons);

    // Stacked: the panel lives in a side dock, where width is scarce; a pipeline has a handful
    // of engines, so the list needs little height and the editor gets the rest.
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(left);
    split->addWidget(m_editor);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    split->setSizes({130, 600});
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(m_list, &QListWidget::currentItemChanged, this, &EnginesPanel::onCurrentChanged);
    connect(m_list, &QListWidget::itemChanged, this, &EnginesPanel::onItemChanged);
    connect(m_addButton, &QPushButton::clicked, this, &EnginesPanel::addEngine);
    connect(m_removeButton, &QPushButton::clicked, this, [this] { removeEngine(currentEngine()); });
    connect(m_editor, &EngineEditor::engineChanged, this, &EnginesPanel::onEngineEdited);
    reloadList(QString());
}

void EnginesPanel::setEngines(const QMap<QString, EngineConfig> &engines)
{
    m_engines = engines;
    for (auto it = m_engines.begin(); it != m_engines.end(); ++it)
        it->name = it.key();
    reloadList(m_engines.isEmpty() ? QString() : m_engines.firstKey());
}

void EnginesPanel::setKeySource(std::shared_ptr<KeychainKeySource> keys)
{
    m_editor->setKeySource(std::move(keys));
}

QString EnginesPanel::currentEngine() const
{
    const QListWidgetItem *item = m_list->currentItem();
    return item ? item->data(kNameRole).toString() : QString();
}

void EnginesPanel::selectEngine(const QString &name)
{
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(kNameRole).toString() == name)
            m_list->setCurrentRow(i);
    }
}

QString EnginesPanel::addEngine()
{
    QString name = m_engines.isEmpty() ? u"student"_s : QString();
    for (int n = int(m_engines.size()) + 1; name.isEmpty() || m_engines.contains(name); ++n)
        name = u"engine "_s + QString::number(n);
    EngineConfig engine;
    engine.name = name;
    engine.provider = u"openai"_s;
    m_engines.insert(name, engine);
    reloadList(name);
    emit enginesChanged(m_engines);
    return name;
}

void EnginesPanel::removeEngine(const QString &name)
{
    if (!m_engines.remove(name))
        return;
    const auto next = m_engines.lowerBound(name);
    reloadList(next != m_engines.cend() ? next.key() : m_engines.isEmpty() ? QString() : m_engines.lastKey());
    emit enginesChanged(m_engines);
}

bool EnginesPanel::renameEngine(const QString &from, const QString &to)
{
    const QString name = to.trimmed();
    if (name.isEmpty() || !m_engines.contains(from) || (name != from && m_engines.contains(name)))
        return false;
    if (name == from)
        return true;
    EngineConfig engine = m_engines.take(from);
    engine.name = name;
    m_engines.insert(name, engine);
    // In place: this may run inside the list's own itemChanged, where clearing it would delete
    // the item being reported.
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem *item = m_list->item(i);
        if (item->data(kNameRole).toString() == from) {
            const QSignalBlocker block(m_list);
            item->setText(name);
            item->setData(kNameRole, name);
        }
    }
    emit engineRenamed(from, name);
    emit enginesChanged(m_engines);
    return true;
}

void EnginesPanel::reloadList(const QString &select)
{
    m_loading = true;
    m_list->clear();
    for (auto it = m_engines.cbegin(); it != m_engines.cend(); ++it) {
        auto *item = new QListWidgetItem(it.key());
        item->setData(kNameRole, it.key());
        item->setFlags(item->flags() | Qt::ItemIsEditable);
        m_list->addItem(item);
    }
    m_loading = false;
    selectEngine(select);
    onCurrentChanged();
}

void EnginesPanel::onCurrentChanged()
{
    if (m_loading)
        return;
    const QString name = currentEngine();
    m_removeButton->setEnabled(!name.isEmpty());
    m_editor->setEnabled(!name.isEmpty());
    if (!name.isEmpty())
        m_editor->setEngine(m_engines.value(name));
}

void EnginesPanel::onItemChanged(QListWidgetItem *item)
{
    if (m_loading)
        return;
    const QString from = item->data(kNameRole).toString();
    if (item->text() == from)
        return;
    if (!renameEngine(from, item->text())) {
        // Refused: the old name comes back rather than a name no node can rely on.
        const QSignalBlocker block(m_list);
        item->setText(from);
    }
}

void EnginesPanel::onEngineEdited(const EngineConfig &engine)
{
    const QString name = currentEngine();
    if (name.isEmpty())
        return;
    EngineConfig edited = engine;
    edited.name = name;
    m_engines.insert(name, edited);
    emit enginesChanged(m_engines);
}
