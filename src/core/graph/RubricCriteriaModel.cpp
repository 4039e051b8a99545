#include "graph/RubricCriteriaModel.h"

#include <algorithm>

using namespace Qt::StringLiterals;

RubricCriteriaModel::RubricCriteriaModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void RubricCriteriaModel::setCriteria(const QVector<RubricCriterion> &criteria)
{
    beginResetModel();
    m_criteria = criteria;
    endResetModel();
    emit criteriaChanged();
}

QMap<int, QString> RubricCriteriaModel::anchors(int row) const
{
    return row >= 0 && row < m_criteria.size() ? m_criteria.at(row).anchors : QMap<int, QString>();
}

void RubricCriteriaModel::setAnchors(int row, const QMap<int, QString> &anchors)
{
    if (row < 0 || row >= m_criteria.size() || m_criteria.at(row).anchors == anchors)
        return;
    m_criteria[row].anchors = anchors;
    emit criteriaChanged();
}

int RubricCriteriaModel::addCriterion()
{
    const int row = int(m_criteria.size());
    insertRows(row, 1);
    return row;
}

bool RubricCriteriaModel::moveCriterion(int row, int delta)
{
    const int target = row + delta;
    if (row < 0 || row >= m_criteria.size() || target < 0 || target >= m_criteria.size() || delta == 0)
        return false;
    // moveRows names the row *before which* the moved row lands.
    return moveRows(QModelIndex(), row, 1, QModelIndex(), delta > 0 ? target + 1 : target);
}

int RubricCriteriaModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_criteria.size());
}

int RubricCriteriaModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RubricCriteriaModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RubricCriterion &c = m_criteria.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (index.column()) {
        case NameColumn: return c.name;
        case DescriptionColumn: return c.description;
        case WeightColumn: return c.weight;
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole && index.column() == DescriptionColumn)
        return c.description;
    if (role == Qt::TextAlignmentRole && index.column() == WeightColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

bool RubricCriteriaModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    RubricCriterion &c = m_criteria[index.row()];
    switch (index.column()) {
    case NameColumn: {
        // The judge's scores are matched by name, so an empty name could never be scored.
        const QString name = value.toString().trimmed();
        if (name.isEmpty() || name == c.name)
            return false;
        c.name = name;
        break;
    }
    case DescriptionColumn:
        if (value.toString() == c.description)
            return false;
        c.description = value.toString();
        break;
    case WeightColumn: {
        bool ok = false;
        const double weight = value.toDouble(&ok);
        if (!ok || weight < 0.0 || weight == c.weight)
            return false;
        c.weight = weight;
        break;
    }
    default:
        return false;
    }
    emit dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole});
    emit criteriaChanged();
    return true;
}

QVariant RubricCriteriaModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn: return u"Criterion"_s;
    case DescriptionColumn: return u"What the judge looks for"_s;
    case WeightColumn: return u"Weight"_s;
    default: return {};
    }
}

Qt::ItemFlags RubricCriteriaModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return QAbstractTableModel::flags(index) | Qt::ItemIsEditable;
}

bool RubricCriteriaModel::insertRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || row > m_criteria.size() || count <= 0)
        return false;
    beginInsertRows(QModelIndex(), row, row + count - 1);
    for (int i = 0; i < count; ++i) {
        RubricCriterion c;
        c.name = unusedName();
        m_criteria.insert(row + i, c);
    }
    endInsertRows();
    emit criteriaChanged();
    return true;
}

bool RubricCriteriaModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_criteria.size())
        return false;
    beginRemoveRows(QModelIndex(), row, row + count - 1);
    m_criteria.remove(row, count);
    endRemoveRows();
    emit criteriaChanged();
    return true;
}

bool RubricCriteriaModel::moveRows(const QModelIndex &sourceParent, int sourceRow, int count,
                                   const QModelIndex &destinationParent, int destinationChild)
{
    if (sourceParent.isValid() || destinationParent.isValid() || count <= 0 || sourceRow < 0
        || sourceRow + count > m_criteria.size() || destinationChild < 0
        || destinationChild > m_criteria.size())
        return false;
    if (!beginMoveRows(QModelIndex(), sourceRow, sourceRow + count - 1, QModelIndex(), destinationChild))
        return false;
    const QVector<RubricCriterion> moved = m_criteria.mid(sourceRow, count);
    m_criteria.remove(sourceRow, count);
    const int insertAt = destinationChild > sourceRow ? destinationChild - count : destinationChild;
    for (int i = 0; i < count; ++i)
        m_criteria.insert(insertAt + i, moved.at(i));
    endMoveRows();
    emit criteriaChanged();
    return true;
}

QString RubricCriteriaModel::unusedName() const
{
    for (int n = int(m_criteria.size()) + 1;; ++n) {
        const QString name = u"Criterion "_s + QString::number(n);
        const bool used = std::any_of(m_criteria.cbegin(), m_criteria.cend(),
                                      [&name](const RubricCriterion &c) { return c.name == name; });
        if (!used)
            return name;
    }
}
