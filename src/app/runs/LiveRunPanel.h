#pragma once

#include "store/RunRecords.h"
#include "training/RunObserver.h"
#include "training/Trainer.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTimer;
class QTreeWidget;
class RunController;

// The run in progress, live: step i of N, phase, calls / tokens / cost so far, elapsed time,
// the text of the call being made as it streams (which node, what for), the last provider
// error in place, Pause / Resume / Cancel; below, the queued runs and the runs that can be
// resumed (cut off by a crash or a closed window, cancelled, failed).
//
// setController() binds everything to a RunController; the show*() slots can also be fed
// directly (tests, screenshots). With nothing running it says how to start a run.
class LiveRunPanel : public QWidget
{
    Q_OBJECT
public:
    explicit LiveRunPanel(QWidget *parent = nullptr);

    void setController(RunController *controller);

    void showRunStarted(const QString &runId, const QString &pipelineName);
    void showProgress(const RunProgress &progress);
    void showActivity(const NodeActivity &activity);
    void showDelta(const CallDelta &delta);
    void showFinished(const RunOutcome &outcome);
    void showRuns(const QVector<RunInfo> &queued, const QVector<RunInfo> &resumable);
    void showPaused(bool paused);

    // For tests: what the panel shows.
    QString streamText() const;
    QString streamTitle() const;
    QString errorText() const;
    bool isShowingEmptyState() const;

    static constexpr int kMaxStreamChars = 20000;

Q_SIGNALS:
    void resumeRequested(const QString &runId);
    void removeRequested(const QString &runId);
    void pauseRequested();
    void resumeRunRequested();   // the Resume button of a paused run
    void cancelRequested();

private:
    void updateElapsed();
    void updateRunButtons();
    void follow(const NodeActivity &activity);
    static QString callKey(int step, const QString &node, const QString &source, CallPurpose purpose, int sample);
    static QString describeCall(const NodeActivity &activity);

    QPointer<RunController> m_controller;
    QStackedWidget *m_stack;
    QLabel *m_title;
    QLabel *m_stepLabel;
    QProgressBar *m_bar;
    QLabel *m_phase;
    QLabel *m_totals;
    QLabel *m_elapsed;
    QLabel *m_streamTitle;
    QPlainTextEdit *m_stream;
    QLabel *m_error;
    QPushButton *m_pause;
    QPushButton *m_cancel;
    QLabel *m_listTitle;
    QTreeWidget *m_runs;
    QPushButton *m_resumeRun;
    QPushButton *m_removeRun;
    QTimer *m_tick;
    QElapsedTimer m_clock;
    bool m_running = false;
    bool m_paused = false;
    QString m_followKey;
    bool m_followActive = false;
};
