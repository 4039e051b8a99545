#pragma once

#include "history/HistoryRecords.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QString>
#include <QVector>
#include <atomic>
#include <memory>

class HistoryLoader;

// The steps of one run, newest last, for the critique history's timeline.
//
// Lazy: rows arrive in keyset pages (canFetchMore / fetchMore) read by the HistoryLoader off the
// GUI thread, so opening a run of 1,000 steps reads one page, and scrolling reads the next as
// the view reaches the end. fetchMore returns at once; the page is appended when it arrives
// (pageLoaded). A search filter re-queries from the first page on the Search lane; pages of an
// older filter or run that are still in flight are skipped or dropped.
class StepTimelineModel : public QAbstractListModel {
    Q_OBJECT

public:
    enum Role {
        StepRole = Qt::UserRole + 1, // int
        EpochRole, // int
        TrainScoreRole, // double, NaN when none
        ValScoreRole, // double, NaN when none
        BestValScoreRole, // double, NaN when none
        AcceptedRole, // bool
        GradientCountRole, // int
        ChangedNodesRole, // QStringList
        SummaryRole, // StepSummary
    };
    static constexpr int kDefaultPageSize = 100;

    explicit StepTimelineModel(HistoryLoader *loader, QObject *parent = nullptr);

    // Starts over with the first page of this run (empty: no rows).
    void setRun(const QString &runId);
    QString runId() const { return m_runId; }
    void setSearch(const QString &text); // trimmed; empty shows every step
    QString search() const { return m_search; }
    void setPageSize(int rows);
    // Forgets the rows and reads the first page again (after a run wrote more steps).
    void reload();

    bool isLoading() const { return m_loading; }
    bool atEnd() const { return m_atEnd; }
    StepSummary summaryAt(int row) const;
    int rowOfStep(int step) const; // among the rows loaded; -1 if not there

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    // A page arrived (rows may be 0 when the end was reached exactly); error is empty on success.
    void pageLoaded(int rows, const QString &error);

private:
    void requestPage();
    void onPage(quint64 generation, const QVector<StepSummary> &page, const QString &error);
    QString displayText(const StepSummary &s) const;

    QPointer<HistoryLoader> m_loader;
    QString m_runId;
    QString m_search;
    QVector<StepSummary> m_rows;
    int m_pageSize = kDefaultPageSize;
    bool m_loading = false;
    bool m_atEnd = true;
    // Bumped on every reset; a page is wanted only while its generation is the live one.
    std::shared_ptr<std::atomic<quint64>> m_generation;
};
