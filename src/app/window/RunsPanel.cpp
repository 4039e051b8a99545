#include "window/RunsPanel.h"

#include "history/RunListModel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent>

using namespace Qt::StringLiterals;

RunsPanel::RunsPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new RunListModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    m_proxy->setSourceModel(m_model);
    m_view = new QTableView;
    m_view->setObjectName(u"runsTable"_s);
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(RunListModel::Pipeline, QHeaderView::Stretch);
    m_view->setToolTip(tr("Check runs to overlay them on the curves; select one to inspect it."));

    m_empty = new QLabel(tr("No runs yet.\nPress Ctrl+Enter to run the pipeline; every run is kept "
                            "in the project file and listed here."));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_stack = new QStackedWidget;
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_view);

    m_resume = new QPushButton(tr("&Resume"));
    m_resume->setToolTip(tr("Continue a run that was cut off, from its last completed step"));
    m_compare = new QPushButton(tr("C&ompare"));
    m_compare->setToolTip(tr("Select two runs to compare them side by side"));
    m_export = new QPushButton(tr("E&xport..."));
    m_export->setToolTip(tr("Export the selected run's prompts, report or results"));
    auto *refresh = new QPushButton(tr("Re&fresh"));
    m_error = new QLabel;
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: #c0392b"_s);
    m_error->hide();
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_resume);
    buttons->addWidget(m_compare);
    buttons->addWidget(m_export);
    buttons->addStretch();
    buttons->addWidget(refresh);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_error);
    layout->addLayout(buttons);

    connect(refresh, &QPushButton::clicked, this, &RunsPanel::refresh);
    connect(m_resume, &QPushButton::clicked, this, [this] {
        const QStringList runs = selectedRuns();
        if (runs.size() == 1)
            emit resumeRequested(runs.constFirst());
    });
    connect(m_compare, &QPushButton::clicked, this, [this] {
        const QStringList runs = selectedRuns();
        if (runs.size() == 2)
            emit compareRequested(runs.at(1), runs.at(0)); // older first: "A" is the baseline
    });
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QStringList runs = selectedRuns();
        if (runs.size() == 1)
            emit exportRequested(runs.constFirst());
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateButtons();
        const QStringList runs = selectedRuns();
        if (runs.size() == 1)
            emit currentRunChanged(runs.constFirst());
    });
    connect(m_model, &RunListModel::checkedRunsChanged, this, &RunsPanel::checkedRunsChanged);
    connect(&m_watcher, &QFutureWatcher<QPair<QVector<RunRow>, QString>>::finished, this,
        &RunsPanel::onLoaded);
    updateButtons();
}

RunsPanel::~RunsPanel()
{
    m_watcher.waitForFinished();
}

void RunsPanel::setProjectPath(const QString &path)
{
    if (path == m_path)
        return;
    m_path = path;
    m_model->setRows({});
    refresh();
}

void RunsPanel::refresh()
{
    if (m_watcher.isRunning()) {
        m_reloadPending = true; // the list may have changed while it was being read
        return;
    }
    if (m_path.isEmpty()) {
        m_model->setRows({});
        m_stack->setCurrentWidget(m_empty);
        m_empty->setText(tr("No runs yet.\nSave the project, then press Ctrl+Enter to run the "
                            "pipeline; every run is kept in the project file and listed here."));
        updateButtons();
        return;
    }
    const QString path = m_path;
    m_watcher.setFuture(QtConcurrent::run([path] {
        QString error;
        QVector<RunRow> rows = RunList::load(path, &error);
        return qMakePair(rows, error);
    }));
}

void RunsPanel::onLoaded()
{
    const auto [rows, error] = m_watcher.result();
    const QString keep = m_pendingSelection.isEmpty() ? currentRun() : m_pendingSelection;
    m_pendingSelection.clear();
    m_model->setRows(rows);
    m_error->setVisible(!error.isEmpty());
    m_error->setText(error);
    m_stack->setCurrentWidget(rows.isEmpty() ? m_empty : static_cast<QWidget *>(m_view));
    if (rows.isEmpty())
        m_empty->setText(tr("No runs yet.\nPress Ctrl+Enter to run the pipeline; every run is "
                            "kept in the project file and listed here."));
    if (!keep.isEmpty())
        selectRun(keep);
    updateButtons();
    emit loaded();
    if (std::exchange(m_reloadPending, false))
        refresh();
}

QString RunsPanel::currentRun() const
{
    const QStringList runs = selectedRuns();
    return runs.size() == 1 ? runs.constFirst() : QString();
}

void RunsPanel::selectRun(const QString &runId)
{
    const int row = m_model->rowOf(runId);
    if (row < 0) {
        m_pendingSelection = runId; // not listed yet: select it once the next load lands
        return;
    }
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    m_view->selectionModel()->select(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
}

QStringList RunsPanel::selectedRuns() const
{
    QStringList ids;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        ids << index.data(RunListModel::RunIdRole).toString();
    // Newest first, as listed.
    std::sort(ids.begin(), ids.end(), [this](const QString &a, const QString &b) {
        return m_model->rowOf(a) < m_model->rowOf(b);
    });
    return ids;
}

void RunsPanel::updateButtons()
{
    const QStringList runs = selectedRuns();
    bool resumable = false;
    if (runs.size() == 1) {
        const RunRow &row = m_model->rows().at(m_model->rowOf(runs.constFirst()));
        resumable = row.status == RunStatus::Running || row.status == RunStatus::Cancelled
            || row.status == RunStatus::Failed;
    }
    m_resume->setEnabled(resumable);
    m_compare->setEnabled(runs.size() == 2);
    m_export->setEnabled(runs.size() == 1);
}
