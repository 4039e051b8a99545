#pragma once

#include "history/ResultsMatrix.h"

#include <QAbstractTableModel>

// A ResultsMatrix as a table: one row per sample, one column per prompt version, with the
// "failures only" and "changed only" filters and an adjustable pass threshold.
//
// Cells carry their outcome (OutcomeRole) rather than a colour: the core has no QtGui, and the
// view picks colours that suit its palette. Display is the score; the tooltip says it in words.
class ResultsMatrixModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Role {
        OutcomeRole = Qt::UserRole + 1, // int(CellOutcome); headers: none
        ScoreRole, // double, NaN when missing
        StepRole, // the column's step (cells and horizontal header)
        SampleIndexRole, // the row's sample index (cells and vertical header)
        AcceptedRole, // horizontal header: the step was kept
        MeanScoreRole // horizontal header: mean over the column
    };

    explicit ResultsMatrixModel(QObject *parent = nullptr);

    void setMatrix(const ResultsMatrix &matrix); // resets the threshold to its default
    const ResultsMatrix &matrix() const { return m_matrix; }
    void clear();

    void setThreshold(double threshold);
    double threshold() const { return m_threshold; }
    void setFailuresOnly(bool on);
    bool failuresOnly() const { return m_failuresOnly; }
    void setChangedOnly(bool on);
    bool changedOnly() const { return m_changedOnly; }

    // The matrix row shown at a table row, or -1.
    int matrixRow(int tableRow) const;
    // The table row showing a sample, or -1 when filtered out or absent.
    int tableRowOfSample(int sampleIndex) const;
    // Rows shown / rows in the matrix.
    int visibleRowCount() const { return int(m_visible.size()); }
    int totalRowCount() const { return m_matrix.rowCount(); }
    // How many samples of a column pass, out of those evaluated there.
    QPair<int, int> passCount(int column) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

signals:
    // The rows shown changed (filter, threshold or a new matrix).
    void filterChanged();

private:
    QVector<int> visibleRows() const;
    void refilter();

    ResultsMatrix m_matrix;
    double m_threshold = 1.0;
    bool m_failuresOnly = false;
    bool m_changedOnly = false;
    QVector<int> m_visible; // matrix rows shown, in order
};
