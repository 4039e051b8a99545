#include "runs/LiveRunPanel.h"

#include "runs/RunController.h"

#include <QFont>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QStackedWidget>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

QColor errorColor(const QPalette &palette)
{
    // A red that stays readable on dark and light windows alike.
    return palette.color(QPalette::Window).lightness() < 128 ? QColor(0xFF, 0x7A, 0x7A) : QColor(0xC0, 0x1C, 0x28);
}

QString tokens(qint64 n)
{
    if (n >= 1000000)
        return QString::number(n / 1000000.0, 'f', 1) + u'M';
    if (n >= 1000)
        return QString::number(n / 1000.0, 'f', n >= 100000 ? 0 : 1) + u'k';
    return QString::number(n);
}

QString totalsText(const CallTotals &t)
{
    QString cost = t.total == 0 ? u"$0"_s
                                : u"$"_s + QString::number(t.costUsd, 'f', t.costUsd < 1.0 ? 4 : 2);
    if (t.unknownCostCalls > 0)
        cost += u" + %1 unpriced call%2"_s.arg(t.unknownCostCalls).arg(t.unknownCostCalls == 1 ? u""_s : u"s"_s);
    QString text = u"%1 calls · %2 tokens in / %3 out · %4"_s.arg(t.total).arg(tokens(t.promptTokens), tokens(t.completionTokens), cost);
    if (t.cached > 0)
        text += u" · %1 cached"_s.arg(t.cached);
    return text;
}

QString phaseText(const QString &phase)
{
    if (phase == u"initial-validation"_s)
        return u"Scoring the validation set with the initial prompt"_s;
    if (phase == u"forward"_s)
        return u"Forward pass over the batch"_s;
    if (phase == u"backward"_s)
        return u"Backward pass: critiquing each step of the pipeline"_s;
    if (phase == u"optimizer"_s)
        return u"Optimizer: rewriting the trainable prompts"_s;
    if (phase == u"validation"_s)
        return u"Validating the new prompt"_s;
    if (phase == u"test"_s)
        return u"Scoring the test set"_s;
    if (phase == u"done"_s)
        return u"Finished"_s;
    return phase;
}

} // namespace

