#pragma once

#include "graph/Rubric.h"

#include <QAbstractTableModel>
#include <QVector>

// The criteria of a rubric as an editable table (name, description, weight) for the rubric
// editor. Anchors ride along with their criterion: moving a row moves its anchors, and they
// are edited through anchors() / setAnchors() because they are not a column.
class RubricCriteriaModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, DescriptionColumn, WeightColumn, ColumnCount };

    explicit RubricCriteriaModel(QObject *parent = nullptr);

    void setCriteria(const QVector<RubricCriterion> &criteria);
    const QVector<RubricCriterion> &criteria() const { return m_criteria; }

    QMap<int, QString> anchors(int row) const;
    void setAnchors(int row, const QMap<int, QString> &anchors);

    // Appends a criterion with a name not used yet ("Criterion 2"); returns its row.
    int addCriterion();
    // Moves one row up (delta -1) or down (+1); false when it cannot move.
    bool moveCriterion(int row, int delta);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool insertRows(int row, int count, const QModelIndex &parent = QModelIndex()) override;
    bool removeRows(int row, int count, const QModelIndex &parent = QModelIndex()) override;
    bool moveRows(const QModelIndex &sourceParent, int sourceRow, int count,
                  const QModelIndex &destinationParent, int destinationChild) override;

signals:
    // Anything about the criteria changed (cells, rows, anchors): one signal for the editor.
    void criteriaChanged();

private:
    QString unusedName() const;

    QVector<RubricCriterion> m_criteria;
};
