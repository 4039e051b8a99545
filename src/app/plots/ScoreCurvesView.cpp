#include "plots/ScoreCurvesView.h"

#include "store/RunStore.h"

#include "plots/CurveText.h"
#include "plots/QCustomPlotHeader.h"
#include "plots/SpendTicker.h"

#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QStackedWidget>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

// The house rule for plots under streaming load: at most one replot per this many ms.
constexpr int kCoalesceMs = 50;
// A point of a curve answers the hover when the pointer is this close (pixels).
constexpr double kHoverRadius = 14.0;

// Line colours of overlaid runs. Green and red are kept for the accept / reject markers.
const QColor kRunColors[] = { QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e),
    QColor(0x94, 0x67, 0xbd), QColor(0x17, 0xbe, 0xcf), QColor(0x8c, 0x56, 0x4b),
    QColor(0xe3, 0x77, 0xc2) };
const QColor kAccepted(0x2c, 0xa0, 0x2c);
const QColor kRejected(0xd6, 0x27, 0x28);

} // namespace

ScoreCurvesView::ScoreCurvesView(QWidget *parent)
    : QWidget(parent)
{
    m_axisBox = new QComboBox(this);
    m_axisBox->addItem(tr("by step"));
    m_axisBox->addItem(tr("by cost"));
    m_axisBox->addItem(tr("by tokens"));
    m_axisBox->setToolTip(tr("What the horizontal axis measures"));
    m_resetButton = new QPushButton(tr("Reset view"), this);
    m_resetButton->setToolTip(tr("Fit every curve (the wheel zooms, dragging pans)"));
    m_exportButton = new QPushButton(tr("Export"), this);
    auto *exportMenu = new QMenu(m_exportButton);
    exportMenu->addAction(tr("PNG image…"), this, [this] {
        m_chooseFile(tr("Export curves as PNG"), fileStem() + u".png"_s, tr("PNG image (*.png)"),
                     [this](const QString &path) { savePng(path); });
    });
    exportMenu->addAction(tr("PDF document…"), this, [this] {
        m_chooseFile(tr("Export curves as PDF"), fileStem() + u".pdf"_s, tr("PDF document (*.pdf)"),
                     [this](const QString &path) { savePdf(path); });
    });
    m_exportButton->setMenu(exportMenu);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(new QLabel(tr("Scores"), this));
    bar->addWidget(m_axisBox);
    bar->addStretch(1);
    bar->addWidget(m_resetButton);
    bar->addWidget(m_exportButton);

    m_plot = new QCustomPlot(this);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setMinimumSize(320, 200);
    m_plot->xAxis->setLabel(CurveData::axisTitle(m_axis));
    m_plot->yAxis->setLabel(tr("Score"));
    m_plot->yAxis->setRange(0.0, 1.05);
    // The legend sits right of the curves so it never hides a point.
    auto *legendCell = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(0, 1, legendCell);
    legendCell->addElement(0, 0, m_plot->legend);
    legendCell->addElement(1, 0, new QCPLayoutElement(m_plot));   // pushes the legend up
    legendCell->setRowStretchFactor(0, 0.01);
    m_plot->plotLayout()->setColumnStretchFactor(1, 0.01);
    m_plot->legend->setVisible(true);
    m_plot->setAutoAddPlottableToLegend(false);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_tracer = new QCPItemTracer(m_plot);
    m_tracer->setStyle(QCPItemTracer::tsCircle);
    m_tracer->setSize(12);
    m_tracer->setVisible(false);

    m_emptyLabel = new QLabel(this);
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setMargin(24);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_emptyLabel);
    m_stack->addWidget(m_plot);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_stack, 1);

    m_replotTimer = new QTimer(this);
    m_replotTimer->setSingleShot(true);
    m_replotTimer->setInterval(kCoalesceMs);
    m_reloadTimer = new QTimer(this);
    m_reloadTimer->setSingleShot(true);
    m_reloadTimer->setInterval(kCoalesceMs);
    m_watcher = new QFutureWatcher<LoadResult>(this);

    m_chooseFile = [this](const QString &title, const QString &suggested, const QString &filter,
                          std::function<void(const QString &)> done) {
        auto *dialog = new QFileDialog(this, title, suggested, filter);
        dialog->setAcceptMode(QFileDialog::AcceptSave);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QFileDialog::fileSelected, this,
                [done = std::move(done)](const QString &path) { done(path); });
        dialog->open();
    };

    connect(m_replotTimer, &QTimer::timeout, this, &ScoreCurvesView::rebuild);
    connect(m_reloadTimer, &QTimer::timeout, this, &ScoreCurvesView::startLoad);
    connect(m_watcher, &QFutureWatcher<LoadResult>::finished, this, &ScoreCurvesView::loadFinished);
    connect(m_axisBox, &QComboBox::currentIndexChanged, this, &ScoreCurvesView::onAxisChosen);
    connect(m_resetButton, &QPushButton::clicked, this, &ScoreCurvesView::resetView);
    connect(m_plot, &QCustomPlot::mouseMove, this, &ScoreCurvesView::onMouseMove);
    connect(m_plot, &QCustomPlot::plottableClick, this, &ScoreCurvesView::onPlottableClick);
    connect(m_plot, &QCustomPlot::mouseWheel, this, [this] { m_userMovedView = true; });
    connect(m_plot, &QCustomPlot::mousePress, this,
            [this](QMouseEvent *event) { m_pressPos = event->pos(); });
    connect(m_plot, &QCustomPlot::mouseRelease, this, [this](QMouseEvent *event) {
        // A drag pans the view; a click only picks a point.
        if ((event->pos() - m_pressPos).manhattanLength() > QApplication::startDragDistance())
            m_userMovedView = true;
    });

    applyPalette();
    updateEmptyState();
}

