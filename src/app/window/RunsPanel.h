#pragma once

#include "history/RunList.h"

#include <QFutureWatcher>
#include <QWidget>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;
class RunListModel;

// The project's runs, newest first. Selecting a run shows it in the history, versions and
// results views; checking runs overlays them on the curves. Buttons resume a run that was cut
// off, compare two selected runs and export the selected one. The list is read off the GUI
// thread (RunList::load) whenever the project or a run changes.
class RunsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit RunsPanel(QWidget *parent = nullptr);
    ~RunsPanel() override;

    void setProjectPath(const QString &path);   // empty: no project file yet
    QString projectPath() const { return m_path; }
    RunListModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QString currentRun() const;
    void selectRun(const QString &runId);
    bool isLoading() const { return m_watcher.isRunning(); }

public slots:
    void refresh();

signals:
    void currentRunChanged(const QString &runId);
    void checkedRunsChanged(const QStringList &runIds);
    void resumeRequested(const QString &runId);
    void compareRequested(const QString &first, const QString &second);
    void exportRequested(const QString &runId);
    void loaded();

private:
    void onLoaded();
    void updateButtons();
    QStringList selectedRuns() const;

    QString m_path;
    QString m_pendingSelection;
    bool m_reloadPending = false;
    RunListModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_empty = nullptr;
    QTableView *m_view = nullptr;
    QPushButton *m_resume = nullptr;
    QPushButton *m_compare = nullptr;
    QPushButton *m_export = nullptr;
    QLabel *m_error = nullptr;
    QFutureWatcher<QPair<QVector<RunRow>, QString>> m_watcher;
};
