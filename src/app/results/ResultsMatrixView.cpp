#include "results/ResultsMatrixView.h"

#include "history/ResultsMatrixModel.h"
#include "results/OutcomeColors.h"
#include "results/ResultsCellDrawer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace {

enum Page { MessagePage = 0, MatrixPage = 1 };
constexpr int kCellWidth = 74;

// Fills a cell with its outcome's colour under the usual text and selection.
class OutcomeDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override
    {
        const auto outcome = CellOutcome(index.data(ResultsMatrixModel::OutcomeRole).toInt());
        const QColor fill = outcomeFill(outcome, option.palette);
        if (fill.isValid())
            painter->fillRect(option.rect.adjusted(1, 1, -1, -1), fill);
        // A selected cell keeps its colour (the outcome is what the user is looking at) and
        // gets a frame in the highlight colour instead of the usual fill.
        QStyleOptionViewItem opt = option;
        const bool selected = opt.state.testFlag(QStyle::State_Selected);
        opt.state.setFlag(QStyle::State_Selected, false);
        opt.state.setFlag(QStyle::State_HasFocus, false);
        if (fill.isValid())
            opt.palette.setColor(QPalette::Text, fill.lightness() < 128 ? Qt::white : Qt::black);
        QStyledItemDelegate::paint(painter, opt, index);
        if (selected) {
            painter->save();
            painter->setPen(QPen(option.palette.color(QPalette::Highlight), 3));
            painter->setBrush(Qt::NoBrush);
            painter->drawRect(option.rect.adjusted(2, 2, -2, -2));
            painter->restore();
        }
    }
};

QLabel *legendChip(CellOutcome outcome, const QPalette &palette)
{
    auto *chip = new QLabel(outcomeName(outcome));
    chip->setObjectName(u"legend"_s);
    const QColor fill = outcomeFill(outcome, palette);
    chip->setStyleSheet(
        u"QLabel { background-color: %1; color: %2; padding: 1px 6px; border-radius: 3px; }"_s.arg(
            fill.name(), fill.lightness() < 128 ? u"white"_s : u"black"_s));
    return chip;
}

} // namespace

ResultsMatrixView::ResultsMatrixView(QWidget *parent)
    : QWidget(parent)
    , m_model(new ResultsMatrixModel(this))
{
    m_toolbar = buildToolbar();

    m_messageTitle = new QLabel;
    m_messageTitle->setObjectName(u"messageTitle"_s);
    m_messageTitle->setAlignment(Qt::AlignCenter);
    QFont titleFont = m_messageTitle->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_messageTitle->setFont(titleFont);
    m_messageText = new QLabel;
    m_messageText->setObjectName(u"messageText"_s);
    m_messageText->setAlignment(Qt::AlignCenter);
    m_messageText->setWordWrap(true);
    auto *messagePage = new QWidget;
    messagePage->setObjectName(u"messagePage"_s);
    auto *messageLayout = new QVBoxLayout(messagePage);
    // The message sits a third of the way down, like the other empty states.
    m_messageTitle->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    m_messageText->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    messageLayout->addStretch(1);
    messageLayout->addWidget(m_messageTitle);
    messageLayout->addWidget(m_messageText);
    messageLayout->addStretch(2);

    m_table = new QTableView;
    m_table->setObjectName(u"matrix"_s);
    m_table->setModel(m_model);
    m_table->setItemDelegate(new OutcomeDelegate(m_table));
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setShowGrid(false);
    m_table->horizontalHeader()->setDefaultSectionSize(kCellWidth);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionsClickable(true);
    m_table->verticalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentChanged, this,
        [this](const QModelIndex &current) { onCurrentChanged(current); });
    connect(m_table->horizontalHeader(), &QHeaderView::sectionDoubleClicked, this,
        &ResultsMatrixView::onHeaderDoubleClicked);

    m_drawer = new ResultsCellDrawer;
    m_drawer->setObjectName(u"drawer"_s);
    m_drawer->hide();
    connect(m_drawer, &ResultsCellDrawer::closeRequested, this, &ResultsMatrixView::closeDrawer);

    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(m_drawer);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);

    m_stack = new QStackedWidget;
    m_stack->addWidget(messagePage);
    m_stack->addWidget(m_splitter);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_toolbar);
    layout->addWidget(m_stack, 1);

    connect(&m_loadWatcher, &QFutureWatcher<ResultsMatrix>::finished, this,
        &ResultsMatrixView::onLoaded);
    connect(&m_detailsWatcher, &QFutureWatcher<MatrixCellDetails>::finished, this,
        &ResultsMatrixView::onDetailsLoaded);
    connect(m_model, &ResultsMatrixModel::filterChanged, this, &ResultsMatrixView::updateState);
    updateState();
}

ResultsMatrixView::~ResultsMatrixView()
{
    // The workers hold no pointer to this view, but their results must not arrive after it.
    m_loadWatcher.disconnect(this);
    m_detailsWatcher.disconnect(this);
    m_loadWatcher.waitForFinished();
    m_detailsWatcher.waitForFinished();
}

