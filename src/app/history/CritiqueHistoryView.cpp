#include "history/CritiqueHistoryView.h"

#include "history/HistoryHtml.h"
#include "history/HistoryLoader.h"
#include "history/StepTimelineDelegate.h"
#include "history/StepTimelineModel.h"
#include "store/RunStore.h"

#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

constexpr int kSearchDelayMs = 300;

const QString kEmptyText = u"No runs yet. Run the pipeline (Ctrl+Enter) and every critique "
                           "appears here."_s;

QLabel *sectionLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    return label;
}

} // namespace

CritiqueHistoryView::CritiqueHistoryView(QWidget *parent)
    : QWidget(parent)
    , m_loader(new HistoryLoader(this))
    , m_model(new StepTimelineModel(m_loader, this))
{
    buildUi();
    connect(m_model, &StepTimelineModel::pageLoaded, this, &CritiqueHistoryView::onPageLoaded);
    connect(m_model, &QAbstractItemModel::modelReset, this, &CritiqueHistoryView::updateEmptyState);
    updateEmptyState();
}

CritiqueHistoryView::~CritiqueHistoryView() = default;

void CritiqueHistoryView::buildUi()
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    outer->addWidget(m_stack);

    m_empty = new QLabel(kEmptyText, m_stack);
    m_empty->setObjectName(u"emptyState"_s);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setMargin(24);
    m_stack->addWidget(m_empty);

    auto *content = new QSplitter(Qt::Horizontal, m_stack);
    content->setObjectName(u"content"_s);
    m_stack->addWidget(content);

    // Left: search, counts, the timeline.
    auto *left = new QWidget(content);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(6, 6, 0, 6);
    m_search = new QLineEdit(left);
    m_search->setObjectName(u"search"_s);
    m_search->setPlaceholderText(u"Search critiques and replies"_s);
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(u"Finds the steps whose critiques, backward conversations, optimizer "
                         "replies or proposed values contain this text"_s);
    leftLayout->addWidget(m_search);
    m_counts = new QLabel(left);
    m_counts->setObjectName(u"counts"_s);
    m_counts->setWordWrap(true);
    leftLayout->addWidget(m_counts);
    m_timeline = new QListView(left);
    m_timeline->setObjectName(u"timeline"_s);
    m_timeline->setModel(m_model);
    m_timeline->setItemDelegate(new StepTimelineDelegate(m_timeline));
    m_timeline->setUniformItemSizes(true);
    m_timeline->setSelectionMode(QAbstractItemView::SingleSelection);
    leftLayout->addWidget(m_timeline, 1);
    m_status = new QLabel(left);
    m_status->setObjectName(u"status"_s);
    m_status->setWordWrap(true);
    leftLayout->addWidget(m_status);
    content->addWidget(left);

    // Right: the step.
    auto *right = new QSplitter(Qt::Vertical, content);
    auto *top = new QWidget(right);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(6, 6, 6, 0);
    m_header = new QLabel(u"Select a step on the left to see its critiques."_s, top);
    m_header->setObjectName(u"stepHeader"_s);
    m_header->setWordWrap(true);
    m_header->setTextFormat(Qt::RichText);
    topLayout->addWidget(m_header);
    topLayout->addWidget(sectionLabel(u"Prompt changes (word diff: before → after)"_s, top));
    m_diffs = new QTextBrowser(top);
    m_diffs->setObjectName(u"diffs"_s);
    topLayout->addWidget(m_diffs, 1);
    m_replyToggle = new QToolButton(top);
    m_replyToggle->setObjectName(u"replyToggle"_s);
    m_replyToggle->setText(u"Optimizer's raw reply"_s);
    m_replyToggle->setCheckable(true);
    m_replyToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_replyToggle->setArrowType(Qt::RightArrow);
    m_replyToggle->setAutoRaise(true);
    topLayout->addWidget(m_replyToggle);
    m_reply = new QPlainTextEdit(top);
    m_reply->setObjectName(u"reply"_s);
    m_reply->setReadOnly(true);
    m_reply->setVisible(false);
    topLayout->addWidget(m_reply, 1);
    connect(m_replyToggle, &QToolButton::toggled, this, [this](bool open) {
        m_reply->setVisible(open);
        m_replyToggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
    });
    right->addWidget(top);

    auto *bottom = new QSplitter(Qt::Horizontal, right);
    auto *gradBox = new QWidget(bottom);
    auto *gradLayout = new QVBoxLayout(gradBox);
    gradLayout->setContentsMargins(6, 0, 0, 6);
    gradLayout->addWidget(sectionLabel(u"Gradients (critiques) of this step"_s, gradBox));
    m_gradients = new QTreeWidget(gradBox);
    m_gradients->setObjectName(u"gradients"_s);
    m_gradients->setRootIsDecorated(false);
    m_gradients->setUniformRowHeights(true);
    m_gradients->setHeaderLabels(
        { u"For node"_s, u"From"_s, u"Sample"_s, u"Mode"_s, u"Critique"_s });
    m_gradients->header()->setStretchLastSection(true);
    gradLayout->addWidget(m_gradients);
    bottom->addWidget(gradBox);
    auto *convBox = new QWidget(bottom);
    auto *convLayout = new QVBoxLayout(convBox);
    convLayout->setContentsMargins(0, 0, 6, 6);
    convLayout->addWidget(sectionLabel(u"Conversation behind the selected gradient"_s, convBox));
    m_conversation = new QTextBrowser(convBox);
    m_conversation->setObjectName(u"conversation"_s);
    convLayout->addWidget(m_conversation);
    bottom->addWidget(convBox);
    bottom->setStretchFactor(0, 1);
    bottom->setStretchFactor(1, 1);
    right->addWidget(bottom);
    right->setStretchFactor(0, 1);
    right->setStretchFactor(1, 1);
    content->addWidget(right);
    content->setStretchFactor(0, 0);
    content->setStretchFactor(1, 1);
    content->setSizes({ 360, 900 });

    m_searchTimer = new QTimer(this);
    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(kSearchDelayMs);
    connect(m_searchTimer, &QTimer::timeout, this, &CritiqueHistoryView::applySearch);
    connect(m_search, &QLineEdit::textChanged, m_searchTimer, qOverload<>(&QTimer::start));
    connect(m_timeline->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &CritiqueHistoryView::onCurrentRowChanged);
    connect(m_gradients, &QTreeWidget::currentItemChanged, this,
        &CritiqueHistoryView::onGradientChanged);
}

