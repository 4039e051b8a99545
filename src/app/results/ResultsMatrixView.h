#pragma once

#include "history/ResultsMatrix.h"

#include <QFutureWatcher>
#include <QWidget>
#include <optional>

class ResultsCellDrawer;
class ResultsMatrixModel;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QModelIndex;
class QSplitter;
class QStackedWidget;
class QTableView;

// The results matrix of a run: samples down, prompt versions across, each cell coloured pass /
// fail / error against an adjustable threshold; "Failures only" and "Changed only" filters;
// a drawer with the selected cell's rendered prompt, output, evaluation, tokens, latency and
// cost. The split (validation, test, training batches) is chosen in the toolbar.
//
// Reads happen on a worker thread with its own connection to the project file (the GUI never
// waits on a query); a newer request supersedes one in flight.
//
// Wiring in the main window:
//   view->setStorePath(projectPath);               // whenever the project changes
//   view->setRun(runId);                           // from the runs list's selection; "" clears
//   runController -> stepFinished: view->refresh() // while that run is live (cheap: scores only)
//   connect(view, &ResultsMatrixView::stepActivated, history, <select step>);  // optional
class ResultsMatrixView : public QWidget {
    Q_OBJECT

public:
    explicit ResultsMatrixView(QWidget *parent = nullptr);
    ~ResultsMatrixView() override;

    void setStorePath(const QString &path);
    QString storePath() const { return m_storePath; }
    void setRun(const QString &runId);
    QString runId() const { return m_runId; }
    void setSplit(const QString &split); // validation | test | train
    QString split() const;
    // Reloads the matrix (a live run added a step); filters, threshold and selection stay.
    void refresh();

    // Opens the drawer on a cell (by sample and step); false when it is not shown.
    bool openCell(int sampleIndex, int step);
    void closeDrawer();

    bool isLoading() const;
    ResultsMatrixModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    ResultsCellDrawer *drawer() const { return m_drawer; }

signals:
    // The matrix was (re)loaded; ok is false when the store could not be read.
    void loaded(bool ok);
    // The drawer shows a cell's details.
    void detailsShown(const MatrixCellDetails &details);
    // The user double-clicked a version's header: e.g. show that step in the history.
    void stepActivated(const QString &runId, int step);

private:
    QWidget *buildToolbar();
    void load();
    void onLoaded();
    void onDetailsLoaded();
    void onCurrentChanged(const QModelIndex &current);
    void onHeaderDoubleClicked(int section);
    void onThresholdEdited(double value);
    void reopenDrawer();
    void updateState();
    void showMessage(const QString &title, const QString &text);

    QString m_storePath;
    QString m_runId;
    std::optional<double> m_userThreshold; // set by the user for this run
    QPair<int, int> m_openCell { -1, -1 }; // sample, step of the drawer

    ResultsMatrixModel *m_model = nullptr;
    QFutureWatcher<ResultsMatrix> m_loadWatcher;
    QFutureWatcher<MatrixCellDetails> m_detailsWatcher;

    QWidget *m_toolbar = nullptr;
    QComboBox *m_split = nullptr;
    QDoubleSpinBox *m_threshold = nullptr;
    QCheckBox *m_failuresOnly = nullptr;
    QCheckBox *m_changedOnly = nullptr;
    QLabel *m_summary = nullptr;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_messageTitle = nullptr;
    QLabel *m_messageText = nullptr;
    QSplitter *m_splitter = nullptr;
    QTableView *m_table = nullptr;
    ResultsCellDrawer *m_drawer = nullptr;
};
