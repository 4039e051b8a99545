#include "history/PromptVersionsView.h"

#include "history/HistoryHtml.h"
#include "history/HistoryLoader.h"
#include "store/RunStore.h"
#include "text/WordDiff.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

constexpr int kIndexRole = Qt::UserRole;
constexpr int kInitialIndex = -1;

QString originText(const BlameSentence &s)
{
    switch (s.origin) {
    case BlameSentence::Origin::Initial:
        return u"in the initial value"_s;
    case BlameSentence::Origin::Carried:
    case BlameSentence::Origin::New:
        return u"written at step %1"_s.arg(s.step);
    case BlameSentence::Origin::Revised:
        return s.firstStep > 0
            ? u"reworded at step %1 (first written at step %2)"_s.arg(s.step).arg(s.firstStep)
            : u"reworded at step %1 (from the initial value)"_s.arg(s.step);
    }
    return QString();
}

} // namespace

// What the loader's thread prepares for a parameter: the versions, each one's word counts and
// the blame of every version (1,000 versions take ~0.1 s, too long for the GUI thread).
struct PromptVersionsView::VersionsPayload {
    QVector<NodeVersion> versions;
    QVector<WordDiff::Stats> stats;
    std::shared_ptr<const PromptBlame> blame;
};

PromptVersionsView::PromptVersionsView(QWidget *parent)
    : QWidget(parent)
    , m_loader(new HistoryLoader(this))
{
    buildUi();
    updateEmptyState();
}

PromptVersionsView::~PromptVersionsView() = default;

void PromptVersionsView::buildUi()
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_empty = new QLabel(u"No prompt versions yet. Run the pipeline (Ctrl+Enter): every value the "
                         "optimizer proposes for a trainable parameter is listed here."_s,
        this);
    m_empty->setObjectName(u"emptyState"_s);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setMargin(24);
    outer->addWidget(m_empty);

    m_content = new QWidget(this);
    outer->addWidget(m_content, 1);
    auto *layout = new QVBoxLayout(m_content);
    layout->setContentsMargins(6, 6, 6, 6);

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(u"Parameter:"_s, m_content));
    m_parameter = new QComboBox(m_content);
    m_parameter->setObjectName(u"parameter"_s);
    m_parameter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    top->addWidget(m_parameter);
    top->addStretch(1);
    m_restore = new QPushButton(u"Restore this version"_s, m_content);
    m_restore->setObjectName(u"restore"_s);
    m_restore->setToolTip(u"Put this value back into the pipeline (undoable)"_s);
    top->addWidget(m_restore);
    layout->addLayout(top);

    auto *split = new QSplitter(Qt::Horizontal, m_content);
    layout->addWidget(split, 1);
    m_list = new QTreeWidget(split);
    m_list->setObjectName(u"versions"_s);
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setHeaderLabels({ u"Version"_s, u"Status"_s, u"Words +/−"_s });
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    split->addWidget(m_list);

    auto *right = new QWidget(split);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    m_hint = new QLabel(right);
    m_hint->setObjectName(u"hint"_s);
    m_hint->setWordWrap(true);
    rightLayout->addWidget(m_hint);
    m_tabs = new QTabWidget(right);
    m_diff = new QTextBrowser(m_tabs);
    m_diff->setObjectName(u"diff"_s);
    m_tabs->addTab(m_diff, u"Diff"_s);
    auto *blameSplit = new QSplitter(Qt::Vertical, m_tabs);
    m_blame = new QTextBrowser(blameSplit);
    m_blame->setObjectName(u"blame"_s);
    m_blame->setOpenLinks(false);
    m_blameInfo = new QTextBrowser(blameSplit);
    m_blameInfo->setObjectName(u"blameInfo"_s);
    m_blameInfo->setHtml(u"<p><i>Point at or click a sentence to see the step and the critiques "
                         "that put it there.</i></p>"_s);
    blameSplit->addWidget(m_blame);
    blameSplit->addWidget(m_blameInfo);
    blameSplit->setStretchFactor(0, 3);
    blameSplit->setStretchFactor(1, 2);
    m_tabs->addTab(blameSplit, u"Blame"_s);
    rightLayout->addWidget(m_tabs, 1);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    split->setSizes({ 340, 700 });
    m_list->setMinimumWidth(300);

    connect(
        m_parameter, &QComboBox::currentTextChanged, this, &PromptVersionsView::requestVersions);
    connect(
        m_list, &QTreeWidget::itemSelectionChanged, this, &PromptVersionsView::onSelectionChanged);
    connect(m_blame, &QTextBrowser::highlighted, this, &PromptVersionsView::showBlameInfo);
    connect(m_blame, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) {
        showBlameInfo(url);
        const int i = url.path().toInt();
        if (i >= 0 && i < m_blameSentences.size() && m_blameSentences.at(i).step > 0)
            emit stepActivated(m_blameSentences.at(i).step);
    });
    connect(m_restore, &QPushButton::clicked, this, &PromptVersionsView::onRestore);
}

