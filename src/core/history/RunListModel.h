#pragma once

#include "history/RunList.h"

#include <QAbstractTableModel>
#include <QSet>

// The runs of a project as a table: run, pipeline, status, steps, validation (start and best),
// test, calls, cost. The first column is checkable: checked runs are the ones overlaid on the
// curves. Rows come in whole from RunList::load (a handful to a few hundred runs).
class RunListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Run, Pipeline, Status, Steps, Validation, Test, Calls, Cost, ColumnCount };
    static constexpr int RunIdRole = Qt::UserRole + 1;

    explicit RunListModel(QObject *parent = nullptr);

    // Replaces the rows; checks survive for runs that are still there.
    void setRows(const QVector<RunRow> &rows);
    const QVector<RunRow> &rows() const { return m_rows; }
    int rowOf(const QString &runId) const;
    QStringList checkedRuns() const;   // in row order
    void setChecked(const QString &runId, bool checked);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString statusText(const RunRow &row);

signals:
    void checkedRunsChanged(const QStringList &runIds);

private:
    QVector<RunRow> m_rows;
    QSet<QString> m_checked;
};
