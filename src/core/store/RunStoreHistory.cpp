#include "store/RunStore.h"
#include "store/StoreQuery.h"
#include "store/StoreRows.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;
using namespace StoreQuery;
using namespace StoreRows;

// Reads behind the critique history and the prompt versions. Lists never touch the large
// columns (conversations, optimizer prompts): a page of the timeline is the steps row plus an
// index-only COUNT of its gradients and the names of its changed versions.

namespace {

// The unit separator cannot occur in a node id, so it splits GROUP_CONCAT safely.
const QChar kSeparator = QChar(0x1f);

// LIKE pattern for a substring; \ escapes the wildcards a user may type.
QString likePattern(const QString &search)
{
    QString escaped;
    escaped.reserve(search.size() + 2);
    for (const QChar c : search) {
        if (c == u'\\' || c == u'%' || c == u'_')
            escaped += u'\\';
        escaped += c;
    }
    return u"%"_s % escaped % u"%"_s;
}

// The predicate of "this step matches", with four placeholders for the pattern.
QString stepMatchesSql()
{
    return uR"((EXISTS (SELECT 1 FROM gradients g WHERE g.run_id = s.run_id AND g.step = s.step
                   AND (g.feedback LIKE ? ESCAPE '\' OR g.conversation_json LIKE ? ESCAPE '\'))
             OR EXISTS (SELECT 1 FROM prompt_versions v WHERE v.run_id = s.run_id
                   AND v.step = s.step
                   AND (v.optimizer_reply LIKE ? ESCAPE '\' OR v.value LIKE ? ESCAPE '\'))))"_s;
}

QString summaryColumnsSql()
{
    return uR"(s.step, s.epoch, s.train_score, s.val_score, s.best_val_score, s.accepted,
           s.finished_at,
           (SELECT COUNT(*) FROM gradients g WHERE g.run_id = s.run_id AND g.step = s.step),
           (SELECT GROUP_CONCAT(v.node_id, char(31)) FROM prompt_versions v
                WHERE v.run_id = s.run_id AND v.step = s.step AND v.changed <> 0))"_s;
}

StepSummary readSummary(Cursor &c)
{
    StepSummary s;
    s.step = c.integer();
    s.epoch = c.integer();
    s.trainScore = c.score();
    s.valScore = c.score();
    s.bestValScore = c.score();
    s.accepted = c.flag();
    s.finishedAt = c.time();
    s.gradientCount = c.integer();
    const QString changed = c.text();
    if (!changed.isEmpty())
        s.changedNodes = changed.split(kSeparator);
    return s;
}

// About `radius` characters either side of the first match, on word boundaries where easy.
QString excerptAround(const QString &text, const QString &search, int radius = 80)
{
    const QString flat = text.simplified();
    const qsizetype at = search.isEmpty() ? -1 : flat.indexOf(search, 0, Qt::CaseInsensitive);
    if (at < 0)
        return flat.size() <= 2 * radius ? flat : flat.left(2 * radius) % u"…"_s;
    qsizetype from = qMax<qsizetype>(0, at - radius);
    qsizetype to = qMin<qsizetype>(flat.size(), at + search.size() + radius);
    if (from > 0) {
        const qsizetype space = flat.indexOf(u' ', from);
        if (space >= 0 && space < at)
            from = space + 1;
    }
    if (to < flat.size()) {
        const qsizetype space = flat.lastIndexOf(u' ', to);
        if (space > at + search.size())
            to = space;
    }
    return (from > 0 ? u"…"_s : QString()) % flat.mid(from, to - from)
        % (to < flat.size() ? u"…"_s : QString());
}

} // namespace

QVector<StepSummary> RunStore::stepSummaries(
    const QString &runId, int afterStep, int limit, const QString &search) const
{
    m_lastError.clear(); // the loader reports lastError() after the query
    QVector<StepSummary> result;
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"reading steps of run %1 after %2"_s.arg(runId).arg(afterStep);
    const bool filtered = !search.isEmpty();
    const QString sql = u"SELECT "_s % summaryColumnsSql()
        % u" FROM steps s WHERE s.run_id = ? AND s.step > ?"_s
        % (filtered ? u" AND "_s % stepMatchesSql() : QString()) % u" ORDER BY s.step LIMIT ?"_s;
    if (!prepare(q, sql, what, m_lastError))
        return result;
    Binder b(q);
    b << runId << afterStep;
    if (filtered) {
        const QString pattern = likePattern(search);
        b << pattern << pattern << pattern << pattern;
    }
    b << qMax(0, limit);
    if (!exec(q, what, m_lastError))
        return result;
    result.reserve(qMax(0, limit));
    return readEach(q, readSummary);
}

StepDetails RunStore::stepDetails(const QString &runId, int step) const
{
    m_lastError.clear(); // the loader reports lastError() after the query
    StepDetails details;
    const QVector<StepSummary> summary = stepSummaries(runId, step - 1, 1);
    if (summary.isEmpty() || summary.first().step != step)
        return details;
    details.found = true;
    details.summary = summary.first();

    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"reading step %1 of run %2"_s.arg(step).arg(runId);
    const auto run = [&](const QString &sql) {
        if (!prepare(q, sql, what, m_lastError))
            return false;
        Binder(q) << runId << step;
        return exec(q, what, m_lastError);
    };

    if (run(selectSql(u"prompt_versions"_s, versionColumns())
            % u" WHERE run_id = ? AND step = ? ORDER BY id"_s)) {
        details.versions = readEach(q, readVersion);
    }
    if (run(selectSql(u"gradients"_s, gradientColumns() + QStringList { u"id"_s })
            % u" WHERE run_id = ? AND step = ? ORDER BY id"_s)) {
        while (q.next()) {
            Cursor c(q);
            details.gradients.append(readGradient(c));
            details.gradientIds.append(c.int64());
        }
    }
    if (run(selectSql(u"sample_results"_s, sampleColumns())
            % u" WHERE run_id = ? AND step = ? AND owner_step IS NOT NULL"
              " ORDER BY split, sample_index, id"_s)) {
        details.samples = readEach(q, readSample);
    }
    if (run(selectSql(u"events"_s, eventColumns())
            % u" WHERE run_id = ? AND step = ? AND owner_step IS NOT NULL ORDER BY id"_s)) {
        details.events = readEach(q, readEvent);
    }
    return details;
}

QVector<GradientHit> RunStore::searchGradients(
    const QString &runId, const QString &search, qint64 afterId, int limit) const
{
    m_lastError.clear(); // the loader reports lastError() after the query
    QVector<GradientHit> result;
    if (search.isEmpty())
        return result;
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"searching the gradients of run %1"_s.arg(runId);
    const QString sql = uR"(SELECT g.id, g.step, g.target_node, g.source_node, g.sample_index,
            g.mode, g.feedback, g.conversation_json,
            (SELECT v.optimizer_reply FROM prompt_versions v WHERE v.run_id = g.run_id
                 AND v.step = g.step AND v.node_id = g.target_node LIMIT 1)
        FROM gradients g
        WHERE g.run_id = ? AND g.id > ?
          AND (g.feedback LIKE ? ESCAPE '\' OR g.conversation_json LIKE ? ESCAPE '\'
               OR EXISTS (SELECT 1 FROM prompt_versions v WHERE v.run_id = g.run_id
                   AND v.step = g.step AND v.node_id = g.target_node
                   AND v.optimizer_reply LIKE ? ESCAPE '\'))
        ORDER BY g.id LIMIT ?)"_s;
    if (!prepare(q, sql, what, m_lastError))
        return result;
    const QString pattern = likePattern(search);
    Binder(q) << runId << afterId << pattern << pattern << pattern << qMax(0, limit);
    if (!exec(q, what, m_lastError))
        return result;
    while (q.next()) {
        Cursor c(q);
        GradientHit hit;
        hit.id = c.int64();
        hit.step = c.integer();
        hit.targetNode = c.text();
        hit.sourceNode = c.text();
        hit.sampleIndex = c.integer();
        hit.mode = c.text();
        const QString feedback = c.text();
        const QJsonArray conversation = c.array();
        const QString reply = c.text();
        // Show the match where it is: the feedback, a message of the conversation, or the
        // optimizer reply that this gradient fed.
        if (feedback.contains(search, Qt::CaseInsensitive)) {
            hit.excerpt = excerptAround(feedback, search);
        } else {
            for (const QJsonValue &message : conversation) {
                const QString content = message.toObject().value(u"content"_s).toString();
                if (content.contains(search, Qt::CaseInsensitive)) {
                    hit.excerpt = message.toObject().value(u"role"_s).toString() % u": "_s
                        % excerptAround(content, search);
                    break;
                }
            }
            if (hit.excerpt.isEmpty() && reply.contains(search, Qt::CaseInsensitive))
                hit.excerpt = u"optimizer reply: "_s % excerptAround(reply, search);
            if (hit.excerpt.isEmpty())
                hit.excerpt = excerptAround(feedback, search);
        }
        result.append(hit);
    }
    return result;
}

QStringList RunStore::versionedNodes(const QString &runId) const
{
    m_lastError.clear(); // the loader reports lastError() after the query
    QStringList result;
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"listing the versioned parameters of run %1"_s.arg(runId);
    // First appearance order: the order the pipeline lists its parameters in.
    if (!prepare(q,
            u"SELECT node_id FROM prompt_versions WHERE run_id = ? GROUP BY node_id "
            "ORDER BY MIN(id)"_s,
            what, m_lastError))
        return result;
    Binder(q) << runId;
    if (!exec(q, what, m_lastError))
        return result;
    while (q.next())
        result.append(q.value(0).toString());
    return result;
}

QVector<NodeVersion> RunStore::nodeVersions(const QString &runId, const QString &nodeId) const
{
    m_lastError.clear(); // the loader reports lastError() after the query
    QVector<NodeVersion> result;
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"reading the versions of %1 in run %2"_s.arg(nodeId, runId);
    if (!prepare(q, uR"(SELECT v.step, v.changed, v.gradients_used, v.gradients_total, v.value,
                   v.previous, v.optimizer_reply, s.accepted
                FROM prompt_versions v
                JOIN steps s ON s.run_id = v.run_id AND s.step = v.step
                WHERE v.run_id = ? AND v.node_id = ? ORDER BY v.step, v.id)"_s,
            what, m_lastError))
        return result;
    Binder(q) << runId << nodeId;
    if (!exec(q, what, m_lastError))
        return result;
    while (q.next()) {
        Cursor c(q);
        NodeVersion entry;
        PromptVersion &v = entry.version;
        v.nodeId = nodeId;
        v.step = c.integer();
        v.changed = c.flag();
        v.gradientsUsed = c.integer();
        v.gradientsTotal = c.integer();
        v.value = c.text();
        v.previous = c.text();
        v.optimizerReply = c.text();
        entry.accepted = c.flag();
        result.append(entry);
    }
    return result;
}

QVector<GradientRecord> RunStore::nodeGradients(
    const QString &runId, const QString &nodeId, const QVector<int> &steps) const
{
    m_lastError.clear(); // the loader reports lastError() after the query
    QVector<GradientRecord> result;
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"reading the critiques of %1 in run %2"_s.arg(nodeId, runId);
    if (!prepare(q,
            selectSql(u"gradients"_s, gradientColumns())
                % u" WHERE run_id = ? AND step = ? AND target_node = ? ORDER BY id"_s,
            what, m_lastError))
        return result;
    // One indexed query per step: a blame names a handful of steps.
    for (const int step : steps) {
        Binder(q) << runId << step << nodeId;
        if (!exec(q, what, m_lastError))
            return result;
        result += readEach(q, readGradient);
    }
    return result;
}

HistoryCounts RunStore::historyCounts(const QString &runId) const
{
    m_lastError.clear(); // the loader reports lastError() after the query
    HistoryCounts counts;
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"counting the history of run %1"_s.arg(runId);
    // Each COUNT is answered from an index on run_id without reading a row.
    if (!prepare(q, uR"(SELECT (SELECT COUNT(*) FROM steps WHERE run_id = ?),
                   (SELECT COUNT(*) FROM steps WHERE run_id = ? AND accepted <> 0),
                   (SELECT COUNT(*) FROM gradients WHERE run_id = ?),
                   (SELECT COUNT(*) FROM prompt_versions WHERE run_id = ?),
                   (SELECT COUNT(*) FROM calls WHERE run_id = ?))"_s,
            what, m_lastError))
        return counts;
    Binder(q) << runId << runId << runId << runId << runId;
    if (!exec(q, what, m_lastError) || !q.next())
        return counts;
    counts.steps = q.value(0).toInt();
    counts.acceptedSteps = q.value(1).toInt();
    counts.gradients = q.value(2).toInt();
    counts.versions = q.value(3).toInt();
    counts.calls = q.value(4).toInt();
    return counts;
}
