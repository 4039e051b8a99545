#include "datasets/DatasetEditor.h"

#include "data/DatasetTableModel.h"

#include <QApplication>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <climits>

using namespace Qt::StringLiterals;

namespace {

constexpr int kEmptyPage = 0;
constexpr int kContentPage = 1;
// Spin boxes fire on every step while a button is held; one split per pause is enough and
// keeps a 100,000-row dataset responsive.
constexpr int kSplitDelayMs = 40;

// An amber readable on the current palette: the palette has no warning role, so derive one
// from whether the window is dark.
QColor warningColor(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128 ? QColor(0xF0, 0xB4, 0x4C)
                                                             : QColor(0xA8, 0x5A, 0x00);
}

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

QSpinBox *percentBox(int value, const QString &tip)
{
    auto *box = new QSpinBox;
    box->setRange(0, 100);
    box->setSuffix(u" %"_s);
    box->setValue(value);
    box->setToolTip(tip);
    box->setAccelerated(true);
    return box;
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
    rebuildMappingPanel();
    updateSplitControls();
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

    m_splitMode = new QComboBox;
    m_splitMode->addItem(tr("Split by ratios"));
    m_splitMode->addItem(tr("Split by column"));
    m_splitMode->setObjectName(u"splitMode"_s);
    m_splitMode->setToolTip(tr("How rows are divided into train, validation and test"));
    connect(m_splitMode, &QComboBox::currentIndexChanged, this, &DatasetEditor::updateSplitControls);
    connect(m_splitMode, &QComboBox::currentIndexChanged, this, &DatasetEditor::scheduleSplit);

    m_ratioControls = new QWidget;
    auto *ratios = new QHBoxLayout(m_ratioControls);
    ratios->setContentsMargins(0, 0, 0, 0);
    m_train = percentBox(60, tr("Share of rows the optimizer learns from"));
    m_validation = percentBox(20, tr("Share of rows that decide whether a new prompt is kept"));
    m_test = percentBox(20, tr("Share of rows held back for the final score"));
    m_seed = new QSpinBox;
    m_seed->setObjectName(u"seed"_s);
    m_train->setObjectName(u"trainPercent"_s);
    m_validation->setObjectName(u"validationPercent"_s);
    m_test->setObjectName(u"testPercent"_s);
    m_seed->setRange(0, INT_MAX);
    m_seed->setToolTip(tr("The same seed always gives the same split"));
    for (QSpinBox *box : { m_train, m_validation, m_test, m_seed })
        connect(box, &QSpinBox::valueChanged, this, &DatasetEditor::scheduleSplit);
    for (QSpinBox *box : { m_train, m_validation, m_test })
        connect(box, &QSpinBox::valueChanged, this, &DatasetEditor::updateSplitControls);
    ratios->addWidget(new QLabel(tr("Train")));
    ratios->addWidget(m_train);
    ratios->addSpacing(6);
    ratios->addWidget(new QLabel(tr("Validation")));
    ratios->addWidget(m_validation);
    ratios->addSpacing(6);
    ratios->addWidget(new QLabel(tr("Test")));
    ratios->addWidget(m_test);
    m_ratioSum = new QLabel;
    m_ratioSum->setObjectName(u"ratioSum"_s);
    ratios->addWidget(m_ratioSum);
    ratios->addSpacing(12);
    ratios->addWidget(new QLabel(tr("Seed")));
    ratios->addWidget(m_seed);

    m_columnControls = new QWidget;
    auto *byColumn = new QHBoxLayout(m_columnControls);
    byColumn->setContentsMargins(0, 0, 0, 0);
    m_splitColumn = new QComboBox;
    m_splitColumn->setObjectName(u"splitColumn"_s);
    m_splitColumn->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_splitColumn->setToolTip(tr("Values: train, validation (val, dev) or test; any case"));
    connect(m_splitColumn, &QComboBox::currentIndexChanged, this, &DatasetEditor::scheduleSplit);
    byColumn->addWidget(new QLabel(tr("Column")));
    byColumn->addWidget(m_splitColumn);

    auto *import = new QPushButton(tr("Import..."));
    import->setToolTip(tr("Replace this dataset with another CSV, JSONL or JSON file"));
    connect(import, &QPushButton::clicked, this, &DatasetEditor::import);

    row->addWidget(m_splitMode);
    row->addSpacing(6);
    row->addWidget(m_ratioControls);
    row->addWidget(m_columnControls);
    row->addStretch();
    row->addWidget(import);
    return bar;
}

QWidget *DatasetEditor::buildMappingPanel()
{
    auto *box = new QGroupBox(tr("Pipeline inputs"));
    auto *layout = new QVBoxLayout(box);
    m_mappingBox = new QWidget;
    m_mappingForm = new QFormLayout(m_mappingBox);
    m_mappingForm->setContentsMargins(0, 0, 0, 0);
    m_mappingForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_mappingSummary = new QLabel;
    m_mappingSummary->setWordWrap(true);
    layout->addWidget(m_mappingBox);
    layout->addWidget(m_mappingSummary);
    layout->addStretch();
    box->setMinimumWidth(200);
    return box;
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
    splitter->addWidget(buildMappingPanel());
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
    {
        const QSignalBlocker block(m_splitColumn);
        m_splitColumn->clear();
        m_splitColumn->addItems(data.columns);
    }
    m_mapping.rematch(data.columns);
    setSplitSettings(settings);
    // A dataset that names its splits most likely wants to be split that way: its column is
    // preselected, though the mode stays as the user left it.
    if (settings.column.isEmpty() && settings.mode == SplitSettings::Mode::Ratios) {
        for (const QString &c : data.columns) {
            if (c.compare(u"split"_s, Qt::CaseInsensitive) == 0) {
                const QSignalBlocker block(m_splitColumn);
                m_splitColumn->setCurrentText(c);
            }
        }
    }
    rebuildMappingPanel();
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
    const QSignalBlocker b1(m_splitMode), b2(m_train), b3(m_validation), b4(m_test), b5(m_seed),
        b6(m_splitColumn);
    m_splitMode->setCurrentIndex(settings.mode == SplitSettings::Mode::Column ? 1 : 0);
    m_train->setValue(qRound(settings.ratios.train * 100));
    m_validation->setValue(qRound(settings.ratios.validation * 100));
    m_test->setValue(qRound(settings.ratios.test * 100));
    // The spin box stops at INT_MAX; larger stored seeds are shown clamped.
    m_seed->setValue(int(std::min<quint64>(settings.seed, INT_MAX)));
    if (!settings.column.isEmpty())
        m_splitColumn->setCurrentText(settings.column);
    updateSplitControls();
    scheduleSplit();
}

SplitSettings DatasetEditor::splitSettings() const
{
    SplitSettings s;
    s.mode = m_splitMode->currentIndex() == 1 ? SplitSettings::Mode::Column
                                              : SplitSettings::Mode::Ratios;
    s.ratios = { m_train->value() / 100.0, m_validation->value() / 100.0, m_test->value() / 100.0 };
    s.seed = quint64(m_seed->value());
    s.column = m_splitColumn->currentText();
    return s;
}

void DatasetEditor::updateSplitControls()
{
    const bool byColumn = m_splitMode->currentIndex() == 1;
    m_ratioControls->setVisible(!byColumn);
    m_columnControls->setVisible(byColumn);
    // Shares that do not add up to 100 % are scaled (DatasetSplit normalises); say so, since
    // "60 / 20 / 10" silently meaning 67 / 22 / 11 would surprise.
    const int sum = m_train->value() + m_validation->value() + m_test->value();
    m_ratioSum->setVisible(sum != 100);
    QPalette p = m_ratioSum->palette();
    p.setColor(QPalette::WindowText, warningColor(palette()));
    m_ratioSum->setPalette(p);
    m_ratioSum->setText(sum == 0 ? tr("all zero: nothing to split")
                                 : tr("sum %1 %, scaled to 100 %").arg(sum));
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
    m_pipelineFields = fields;
    m_mapping = FieldMapping::fromJson(m_mapping.toJson(), fields, dataset().columns);
    rebuildMappingPanel();
    emit mappingChanged();
}

void DatasetEditor::rebuildMappingPanel()
{
    while (m_mappingForm->rowCount() > 0)
        m_mappingForm->removeRow(0);
    if (m_pipelineFields.isEmpty()) {
        m_mappingSummary->setText(
            tr("No pipeline inputs yet. Open a pipeline to choose which column feeds each input."));
        m_mappingSummary->setForegroundRole(QPalette::PlaceholderText);
        return;
    }
    for (const QString &field : std::as_const(m_pipelineFields)) {
        auto *combo = new QComboBox;
        combo->addItem(tr("(no column)"), QString());
        for (const QString &c : dataset().columns)
            combo->addItem(c, c);
        combo->setCurrentIndex(std::max(0, combo->findData(m_mapping.column(field))));
        combo->setToolTip(tr("The dataset column that fills {%1} in the pipeline").arg(field));
        connect(combo, &QComboBox::activated, this, [this, combo, field] {
            m_mapping.setColumn(field, combo->currentData().toString());
            updateMappingWarnings();
            emit mappingChanged();
        });
        auto *label = new QLabel(field);
        label->setObjectName(u"mappingLabel"_s);
        label->setProperty("field", field);
        m_mappingForm->addRow(label, combo);
    }
    updateMappingWarnings();
}

void DatasetEditor::updateMappingWarnings()
{
    const QStringList unmapped = m_mapping.unmappedFields();
    const QColor warning = warningColor(palette());
    for (int r = 0; r < m_mappingForm->rowCount(); ++r) {
        QLayoutItem *item = m_mappingForm->itemAt(r, QFormLayout::LabelRole);
        auto *label = item ? qobject_cast<QLabel *>(item->widget()) : nullptr;
        if (!label)
            continue;
        const bool missing = unmapped.contains(label->property("field").toString());
        QPalette p = label->palette();
        p.setColor(QPalette::WindowText, missing ? warning : palette().color(QPalette::WindowText));
        label->setPalette(p);
        label->setToolTip(missing ? tr("No column feeds this input") : QString());
    }
    QPalette p = m_mappingSummary->palette();
    if (unmapped.isEmpty()) {
        m_mappingSummary->setForegroundRole(QPalette::PlaceholderText);
        m_mappingSummary->setText(tr("Every input has a column."));
    } else {
        m_mappingSummary->setForegroundRole(QPalette::WindowText);
        p.setColor(QPalette::WindowText, warning);
        m_mappingSummary->setPalette(p);
        m_mappingSummary->setText((unmapped.size() == 1 ? tr("No column feeds this input: %1")
                                                        : tr("No column feeds these inputs: %1"))
                                      .arg(unmapped.join(u", "_s)));
    }
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