void CritiqueHistoryView::setStorePath(const QString &path)
{
    m_loader->setStorePath(path);
    reload();
}

void CritiqueHistoryView::setRun(const QString &runId)
{
    if (runId != m_runId) {
        // Another run's step must not stay on screen, nor be looked for in this one.
        m_shownStep = -1;
        m_details = StepDetails {};
        m_header->setText(u"Select a step on the left to see its critiques."_s);
        m_diffs->clear();
        m_reply->clear();
        m_gradients->clear();
        m_conversation->clear();
    }
    m_runId = runId;
    reload();
}

void CritiqueHistoryView::reload()
{
    const int keep = m_shownStep;
    m_requestedStep = -1;
    m_model->setRun(m_loader->storePath().isEmpty() ? QString() : m_runId);
    if (keep > 0)
        selectStep(keep);
    requestCounts();
    updateEmptyState();
}

void CritiqueHistoryView::setSearchText(const QString &text)
{
    m_search->setText(text);
    applySearch();
}

void CritiqueHistoryView::applySearch()
{
    m_searchTimer->stop();
    m_model->setSearch(m_search->text());
    m_status->setText(m_model->search().isEmpty() ? QString() : u"Searching…"_s);
}

void CritiqueHistoryView::selectStep(int step)
{
    const int row = m_model->rowOfStep(step);
    if (row >= 0) {
        m_pendingSelect = -1;
        m_timeline->setCurrentIndex(m_model->index(row));
        m_timeline->scrollTo(m_model->index(row));
        return;
    }
    m_pendingSelect = step;
    const bool passed
        = m_model->rowCount() > 0 && m_model->summaryAt(m_model->rowCount() - 1).step > step;
    if (passed || !m_model->canFetchMore({}))
        m_pendingSelect = -1; // not in this run (or filtered out)
    else
        m_model->fetchMore({});
}