void PromptVersionsView::setStorePath(const QString &path)
{
    m_loader->setStorePath(path);
    reload();
}

void PromptVersionsView::setRun(const QString &runId)
{
    m_runId = runId;
    reload();
}

void PromptVersionsView::reload()
{
    requestNodes();
}

QString PromptVersionsView::currentNode() const
{
    return m_nodeId;
}

void PromptVersionsView::setCurrentNode(const QString &nodeId)
{
    m_parameter->setCurrentText(nodeId);
}

void PromptVersionsView::requestNodes()
{
    m_versions.clear();
    m_list->clear();
    if (m_runId.isEmpty() || m_loader->storePath().isEmpty()) {
        m_parameter->clear();
        updateEmptyState();
        return;
    }
    const QString runId = m_runId;
    m_loader->request<QStringList>(
        HistoryLoader::Lane::Browse, this,
        [runId](RunStore &store) { return store.versionedNodes(runId); },
        [this, runId](const QStringList &nodes, const QString &error) {
            if (runId != m_runId)
                return;
            const QString keep = m_nodeId;
            {
                const QSignalBlocker blocker(m_parameter);
                m_parameter->clear();
                m_parameter->addItems(nodes);
                if (nodes.contains(keep))
                    m_parameter->setCurrentText(keep);
            }
            if (!error.isEmpty())
                m_hint->setText(u"Could not read the versions: "_s % error);
            updateEmptyState();
            if (!nodes.isEmpty())
                requestVersions(m_parameter->currentText());
        });
}

void PromptVersionsView::requestVersions(const QString &nodeId)
{
    m_nodeId = nodeId;
    if (nodeId.isEmpty())
        return;
    const QString runId = m_runId;
    m_loader->request<VersionsPayload>(
        HistoryLoader::Lane::Browse, this,
        [runId, nodeId](RunStore &store) {
            VersionsPayload payload;
            payload.versions = store.nodeVersions(runId, nodeId);
            for (const NodeVersion &v : std::as_const(payload.versions)) {
                WordDiff::Stats stats;
                if (v.version.changed)
                    WordDiff::diff(v.version.previous, v.version.value, 200, &stats);
                payload.stats.append(stats);
            }
            auto blame
                = std::make_shared<PromptBlame>(PromptBlame::fromNodeVersions(payload.versions));
            blame->blameVersion(blame->versionCount() - 1); // fills the cache for every version
            payload.blame = blame;
            return payload;
        },
        [this, runId, nodeId](const VersionsPayload &payload, const QString &error) {
            if (runId != m_runId || nodeId != m_nodeId)
                return;
            if (!error.isEmpty())
                m_hint->setText(u"Could not read the versions: "_s % error);
            showVersions(nodeId, payload);
        });
}

void PromptVersionsView::showVersions(const QString &nodeId, const VersionsPayload &payload)
{
    const QVector<NodeVersion> &versions = payload.versions;
    m_versions = versions;
    m_blameEngine = payload.blame;
    m_blameIndex = -2;
    const QSignalBlocker blocker(m_list);
    m_list->clear();
    auto *initial = new QTreeWidgetItem({ u"Initial value"_s, u"before step 1"_s, QString() });
    initial->setData(0, kIndexRole, kInitialIndex);
    QList<QTreeWidgetItem *> items { initial };
    const int current = m_blameEngine->currentIndex();
    for (int i = 0; i < versions.size(); ++i) {
        const NodeVersion &v = versions.at(i);
        QString status = !v.version.changed ? u"unchanged"_s
            : v.accepted                    ? u"✓ accepted"_s
                                            : u"✗ rejected"_s;
        if (i == current)
            status += u" · current"_s;
        const WordDiff::Stats stats = payload.stats.value(i);
        auto *item = new QTreeWidgetItem({ u"Step %1"_s.arg(v.version.step), status,
            v.version.changed ? u"+%1 −%2"_s.arg(stats.inserted).arg(stats.deleted) : QString() });
        item->setData(0, kIndexRole, i);
        item->setToolTip(0, v.version.value);
        items.append(item);
    }
    m_list->addTopLevelItems(items);
    updateEmptyState();
    emit versionsLoaded(nodeId, int(versions.size()));
    // The value in effect first: what a user usually wants to read.
    selectVersions({ current });
}

void PromptVersionsView::selectVersions(const QVector<int> &indices)
{
    {
        const QSignalBlocker blocker(m_list);
        m_list->clearSelection();
        for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
            QTreeWidgetItem *item = m_list->topLevelItem(i);
            if (indices.contains(item->data(0, kIndexRole).toInt())) {
                item->setSelected(true);
                m_list->scrollToItem(item);
            }
        }
    }
    onSelectionChanged();
}

