#include "datasets/DatasetEditor.h"

#include "data/DatasetTableModel.h"
#include "datasets/FieldMappingPanel.h"
#include "datasets/SplitControls.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

constexpr int kEmptyPage = 0;
constexpr int kContentPage = 1;
// Spin boxes fire on every step while a button is held; one split per pause is enough and
// keeps a 100,000-row dataset responsive.
constexpr int kSplitDelayMs = 40;

QString number(int n)
{
    return QLocale().toString(n);
}

// The line in "path:LINE: message", 0 when the message names no line of that file. The path may
// itself hold colons, so the known source is matched rather than the first colon.
int lineOf(const QString &error, const QString &source)
{
    const QString prefix = source + u":"_s;
    if (source.isEmpty() || !error.startsWith(prefix))
        return 0;
    const qsizetype end = error.indexOf(u':', prefix.size());
    bool ok = false;
    const int line = QStringView(error).mid(prefix.size(), end - prefix.size()).toInt(&ok);
    return ok ? line : 0;
}

QLabel *hintLabel(const QString &text)
{
    auto *label = new QLabel(text);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace

DatasetEditor::DatasetEditor(QWidget *parent)
    : QWidget(parent)
    , m_job(new DatasetLoadJob(this))
    , m_model(new DatasetTableModel(this))
    , m_splitTimer(new QTimer(this))
{
    setAcceptDrops(true);
    m_splitTimer->setSingleShot(true);
    m_splitTimer->setInterval(kSplitDelayMs);
    connect(m_splitTimer, &QTimer::timeout, this, &DatasetEditor::applySplit);
    connect(m_job, &DatasetLoadJob::started, this, &DatasetEditor::onLoadStarted);
    connect(m_job, &DatasetLoadJob::progress, this, &DatasetEditor::onLoadProgress);
    connect(m_job, &DatasetLoadJob::finished, this, &DatasetEditor::onLoadFinished);

    m_stack = new QStackedWidget;
    m_stack->addWidget(buildEmptyState());
    m_stack->addWidget(buildContent());
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
    m_stack->setCurrentIndex(kEmptyPage);
}

DatasetEditor::~DatasetEditor() = default;

QWidget *DatasetEditor::buildEmptyState()
{
    auto *page = new QWidget;
    page->setObjectName(u"emptyState"_s);
    auto *column = new QVBoxLayout;
    column->setSpacing(12);

    m_emptyTitle = new QLabel(tr("No dataset yet"));
    QFont titleFont = m_emptyTitle->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    m_emptyTitle->setFont(titleFont);
    m_emptyTitle->setAlignment(Qt::AlignCenter);

    m_emptyText = new QLabel;
    m_emptyText->setAlignment(Qt::AlignCenter);
    m_emptyText->setWordWrap(true);
    m_emptyText->setObjectName(u"emptyText"_s);

    m_emptyImport = new QPushButton(tr("Import..."));
    m_emptyImport->setToolTip(tr("Choose a CSV, JSONL or JSON file"));
    m_emptyImport->setDefault(true);
    m_emptyImport->setObjectName(u"emptyImport"_s);
    connect(m_emptyImport, &QPushButton::clicked, this, &DatasetEditor::import);
    auto *buttonRow = new QHBoxLayout;
    buttonRow->addStretch();
    buttonRow->addWidget(m_emptyImport);
    buttonRow->addStretch();

    m_emptyProgress = new QProgressBar;
    m_emptyProgress->setRange(0, 100);
    m_emptyProgress->setTextVisible(false);
    m_emptyProgress->setFixedWidth(280);
    m_emptyProgress->hide();

    QLabel *hint = hintLabel(tr("CSV files need a header row; JSONL files hold one JSON object "
                                "per line. Each column can feed one input of the pipeline."));
    hint->setAlignment(Qt::AlignCenter);

    m_emptyErrors = new QListWidget;
    m_emptyErrors->setMaximumHeight(120);
    m_emptyErrors->setObjectName(u"emptyErrors"_s);
    m_emptyErrors->hide();

    auto *icon = new QLabel;
    icon->setPixmap(style()->standardIcon(QStyle::SP_FileDialogContentsView).pixmap(48, 48));
    icon->setAlignment(Qt::AlignCenter);
    column->addWidget(icon);
    column->addWidget(m_emptyTitle);
    column->addWidget(m_emptyText);
    column->addLayout(buttonRow);
    column->addWidget(m_emptyProgress, 0, Qt::AlignHCenter);
    column->addWidget(hint);
    column->addWidget(m_emptyErrors);

    // A centred column of readable width: word-wrapped labels report a tiny size hint, so a
    // column left to its hint would wrap every sentence after three words and clip it.
    auto *centre = new QWidget;
    centre->setLayout(column);
    centre->setMinimumWidth(280);
    centre->setMaximumWidth(480);
    centre->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    auto *across = new QHBoxLayout;
    across->addStretch(1);
    across->addWidget(centre, 4);
    across->addStretch(1);
    auto *outer = new QVBoxLayout(page);
    outer->setContentsMargins(24, 24, 24, 24);
    outer->addStretch(2);
    outer->addLayout(across);
    outer->addStretch(3);
    setEmptyMessage(QString());
    return page;
}

QWidget *DatasetEditor::buildToolbar()
{
    auto *bar = new QWidget;
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    m_splitControls = new SplitControls;
    connect(m_splitControls, &SplitControls::settingsChanged, this, &DatasetEditor::scheduleSplit);
    auto *import = new QPushButton(tr("Import..."));
    import->setToolTip(tr("Replace this dataset with another CSV, JSONL or JSON file"));
    connect(import, &QPushButton::clicked, this, &DatasetEditor::import);
    row->addWidget(m_splitControls);
    row->addStretch();
    row->addWidget(import);
    return bar;
}

QWidget *DatasetEditor::buildContent()
{
    auto *page = new QWidget;
    page->setObjectName(u"content"_s);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);

    m_fileLabel = new QLabel;
    QFont bold = m_fileLabel->font();
    bold.setBold(true);
    m_fileLabel->setFont(bold);
    m_fileLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress = new QProgressBar;
    m_progress->setRange(0, 100);
    m_progress->setMaximumWidth(160);
    m_progress->setTextVisible(false);
    m_progress->hide();
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_fileLabel, 1);
    fileRow->addWidget(m_progress);

    m_view = new QTableView;
    m_view->setModel(m_model);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Fixed row heights: the view then never measures rows it has not shown, which is what
    // keeps scrolling through 100,000 rows smooth.
    QHeaderView *rows = m_view->verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(fontMetrics().height() + 8);
    rows->setDefaultAlignment(Qt::AlignRight | Qt::AlignVCenter);
    QHeaderView *columns = m_view->horizontalHeader();
    columns->setDefaultSectionSize(220);
    columns->setStretchLastSection(true);
    columns->setHighlightSections(false);
    columns->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);

    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(m_view);
    m_mappingPanel = new FieldMappingPanel;
    connect(m_mappingPanel, &FieldMappingPanel::mappingChanged, this, &DatasetEditor::mappingChanged);
    splitter->addWidget(m_mappingPanel);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 0);
    splitter->setChildrenCollapsible(false);

    m_status = new QLabel;
    m_status->setObjectName(u"status"_s);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorsTitle = new QLabel;
    m_errorList = new QListWidget;
    m_errorList->setObjectName(u"errorList"_s);
    m_errorList->setIconSize(QSize(16, 16));
    m_errorList->setToolTip(tr("Click a problem to show its row, when the row was kept"));
    connect(m_errorList, &QListWidget::itemClicked, this, &DatasetEditor::showErrorLine);

    layout->addLayout(fileRow);
    layout->addWidget(buildToolbar());
    layout->addWidget(splitter, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_errorsTitle);
    layout->addWidget(m_errorList);
    updateErrors();
    return page;
}