QWidget *ResultsMatrixView::buildToolbar()
{
    auto *bar = new QWidget;
    bar->setObjectName(u"toolbar"_s);

    m_split = new QComboBox;
    m_split->setObjectName(u"split"_s);
    m_split->addItem(tr("Validation"), u"validation"_s);
    m_split->addItem(tr("Test"), u"test"_s);
    m_split->addItem(tr("Training batches"), u"train"_s);
    m_split->setToolTip(tr("Which evaluations to lay out: validation runs once per proposed "
                           "prompt, test once at the end, training once per batch"));
    connect(m_split, &QComboBox::currentIndexChanged, this, [this] {
        m_openCell = { -1, -1 };
        closeDrawer();
        load();
    });

    m_threshold = new QDoubleSpinBox;
    m_threshold->setObjectName(u"threshold"_s);
    m_threshold->setRange(0.0, 1.0);
    m_threshold->setSingleStep(0.05);
    m_threshold->setDecimals(2);
    m_threshold->setToolTip(tr("A sample passes when its score is at least this"));
    connect(
        m_threshold, &QDoubleSpinBox::valueChanged, this, &ResultsMatrixView::onThresholdEdited);

    m_failuresOnly = new QCheckBox(tr("Failures only"));
    m_failuresOnly->setObjectName(u"failuresOnly"_s);
    m_failuresOnly->setToolTip(tr("Show only samples that fail in at least one version"));
    connect(m_failuresOnly, &QCheckBox::toggled, m_model, &ResultsMatrixModel::setFailuresOnly);
    m_changedOnly = new QCheckBox(tr("Changed only"));
    m_changedOnly->setObjectName(u"changedOnly"_s);
    m_changedOnly->setToolTip(
        tr("Show only samples that pass in some versions and fail in others"));
    connect(m_changedOnly, &QCheckBox::toggled, m_model, &ResultsMatrixModel::setChangedOnly);

    m_summary = new QLabel;
    m_summary->setObjectName(u"summary"_s);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // Controls on the first line; what the matrix holds and the colour legend on the second,
    // so a narrow window clips neither.
    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Split:")));
    controls->addWidget(m_split);
    controls->addSpacing(8);
    controls->addWidget(new QLabel(tr("Pass at ≥")));
    controls->addWidget(m_threshold);
    controls->addSpacing(8);
    controls->addWidget(m_failuresOnly);
    controls->addWidget(m_changedOnly);
    controls->addStretch(1);
    auto *info = new QHBoxLayout;
    info->addWidget(m_summary, 1);
    for (CellOutcome o : { CellOutcome::Pass, CellOutcome::Fail, CellOutcome::Error })
        info->addWidget(legendChip(o, palette()));
    auto *rows = new QVBoxLayout(bar);
    rows->setContentsMargins(6, 4, 6, 0);
    rows->setSpacing(4);
    rows->addLayout(controls);
    rows->addLayout(info);
    return bar;
}

void ResultsMatrixView::setStorePath(const QString &path)
{
    if (path == m_storePath)
        return;
    m_storePath = path;
    m_openCell = { -1, -1 };
    closeDrawer();
    load();
}

void ResultsMatrixView::setRun(const QString &runId)
{
    if (runId == m_runId)
        return;
    m_runId = runId;
    m_userThreshold.reset();
    m_openCell = { -1, -1 };
    closeDrawer();
    load();
}

void ResultsMatrixView::setSplit(const QString &split)
{
    const int i = m_split->findData(split);
    if (i >= 0)
        m_split->setCurrentIndex(i);
}

QString ResultsMatrixView::split() const
{
    return m_split->currentData().toString();
}

void ResultsMatrixView::refresh()
{
    load();
}

bool ResultsMatrixView::isLoading() const
{
    return m_loadWatcher.isRunning() || m_detailsWatcher.isRunning();
}

void ResultsMatrixView::load()
{
    if (m_storePath.isEmpty() || m_runId.isEmpty()) {
        m_loadWatcher.setFuture(QFuture<ResultsMatrix>());
        m_model->clear();
        updateState();
        return;
    }
    if (m_model->matrix().runId() != m_runId || m_model->matrix().split() != split())
        m_model->clear();
    m_loadWatcher.setFuture(
        QtConcurrent::run(&ResultsMatrix::loadFile, m_storePath, m_runId, split()));
    updateState();
}

void ResultsMatrixView::onLoaded()
{
    // An empty future (set to drop a load in flight) finishes at once with no result.
    if (m_loadWatcher.future().resultCount() == 0)
        return;
    const ResultsMatrix matrix = m_loadWatcher.result();
    if (matrix.runId() != m_runId && matrix.isValid())
        return; // the run changed while this one loaded; its own load follows
    m_model->setMatrix(matrix);
    if (m_userThreshold)
        m_model->setThreshold(*m_userThreshold);
    {
        const QSignalBlocker block(m_threshold);
        m_threshold->setValue(m_model->threshold());
    }
    // Reopen the cell the drawer showed: a live run adds columns but keeps the old ones.
    reopenDrawer();
    updateState();
    emit loaded(matrix.isValid());
}

