#include "history/ResultsMatrixModel.h"

using namespace Qt::StringLiterals;

namespace {

QString scoreText(double score)
{
    return hasScore(score) ? QString::number(score, 'g', 3) : u"–"_s;
}

QString outcomeWord(CellOutcome outcome)
{
    switch (outcome) {
    case CellOutcome::Pass:
        return u"pass"_s;
    case CellOutcome::Fail:
        return u"fail"_s;
    case CellOutcome::Error:
        return u"provider error"_s;
    case CellOutcome::Missing:
        break;
    }
    return u"not evaluated"_s;
}

} // namespace

ResultsMatrixModel::ResultsMatrixModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ResultsMatrixModel::setMatrix(const ResultsMatrix &matrix)
{
    beginResetModel();
    m_matrix = matrix;
    m_threshold = matrix.defaultThreshold();
    m_visible = visibleRows();
    endResetModel();
    emit filterChanged();
}

void ResultsMatrixModel::clear()
{
    setMatrix(ResultsMatrix());
}

void ResultsMatrixModel::setThreshold(double threshold)
{
    if (qFuzzyCompare(threshold, m_threshold))
        return;
    m_threshold = threshold;
    if (m_failuresOnly || m_changedOnly) {
        refilter();
    } else if (rowCount() > 0 && columnCount() > 0) {
        emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
        emit filterChanged();
    }
}

void ResultsMatrixModel::setFailuresOnly(bool on)
{
    if (on == m_failuresOnly)
        return;
    m_failuresOnly = on;
    refilter();
}

void ResultsMatrixModel::setChangedOnly(bool on)
{
    if (on == m_changedOnly)
        return;
    m_changedOnly = on;
    refilter();
}

void ResultsMatrixModel::refilter()
{
    // A reset rather than row inserts and removals: a filter change can touch every row, and
    // the view keeps nothing per row worth preserving.
    beginResetModel();
    m_visible = visibleRows();
    endResetModel();
    emit filterChanged();
}

QVector<int> ResultsMatrixModel::visibleRows() const
{
    QVector<int> rows;
    rows.reserve(m_matrix.rowCount());
    if (m_matrix.columnCount() == 0)
        return rows;
    for (int r = 0; r < m_matrix.rowCount(); ++r) {
        if (m_failuresOnly && !m_matrix.rowHasFailure(r, m_threshold))
            continue;
        if (m_changedOnly && !m_matrix.rowChanged(r, m_threshold))
            continue;
        rows.append(r);
    }
    return rows;
}

int ResultsMatrixModel::matrixRow(int tableRow) const
{
    return tableRow >= 0 && tableRow < m_visible.size() ? m_visible.at(tableRow) : -1;
}

int ResultsMatrixModel::tableRowOfSample(int sampleIndex) const
{
    for (int i = 0; i < m_visible.size(); ++i) {
        if (m_matrix.row(m_visible.at(i)).sampleIndex == sampleIndex)
            return i;
    }
    return -1;
}

QPair<int, int> ResultsMatrixModel::passCount(int column) const
{
    int passed = 0;
    int evaluated = 0;
    if (column < 0 || column >= m_matrix.columnCount())
        return { 0, 0 };
    for (int r = 0; r < m_matrix.rowCount(); ++r) {
        const CellOutcome o = m_matrix.outcome(r, column, m_threshold);
        if (o == CellOutcome::Missing)
            continue;
        ++evaluated;
        passed += o == CellOutcome::Pass ? 1 : 0;
    }
    return { passed, evaluated };
}

int ResultsMatrixModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_visible.size());
}

int ResultsMatrixModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || m_visible.isEmpty() ? 0 : m_matrix.columnCount();
}

QVariant ResultsMatrixModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int r = m_visible.at(index.row());
    const int c = index.column();
    const MatrixCell &cell = m_matrix.cell(r, c);
    const CellOutcome outcome = m_matrix.outcome(r, c, m_threshold);
    switch (role) {
    case Qt::DisplayRole:
        if (outcome == CellOutcome::Missing)
            return QString();
        return outcome == CellOutcome::Error ? u"error"_s : scoreText(cell.score);
    case Qt::ToolTipRole: {
        const MatrixRow &row = m_matrix.row(r);
        QString tip = u"Sample %1 (line %2), %3: "_s.arg(row.sampleIndex)
                          .arg(row.line)
                          .arg(m_matrix.column(c).label);
        if (outcome == CellOutcome::Missing || outcome == CellOutcome::Error)
            return QString(tip + outcomeWord(outcome));
        return QString(tip
            + u"score %1, %2 (threshold %3)"_s.arg(
                scoreText(cell.score), outcomeWord(outcome), scoreText(m_threshold)));
    }
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::Alignment(Qt::AlignCenter));
    case OutcomeRole:
        return int(outcome);
    case ScoreRole:
        return cell.score;
    case StepRole:
        return m_matrix.column(c).step;
    case SampleIndexRole:
        return m_matrix.row(r).sampleIndex;
    default:
        return {};
    }
}

QVariant ResultsMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal) {
        if (section < 0 || section >= columnCount())
            return {};
        const MatrixColumn &column = m_matrix.column(section);
        switch (role) {
        case Qt::DisplayRole:
            return column.accepted ? column.label : QString(column.label + u" ✗"_s);
        case Qt::ToolTipRole: {
            const QPair<int, int> pass = passCount(section);
            QString tip = column.label;
            if (!column.initial && m_matrix.split() != u"test"_s)
                tip += column.accepted ? u" (kept)"_s : u" (rejected by validation)"_s;
            tip += u"\nmean score %1; %2 of %3 pass"_s.arg(scoreText(column.meanScore))
                       .arg(pass.first)
                       .arg(pass.second);
            return tip;
        }
        case StepRole:
            return column.step;
        case AcceptedRole:
            return column.accepted;
        case MeanScoreRole:
            return column.meanScore;
        default:
            return {};
        }
    }
    if (section < 0 || section >= rowCount())
        return {};
    const MatrixRow &row = m_matrix.row(m_visible.at(section));
    switch (role) {
    case Qt::DisplayRole:
        return row.preview.isEmpty()
            ? u"#%1"_s.arg(row.sampleIndex)
            : u"#%1  %2"_s.arg(QString::number(row.sampleIndex), row.preview);
    case Qt::ToolTipRole:
        return u"Sample %1, line %2 of the data file"_s.arg(row.sampleIndex).arg(row.line);
    case SampleIndexRole:
        return row.sampleIndex;
    default:
        return {};
    }
}

Qt::ItemFlags ResultsMatrixModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}