// ---- loading ---------------------------------------------------------------------------------

bool DatasetEditor::isDatasetFile(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == u"csv" || suffix == u"jsonl" || suffix == u"ndjson" || suffix == u"json";
}

void DatasetEditor::import()
{
    const QString path = m_chooser ? m_chooser(this)
                                   : QFileDialog::getOpenFileName(this, tr("Import dataset"),
                                         QString(),
                                         tr("Datasets (*.csv *.jsonl *.ndjson *.json);;"
                                            "All files (*)"));
    if (!path.isEmpty())
        loadFile(path);
}

void DatasetEditor::loadFile(const QString &path)
{
    m_job->start(path);
}

bool DatasetEditor::isLoading() const
{
    return m_job->isRunning();
}

void DatasetEditor::onLoadStarted(const QString &path)
{
    const QString name = QFileInfo(path).fileName();
    m_emptyErrors->hide();
    if (hasDataset()) {
        m_progress->setValue(0);
        m_progress->show();
        m_progress->setToolTip(tr("Loading %1").arg(name));
    } else {
        m_emptyTitle->setText(tr("Loading %1").arg(name));
        m_emptyText->setText(tr("You can keep working; the grid appears when the file is read."));
        m_emptyProgress->setValue(0);
        m_emptyProgress->show();
        m_emptyImport->setEnabled(false);
    }
}

