#pragma once

#include "history/HistoryRecords.h"

#include <QWidget>

class HistoryLoader;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QStackedWidget;
class QTextBrowser;
class QTimer;
class QToolButton;
class QTreeWidget;
class StepTimelineModel;

// The critique history of one run: on the left the step timeline (lazy, searchable, with
// accept / reject marks and scores); on the right the selected step: its scores and decision,
// each parameter's value before and after as a word diff, the optimizer's raw reply (folded),
// the gradients (target node, source node, sample, mode) and the selected gradient's backward
// conversation as labelled role blocks.
//
// Every store read runs on the HistoryLoader's threads; the GUI thread never waits on a query.
//
// Wiring in the main window:
//   view->setStorePath(projectFile);           // when a project is opened
//   view->setRun(runId);                       // when the user picks a run ("" clears)
//   connect(runController, &...::stepFinished, view, &CritiqueHistoryView::reload);
//   connect(view, &CritiqueHistoryView::stepSelected, ...);  // e.g. highlight the curve point
class CritiqueHistoryView : public QWidget {
    Q_OBJECT

public:
    explicit CritiqueHistoryView(QWidget *parent = nullptr);
    ~CritiqueHistoryView() override;

    void setStorePath(const QString &path);
    void setRun(const QString &runId);
    QString runId() const { return m_runId; }
    // Selects a step once it is loaded (fetching pages up to it).
    void selectStep(int step);
    int selectedStep() const { return m_shownStep; }
    void setSearchText(const QString &text);
    // Reads the run again (new steps written by a run in progress).
    void reload();

    StepTimelineModel *timelineModel() const { return m_model; }

signals:
    void stepSelected(int step);
    // The selected step's details are on screen (for tests and status bars).
    void stepShown(int step);

private:
    void buildUi();
    void onPageLoaded(int rows, const QString &error);
    void onCurrentRowChanged();
    void requestDetails(int step);
    void showDetails(const StepDetails &details);
    void onGradientChanged();
    void requestCounts();
    void applySearch();
    void updateEmptyState();

    HistoryLoader *m_loader = nullptr;
    StepTimelineModel *m_model = nullptr;
    QString m_runId;
    int m_requestedStep = -1;
    int m_shownStep = -1;
    int m_pendingSelect = -1;
    StepDetails m_details;

    QStackedWidget *m_stack = nullptr;
    QLabel *m_empty = nullptr;
    QLineEdit *m_search = nullptr;
    QTimer *m_searchTimer = nullptr;
    QLabel *m_counts = nullptr;
    QLabel *m_status = nullptr;
    QListView *m_timeline = nullptr;
    QLabel *m_header = nullptr;
    QTextBrowser *m_diffs = nullptr;
    QToolButton *m_replyToggle = nullptr;
    QPlainTextEdit *m_reply = nullptr;
    QTreeWidget *m_gradients = nullptr;
    QTextBrowser *m_conversation = nullptr;
};