ScoreCurvesView::~ScoreCurvesView()
{
    // The load reads its own copy of the path and run ids; wait so it does not outlive us.
    m_watcher->waitForFinished();
}

void ScoreCurvesView::setStorePath(const QString &path)
{
    if (path == m_storePath)
        return;
    m_storePath = path;
    m_curves.clear();
    m_loadedOnce = false;
    m_fitPending = true;
    scheduleReplot();
    scheduleReload();
}

void ScoreCurvesView::setRuns(const QStringList &runIds)
{
    if (runIds == m_runIds)
        return;
    m_runIds = runIds;
    // Keep the curves already loaded that stay, so switching the overlay does not flash.
    QVector<CurveData> kept;
    for (const QString &id : runIds) {
        for (const CurveData &c : std::as_const(m_curves)) {
            if (c.runId() == id)
                kept.append(c);
        }
    }
    m_curves = kept;
    m_loadedOnce = false;
    m_fitPending = true;
    scheduleReplot();
    scheduleReload();
}

void ScoreCurvesView::setXAxis(CurveAxis axis)
{
    if (axis == m_axis)
        return;
    m_axis = axis;
    {
        const QSignalBlocker block(m_axisBox);
        m_axisBox->setCurrentIndex(int(axis));
    }
    m_fitPending = true;
    scheduleReplot();
}

void ScoreCurvesView::onAxisChosen(int index)
{
    setXAxis(CurveAxis(index));
}

void ScoreCurvesView::setCurves(const QVector<CurveData> &curves)
{
    m_curves = curves;
    m_runIds.clear();
    for (const CurveData &c : curves)
        m_runIds.append(c.runId());
    m_loadedOnce = true;
    m_fitPending = true;
    scheduleReplot();
}

