#pragma once

#include "history/CurveData.h"
#include "history/RunComparison.h"

#include <QFutureWatcher>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTableView;
class QTextBrowser;
class SampleComparisonModel;
class ScoreCurvesView;

// Two runs side by side: a baseline (A) and a candidate (B). The final prompts of every
// trainable parameter as a word-level diff, both runs' curves overlaid, and every sample of the
// test split (validation when a run has no test) as better / worse / same, with the outputs and
// evaluations of a selected sample.
//
// Reads the project file off the GUI thread (its own RunStore in a pool thread).
//
// Wiring in the main window:
//   view->setStorePath(projectPath);            // when a project is opened
//   view->refresh();                            // after a run finishes (new runs to pick)
//   "Compare with…" on a run in the run list -> view->setRuns(baselineId, candidateId)
class RunCompareView : public QWidget
{
    Q_OBJECT

public:
    explicit RunCompareView(QWidget *parent = nullptr);
    ~RunCompareView() override;

    void setStorePath(const QString &path);
    QString storePath() const { return m_storePath; }
    // Picks the two runs (applied once the run list has loaded if it is loading).
    void setRuns(const QString &baselineRunId, const QString &candidateRunId);
    QString baselineRun() const;
    QString candidateRun() const;

    const RunComparison &comparison() const { return m_comparison; }
    ScoreCurvesView *curvesView() const { return m_curves; }
    SampleComparisonModel *sampleModel() const { return m_model; }
    QString promptDiffHtml() const;
    QString summaryText() const;
    bool isLoading() const;

public slots:
    void refresh();   // reloads the run list, then the comparison
    void swapRuns();

signals:
    void runsListed();
    void compared();
    void loadFailed(const QString &message);

private:
    struct RunList
    {
        QVector<RunInfo> runs;
        QString error;
    };
    struct Loaded
    {
        QString baseline;
        QString candidate;
        RunComparison comparison;
        QVector<CurveData> curves;
        QString error;
    };

    void listFinished();
    void compareFinished();
    void startCompare();
    void showComparison();
    void showSample();
    void showEmpty(const QString &text);
    void fillCombo(QComboBox *box, const QString &select);

    QString m_storePath;
    QString m_wantBaseline;
    QString m_wantCandidate;
    QVector<RunInfo> m_runs;
    RunComparison m_comparison;
    bool m_compareAgain = false;

    QComboBox *m_baselineBox = nullptr;
    QComboBox *m_candidateBox = nullptr;
    QPushButton *m_swapButton = nullptr;
    QLabel *m_summary = nullptr;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_emptyLabel = nullptr;
    QTextBrowser *m_prompts = nullptr;
    ScoreCurvesView *m_curves = nullptr;
    QCheckBox *m_differencesOnly = nullptr;
    QTableView *m_table = nullptr;
    SampleComparisonModel *m_model = nullptr;
    QTextBrowser *m_sampleDetail = nullptr;
    QFutureWatcher<RunList> *m_listWatcher = nullptr;
    QFutureWatcher<Loaded> *m_compareWatcher = nullptr;
};
