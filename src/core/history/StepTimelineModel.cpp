#include "history/StepTimelineModel.h"

#include "history/HistoryLoader.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

QString scoreText(double score)
{
    return hasScore(score) ? QString::number(score, 'f', 2) : u"–"_s;
}

} // namespace

StepTimelineModel::StepTimelineModel(HistoryLoader *loader, QObject *parent)
    : QAbstractListModel(parent)
    , m_loader(loader)
    , m_generation(std::make_shared<std::atomic<quint64>>(0))
{
}

void StepTimelineModel::setRun(const QString &runId)
{
    m_runId = runId;
    reload();
}

void StepTimelineModel::setSearch(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_search)
        return;
    m_search = trimmed;
    reload();
}

void StepTimelineModel::setPageSize(int rows)
{
    m_pageSize = qMax(1, rows);
}

void StepTimelineModel::reload()
{
    beginResetModel();
    m_rows.clear();
    ++*m_generation;
    m_loading = false;
    m_atEnd = m_runId.isEmpty() || !m_loader;
    endResetModel();
    // Whoever reacted to the reset (a view, a tester) may already have asked for the page.
    if (!m_atEnd && !m_loading)
        requestPage();
}

StepSummary StepTimelineModel::summaryAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row) : StepSummary {};
}

int StepTimelineModel::rowOfStep(int step) const
{
    // Rows are in step order: binary search.
    const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), step,
        [](const StepSummary &s, int value) { return s.step < value; });
    return it != m_rows.cend() && it->step == step ? int(it - m_rows.cbegin()) : -1;
}

int StepTimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QString StepTimelineModel::displayText(const StepSummary &s) const
{
    QString text = u"Step %1"_s.arg(s.step);
    if (hasScore(s.valScore))
        text += u"  ·  val %1"_s.arg(scoreText(s.valScore));
    else if (hasScore(s.trainScore))
        text += u"  ·  train %1"_s.arg(scoreText(s.trainScore));
    return text;
}

QVariant StepTimelineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const StepSummary &s = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayText(s);
    case Qt::ToolTipRole:
        return u"Step %1 (epoch %2): train %3, validation %4, best %5; %6; %7 gradients"_s
            .arg(s.step)
            .arg(s.epoch)
            .arg(scoreText(s.trainScore), scoreText(s.valScore), scoreText(s.bestValScore),
                s.accepted ? u"accepted"_s : u"rejected"_s)
            .arg(s.gradientCount);
    case StepRole:
        return s.step;
    case EpochRole:
        return s.epoch;
    case TrainScoreRole:
        return s.trainScore;
    case ValScoreRole:
        return s.valScore;
    case BestValScoreRole:
        return s.bestValScore;
    case AcceptedRole:
        return s.accepted;
    case GradientCountRole:
        return s.gradientCount;
    case ChangedNodesRole:
        return s.changedNodes;
    case SummaryRole:
        return QVariant::fromValue(s);
    default:
        return {};
    }
}

QHash<int, QByteArray> StepTimelineModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(StepRole, "step");
    names.insert(EpochRole, "epoch");
    names.insert(TrainScoreRole, "trainScore");
    names.insert(ValScoreRole, "valScore");
    names.insert(BestValScoreRole, "bestValScore");
    names.insert(AcceptedRole, "accepted");
    names.insert(GradientCountRole, "gradientCount");
    names.insert(ChangedNodesRole, "changedNodes");
    names.insert(SummaryRole, "summary");
    return names;
}

bool StepTimelineModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd;
}

void StepTimelineModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || m_atEnd || m_loading)
        return;
    requestPage();
}

void StepTimelineModel::requestPage()
{
    if (!m_loader)
        return;
    m_loading = true;
    const quint64 generation = *m_generation;
    const std::shared_ptr<std::atomic<quint64>> live = m_generation;
    const QString runId = m_runId;
    const QString search = m_search;
    const int afterStep = m_rows.isEmpty() ? -1 : m_rows.last().step;
    const int limit = m_pageSize;
    m_loader->request<QVector<StepSummary>>(
        search.isEmpty() ? HistoryLoader::Lane::Browse : HistoryLoader::Lane::Search, this,
        [runId, afterStep, limit, search](
            RunStore &store) { return store.stepSummaries(runId, afterStep, limit, search); },
        [this, generation](const QVector<StepSummary> &page, const QString &error) {
            onPage(generation, page, error);
        },
        [live, generation] { return live->load() == generation; });
}

void StepTimelineModel::onPage(
    quint64 generation, const QVector<StepSummary> &incoming, const QString &error)
{
    if (generation != *m_generation)
        return;
    // Keyset pages never overlap; this only guards the rows' order against a caller bug.
    QVector<StepSummary> page = incoming;
    if (!m_rows.isEmpty()) {
        const int last = m_rows.last().step;
        page.erase(std::remove_if(page.begin(), page.end(),
                       [last](const StepSummary &s) { return s.step <= last; }),
            page.end());
    }
    m_loading = false;
    if (!error.isEmpty()) {
        // Stop here: a view would otherwise ask again at once and spin on the same error.
        m_atEnd = true;
        emit pageLoaded(0, error);
        return;
    }
    m_atEnd = incoming.size() < m_pageSize;
    // Still "loading" while the rows go in: a view or tester reacting to the insertion by
    // calling fetchMore() must wait for the last step of this page to ask for the next.
    m_loading = true;
    if (!page.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page.size() - 1));
        m_rows += page;
        endInsertRows();
    }
    m_loading = false;
    emit pageLoaded(int(page.size()), error);
}
