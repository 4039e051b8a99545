#include "history/RunListModel.h"

#include <QLocale>

using namespace Qt::StringLiterals;

RunListModel::RunListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void RunListModel::setRows(const QVector<RunRow> &rows)
{
    beginResetModel();
    m_rows = rows;
    QSet<QString> alive;
    for (const RunRow &row : rows) {
        if (m_checked.contains(row.id))
            alive.insert(row.id);
    }
    const bool checksChanged = alive != m_checked;
    m_checked = alive;
    endResetModel();
    if (checksChanged)
        emit checkedRunsChanged(checkedRuns());
}

int RunListModel::rowOf(const QString &runId) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).id == runId)
            return i;
    }
    return -1;
}

QStringList RunListModel::checkedRuns() const
{
    QStringList ids;
    for (const RunRow &row : m_rows) {
        if (m_checked.contains(row.id))
            ids << row.id;
    }
    return ids;
}

void RunListModel::setChecked(const QString &runId, bool checked)
{
    const int row = rowOf(runId);
    if (row < 0 || m_checked.contains(runId) == checked)
        return;
    if (checked)
        m_checked.insert(runId);
    else
        m_checked.remove(runId);
    const QModelIndex cell = index(row, Run);
    emit dataChanged(cell, cell, { Qt::CheckStateRole });
    emit checkedRunsChanged(checkedRuns());
}

int RunListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows.size();
}

int RunListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString RunListModel::statusText(const RunRow &row)
{
    if (row.status == RunStatus::Running)
        return QObject::tr("running or cut off");
    if (row.status == u"queued"_s)
        return QObject::tr("queued");
    return row.status;
}

QVariant RunListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunRow &row = m_rows.at(index.row());
    if (role == RunIdRole)
        return row.id;
    if (role == Qt::CheckStateRole && index.column() == Run)
        return m_checked.contains(row.id) ? Qt::Checked : Qt::Unchecked;
    if (role == Qt::TextAlignmentRole && index.column() >= Steps)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        if (!row.error.isEmpty())
            return row.error;
        if (index.column() == Cost && row.unknownCostCalls > 0)
            return row.unknownCostCalls == 1
                ? QObject::tr("1 call with no known price is not in this sum")
                : QObject::tr("%1 calls with no known price are not in this sum").arg(row.unknownCostCalls);
        if (index.column() == Run)
            return row.id;
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Run:
        return QLocale().toString(row.createdAt.toLocalTime(), QLocale::ShortFormat);
    case Pipeline:
        return row.mode == u"optimize"_s ? row.pipelineName
                                         : u"%1 (%2)"_s.arg(row.pipelineName, row.mode);
    case Status:
        return statusText(row);
    case Steps:
        return row.steps;
    case Validation:
        return u"%1 → %2"_s.arg(formatScore(row.initialValScore), formatScore(row.bestValScore));
    case Test:
        return formatScore(row.testScore);
    case Calls:
        return row.cachedCalls > 0 ? u"%1 (+%2 cached)"_s.arg(row.calls).arg(row.cachedCalls)
                                   : QString::number(row.calls);
    case Cost:
        return u"$%1%2"_s.arg(QString::number(row.costUsd, 'f', 4),
            row.unknownCostCalls > 0 ? u"+"_s : QString());
    default:
        return {};
    }
}

bool RunListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::CheckStateRole || index.column() != Run
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    setChecked(m_rows.at(index.row()).id, value.toInt() == Qt::Checked);
    return true;
}

Qt::ItemFlags RunListModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == Run)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant RunListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Run:
        return tr("Started");
    case Pipeline:
        return tr("Pipeline");
    case Status:
        return tr("Status");
    case Steps:
        return tr("Steps");
    case Validation:
        return tr("Validation");
    case Test:
        return tr("Test");
    case Calls:
        return tr("Calls");
    case Cost:
        return tr("Cost");
    default:
        return {};
    }
}
