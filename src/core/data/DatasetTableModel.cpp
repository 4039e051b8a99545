#include "data/DatasetTableModel.h"

#include <QScopedValueRollback>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// Cells are one line high in the grid; a long answer or a multi-line prompt is shortened for
// display only (the tooltip and FullTextRole keep it whole). Painting a 20,000-character cell
// on every scroll step is what makes grids stutter.
constexpr int kDisplayChars = 300;
constexpr int kTooltipChars = 2000;

QString oneLine(const QString &text)
{
    QString shown = text.left(kDisplayChars);
    // U+21B5 (downwards arrow with corner leftwards) stands in for a line break.
    const QChar arrow(0x21B5);
    shown.replace(u"\r\n"_s, QString(arrow));
    shown.replace(u'\n', arrow);
    shown.replace(u'\r', arrow);
    if (text.size() > kDisplayChars)
        shown += QChar(0x2026);
    return shown;
}

} // namespace

DatasetTableModel::DatasetTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void DatasetTableModel::setDataset(const Dataset &data)
{
    const QScopedValueRollback guard(m_announcing, true);
    beginResetModel();
    m_data = data;
    m_splits.clear();
    m_loaded = std::min(m_pageSize, m_data.size());
    endResetModel();
}

void DatasetTableModel::clear()
{
    setDataset(Dataset());
}

void DatasetTableModel::setRowSplits(const QVector<DataSplit> &splits)
{
    m_splits = splits;
    if (m_loaded > 0)
        emit dataChanged(index(0, kSplitColumn), index(m_loaded - 1, kSplitColumn));
    // SplitRole is on every cell (views colour whole rows by it).
    if (m_loaded > 0 && columnCount() > 1)
        emit dataChanged(index(0, 1), index(m_loaded - 1, columnCount() - 1), { SplitRole });
}

void DatasetTableModel::setPageSize(int rows)
{
    m_pageSize = std::max(1, rows);
}

void DatasetTableModel::fetchUpTo(int row)
{
    const int target = std::min(row + 1, m_data.size());
    // A fetch asked for by a slot of our own reset or insert signal would insert rows while
    // other receivers of that signal have not seen the first change yet (Qt 6.4's
    // QAbstractItemModelTester does exactly that). Such a nested fetch is dropped; views ask
    // again when they next lay out or scroll.
    if (target <= m_loaded || m_announcing)
        return;
    const QScopedValueRollback guard(m_announcing, true);
    beginInsertRows(QModelIndex(), m_loaded, target - 1);
    m_loaded = target;
    endInsertRows();
}

int DatasetTableModel::rowForLine(int line)
{
    // Rows are in file order, so the lines increase: a binary search finds it.
    const auto &rows = m_data.rows;
    const auto it = std::lower_bound(rows.cbegin(), rows.cend(), line,
        [](const DataRow &r, int l) { return r.line < l; });
    if (it == rows.cend() || it->line != line)
        return -1;
    const int row = int(it - rows.cbegin());
    fetchUpTo(row);
    return row < m_loaded ? row : -1;
}

DataSplit DatasetTableModel::splitOf(int row) const
{
    return row < m_splits.size() ? m_splits.at(row) : DataSplit::None;
}

int DatasetTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_loaded;
}

int DatasetTableModel::columnCount(const QModelIndex &parent) const
{
    if (parent.isValid() || m_data.columns.isEmpty())
        return 0;
    return int(m_data.columns.size()) + 1;
}

QVariant DatasetTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DataRow &row = m_data.rows.at(index.row());
    switch (role) {
    case SplitRole:
        return int(splitOf(index.row()));
    case LineRole:
        return row.line;
    default:
        break;
    }
    if (index.column() == kSplitColumn) {
        if (role == Qt::DisplayRole || role == FullTextRole)
            return DatasetSplit::splitName(splitOf(index.row()));
        if (role == Qt::ToolTipRole)
            return splitOf(index.row()) == DataSplit::None
                ? tr("Line %1 is in no split").arg(row.line)
                : tr("Line %1 is in the %2 split")
                      .arg(row.line)
                      .arg(DatasetSplit::splitName(splitOf(index.row())));
        return {};
    }
    const QString &column = m_data.columns.at(index.column() - 1);
    const auto field = row.fields.constFind(column);
    switch (role) {
    case Qt::DisplayRole:
        return field == row.fields.cend() ? QString() : oneLine(*field);
    case FullTextRole:
        return field == row.fields.cend() ? QString() : *field;
    case Qt::ToolTipRole: {
        // JSONL rows may lack a key; say so rather than show an empty string as if it were data.
        if (field == row.fields.cend())
            return tr("Line %1: no \"%2\" in this row").arg(row.line).arg(column);
        QString text = field->left(kTooltipChars);
        if (field->size() > kTooltipChars)
            text += QChar(0x2026);
        return tr("Line %1, %2:\n%3").arg(row.line).arg(column, text);
    }
    default:
        return {};
    }
}

QVariant DatasetTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal) {
        if (section < 0 || section >= columnCount())
            return {};
        if (role == Qt::DisplayRole)
            return section == kSplitColumn ? tr("Split") : m_data.columns.at(section - 1);
        if (role == Qt::ToolTipRole && section == kSplitColumn)
            return tr("Train, validation or test, from the split settings");
        return {};
    }
    if (section < 0 || section >= m_loaded)
        return {};
    if (role == Qt::DisplayRole)
        return m_data.rows.at(section).line;
    if (role == Qt::ToolTipRole)
        return tr("Line %1 of %2").arg(m_data.rows.at(section).line).arg(m_data.sourcePath);
    return {};
}

Qt::ItemFlags DatasetTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    // Read-only for now: edits would have to be written back to the file or the project.
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

bool DatasetTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_loaded < m_data.size();
}

void DatasetTableModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid())
        return;
    fetchUpTo(std::min(m_loaded + m_pageSize, m_data.size()) - 1);
}