void DatasetEditor::onLoadProgress(int percent)
{
    m_progress->setValue(percent);
    m_emptyProgress->setValue(percent);
}

void DatasetEditor::onLoadFinished(const DatasetLoadResult &result)
{
    m_progress->hide();
    m_emptyProgress->hide();
    m_emptyImport->setEnabled(true);
    if (!result.ok) {
        // A failed import keeps what was shown; the errors say why the new file was refused.
        if (hasDataset()) {
            m_loadErrors = result.errors;
            updateErrors();
        } else {
            m_emptyTitle->setText(tr("Could not load %1").arg(QFileInfo(result.path).fileName()));
            m_emptyText->setText(tr("Fix the problem below and drop the file again, or import another one."));
            m_emptyErrors->clear();
            m_emptyErrors->addItems(result.errors);
            m_emptyErrors->show();
        }
        emit loadFinished(false, result.path);
        return;
    }
    m_loadErrors = result.errors;
    setDataset(result.dataset, splitSettings());
    emit loadFinished(true, result.path);
}

void DatasetEditor::setDataset(const Dataset &data, const SplitSettings &settings)
{
    m_model->setDataset(data);
    m_fileLabel->setText(data.sourcePath.isEmpty() ? tr("Dataset")
                                                   : QFileInfo(data.sourcePath).fileName());
    m_fileLabel->setToolTip(data.sourcePath);
    m_splitControls->setSettings(settings);
    m_splitControls->setColumns(data.columns);
    m_mappingPanel->setColumns(data.columns);
    applySplit();
    fitColumns();
    m_stack->setCurrentIndex(hasDataset() ? kContentPage : kEmptyPage);
    if (!hasDataset())
        setEmptyMessage(QString());
}

void DatasetEditor::fitColumns()
{
    // Sized from the rows fetched so far (the first page), capped so that one long prompt
    // column cannot push the answers off screen; the last column takes what is left.
    const int cap = std::max(160, m_view->viewport()->width() / 2);
    m_view->setColumnWidth(DatasetTableModel::kSplitColumn,
        m_view->fontMetrics().horizontalAdvance(tr("validation")) + 24);
    for (int c = 1; c < m_model->columnCount(); ++c) {
        m_view->resizeColumnToContents(c);
        m_view->setColumnWidth(c, std::clamp(m_view->columnWidth(c), 80, cap));
    }
}

void DatasetEditor::clear()
{
    m_loadErrors.clear();
    setDataset(Dataset());
}

bool DatasetEditor::hasDataset() const
{
    return !m_model->dataset().columns.isEmpty();
}

const Dataset &DatasetEditor::dataset() const
{
    return m_model->dataset();
}

void DatasetEditor::setEmptyMessage(const QString &message)
{
    m_emptyTitle->setText(tr("No dataset yet"));
    m_emptyText->setText(message.isEmpty() ? tr("Drop a CSV or JSONL file here, or click Import.")
                                           : message);
}

// ---- splits ----------------------------------------------------------------------------------

void DatasetEditor::setSplitSettings(const SplitSettings &settings)
{
    m_splitControls->setSettings(settings);
    scheduleSplit();
}

SplitSettings DatasetEditor::splitSettings() const
{
    return m_splitControls->settings();
}

void DatasetEditor::scheduleSplit()
{
    m_splitTimer->start();
}

void DatasetEditor::applySplit()
{
    m_splitTimer->stop();
    m_split = DatasetSplit::apply(dataset(), splitSettings());
    m_model->setRowSplits(m_split.rowSplits);
    updateStatus();
    updateErrors();
    emit splitChanged();
}

// ---- mapping ---------------------------------------------------------------------------------

void DatasetEditor::setPipelineFields(const QStringList &fields)
{
    m_mappingPanel->setFields(fields);
}

void DatasetEditor::setMappingChoices(const QJsonObject &json)
{
    m_mappingPanel->setManualChoices(json);
}

