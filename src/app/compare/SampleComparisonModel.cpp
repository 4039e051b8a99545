#include "compare/SampleComparisonModel.h"

#include <QBrush>
#include <QColor>

using namespace Qt::StringLiterals;

SampleComparisonModel::SampleComparisonModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void SampleComparisonModel::setSamples(const QVector<SampleComparison> &samples)
{
    beginResetModel();
    m_samples = samples;
    rebuildRows();
    endResetModel();
}

void SampleComparisonModel::setDifferencesOnly(bool on)
{
    if (on == m_differencesOnly)
        return;
    beginResetModel();
    m_differencesOnly = on;
    rebuildRows();
    endResetModel();
}

void SampleComparisonModel::rebuildRows()
{
    m_rows.clear();
    for (int i = 0; i < m_samples.size(); ++i) {
        if (!m_differencesOnly || m_samples.at(i).verdict != SampleVerdict::Tie)
            m_rows.append(i);
    }
}

const SampleComparison *SampleComparisonModel::sampleAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_samples.at(m_rows.at(row)) : nullptr;
}

int SampleComparisonModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SampleComparisonModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SampleComparisonModel::data(const QModelIndex &index, int role) const
{
    const SampleComparison *s = index.isValid() ? sampleAt(index.row()) : nullptr;
    if (!s)
        return {};
    const auto scoreText = [](double v) {
        return hasScore(v) ? QString::number(v, 'f', 2) : u"–"_s;
    };
    if (role == VerdictRole)
        return int(s->verdict);
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case LineColumn: return s->line;
        case InputColumn: return QString(s->input).replace(u'\n', u"  ·  "_s);
        case BaselineColumn: return scoreText(s->baselineScore);
        case CandidateColumn: return scoreText(s->candidateScore);
        case VerdictColumn: return RunComparison::verdictName(s->verdict);
        }
    }
    if (role == Qt::ToolTipRole && index.column() == InputColumn)
        return s->input;
    if (role == Qt::TextAlignmentRole && index.column() != InputColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if ((role == Qt::BackgroundRole || role == Qt::ForegroundRole)
        && index.column() == VerdictColumn) {
        // Light fills with dark text read on light and dark palettes alike.
        if (s->verdict == SampleVerdict::Win)
            return role == Qt::BackgroundRole ? QBrush(QColor(0xc9, 0xef, 0xcf))
                                              : QBrush(QColor(0x0b, 0x5a, 0x17));
        if (s->verdict == SampleVerdict::Loss)
            return role == Qt::BackgroundRole ? QBrush(QColor(0xf8, 0xd0, 0xd0))
                                              : QBrush(QColor(0x8a, 0x10, 0x10));
    }
    return {};
}

QVariant SampleComparisonModel::headerData(int section, Qt::Orientation orientation,
                                           int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case LineColumn: return tr("Line");
    case InputColumn: return tr("Input");
    case BaselineColumn: return tr("A");
    case CandidateColumn: return tr("B");
    case VerdictColumn: return tr("B vs A");
    }
    return {};
}