void ScoreCurvesView::appendStep(const QString &runId, const StepRecord &step)
{
    if (!m_runIds.contains(runId))
        return;
    auto it = std::find_if(m_curves.begin(), m_curves.end(),
                           [&](const CurveData &c) { return c.runId() == runId; });
    if (it == m_curves.end()) {
        RunInfo info;
        info.id = runId;
        m_curves.append(CurveData::build(info, {}, {}, noScore()));
        it = m_curves.end() - 1;
    }
    it->appendStep(step);
    m_loadedOnce = true;
    // A live run stays in view unless the user has zoomed or panned to look at something.
    m_fitPending = m_fitPending || !m_userMovedView;
    scheduleReplot();
    scheduleReload();
}

void ScoreCurvesView::refresh()
{
    scheduleReload();
}

bool ScoreCurvesView::isLoading() const
{
    return m_watcher->isRunning() || m_reloadTimer->isActive() || m_reloadPending;
}

// ---- loading ----------------------------------------------------------------------------------

void ScoreCurvesView::scheduleReload()
{
    if (m_storePath.isEmpty() || m_runIds.isEmpty())
        return;
    if (!isVisible()) {
        m_reloadPending = true;
        return;
    }
    if (!m_reloadTimer->isActive())
        m_reloadTimer->start();
}

void ScoreCurvesView::startLoad()
{
    m_reloadPending = false;
    if (m_watcher->isRunning()) {
        m_reloadAgain = true;
        return;
    }
    const QString path = m_storePath;
    const QStringList runs = m_runIds;
    m_watcher->setFuture(QtConcurrent::run([path, runs] {
        // A pool thread: its own connection, closed before the thread is reused.
        LoadResult result;
        RunStore store;
        if (!store.open(path, &result.error))
            return result;
        for (const QString &id : runs) {
            if (store.runExists(id))
                result.curves.append(CurveData::load(store, id));
        }
        if (!store.lastError().isEmpty())
            result.error = store.lastError();
        return result;
    }));
}

void ScoreCurvesView::loadFinished()
{
    const LoadResult result = m_watcher->result();
    if (m_reloadAgain) {
        m_reloadAgain = false;
        scheduleReload();
    }
    m_loadError = result.error;
    if (!result.error.isEmpty())
        emit loadFailed(result.error);
    // The runs shown may have changed while loading: keep only what is still asked for.
    QVector<CurveData> curves;
    for (const QString &id : std::as_const(m_runIds)) {
        for (const CurveData &c : result.curves) {
            if (c.runId() == id)
                curves.append(c);
        }
    }
    m_curves = curves;
    m_loadedOnce = true;
    scheduleReplot();
    emit loaded();
}

// ---- drawing ----------------------------------------------------------------------------------

void ScoreCurvesView::scheduleReplot()
{
    if (!isVisible()) {
        m_replotPending = true;
        return;
    }
    if (!m_replotTimer->isActive())
        m_replotTimer->start();
}

void ScoreCurvesView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_reloadPending)
        scheduleReload();
    if (m_replotPending)
        scheduleReplot();
}

void ScoreCurvesView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyPalette();
        scheduleReplot();
    }
}

QColor ScoreCurvesView::runColor(int run) const
{
    return kRunColors[run % int(std::size(kRunColors))];
}

QCPGraph *ScoreCurvesView::addGraph(int run, Kind kind, const CurveSeries &series)
{
    QCPGraph *graph = m_plot->addGraph();
    graph->setData(series.x, series.y, /*alreadySorted=*/m_axis == CurveAxis::Step);
    m_graphs.insert(graph, GraphInfo { run, kind, series.steps });
    return graph;
}

