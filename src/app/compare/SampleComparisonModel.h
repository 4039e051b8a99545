#pragma once

#include "history/RunComparison.h"

#include <QAbstractTableModel>

// The per-sample table of a run comparison: line, input, score in A, score in B, verdict.
// "Differences only" hides the ties. Rows stay in sample order.
class SampleComparisonModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { LineColumn, InputColumn, BaselineColumn, CandidateColumn, VerdictColumn,
                  ColumnCount };
    enum Role { VerdictRole = Qt::UserRole + 1 };

    explicit SampleComparisonModel(QObject *parent = nullptr);

    void setSamples(const QVector<SampleComparison> &samples);
    void setDifferencesOnly(bool on);
    bool differencesOnly() const { return m_differencesOnly; }
    // The sample shown in a row; nullptr for an invalid row.
    const SampleComparison *sampleAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void rebuildRows();

    QVector<SampleComparison> m_samples;
    QVector<int> m_rows;   // indices into m_samples that are shown
    bool m_differencesOnly = false;
};