LiveRunPanel::LiveRunPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *outer = new QVBoxLayout(this);
    m_stack = new QStackedWidget;
    outer->addWidget(m_stack, 3);

    // Empty state.
    auto *empty = new QWidget;
    empty->setObjectName(u"emptyState"_s);
    auto *emptyLayout = new QVBoxLayout(empty);
    auto *emptyTitle = new QLabel(tr("No run yet."));
    QFont big = emptyTitle->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    emptyTitle->setFont(big);
    emptyTitle->setAlignment(Qt::AlignCenter);
    auto *emptyText = new QLabel(tr("Press Ctrl+Enter to run the pipeline.\nRuns happen in the background: "
                                    "you can keep editing while one runs."));
    emptyText->setAlignment(Qt::AlignCenter);
    emptyText->setWordWrap(true);
    emptyLayout->addStretch();
    emptyLayout->addWidget(emptyTitle);
    emptyLayout->addWidget(emptyText);
    emptyLayout->addStretch();
    m_stack->addWidget(empty);

    // The live run.
    auto *live = new QWidget;
    auto *liveLayout = new QVBoxLayout(live);
    liveLayout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel;
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    liveLayout->addWidget(m_title);

    auto *stepRow = new QHBoxLayout;
    m_stepLabel = new QLabel;
    m_bar = new QProgressBar;
    m_bar->setTextVisible(false);
    stepRow->addWidget(m_stepLabel);
    stepRow->addWidget(m_bar, 1);
    m_pause = new QPushButton(tr("Pause"));
    m_pause->setToolTip(tr("Calls in flight finish; no new call starts until you resume."));
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the run after the calls in flight. Completed steps are kept and the run can be resumed."));
    stepRow->addWidget(m_pause);
    stepRow->addWidget(m_cancel);
    liveLayout->addLayout(stepRow);

    m_phase = new QLabel;
    liveLayout->addWidget(m_phase);
    auto *figures = new QHBoxLayout;
    m_totals = new QLabel;
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_elapsed = new QLabel;
    figures->addWidget(m_totals, 1);
    figures->addWidget(m_elapsed);
    liveLayout->addLayout(figures);

    m_error = new QLabel;
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setVisible(false);
    liveLayout->addWidget(m_error);

    m_streamTitle = new QLabel;
    m_streamTitle->setTextFormat(Qt::PlainText);
    liveLayout->addWidget(m_streamTitle);
    m_stream = new QPlainTextEdit;
    m_stream->setReadOnly(true);
    m_stream->setMaximumBlockCount(500);
    m_stream->setPlaceholderText(tr("The text of the current call appears here as the model writes it."));
    m_stream->setFont(QFont(u"monospace"_s));
    liveLayout->addWidget(m_stream, 1);
    m_stack->addWidget(live);

    // Queued and resumable runs.
    m_listTitle = new QLabel(tr("Queued and interrupted runs"));
    m_listTitle->setFont(bold);
    outer->addWidget(m_listTitle);
    m_runs = new QTreeWidget;
    m_runs->setRootIsDecorated(false);
    m_runs->setHeaderLabels({tr("Run"), tr("Pipeline"), tr("Status"), tr("Last change")});
    m_runs->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_runs->header()->setStretchLastSection(true);
    outer->addWidget(m_runs, 1);
    auto *listButtons = new QHBoxLayout;
    listButtons->addStretch();
    m_resumeRun = new QPushButton(tr("Resume"));
    m_resumeRun->setToolTip(tr("Continue the selected run from its last completed step."));
    m_removeRun = new QPushButton(tr("Remove from queue"));
    listButtons->addWidget(m_removeRun);
    listButtons->addWidget(m_resumeRun);
    outer->addLayout(listButtons);

    m_tick = new QTimer(this);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &LiveRunPanel::updateElapsed);

    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (m_paused)
            Q_EMIT resumeRunRequested();
        else
            Q_EMIT pauseRequested();
    });
    connect(m_cancel, &QPushButton::clicked, this, &LiveRunPanel::cancelRequested);
    connect(m_runs, &QTreeWidget::itemSelectionChanged, this, &LiveRunPanel::updateRunButtons);
    connect(m_resumeRun, &QPushButton::clicked, this, [this] {
        if (QTreeWidgetItem *item = m_runs->currentItem())
            Q_EMIT resumeRequested(item->data(0, Qt::UserRole).toString());
    });
    connect(m_removeRun, &QPushButton::clicked, this, [this] {
        if (QTreeWidgetItem *item = m_runs->currentItem())
            Q_EMIT removeRequested(item->data(0, Qt::UserRole).toString());
    });
    showRuns({}, {});
    updateRunButtons();
}

void LiveRunPanel::setController(RunController *c)
{
    if (m_controller)
        disconnect(m_controller, nullptr, this, nullptr);
    m_controller = c;
    if (!c)
        return;
    connect(c, &RunController::runStarted, this, &LiveRunPanel::showRunStarted);
    connect(c, &RunController::progress, this, &LiveRunPanel::showProgress);
    connect(c, &RunController::nodeActivity, this, &LiveRunPanel::showActivity);
    connect(c, &RunController::callDelta, this, &LiveRunPanel::showDelta);
    connect(c, &RunController::finished, this, &LiveRunPanel::showFinished);
    connect(c, &RunController::runsListed, this, &LiveRunPanel::showRuns);
    connect(c, &RunController::pausedChanged, this, &LiveRunPanel::showPaused);
    connect(this, &LiveRunPanel::pauseRequested, c, &RunController::pause);
    connect(this, &LiveRunPanel::resumeRunRequested, c, &RunController::resume);
    connect(this, &LiveRunPanel::cancelRequested, c, &RunController::cancel);
    connect(this, &LiveRunPanel::resumeRequested, c, [c](const QString &id) { c->resumeRun(id); });
    connect(this, &LiveRunPanel::removeRequested, c, &RunController::removeQueued);
    c->refreshRuns();
}

