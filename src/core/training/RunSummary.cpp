#include "training/RunSummary.h"

#include "store/RunStore.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

QJsonValue score(double s)
{
    return hasScore(s) ? QJsonValue(s) : QJsonValue(QJsonValue::Null);
}

QJsonObject mapToJson(const QMap<QString, QString> &map)
{
    QJsonObject obj;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        obj.insert(it.key(), it.value());
    return obj;
}

double meanScore(const QVector<SampleResult> &samples)
{
    if (samples.isEmpty())
        return noScore();
    double sum = 0.0;
    for (const SampleResult &s : samples)
        sum += s.score;
    return sum / samples.size();
}

QString fmt(const QJsonValue &v)
{
    return v.isDouble() ? QString::number(v.toDouble(), 'f', 3) : u"-"_s;
}

QString money(double usd)
{
    // Small runs cost fractions of a cent; four significant digits keep them readable.
    return u"$"_s + (usd >= 1.0 ? QString::number(usd, 'f', 2) : QString::number(usd, 'g', 4));
}

QString costLine(const QJsonObject &cost, int cached)
{
    QString line = u"cost: "_s + money(cost.value(u"total"_s).toDouble());
    QStringList parts;
    const QJsonObject byPurpose = cost.value(u"byPurpose"_s).toObject();
    for (auto it = byPurpose.constBegin(); it != byPurpose.constEnd(); ++it) {
        if (it.value().toDouble() > 0)
            parts.append(it.key() + u' ' + money(it.value().toDouble()));
    }
    if (!parts.isEmpty())
        line += u" ("_s + parts.join(u", "_s) + u')';
    const int unknown = cost.value(u"unknownCalls"_s).toInt();
    if (unknown > 0)
        line += u"; %1 calls of unknown price not included"_s.arg(unknown);
    if (cached > 0)
        line += u"; %1 answers from the cache, free"_s.arg(cached);
    return line + u'\n';
}

} // namespace

QJsonObject RunSummary::build(const RunStore &store, const QString &runId)
{
    const RunInfo run = store.run(runId);
    const QString mode = run.settings.value(u"mode"_s).toString();
    const QVector<StepRecord> steps = store.steps(runId);

    QJsonObject doc;
    doc.insert(u"runId"_s, runId);
    doc.insert(u"pipeline"_s, run.pipelineName);
    doc.insert(u"mode"_s, mode);
    doc.insert(u"status"_s, run.status);
    if (!run.error.isEmpty())
        doc.insert(u"error"_s, run.error);
    doc.insert(u"createdAt"_s, run.createdAt.toString(Qt::ISODate));

    // Initial parameter values come from the pipeline snapshot.
    QMap<QString, QString> initialValues;
    for (const QJsonValue &n : run.pipeline.value(u"nodes"_s).toArray()) {
        const QJsonObject node = n.toObject();
        if (node.value(u"type"_s).toString() == u"parameter"_s && node.value(u"trainable"_s).toBool())
            initialValues.insert(node.value(u"id"_s).toString(), node.value(u"value"_s).toString());
    }

    QJsonArray stepArray;
    QMap<QString, QString> final = initialValues;
    double finalVal = run.initialValScore;
    for (const StepRecord &s : steps) {
        QJsonObject o{
            {u"step"_s, s.step},
            {u"epoch"_s, s.epoch},
            {u"trainScore"_s, score(s.trainScore)},
            {u"valScore"_s, score(s.valScore)},
            {u"accepted"_s, s.accepted},
            {u"parameters"_s, mapToJson(s.candidate)},
        };
        stepArray.append(o);
        final = s.current;
        finalVal = s.bestValScore;
    }

    if (mode == u"eval"_s) {
        const QVector<SampleResult> samples = store.sampleResults(runId, 0, u"eval"_s);
        doc.insert(u"score"_s, score(meanScore(samples)));
        QJsonArray sampleArray;
        for (const SampleResult &s : samples) {
            QJsonObject o{{u"index"_s, s.sampleIndex}, {u"line"_s, s.line}, {u"score"_s, s.score},
                          {u"evaluation"_s, s.evaluation}};
            if (!s.error.isEmpty())
                o.insert(u"error"_s, s.error);
            sampleArray.append(o);
        }
        doc.insert(u"samples"_s, sampleArray);
    } else {
        if (mode == u"test-time"_s) {
            const int last = steps.isEmpty() ? 0 : steps.last().step;
            const QVector<SampleResult> finalSamples = store.sampleResults(runId, last, u"final"_s);
            if (!finalSamples.isEmpty())
                finalVal = meanScore(finalSamples);
        }
        doc.insert(u"initialValScore"_s, score(run.initialValScore));
        doc.insert(u"finalValScore"_s, score(finalVal));
        doc.insert(u"testScore"_s, score(store.testScore(runId)));
        doc.insert(u"steps"_s, stepArray);
        doc.insert(u"finalParameters"_s, mapToJson(final));
    }

    const CallTotals totals = store.callTotals(runId);
    QJsonObject calls{{u"total"_s, totals.total}, {u"cached"_s, totals.cached}, {u"errors"_s, totals.errors}};
    for (const QString &purpose : {u"forward"_s, u"loss"_s, u"backward"_s, u"optimizer"_s,
                                   u"validation"_s, u"test"_s})
        calls.insert(purpose, totals.byPurpose.value(purpose));
    doc.insert(u"calls"_s, calls);
    doc.insert(u"tokens"_s, QJsonObject{{u"prompt"_s, double(totals.promptTokens)},
                                        {u"completion"_s, double(totals.completionTokens)}});
    QJsonObject costByPurpose;
    for (const QString &purpose : {u"forward"_s, u"loss"_s, u"backward"_s, u"optimizer"_s,
                                   u"validation"_s, u"test"_s})
        costByPurpose.insert(purpose, totals.costByPurpose.value(purpose));
    // total and byPurpose add up the calls whose price is known; unknownCalls says how many
    // were left out, so a partial sum is never mistaken for the whole bill.
    doc.insert(u"cost"_s, QJsonObject{{u"total"_s, totals.costUsd},
                                      {u"currency"_s, u"USD"_s},
                                      {u"byPurpose"_s, costByPurpose},
                                      {u"unknownCalls"_s, totals.unknownCostCalls}});

    QJsonArray events;
    for (const RunEvent &e : store.events(runId)) {
        QJsonObject o{{u"step"_s, e.step}, {u"kind"_s, e.kind}, {u"message"_s, e.message}};
        if (!e.nodeId.isEmpty())
            o.insert(u"node"_s, e.nodeId);
        if (e.kind == u"majority-vote"_s)
            doc.insert(u"majorityVote"_s, QJsonDocument::fromJson(e.message.toUtf8()).object());
        events.append(o);
    }
    doc.insert(u"events"_s, events);
    return doc;
}

