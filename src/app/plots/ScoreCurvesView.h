#pragma once

#include "history/CurveData.h"

#include <QFutureWatcher>
#include <QHash>
#include <QImage>
#include <QStringList>
#include <QWidget>

#include <functional>

class QCPAbstractPlottable;
class QCPGraph;
class QCPItemTracer;
class QComboBox;
class QCustomPlot;
class QLabel;
class QMouseEvent;
class QPushButton;
class QStackedWidget;
class QTimer;

// The score curves of one or more runs (QCustomPlot): training-batch score, validation score
// per step with accepted and rejected steps marked, best-so-far (one run), the test score as a
// marker after the last step. The x axis is the step, the cumulative cost or the cumulative
// tokens. Hover shows a read-out, the wheel zooms, dragging pans, "Reset view" fits.
//
// Reads the project file off the GUI thread (its own RunStore in a pool thread). Redraws are
// coalesced (one per ~50 ms) and skipped while the view is hidden; a hidden view catches up
// when shown.
//
// Wiring in the main window:
//   view->setStorePath(projectPath);                    // when a project is opened
//   view->setRuns({runId});                             // selection in the run list (several = overlay)
//   run controller's stepFinished(runId, StepRecord) -> view->appendStep(runId, step)
//   run controller's finished(runId)                 -> view->refresh()   (brings the test score)
//   view->stepClicked(runId, step)                   -> select that step in the history panel
//   report export: view->renderImage({900, 450}) gives the curves as an image.
class ScoreCurvesView : public QWidget
{
    Q_OBJECT

public:
    // Asks for a file name to save to; calls `done` with the name, or not at all on cancel.
    // The default opens a window-modal QFileDialog (no nested event loop); tests replace it.
    using FileChooser = std::function<void(const QString &title, const QString &suggestedName,
                                           const QString &filter,
                                           std::function<void(const QString &)> done)>;

    explicit ScoreCurvesView(QWidget *parent = nullptr);
    ~ScoreCurvesView() override;

    void setStorePath(const QString &path);
    QString storePath() const { return m_storePath; }
    void setRuns(const QStringList &runIds);
    QStringList runs() const { return m_runIds; }
    void setXAxis(CurveAxis axis);
    CurveAxis xAxis() const { return m_axis; }
    // Shows these curves as they are, without a store (reloads need a store path).
    void setCurves(const QVector<CurveData> &curves);
    const QVector<CurveData> &curves() const { return m_curves; }
    void setFileChooser(FileChooser chooser) { m_chooseFile = std::move(chooser); }

    // A step that has just finished in a running run. Drawn at once (coalesced); its cost and
    // tokens are filled in by the reload this schedules.
    void appendStep(const QString &runId, const StepRecord &step);

    bool savePng(const QString &path, int width = 0, int height = 0);
    bool savePdf(const QString &path, int width = 0, int height = 0);
    QImage renderImage(const QSize &size);

    // For tests and the report: the plot, and the read-out at a point of the plot widget.
    QCustomPlot *plot() const { return m_plot; }
    QString readoutAt(const QPoint &plotPos) const;
    int replotCount() const { return m_replots; }
    bool isLoading() const;
    QString emptyText() const;

public slots:
    void refresh();     // reloads from the store (coalesced; deferred while hidden)
    void resetView();

signals:
    void loaded();                                    // a reload has been applied
    void loadFailed(const QString &message);
    void stepClicked(const QString &runId, int step);

protected:
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    enum class Kind { Train, Validation, Best, Accepted, Rejected, Test };
    struct GraphInfo
    {
        int run = 0;
        Kind kind = Kind::Validation;
        QVector<int> steps;
    };
    struct Hit
    {
        int run = -1;
        int step = -1;
        double key = 0.0;
        double value = 0.0;
    };
    struct LoadResult
    {
        QVector<CurveData> curves;
        QString error;
    };

    void scheduleReplot();
    void scheduleReload();
    void startLoad();
    void loadFinished();
    void rebuild();
    void applyAxis();
    void applyPalette();
    void updateEmptyState();
    void onMouseMove(QMouseEvent *event);
    void onPlottableClick(QCPAbstractPlottable *plottable, int dataIndex, QMouseEvent *event);
    void onAxisChosen(int index);
    void chooseExport();
    QCPGraph *addGraph(int run, Kind kind, const CurveSeries &series);
    QColor runColor(int run) const;
    Hit hitAt(const QPoint &plotPos) const;
    QString describePoint(int run, int step) const;
    QString fileStem() const;

    QString m_storePath;
    QStringList m_runIds;
    QVector<CurveData> m_curves;
    CurveAxis m_axis = CurveAxis::Step;
    QString m_loadError;
    bool m_loadedOnce = false;

    QComboBox *m_axisBox = nullptr;
    QPushButton *m_resetButton = nullptr;
    QPushButton *m_exportButton = nullptr;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_emptyLabel = nullptr;
    QCustomPlot *m_plot = nullptr;
    QCPItemTracer *m_tracer = nullptr;
    QHash<QCPAbstractPlottable *, GraphInfo> m_graphs;

    QTimer *m_replotTimer = nullptr;
    QTimer *m_reloadTimer = nullptr;
    bool m_replotPending = false;
    bool m_reloadPending = false;
    bool m_reloadAgain = false;
    bool m_fitPending = true;
    bool m_userMovedView = false;
    QPoint m_pressPos;
    int m_replots = 0;
    QFutureWatcher<LoadResult> *m_watcher = nullptr;
    FileChooser m_chooseFile;
};
