#pragma once

#include "data/Dataset.h"
#include "data/DatasetSplit.h"

#include <QAbstractTableModel>

// A read-only grid over a Dataset: column 0 is the row's split, the others are the dataset's
// columns in header order; the vertical header shows each row's source line.
//
// Rows are exposed lazily in pages (canFetchMore / fetchMore), so a view over 100,000 rows is
// created at once and only the rows scrolled to are ever asked for. The data is an implicitly
// shared copy, so handing a loaded Dataset in costs nothing.
class DatasetTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role {
        SplitRole = Qt::UserRole + 1,   // int(DataSplit) of the row
        LineRole,                       // the row's source line
        FullTextRole,                   // the cell's text unabridged (display shortens it)
    };
    static constexpr int kSplitColumn = 0;
    static constexpr int kDefaultPageSize = 1000;

    explicit DatasetTableModel(QObject *parent = nullptr);

    void setDataset(const Dataset &data);
    const Dataset &dataset() const { return m_data; }
    // One entry per dataset row; a shorter vector leaves the rest without a split.
    void setRowSplits(const QVector<DataSplit> &splits);
    void clear();
    void setPageSize(int rows);
    int pageSize() const { return m_pageSize; }
    int totalRows() const { return m_data.size(); }
    // Makes rows up to `row` available (for "go to line" and for tests).
    void fetchUpTo(int row);
    // The model row of a source line, or -1; fetches up to it.
    int rowForLine(int line);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

private:
    DataSplit splitOf(int row) const;

    Dataset m_data;
    QVector<DataSplit> m_splits;
    int m_loaded = 0;
    int m_pageSize = kDefaultPageSize;
    bool m_announcing = false;   // from begin to end of a reset or an insert
};