void ScoreCurvesView::rebuild()
{
    m_replotPending = false;
    m_plot->clearGraphs();
    m_graphs.clear();
    m_tracer->setGraph(nullptr);
    m_tracer->setVisible(false);
    updateEmptyState();
    applyAxis();

    const bool overlay = m_curves.size() > 1;
    // The legend is filled at the end: runs first, then what the line and marker styles mean.
    QVector<QCPGraph *> runEntries;     // validation lines
    QCPGraph *bestEntry = nullptr;
    QCPGraph *testEntry = nullptr;
    QCPGraph *trainEntry = nullptr;
    QCPGraph *acceptedEntry = nullptr;
    QCPGraph *rejectedEntry = nullptr;
    double maxScore = 1.0;
    for (int run = 0; run < m_curves.size(); ++run) {
        const CurveData &data = m_curves.at(run);
        const QColor color = runColor(run);

        QCPGraph *train = addGraph(run, Kind::Train, data.train(m_axis));
        QColor trainColor = color;
        trainColor.setAlpha(150);
        QPen trainPen(trainColor, 1.5, Qt::DashLine);
        train->setPen(trainPen);
        train->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, trainColor, 5));
        // Overlaid, a run is one legend entry (its validation line); the dashed training
        // style is explained once.
        train->setName(overlay ? tr("training batch (dashed)") : tr("training batch"));
        if (!trainEntry && train->dataCount() > 0)
            trainEntry = train;

        const CurveSeries valSeries = data.validation(m_axis);
        QCPGraph *val = addGraph(run, Kind::Validation, valSeries);
        val->setPen(QPen(color, 2.2));
        val->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, 6));
        if (!overlay)
            val->setName(tr("validation"));
        else if (hasScore(data.testScore()))
            val->setName(tr("%1 · test %2").arg(data.label(), CurveText::score(data.testScore())));
        else
            val->setName(data.label());
        if (val->dataCount() > 0)
            runEntries.append(val);
        for (double y : valSeries.y)
            maxScore = std::max(maxScore, y);

        if (!overlay) {
            QCPGraph *best = addGraph(run, Kind::Best, data.bestSoFar(m_axis));
            QColor bestColor = color;
            bestColor.setAlpha(110);
            best->setPen(QPen(bestColor, 1.2, Qt::DotLine));
            best->setLineStyle(QCPGraph::lsStepLeft);
            best->setName(tr("best so far"));
            if (best->dataCount() > 0)
                bestEntry = best;
        }

        QCPGraph *accepted = addGraph(run, Kind::Accepted, data.acceptedSteps(m_axis));
        accepted->setLineStyle(QCPGraph::lsNone);
        accepted->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, kAccepted, kAccepted, 9));
        accepted->setName(tr("step accepted"));
        if (!acceptedEntry && accepted->dataCount() > 0)
            acceptedEntry = accepted;

        QCPGraph *rejected = addGraph(run, Kind::Rejected, data.rejectedSteps(m_axis));
        rejected->setLineStyle(QCPGraph::lsNone);
        rejected->setScatterStyle(
            QCPScatterStyle(QCPScatterStyle::ssCross, QPen(kRejected, 2.5), Qt::NoBrush, 11));
        rejected->setName(tr("step rejected (reverted)"));
        if (!rejectedEntry && rejected->dataCount() > 0)
            rejectedEntry = rejected;

        if (hasScore(data.testScore())) {
            CurveSeries testPoint;
            testPoint.append(data.testX(m_axis), data.testScore(), data.lastStep());
            QCPGraph *test = addGraph(run, Kind::Test, testPoint);
            test->setLineStyle(QCPGraph::lsNone);
            test->setScatterStyle(
                QCPScatterStyle(QCPScatterStyle::ssStar, QPen(color, 2.2), Qt::NoBrush, 16));
            if (overlay) {
                test->setName(data.label() + tr(": test"));
            } else {
                test->setName(tr("test %1").arg(CurveText::score(data.testScore())));
                testEntry = test;
            }
            maxScore = std::max(maxScore, data.testScore());
        }
    }
    const QVector<QCPGraph *> legendOrder = overlay
        ? runEntries + QVector<QCPGraph *> { trainEntry, acceptedEntry, rejectedEntry }
        : QVector<QCPGraph *> { trainEntry, runEntries.value(0), bestEntry, acceptedEntry,
                                rejectedEntry, testEntry };
    for (QCPGraph *graph : legendOrder) {
        if (graph)
            graph->addToLegend();
    }
    // Scores are 0..1 for metrics; a custom metric beyond that still fits.
    m_plot->yAxis->setRange(-0.03, maxScore + 0.06);
    // Fit once there is something to fit; a fit on an empty plot would stick.
    bool hasPoints = false;
    for (int i = 0; i < m_plot->graphCount() && !hasPoints; ++i)
        hasPoints = m_plot->graph(i)->dataCount() > 0;
    if (m_fitPending && hasPoints) {
        m_fitPending = false;
        resetView();
        return;   // resetView() replots
    }
    m_plot->replot();
    ++m_replots;
}