bool ResultsMatrixView::openCell(int sampleIndex, int step)
{
    const int row = m_model->tableRowOfSample(sampleIndex);
    int column = -1;
    for (int c = 0; c < m_model->columnCount(); ++c) {
        if (m_model->matrix().column(c).step == step)
            column = c;
    }
    if (row < 0 || column < 0)
        return false;
    const QModelIndex index = m_model->index(row, column);
    // The same cell again (a new threshold) is read again: its verdict may have changed.
    if (m_table->currentIndex() == index)
        onCurrentChanged(index);
    else
        m_table->setCurrentIndex(index);
    return true;
}

void ResultsMatrixView::reopenDrawer()
{
    if (m_openCell.first < 0)
        return;
    if (!openCell(m_openCell.first, m_openCell.second))
        closeDrawer();
}

void ResultsMatrixView::onCurrentChanged(const QModelIndex &current)
{
    if (!current.isValid())
        return;
    const int matrixRow = m_model->matrixRow(current.row());
    const ResultsMatrix &matrix = m_model->matrix();
    m_openCell = { matrix.row(matrixRow).sampleIndex, matrix.column(current.column()).step };
    m_drawer->show();
    m_drawer->showLoading(tr("Sample %1 · %2")
                              .arg(matrix.row(matrixRow).sampleIndex)
                              .arg(matrix.column(current.column()).label));
    m_detailsWatcher.setFuture(QtConcurrent::run(&ResultsMatrix::detailsFromFile, m_storePath,
        matrix, matrixRow, current.column(), m_model->threshold()));
}

void ResultsMatrixView::onDetailsLoaded()
{
    if (m_detailsWatcher.future().resultCount() == 0)
        return;
    const MatrixCellDetails details = m_detailsWatcher.result();
    if (details.runId != m_runId || !m_drawer->isVisible())
        return;
    m_drawer->showDetails(details);
    emit detailsShown(details);
}

void ResultsMatrixView::closeDrawer()
{
    m_detailsWatcher.setFuture(QFuture<MatrixCellDetails>());
    m_drawer->hide();
    m_drawer->clear();
    m_openCell = { -1, -1 };
}

void ResultsMatrixView::onHeaderDoubleClicked(int section)
{
    if (section >= 0 && section < m_model->columnCount())
        emit stepActivated(m_runId, m_model->matrix().column(section).step);
}

void ResultsMatrixView::onThresholdEdited(double value)
{
    m_userThreshold = value;
    m_model->setThreshold(value);
    // The drawer's verdict depends on the threshold.
    reopenDrawer();
}

void ResultsMatrixView::showMessage(const QString &title, const QString &text)
{
    m_messageTitle->setText(title);
    m_messageText->setText(text);
    m_stack->setCurrentIndex(MessagePage);
}

void ResultsMatrixView::updateState()
{
    const ResultsMatrix &matrix = m_model->matrix();
    const bool haveRun = !m_storePath.isEmpty() && !m_runId.isEmpty();
    m_toolbar->setVisible(haveRun);
    if (!haveRun) {
        showMessage(tr("No run selected"),
            tr("Choose a run in the runs list to see how every sample fared under each "
               "prompt version, and why."));
        return;
    }
    const QString splitName = m_split->currentText().toLower();
    if (m_loadWatcher.isRunning() && matrix.runId().isEmpty()) {
        showMessage(tr("Loading results…"), QString());
        return;
    }
    if (!matrix.error().isEmpty()) {
        showMessage(tr("The results could not be read"), matrix.error());
        return;
    }
    if (matrix.isEmpty()) {
        showMessage(tr("No %1 results in this run yet").arg(splitName),
            m_split->currentData().toString() == u"test"_s
                ? tr("The test split is scored once, after the last step. Pick "
                     "Validation to follow the run step by step.")
                : tr("Results appear here as the run evaluates samples. A run "
                     "without a %1 split has none; pick another split above.")
                      .arg(splitName));
        m_summary->clear();
        return;
    }

    const int last = matrix.columnCount() - 1;
    const QPair<int, int> pass = m_model->passCount(last);
    QString summary = tr("%1 samples × %2 versions · %3: %4 of %5 pass")
                          .arg(matrix.rowCount())
                          .arg(matrix.columnCount())
                          .arg(matrix.column(last).label)
                          .arg(pass.first)
                          .arg(pass.second);
    if (m_model->visibleRowCount() != m_model->totalRowCount())
        summary += tr(" · showing %1").arg(m_model->visibleRowCount());
    m_summary->setText(summary);

    if (m_model->visibleRowCount() == 0) {
        showMessage(tr("No sample matches the filters"),
            tr("Clear \"Failures only\" or \"Changed only\", or change the pass "
               "threshold, to see all %1 samples.")
                .arg(matrix.rowCount()));
        return;
    }
    m_stack->setCurrentIndex(MatrixPage);
}