void CritiqueHistoryView::onPageLoaded(int rows, const QString &error)
{
    Q_UNUSED(rows);
    if (!error.isEmpty()) {
        m_status->setText(u"Could not read the history: "_s % error);
        updateEmptyState();
        return;
    }
    if (!m_model->search().isEmpty()) {
        const int n = m_model->rowCount();
        const QString term = m_model->search();
        if (n == 0)
            m_status->setText(u"No step matches “%1”."_s.arg(term));
        else if (!m_model->atEnd())
            m_status->setText(u"%1+ steps match “%2” (scroll for more)."_s.arg(n).arg(term));
        else
            m_status->setText(n == 1 ? u"1 step matches “%1”."_s.arg(term)
                                     : u"%1 steps match “%2”."_s.arg(n).arg(term));
    } else {
        m_status->clear();
    }
    if (m_pendingSelect > 0)
        selectStep(m_pendingSelect);
    else if (!m_timeline->currentIndex().isValid() && m_model->rowCount() > 0)
        m_timeline->setCurrentIndex(m_model->index(0));
    updateEmptyState();
}

void CritiqueHistoryView::requestCounts()
{
    m_counts->clear();
    if (m_runId.isEmpty() || m_loader->storePath().isEmpty())
        return;
    const QString runId = m_runId;
    m_loader->request<HistoryCounts>(
        HistoryLoader::Lane::Browse, this,
        [runId](RunStore &store) { return store.historyCounts(runId); },
        [this, runId](const HistoryCounts &c, const QString &error) {
            if (runId != m_runId || !error.isEmpty())
                return;
            const QLocale locale;
            m_counts->setText(u"%1 steps (%2 accepted) · %3 critiques · %4 calls"_s.arg(
                locale.toString(c.steps), locale.toString(c.acceptedSteps),
                locale.toString(c.gradients), locale.toString(c.calls)));
        });
}

void CritiqueHistoryView::onCurrentRowChanged()
{
    const QModelIndex current = m_timeline->currentIndex();
    if (!current.isValid())
        return;
    const int step = current.data(StepTimelineModel::StepRole).toInt();
    emit stepSelected(step);
    requestDetails(step);
}

void CritiqueHistoryView::requestDetails(int step)
{
    m_requestedStep = step;
    const QString runId = m_runId;
    m_loader->request<StepDetails>(
        HistoryLoader::Lane::Browse, this,
        [runId, step](RunStore &store) { return store.stepDetails(runId, step); },
        [this, runId, step](const StepDetails &details, const QString &error) {
            // Only the last step asked for is shown; earlier answers arrive and are dropped.
            if (runId != m_runId || step != m_requestedStep)
                return;
            if (!error.isEmpty()) {
                m_header->setText(
                    u"Could not read step %1: %2"_s.arg(step).arg(error.toHtmlEscaped()));
                return;
            }
            showDetails(details);
        });
}