void ScoreCurvesView::resetView()
{
    m_userMovedView = false;
    double lo = std::numeric_limits<double>::max();
    double hi = std::numeric_limits<double>::lowest();
    for (int i = 0; i < m_plot->graphCount(); ++i) {
        bool found = false;
        const QCPRange range = m_plot->graph(i)->getKeyRange(found);
        if (found) {
            lo = std::min(lo, range.lower);
            hi = std::max(hi, range.upper);
        }
    }
    if (lo > hi) {
        lo = 0.0;
        hi = m_axis == CurveAxis::Step ? 5.0 : 1.0;
    }
    // A margin so the end markers are not cut in half by the frame.
    const double pad = std::max((hi - lo) * 0.04, m_axis == CurveAxis::Step ? 0.3 : 1e-9);
    m_plot->xAxis->setRange(std::min(lo, 0.0) - pad, hi + pad);
    double maxScore = 1.0;
    for (const CurveData &data : std::as_const(m_curves)) {
        for (const CurvePoint &p : data.points()) {
            if (hasScore(p.valScore))
                maxScore = std::max(maxScore, p.valScore);
            if (hasScore(p.trainScore))
                maxScore = std::max(maxScore, p.trainScore);
        }
    }
    m_plot->yAxis->setRange(-0.03, maxScore + 0.06);
    m_plot->replot();
    ++m_replots;
}

void ScoreCurvesView::applyAxis()
{
    m_plot->xAxis->setLabel(CurveData::axisTitle(m_axis));
    if (m_axis == CurveAxis::Step) {
        auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
        ticker->setTickStep(1.0);
        ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
        m_plot->xAxis->setTicker(ticker);
    } else {
        m_plot->xAxis->setTicker(QSharedPointer<SpendTicker>::create(m_axis));
    }
}

void ScoreCurvesView::applyPalette()
{
    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::WindowText);
    QColor grid = text;
    grid.setAlpha(40);
    m_plot->setBackground(pal.brush(QPalette::Base));
    m_plot->legend->setBrush(pal.brush(QPalette::Base));
    m_plot->legend->setTextColor(text);
    for (QCPAxis *axis : { m_plot->xAxis, m_plot->yAxis }) {
        axis->setBasePen(QPen(text));
        axis->setTickPen(QPen(text));
        axis->setSubTickPen(QPen(text));
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
        axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
        QColor zero = text;
        zero.setAlpha(90);
        axis->grid()->setZeroLinePen(QPen(zero, 1));
    }
    m_tracer->setPen(QPen(text, 1.5));
    m_emptyLabel->setForegroundRole(QPalette::PlaceholderText);
}

QString ScoreCurvesView::emptyText() const
{
    if (m_runIds.isEmpty())
        return tr("No run selected.\nPick one run in the run list to see its scores step by step; "
                  "pick several to compare their curves.");
    if (!m_loadError.isEmpty())
        return tr("The curves could not be read: %1").arg(m_loadError);
    if (!m_loadedOnce)
        return tr("Loading the curves…");
    for (const CurveData &c : m_curves) {
        if (!c.isEmpty())
            return {};
    }
    return tr("No step has finished yet.\nThe curves appear here as soon as the first "
              "optimization step is done.");
}