QString RunSummary::toText(const QJsonObject &s)
{
    QString text;
    text += u"run %1 (%2): %3\n"_s.arg(s.value(u"runId"_s).toString(), s.value(u"mode"_s).toString(),
                                         s.value(u"status"_s).toString());
    if (s.contains(u"error"_s))
        text += u"error: "_s + s.value(u"error"_s).toString() + u'\n';
    if (s.value(u"mode"_s).toString() == u"eval"_s) {
        text += u"score: %1 over %2 samples\n"_s.arg(fmt(s.value(u"score"_s))).arg(s.value(u"samples"_s).toArray().size());
    } else {
        text += u"validation: %1 -> %2"_s.arg(fmt(s.value(u"initialValScore"_s)), fmt(s.value(u"finalValScore"_s)));
        if (s.value(u"testScore"_s).isDouble())
            text += u"   test: "_s + fmt(s.value(u"testScore"_s));
        text += u'\n';
        for (const QJsonValue &v : s.value(u"steps"_s).toArray()) {
            const QJsonObject st = v.toObject();
            text += u"  step %1: train %2  val %3  %4\n"_s.arg(st.value(u"step"_s).toInt())
                        .arg(fmt(st.value(u"trainScore"_s)), fmt(st.value(u"valScore"_s)),
                             st.value(u"accepted"_s).toBool() ? u"accepted"_s : u"rejected"_s);
        }
        const QJsonObject params = s.value(u"finalParameters"_s).toObject();
        for (auto it = params.constBegin(); it != params.constEnd(); ++it)
            text += u"\nfinal %1:\n%2\n"_s.arg(it.key(), it.value().toString());
        if (s.contains(u"majorityVote"_s))
            text += u"\nmajority vote: %1\n"_s.arg(s.value(u"majorityVote"_s).toObject().value(u"answer"_s).toString());
    }
    const QJsonObject calls = s.value(u"calls"_s).toObject();
    const QJsonObject tokens = s.value(u"tokens"_s).toObject();
    text += u"\ncalls: %1 (forward %2, loss %3, backward %4, optimizer %5, validation %6, test %7)\n"_s
                .arg(calls.value(u"total"_s).toInt()).arg(calls.value(u"forward"_s).toInt())
                .arg(calls.value(u"loss"_s).toInt()).arg(calls.value(u"backward"_s).toInt())
                .arg(calls.value(u"optimizer"_s).toInt()).arg(calls.value(u"validation"_s).toInt())
                .arg(calls.value(u"test"_s).toInt());
    text += u"tokens: %1 prompt, %2 completion\n"_s.arg(qint64(tokens.value(u"prompt"_s).toDouble()))
                .arg(qint64(tokens.value(u"completion"_s).toDouble()));
    text += costLine(s.value(u"cost"_s).toObject(), calls.value(u"cached"_s).toInt());
    return text;
}