void LiveRunPanel::showRunStarted(const QString &runId, const QString &pipelineName)
{
    m_running = true;
    m_paused = false;
    m_stack->setCurrentIndex(1);
    m_title->setText(tr("Run %1 · %2").arg(runId, pipelineName.isEmpty() ? tr("(unnamed pipeline)") : pipelineName));
    m_stepLabel->setText(tr("Starting…"));
    m_bar->setRange(0, 0);
    m_phase->setText(QString());
    m_totals->setText(totalsText(CallTotals()));
    m_error->clear();
    m_error->setVisible(false);
    m_stream->clear();
    m_streamTitle->setText(tr("Waiting for the first call…"));
    m_followKey.clear();
    m_followActive = false;
    m_clock.start();
    m_tick->start();
    updateElapsed();
    m_pause->setText(tr("Pause"));
    m_pause->setEnabled(true);
    m_cancel->setEnabled(true);
}

void LiveRunPanel::showProgress(const RunProgress &p)
{
    if (!m_running)
        return;
    if (p.totalSteps > 0) {
        m_bar->setRange(0, p.totalSteps * 100);
        // Within a step, the phase's fraction moves the bar so it never sits still for long.
        const double within = p.total > 0 ? double(p.done) / p.total : 0.0;
        const int step = qMax(0, p.step - 1);
        m_bar->setValue(p.phase == u"done"_s ? p.totalSteps * 100 : int((step + qBound(0.0, within, 1.0)) * 100));
    }
    m_stepLabel->setText(p.step == 0 ? tr("Before step 1") : tr("Step %1 of %2").arg(p.step).arg(p.totalSteps));
    QString phase = phaseText(p.phase);
    if (p.total > 0 && p.phase != u"done"_s)
        phase += u" (%1 of %2)"_s.arg(p.done).arg(p.total);
    if (hasScore(p.bestValScore))
        phase += tr(" · best validation score %1").arg(p.bestValScore, 0, 'f', 3);
    m_phase->setText(phase);
    m_totals->setText(totalsText(p.totals));
}

QString LiveRunPanel::callKey(int step, const QString &node, const QString &source, CallPurpose purpose, int sample)
{
    return u"%1|%2|%3|%4|%5"_s.arg(step).arg(node, source, callPurposeName(purpose)).arg(sample);
}

QString LiveRunPanel::describeCall(const NodeActivity &a)
{
    QString what;
    switch (a.phase) {
    case ActivityPhase::Backward:
        what = tr("critique of %1 for %2").arg(a.nodeId, a.sourceNodeId);
        break;
    case ActivityPhase::Optimizer:
        what = tr("optimizer rewriting %1").arg(a.nodeId);
        break;
    default:
        what = u"%1 · %2"_s.arg(a.nodeId, callPurposeName(a.purpose));
        break;
    }
    if (a.sampleIndex >= 0)
        // 0-based like the run's error messages and the history, so the numbers agree.
        what += tr(" · %1 sample %2").arg(a.split.isEmpty() ? tr("the") : a.split).arg(a.sampleIndex);
    if (a.step > 0)
        what += tr(" · step %1").arg(a.step);
    return what;
}

void LiveRunPanel::follow(const NodeActivity &a)
{
    m_followKey = callKey(a.step, a.nodeId, a.sourceNodeId, a.purpose, a.sampleIndex);
    m_followActive = true;
    m_streamTitle->setText(tr("Current call: %1").arg(describeCall(a)));
    m_stream->clear();
}

void LiveRunPanel::showActivity(const NodeActivity &a)
{
    if (!m_running)
        return;
    const QString key = callKey(a.step, a.nodeId, a.sourceNodeId, a.purpose, a.sampleIndex);
    switch (a.state) {
    case NodeActivity::State::Started:
        // Several calls run at once; the panel follows one until it ends, then the next.
        if (!m_followActive)
            follow(a);
        break;
    case NodeActivity::State::Finished:
        if (key == m_followKey)
            m_followActive = false;
        break;
    case NodeActivity::State::Failed:
        if (key == m_followKey)
            m_followActive = false;
        if (!a.error.isEmpty() && a.error != u"cancelled"_s) {
            m_error->setText(tr("Provider error in %1:\n%2").arg(describeCall(a), a.error));
            m_error->setStyleSheet(u"color: %1;"_s.arg(errorColor(palette()).name()));
            m_error->setVisible(true);
        }
        break;
    }
}