void CritiqueHistoryView::showDetails(const StepDetails &details)
{
    m_details = details;
    m_shownStep = details.summary.step;
    const StepSummary &s = details.summary;
    const QPalette pal = palette();
    const bool dark = HistoryHtml::isDark(pal);
    const QString decision = s.accepted
        ? u"<span style=\"color: %1\"><b>✓ accepted</b></span>"_s.arg(
            dark ? u"#6cd68c"_s : u"#1a7f37"_s)
        : u"<span style=\"color: %1\"><b>✗ rejected</b></span> (validation below the best so far; "
          "the previous values stayed in effect)"_s.arg(dark ? u"#ff8a80"_s : u"#c62828"_s);
    QString header
        = u"<b>Step %1</b> · epoch %2 · %3<br>train %4 · validation %5 · best %6"_s.arg(s.step)
              .arg(s.epoch)
              .arg(decision, HistoryHtml::scoreText(s.trainScore),
                  HistoryHtml::scoreText(s.valScore), HistoryHtml::scoreText(s.bestValScore));
    for (const RunEvent &e : details.events)
        header += u"<br><i>%1</i>: %2"_s.arg(e.kind.toHtmlEscaped(), e.message.toHtmlEscaped());
    m_header->setText(header);

    QString diffs;
    QString replies;
    for (const PromptVersion &v : details.versions) {
        diffs
            += u"<h4>%1 <span style=\"font-weight: normal\">— %2, %3 of %4 critiques used</span></h4>"_s
                   .arg(v.nodeId.toHtmlEscaped(),
                       v.changed ? u"changed"_s : u"unchanged (the reply had no usable value)"_s)
                   .arg(v.gradientsUsed)
                   .arg(v.gradientsTotal);
        diffs += HistoryHtml::diff(v.previous, v.value, pal);
        replies += (details.versions.size() > 1 ? u"── "_s % v.nodeId % u" ──\n"_s : QString())
            % v.optimizerReply % u"\n"_s;
    }
    if (details.versions.isEmpty())
        diffs = u"<p><i>No parameter was optimized at this step.</i></p>"_s;
    m_diffs->setHtml(diffs);
    m_reply->setPlainText(replies.trimmed());

    QHash<int, const SampleResult *> trainSamples;
    for (const SampleResult &sample : details.samples) {
        if (sample.split == u"train"_s || sample.split.isEmpty())
            trainSamples.insert(sample.sampleIndex, &sample);
    }
    m_gradients->clear();
    QList<QTreeWidgetItem *> items;
    // With a search on, the critiques that match are bold and the first one is opened.
    const QString term = m_model->search();
    QTreeWidgetItem *firstMatch = nullptr;
    for (int i = 0; i < details.gradients.size(); ++i) {
        const GradientRecord &g = details.gradients.at(i);
        QString sample = g.sampleIndex < 0 ? u"–"_s : u"#%1"_s.arg(g.sampleIndex);
        QString sampleTip;
        if (const SampleResult *r = trainSamples.value(g.sampleIndex)) {
            sample += u" (line %1, score %2)"_s.arg(r->line).arg(HistoryHtml::scoreText(r->score));
            sampleTip = r->evaluation;
        }
        auto *item = new QTreeWidgetItem(
            { g.targetNode, g.sourceNode, sample, g.mode, g.feedback.simplified().left(200) });
        item->setData(0, Qt::UserRole, i);
        item->setToolTip(2, sampleTip);
        item->setToolTip(4, g.feedback);
        bool matches = !term.isEmpty() && g.feedback.contains(term, Qt::CaseInsensitive);
        for (int m = 0; !term.isEmpty() && !matches && m < g.conversation.size(); ++m) {
            matches = g.conversation.at(m)
                          .toObject()
                          .value(u"content"_s)
                          .toString()
                          .contains(term, Qt::CaseInsensitive);
        }
        if (matches) {
            QFont bold = m_gradients->font();
            bold.setBold(true);
            for (int c = 0; c < 5; ++c)
                item->setFont(c, bold);
            firstMatch = firstMatch ? firstMatch : item;
        }
        items.append(item);
    }
    m_gradients->addTopLevelItems(items);
    for (int c = 0; c < 4; ++c)
        m_gradients->resizeColumnToContents(c);
    if (items.isEmpty())
        m_conversation->setHtml(u"<p><i>No critiques were recorded at this step.</i></p>"_s);
    else
        m_gradients->setCurrentItem(firstMatch ? firstMatch : items.first());
    emit stepShown(m_shownStep);
}

void CritiqueHistoryView::onGradientChanged()
{
    const QTreeWidgetItem *item = m_gradients->currentItem();
    if (!item)
        return;
    const int i = item->data(0, Qt::UserRole).toInt();
    if (i < 0 || i >= m_details.gradients.size())
        return;
    const GradientRecord &g = m_details.gradients.at(i);
    const QString head = u"<p><b>%1</b> ← %2 · sample %3 · %4 mode%5</p>"_s.arg(
        g.targetNode.toHtmlEscaped(), g.sourceNode.toHtmlEscaped(),
        g.sampleIndex < 0 ? u"–"_s : QString::number(g.sampleIndex), g.mode.toHtmlEscaped(),
        g.callId > 0 ? u" · call #%1"_s.arg(g.callId) : QString());
    m_conversation->setHtml(head % HistoryHtml::conversation(g.conversation, palette()));
}

void CritiqueHistoryView::updateEmptyState()
{
    const bool noRun = m_runId.isEmpty() || m_loader->storePath().isEmpty();
    const bool noSteps = !noRun && m_model->rowCount() == 0 && m_model->atEnd()
        && m_model->search().isEmpty() && m_status->text().isEmpty();
    if (noSteps)
        m_empty->setText(u"This run has no finished step yet. Each step appears here as soon as "
                         "it finishes, with every critique behind it."_s);
    else
        m_empty->setText(kEmptyText);
    m_stack->setCurrentIndex(noRun || noSteps ? 0 : 1);
}