void ScoreCurvesView::updateEmptyState()
{
    const QString text = emptyText();
    m_emptyLabel->setText(text);
    m_stack->setCurrentWidget(text.isEmpty() ? static_cast<QWidget *>(m_plot) : m_emptyLabel);
    m_resetButton->setEnabled(text.isEmpty());
    m_exportButton->setEnabled(text.isEmpty());
}

// ---- read-out ---------------------------------------------------------------------------------

QString ScoreCurvesView::describePoint(int run, int step) const
{
    return CurveText::describePoint(m_curves.at(run), step, /*withLabel=*/m_curves.size() > 1);
}

ScoreCurvesView::Hit ScoreCurvesView::hitAt(const QPoint &plotPos) const
{
    Hit hit;
    double bestDistance = kHoverRadius;
    for (auto it = m_graphs.constBegin(); it != m_graphs.constEnd(); ++it) {
        auto *graph = qobject_cast<QCPGraph *>(it.key());
        if (!graph || it.value().kind == Kind::Best)
            continue;
        int index = 0;
        for (auto d = graph->data()->constBegin(); d != graph->data()->constEnd(); ++d, ++index) {
            const QPointF pixel = graph->coordsToPixels(d->key, d->value);
            const double distance = std::hypot(pixel.x() - plotPos.x(), pixel.y() - plotPos.y());
            if (distance < bestDistance) {
                bestDistance = distance;
                hit.run = it.value().run;
                hit.step = it.value().steps.value(index, -1);
                hit.key = d->key;
                hit.value = d->value;
            }
        }
    }
    return hit;
}

QString ScoreCurvesView::readoutAt(const QPoint &plotPos) const
{
    const Hit hit = hitAt(plotPos);
    return hit.run < 0 ? QString() : describePoint(hit.run, hit.step);
}

void ScoreCurvesView::onMouseMove(QMouseEvent *event)
{
    const Hit hit = hitAt(event->pos());
    if (hit.run < 0) {
        if (m_tracer->visible()) {
            m_tracer->setVisible(false);
            m_plot->replot(QCustomPlot::rpQueuedReplot);
        }
        QToolTip::hideText();
        return;
    }
    QToolTip::showText(event->globalPosition().toPoint(), describePoint(hit.run, hit.step), m_plot);
    m_tracer->position->setCoords(hit.key, hit.value);
    m_tracer->setVisible(true);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ScoreCurvesView::onPlottableClick(QCPAbstractPlottable *plottable, int dataIndex, QMouseEvent *)
{
    const auto it = m_graphs.constFind(plottable);
    if (it == m_graphs.constEnd())
        return;
    const int step = it.value().steps.value(dataIndex, -1);
    if (step > 0)
        emit stepClicked(m_curves.at(it.value().run).runId(), step);
}

// ---- export -----------------------------------------------------------------------------------

QString ScoreCurvesView::fileStem() const
{
    return m_runIds.size() == 1 ? u"curves-"_s + m_runIds.constFirst() : u"curves"_s;
}

bool ScoreCurvesView::savePng(const QString &path, int width, int height)
{
    if (m_replotPending || m_replotTimer->isActive()) {
        m_replotTimer->stop();
        rebuild();
    }
    return m_plot->savePng(path, width, height);
}

bool ScoreCurvesView::savePdf(const QString &path, int width, int height)
{
    if (m_replotPending || m_replotTimer->isActive()) {
        m_replotTimer->stop();
        rebuild();
    }
    return m_plot->savePdf(path, width, height, QCP::epAllowCosmetic, u"TextGrad Workbench"_s,
                           tr("Score curves"));
}

QImage ScoreCurvesView::renderImage(const QSize &size)
{
    if (m_replotPending || m_replotTimer->isActive()) {
        m_replotTimer->stop();
        rebuild();
    }
    return m_plot->toPixmap(size.width(), size.height()).toImage();
}