void LiveRunPanel::showDelta(const CallDelta &d)
{
    if (!m_running || callKey(d.step, d.nodeId, d.sourceNodeId, d.purpose, d.sampleIndex) != m_followKey)
        return;
    if (d.restart)
        m_stream->clear();
    if (d.text.isEmpty())
        return;
    QScrollBar *bar = m_stream->verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum() - 4;
    // A reply is one block while it streams; keep the tail when it grows too long to show.
    if (m_stream->document()->characterCount() + d.text.size() > kMaxStreamChars) {
        const QString all = m_stream->toPlainText() + d.text;
        const QString tail = all.right(kMaxStreamChars / 2);
        m_stream->setPlainText(tail);
    } else {
        QTextCursor cursor(m_stream->document());
        cursor.movePosition(QTextCursor::End);
        cursor.insertText(d.text);
    }
    if (atEnd)
        bar->setValue(bar->maximum());
}

void LiveRunPanel::showFinished(const RunOutcome &outcome)
{
    m_running = false;
    m_paused = false;
    m_tick->stop();
    updateElapsed();
    m_pause->setEnabled(false);
    m_cancel->setEnabled(false);
    m_pause->setText(tr("Pause"));
    m_bar->setRange(0, 1);
    m_bar->setValue(outcome.ok ? 1 : 0);
    if (outcome.ok) {
        m_stepLabel->setText(tr("Completed"));
        m_phase->setText(tr("The run finished. Its steps, critiques and prompts are in the project."));
    } else if (outcome.status == RunStatus::Cancelled) {
        m_stepLabel->setText(tr("Stopped"));
        m_phase->setText(outcome.error.contains(u"budget"_s)
                             ? outcome.error
                             : tr("Cancelled. Completed steps are kept; select the run below and press Resume to continue."));
    } else {
        m_stepLabel->setText(tr("Failed"));
        m_phase->setText(tr("The run stopped on an error; fix the cause, then resume it from the list below."));
        m_error->setText(outcome.error);
        m_error->setStyleSheet(u"color: %1;"_s.arg(errorColor(palette()).name()));
        m_error->setVisible(!outcome.error.isEmpty());
    }
    m_streamTitle->setText(tr("Last call"));
}

void LiveRunPanel::showPaused(bool paused)
{
    m_paused = paused;
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    if (m_running && paused)
        m_stepLabel->setText(m_stepLabel->text() + tr(" (paused)"));
}

void LiveRunPanel::showRuns(const QVector<RunInfo> &queued, const QVector<RunInfo> &resumable)
{
    m_runs->clear();
    const auto add = [this](const RunInfo &r, const QString &status) {
        auto *item = new QTreeWidgetItem(m_runs, {r.id, r.pipelineName, status,
                                                  r.updatedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s)});
        item->setData(0, Qt::UserRole, r.id);
        item->setData(2, Qt::UserRole, r.status);
        if (!r.error.isEmpty())
            item->setToolTip(2, r.error);
    };
    for (const RunInfo &r : queued)
        add(r, tr("queued"));
    for (const RunInfo &r : resumable)
        add(r, r.status == RunStatus::Running ? tr("interrupted") : r.status);
    const bool any = m_runs->topLevelItemCount() > 0;
    m_listTitle->setVisible(any);
    m_runs->setVisible(any);
    m_resumeRun->setVisible(any);
    m_removeRun->setVisible(any);
    updateRunButtons();
}

void LiveRunPanel::updateRunButtons()
{
    const QTreeWidgetItem *item = m_runs->currentItem();
    const QString status = item ? item->data(2, Qt::UserRole).toString() : QString();
    m_resumeRun->setEnabled(item && status != RunStatus::Queued);
    m_removeRun->setEnabled(item && status == RunStatus::Queued);
}

void LiveRunPanel::updateElapsed()
{
    if (!m_clock.isValid()) {
        m_elapsed->clear();
        return;
    }
    const qint64 s = m_clock.elapsed() / 1000;
    m_elapsed->setText(tr("elapsed %1:%2:%3")
                           .arg(s / 3600)
                           .arg((s / 60) % 60, 2, 10, QChar(u'0'))
                           .arg(s % 60, 2, 10, QChar(u'0')));
}

QString LiveRunPanel::streamText() const
{
    return m_stream->toPlainText();
}

QString LiveRunPanel::streamTitle() const
{
    return m_streamTitle->text();
}

QString LiveRunPanel::errorText() const
{
    return m_error->isVisibleTo(this) ? m_error->text() : QString();
}

bool LiveRunPanel::isShowingEmptyState() const
{
    return m_stack->currentIndex() == 0;
}
