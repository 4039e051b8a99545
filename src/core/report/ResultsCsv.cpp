#include "report/ResultsCsv.h"

#include "history/ResultsMatrix.h"
#include "store/RunStore.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

QString number(double value)
{
    return hasScore(value) ? QString::number(value, 'g', 10) : QString();
}

QString jsonText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isUndefined() || value.isNull())
        return {};
    return QString::fromUtf8(QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact))
        .mid(1)
        .chopped(1);
}

QStringList sortedKeys(const QSet<QString> &keys)
{
    QStringList list(keys.cbegin(), keys.cend());
    std::sort(list.begin(), list.end());
    return list;
}

} // namespace

QString ResultsCsv::field(const QString &text)
{
    const bool quote = text.contains(u',') || text.contains(u'"') || text.contains(u'\n')
        || text.contains(u'\r');
    if (!quote)
        return text;
    QString escaped = text;
    escaped.replace(u'"', u"\"\""_s);
    return u'"' + escaped + u'"';
}

QString ResultsCsv::record(const QStringList &fields)
{
    QStringList quoted;
    quoted.reserve(fields.size());
    for (const QString &f : fields)
        quoted.append(field(f));
    return quoted.join(u',') + u"\r\n"_s;
}

bool ResultsCsv::render(
    const RunStore &store, const QString &runId, QByteArray *out, QString *error)
{
    const RunInfo run = store.run(runId);
    if (run.id.isEmpty()) {
        *error = u"there is no run %1 in this project"_s.arg(runId);
        return false;
    }
    const double threshold = ResultsMatrix::defaultThreshold(run.pipeline);
    const QVector<SampleResult> results = store.allSampleResults(runId);

    // Columns for every dataset field and node output that occurs, in a stable order.
    QSet<QString> fieldNames;
    QSet<QString> outputNames;
    QSet<QString> splits;
    for (const SampleResult &r : results) {
        splits.insert(r.split);
        for (auto it = r.outputs.constBegin(); it != r.outputs.constEnd(); ++it)
            outputNames.insert(it.key());
    }
    for (const QString &split : splits) {
        for (const QJsonValue &row : run.data.value(split).toArray()) {
            const QJsonObject fields = row.toObject().value(u"fields"_s).toObject();
            for (auto it = fields.constBegin(); it != fields.constEnd(); ++it)
                fieldNames.insert(it.key());
        }
    }
    const QStringList fieldColumns = sortedKeys(fieldNames);
    const QStringList outputColumns = sortedKeys(outputNames);

    QHash<QString, QHash<QPair<int, int>, RunStore::SampleCallTotals>> totals;
    for (const QString &split : splits) {
        for (const RunStore::SampleCallTotals &t : store.sampleCallTotals(runId, split))
            totals[split].insert({ t.step, t.sampleIndex }, t);
    }

    QStringList header { u"run_id"_s, u"split"_s, u"step"_s, u"sample_index"_s, u"line"_s };
    for (const QString &name : fieldColumns)
        header.append(u"input."_s + name);
    for (const QString &name : outputColumns)
        header.append(u"output."_s + name);
    header << u"score"_s << u"passed"_s << u"error"_s << u"evaluation"_s << u"calls"_s
           << u"prompt_tokens"_s << u"completion_tokens"_s << u"latency_ms"_s << u"cost_usd"_s;

    QString csv = record(header);
    for (const SampleResult &r : results) {
        QStringList row { runId, r.split, QString::number(r.step), QString::number(r.sampleIndex),
            QString::number(r.line) };
        const QJsonArray dataRows = run.data.value(r.split).toArray();
        const QJsonObject fields = r.sampleIndex >= 0 && r.sampleIndex < dataRows.size()
            ? dataRows.at(r.sampleIndex).toObject().value(u"fields"_s).toObject()
            : QJsonObject();
        for (const QString &name : fieldColumns)
            row.append(jsonText(fields.value(name)));
        for (const QString &name : outputColumns)
            row.append(jsonText(r.outputs.value(name)));
        const bool failed = !r.error.isEmpty();
        row << number(r.score)
            << (failed || !hasScore(r.score) ? u"no"_s
                                             : (r.score + 1e-9 >= threshold ? u"yes"_s : u"no"_s))
            << r.error << r.evaluation;
        const RunStore::SampleCallTotals *t = nullptr;
        const auto splitTotals = totals.constFind(r.split);
        if (splitTotals != totals.constEnd()) {
            const auto it = splitTotals->constFind({ r.step, r.sampleIndex });
            if (it != splitTotals->constEnd())
                t = &it.value();
        }
        if (!t) {
            // No call was sent for it (every answer came from the cache): nothing was spent.
            row << u"0"_s << u"0"_s << u"0"_s << u"0"_s << u"0"_s;
        } else {
            row << QString::number(t->calls) << QString::number(t->promptTokens)
                << QString::number(t->completionTokens) << QString::number(t->latencyMs)
                << (t->unknownCostCalls > 0 ? QString() : number(t->costUsd));
        }
        csv += record(row);
    }
    *out = csv.toUtf8();
    return true;
}