const FieldMapping &DatasetEditor::mapping() const
{
    return m_mappingPanel->mapping();
}

// ---- status and problems ---------------------------------------------------------------------

void DatasetEditor::updateStatus()
{
    if (!hasDataset()) {
        m_status->clear();
        return;
    }
    const Dataset &data = dataset();
    QString text = tr("%1 rows, %2 columns").arg(number(data.size()), number(int(data.columns.size())));
    text += u"   \u00B7   "_s
        + tr("train %1, validation %2, test %3")
              .arg(number(m_split.count(DataSplit::Train)),
                   number(m_split.count(DataSplit::Validation)),
                   number(m_split.count(DataSplit::Test)));
    const int none = m_split.count(DataSplit::None);
    if (none > 0)
        text += u"   \u00B7   "_s
            + (none == 1 ? tr("1 row in no split") : tr("%1 rows in no split").arg(number(none)));
    m_status->setText(text);
}

void DatasetEditor::updateErrors()
{
    const QStringList all = errors();
    m_errorList->clear();
    const QIcon icon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    // The file is named above the grid; in the list its long path would push the message out
    // of sight, so "path:12: message" reads "Line 12: message" (the tooltip keeps it whole).
    const QString prefix = dataset().sourcePath + u":"_s;
    for (const QString &error : all) {
        QString shown = error;
        const int line = lineOf(error, dataset().sourcePath);
        if (line > 0)
            shown = tr("Line %1: %2").arg(line).arg(error.mid(error.indexOf(u": "_s, prefix.size()) + 2));
        auto *item = new QListWidgetItem(icon, shown, m_errorList);
        item->setToolTip(error);
        item->setData(Qt::UserRole, line);
    }
    // As tall as its problems, up to a few lines: the grid keeps the room.
    if (m_errorList->count() > 0) {
        const int rowHeight = m_errorList->sizeHintForRow(0);
        m_errorList->setFixedHeight(std::min(m_errorList->count(), 5) * rowHeight
                                    + 2 * m_errorList->frameWidth() + 2);
    }
    m_errorList->setVisible(!all.isEmpty());
    m_errorsTitle->setVisible(!all.isEmpty());
    const int skipped = int(m_loadErrors.size());
    if (skipped > 0 && m_split.errors.isEmpty())
        m_errorsTitle->setText(skipped == 1 ? tr("1 row could not be read and was left out:")
                                            : tr("%1 rows could not be read and were left out:")
                                                  .arg(number(skipped)));
    else
        m_errorsTitle->setText(tr("Problems (%1):").arg(number(int(all.size()))));
}

void DatasetEditor::showErrorLine(QListWidgetItem *item)
{
    const int line = item->data(Qt::UserRole).toInt();
    const int row = line > 0 ? m_model->rowForLine(line) : -1;
    if (row < 0)
        return;
    const QModelIndex index = m_model->index(row, 0);
    m_view->scrollTo(index, QAbstractItemView::PositionAtCenter);
    m_view->selectRow(row);
}

// ---- drag and drop ---------------------------------------------------------------------------

QString DatasetEditor::droppedFile(const QMimeData *mime) const
{
    if (!mime || !mime->hasUrls())
        return QString();
    const QList<QUrl> urls = mime->urls();
    for (const QUrl &url : urls)
        if (url.isLocalFile() && isDatasetFile(url.toLocalFile()))
            return url.toLocalFile();
    return QString();
}

void DatasetEditor::dragEnterEvent(QDragEnterEvent *event)
{
    const QString path = droppedFile(event->mimeData());
    if (path.isEmpty()) {
        event->ignore();
        return;
    }
    event->acceptProposedAction();
    if (!hasDataset())
        m_emptyText->setText(tr("Release to import %1").arg(QFileInfo(path).fileName()));
}

void DatasetEditor::dragMoveEvent(QDragMoveEvent *event)
{
    if (droppedFile(event->mimeData()).isEmpty())
        event->ignore();
    else
        event->acceptProposedAction();
}

void DatasetEditor::dragLeaveEvent(QDragLeaveEvent *event)
{
    if (!hasDataset() && !isLoading())
        setEmptyMessage(QString());
    QWidget::dragLeaveEvent(event);
}

void DatasetEditor::dropEvent(QDropEvent *event)
{
    const QString path = droppedFile(event->mimeData());
    if (path.isEmpty()) {
        event->ignore();
        return;
    }
    event->acceptProposedAction();
    loadFile(path);
}