QVector<int> PromptVersionsView::selectedVersions() const
{
    QVector<int> out;
    const QList<QTreeWidgetItem *> items = m_list->selectedItems();
    for (const QTreeWidgetItem *item : items)
        out.append(item->data(0, kIndexRole).toInt());
    std::sort(out.begin(), out.end());
    return out;
}

QString PromptVersionsView::valueOf(int index) const
{
    if (index >= 0 && index < m_versions.size())
        return m_versions.at(index).version.value;
    return m_blameEngine ? m_blameEngine->initialValue() : QString();
}

QString PromptVersionsView::labelOf(int index) const
{
    return index >= 0 && index < m_versions.size()
        ? u"step %1"_s.arg(m_versions.at(index).version.step)
        : u"the initial value"_s;
}

void PromptVersionsView::onSelectionChanged()
{
    const QVector<int> selected = selectedVersions();
    m_restore->setEnabled(selected.size() == 1);
    m_restore->setToolTip(selected.size() == 1
            ? u"Put this value back into the pipeline (undoable)"_s
            : u"Select one version to restore it"_s);
    if (selected.isEmpty()) {
        m_hint->setText(u"Select a version to see what changed; select two to compare them."_s);
        m_diff->clear();
        return;
    }
    const QPalette pal = palette();
    if (selected.size() == 1) {
        const int i = selected.first();
        const QString before = i >= 0 ? m_versions.at(i).version.previous : valueOf(kInitialIndex);
        m_hint->setText(i >= 0 ? u"The version of %1 against the value it was edited from. "
                                 "Ctrl+click a second version to compare the two."_s.arg(labelOf(i))
                               : u"The initial value, before any step."_s);
        m_diff->setHtml(HistoryHtml::diff(before, valueOf(i), pal));
        showBlame(i);
        return;
    }
    const int older = selected.first();
    const int newer = selected.last();
    m_hint->setText(u"From %1 to %2."_s.arg(labelOf(older), labelOf(newer)));
    m_diff->setHtml(HistoryHtml::diff(valueOf(older), valueOf(newer), pal));
    showBlame(newer);
}

void PromptVersionsView::showBlame(int index)
{
    if (!m_blameEngine || index == m_blameIndex)
        return;
    m_blameIndex = index;
    m_blameSentences = m_blameEngine->blameVersion(index);
    m_blame->setHtml(HistoryHtml::blame(m_blameSentences, palette()));
    const QVector<int> steps = PromptBlame::stepsOf(m_blameSentences);
    if (steps.isEmpty()) {
        emit blameReady();
        return;
    }
    const QString runId = m_runId;
    const QString nodeId = m_nodeId;
    m_loader->request<QVector<GradientRecord>>(
        HistoryLoader::Lane::Browse, this,
        [runId, nodeId, steps](
            RunStore &store) { return store.nodeGradients(runId, nodeId, steps); },
        [this, runId, nodeId, index](const QVector<GradientRecord> &gradients, const QString &) {
            if (runId != m_runId || nodeId != m_nodeId || index != m_blameIndex)
                return;
            PromptBlame::attachCritiques(m_blameSentences, gradients);
            emit blameReady();
        });
}

void PromptVersionsView::showBlameInfo(const QUrl &url)
{
    if (url.isEmpty())
        return;
    const int i = url.path().toInt();
    if (i < 0 || i >= m_blameSentences.size())
        return;
    const BlameSentence &s = m_blameSentences.at(i);
    QString html
        = u"<p><span style=\"background-color: %1\">&nbsp;&nbsp;&nbsp;</span> "
          "<b>%2</b></p><p>“%3”</p>"_s.arg(HistoryHtml::stepColor(s.step, palette()).name(),
              originText(s), s.text.trimmed().toHtmlEscaped());
    if (s.step > 0) {
        html += s.critiques.isEmpty()
            ? u"<p><i>No critique of this parameter is stored for step %1.</i></p>"_s.arg(s.step)
            : u"<p>The critiques of step %1 that the optimizer answered "
              "(click the sentence to open the step in the history):</p><ul>"_s.arg(s.step);
        for (const GradientRecord &g : s.critiques) {
            html += u"<li><i>sample %1, from %2:</i> %3</li>"_s.arg(
                g.sampleIndex < 0 ? u"–"_s : QString::number(g.sampleIndex),
                g.sourceNode.toHtmlEscaped(), g.feedback.toHtmlEscaped());
        }
        if (!s.critiques.isEmpty())
            html += u"</ul>"_s;
    }
    m_blameInfo->setHtml(html);
}

void PromptVersionsView::onRestore()
{
    const QVector<int> selected = selectedVersions();
    if (selected.size() != 1 || m_nodeId.isEmpty())
        return;
    emit restoreRequested(m_nodeId, valueOf(selected.first()));
}

void PromptVersionsView::updateEmptyState()
{
    const bool empty = m_runId.isEmpty() || m_parameter->count() == 0;
    m_empty->setVisible(empty);
    m_content->setVisible(!empty);
}
