#include "report/RunReport.h"

#include "providers/Redaction.h"
#include "store/RunStore.h"
#include "training/RunSummary.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

// QTextDocument (the PDF path) understands tables, a few CSS properties and inline styles; no
// flex or grid. Colours are print-friendly greys with one accent.
const QString kStyle = uR"(
body { font-family: 'DejaVu Sans', 'Noto Sans', Arial, sans-serif; font-size: 10pt; color: #202020; }
h1 { font-size: 18pt; margin-bottom: 2pt; }
h2 { font-size: 13pt; margin-top: 16pt; border-bottom: 1px solid #b0b0b0; }
h3 { font-size: 11pt; margin-top: 10pt; margin-bottom: 4pt; }
p.meta { color: #606060; margin-top: 0; }
table.grid { border-collapse: collapse; margin-top: 4pt; }
table.grid th { background-color: #e8e8e8; text-align: left; padding: 4px; border: 1px solid #c8c8c8; }
table.grid td { padding: 4px; border: 1px solid #c8c8c8; vertical-align: top; }
td.num, th.num { text-align: right; }
pre { font-family: 'DejaVu Sans Mono', monospace; font-size: 9pt; background-color: #f4f4f4;
      padding: 6pt; white-space: pre-wrap; }
.accepted { color: #1b6e1b; }
.rejected { color: #a02020; }
.muted { color: #707070; }
blockquote { margin-left: 12pt; color: #303030; }
)"_s;

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString scoreText(const QJsonValue &v)
{
    return v.isDouble() ? QString::number(v.toDouble(), 'f', 3) : u"–"_s;
}

// Small runs cost fractions of a cent: enough decimals for two significant digits, never an
// exponent.
int decimalsFor(double usd)
{
    int decimals = 2;
    while (decimals < 8 && usd > 0.0 && usd < 10.0 * std::pow(10.0, -decimals))
        ++decimals;
    return decimals;
}

QString money(double usd, int decimals = -1)
{
    return u"$"_s + QString::number(usd, 'f', decimals < 0 ? decimalsFor(usd) : decimals);
}

QString compact(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    return QString::fromUtf8(QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact))
        .mid(1)
        .chopped(1);
}

QString row(const QStringList &cells, const QString &tag = u"td"_s)
{
    QString html = u"<tr>"_s;
    for (const QString &cell : cells)
        html += u'<' + tag + u'>' + cell + u"</"_s + tag + u'>';
    return html + u"</tr>\n"_s;
}

QString keyValueTable(const QList<QPair<QString, QString>> &rows)
{
    QString html = u"<table class=\"grid\" cellspacing=\"0\" cellpadding=\"4\">\n"_s;
    for (const auto &r : rows)
        html += u"<tr><th>"_s + esc(r.first) + u"</th><td>"_s + r.second + u"</td></tr>\n"_s;
    return html + u"</table>\n"_s;
}

QString trimmed(const QString &text, int chars)
{
    const QString t = text.trimmed();
    return t.size() <= chars ? t : t.left(chars).trimmed() + u" […]"_s;
}

struct Trainable {
    QString id;
    QString role;
    QString initial;
};

QVector<Trainable> trainables(const QJsonObject &pipeline)
{
    QVector<Trainable> result;
    for (const QJsonValue &n : pipeline.value(u"nodes"_s).toArray()) {
        const QJsonObject node = n.toObject();
        if (node.value(u"type"_s).toString() == u"parameter"_s
            && node.value(u"trainable"_s).toBool())
            result.append({ node.value(u"id"_s).toString(), node.value(u"role"_s).toString(),
                node.value(u"value"_s).toString() });
    }
    return result;
}

QString summarySection(
    const RunInfo &run, const QJsonObject &summary, const QVector<StepRecord> &steps)
{
    int accepted = 0;
    for (const StepRecord &s : steps)
        accepted += s.accepted ? 1 : 0;
    const QJsonObject calls = summary.value(u"calls"_s).toObject();
    const QJsonObject tokens = summary.value(u"tokens"_s).toObject();
    const QJsonObject cost = summary.value(u"cost"_s).toObject();
    QString costText = money(cost.value(u"total"_s).toDouble());
    if (cost.value(u"unknownCalls"_s).toInt() > 0)
        costText += u" <span class=\"muted\">(%1 calls of unknown price not included)</span>"_s.arg(
            cost.value(u"unknownCalls"_s).toInt());

    QList<QPair<QString, QString>> rows;
    rows.append({ u"Validation score"_s,
        u"%1 → <b>%2</b>"_s.arg(scoreText(summary.value(u"initialValScore"_s)),
            scoreText(summary.value(u"finalValScore"_s))) });
    if (summary.value(u"testScore"_s).isDouble())
        rows.append(
            { u"Test score"_s, u"<b>"_s + scoreText(summary.value(u"testScore"_s)) + u"</b>"_s });
    rows.append({ u"Steps"_s,
        u"%1 completed, %2 accepted, %3 rejected"_s.arg(steps.size())
            .arg(accepted)
            .arg(steps.size() - accepted) });
    rows.append({ u"Provider calls"_s,
        u"%1 sent, %2 answered from the cache, %3 errors"_s.arg(calls.value(u"total"_s).toInt())
            .arg(calls.value(u"cached"_s).toInt())
            .arg(calls.value(u"errors"_s).toInt()) });
    rows.append({ u"Tokens"_s,
        u"%1 prompt, %2 completion"_s.arg(qint64(tokens.value(u"prompt"_s).toDouble()))
            .arg(qint64(tokens.value(u"completion"_s).toDouble())) });
    rows.append({ u"Cost"_s, costText });
    if (!run.error.isEmpty())
        rows.append({ u"Error"_s, esc(Redaction::redact(run.error)) });
    return u"<h2>Summary</h2>\n"_s + keyValueTable(rows);
}

QString promptsSection(const QVector<Trainable> &params, const QJsonObject &finals)
{
    QString html = u"<h2>Final prompts</h2>\n"_s;
    if (params.isEmpty())
        return html + u"<p class=\"muted\">The pipeline has no trainable parameters.</p>\n"_s;
    for (const Trainable &p : params) {
        const QString final = finals.value(p.id).toString(p.initial);
        html += u"<h3>"_s + esc(p.id) + u"</h3>\n"_s;
        if (!p.role.isEmpty())
            html += u"<p class=\"meta\">"_s + esc(p.role) + u"</p>\n"_s;
        if (final == p.initial) {
            html += u"<p class=\"muted\">Unchanged by the run.</p>\n<pre>"_s + esc(final)
                + u"</pre>\n"_s;
            continue;
        }
        html += u"<p><b>Optimized</b></p>\n<pre>"_s + esc(final) + u"</pre>\n"_s;
        html += u"<p class=\"muted\">Initial</p>\n<pre>"_s + esc(p.initial) + u"</pre>\n"_s;
    }
    return html;
}

QString stepsSection(const RunInfo &run, const QVector<StepRecord> &steps, double testScore)
{
    QString html = u"<h2>Scores by step</h2>\n"_s;
    if (steps.isEmpty())
        return html + u"<p class=\"muted\">No step was completed.</p>\n"_s;
    html += u"<table class=\"grid\" cellspacing=\"0\" cellpadding=\"4\">\n"_s;
    html += row({ u"Step"_s, u"Epoch"_s, u"Training batch"_s, u"Validation"_s, u"Best so far"_s,
                    u"Decision"_s },
        u"th"_s);
    html += row({ u"0"_s, u"–"_s, u"–"_s, formatScore(run.initialValScore),
        formatScore(run.initialValScore), u"<span class=\"muted\">initial</span>"_s });
    for (const StepRecord &s : steps) {
        const QString decision = s.accepted ? u"<span class=\"accepted\">accepted</span>"_s
                                            : u"<span class=\"rejected\">rejected</span>"_s;
        html += row({ QString::number(s.step), QString::number(s.epoch), formatScore(s.trainScore),
            formatScore(s.valScore), formatScore(s.bestValScore), decision });
    }
    html += u"</table>\n"_s;
    if (hasScore(testScore))
        html += u"<p>Test score with the final prompts: <b>%1</b>.</p>\n"_s.arg(
            formatScore(testScore));
    return html;
}

QString critiquesSection(const RunStore &store, const QString &runId,
    const QVector<StepRecord> &steps, const QVector<Trainable> &params,
    const RunReport::Options &options)
{
    QString html = u"<h2>Key critiques</h2>\n"_s;
    QSet<QString> trainableIds;
    for (const Trainable &p : params)
        trainableIds.insert(p.id);
    QMap<QString, QString> previous;
    for (const Trainable &p : params)
        previous.insert(p.id, p.initial);

    // The steps whose change was kept: their critiques are the ones that shaped the prompts.
    struct Shaping {
        const StepRecord *step;
        double before;
    };
    QVector<Shaping> shaping;
    double best = store.run(runId).initialValScore;
    for (const StepRecord &s : steps) {
        if (s.accepted && s.candidate != previous)
            shaping.append({ &s, best });
        previous = s.current;
        best = s.bestValScore;
    }
    if (shaping.isEmpty() || options.maxCritiques <= 0)
        return html
            + u"<p class=\"muted\">No step changed the prompts, so no critique shaped them.</p>\n"_s;

    html += u"<p class=\"meta\">Feedback from the steps whose change was accepted, one per step "
            "first, cut to %1 characters.</p>\n"_s.arg(options.critiqueChars);
    QSet<QString> quoted;
    int count = 0;
    QHash<int, QVector<GradientRecord>> byStep;
    // Two passes: one critique from each shaping step, then more from the same steps.
    for (int pass = 0; pass < 2 && count < options.maxCritiques; ++pass) {
        for (const Shaping &sh : shaping) {
            if (count >= options.maxCritiques)
                break;
            if (!byStep.contains(sh.step->step))
                byStep.insert(sh.step->step, store.gradients(runId, sh.step->step));
            int takenHere = 0;
            for (const GradientRecord &g : byStep.value(sh.step->step)) {
                if (!trainableIds.contains(g.targetNode) || g.feedback.trimmed().isEmpty())
                    continue;
                const QString key = g.feedback.trimmed();
                if (quoted.contains(key))
                    continue;
                quoted.insert(key);
                html += u"<h3>Step %1 · %2</h3>\n"_s.arg(sh.step->step).arg(esc(g.targetNode));
                QString meta = g.sampleIndex >= 0 ? u"from training sample %1"_s.arg(g.sampleIndex)
                                                  : u"from the batch"_s;
                meta += u"; validation %1 → %2"_s.arg(
                    formatScore(sh.before), formatScore(sh.step->valScore));
                html += u"<p class=\"meta\">"_s + meta + u"</p>\n<blockquote>"_s
                    + esc(trimmed(g.feedback, options.critiqueChars)).replace(u'\n', u"<br/>"_s)
                    + u"</blockquote>\n"_s;
                ++count;
                if (++takenHere >= 1 || count >= options.maxCritiques)
                    break;
            }
        }
    }
    if (count == 0)
        html += u"<p class=\"muted\">The accepted steps stored no critiques.</p>\n"_s;
    return html;
}

QString costSection(const CallTotals &totals)
{
    QString html = u"<h2>Calls and cost by phase</h2>\n"_s;
    html += u"<table class=\"grid\" cellspacing=\"0\" cellpadding=\"4\">\n"_s;
    html += row({ u"Phase"_s, u"Calls sent"_s, u"Cost"_s }, u"th"_s);
    const QList<QPair<QString, QString>> phases {
        { u"forward"_s, u"Forward (training batch)"_s },
        { u"loss"_s, u"Loss (judge)"_s },
        { u"backward"_s, u"Backward (critiques)"_s },
        { u"optimizer"_s, u"Optimizer"_s },
        { u"validation"_s, u"Validation"_s },
        { u"test"_s, u"Test"_s },
    };
    // One number of decimals for the whole column, so the amounts line up.
    int decimals = 2;
    for (auto it = totals.costByPurpose.constBegin(); it != totals.costByPurpose.constEnd(); ++it)
        decimals = qMax(decimals, decimalsFor(it.value()));
    for (const auto &phase : phases) {
        const int calls = totals.byPurpose.value(phase.first);
        if (calls == 0)
            continue;
        html += u"<tr><td>%1</td><td class=\"num\">%2</td><td class=\"num\">%3</td></tr>\n"_s
                    .arg(esc(phase.second))
                    .arg(calls)
                    .arg(money(totals.costByPurpose.value(phase.first), decimals));
    }
    html += u"<tr><th>Total</th><th class=\"num\">%1</th><th class=\"num\">%2</th></tr>\n"_s
                .arg(totals.total)
                .arg(money(totals.costUsd, decimals));
    html += u"</table>\n"_s;
    QStringList notes;
    if (totals.unknownCostCalls > 0)
        notes.append(
            u"%1 calls used a model with no known price; their cost is not included."_s.arg(
                totals.unknownCostCalls));
    if (totals.cached > 0)
        notes.append(
            u"%1 answers came from the response cache and cost nothing."_s.arg(totals.cached));
    notes.append(u"Tokens: %1 prompt, %2 completion."_s.arg(totals.promptTokens)
                     .arg(totals.completionTokens));
    html += u"<p class=\"meta\">"_s + notes.join(u' ') + u"</p>\n"_s;
    return html;
}

QString settingsSection(const RunInfo &run)
{
    QString html = u"<h2>Settings</h2>\n"_s;
    const QJsonObject optimizer = run.pipeline.value(u"optimizer"_s).toObject();
    QList<QPair<QString, QString>> rows;
    for (auto it = optimizer.constBegin(); it != optimizer.constEnd(); ++it) {
        QString value;
        if (it.value().isArray()) {
            QStringList items;
            for (const QJsonValue &v : it.value().toArray())
                items.append(esc(Redaction::redact(compact(v))));
            value
                = items.isEmpty() ? u"<span class=\"muted\">none</span>"_s : items.join(u"<br/>"_s);
        } else {
            value = esc(Redaction::redact(compact(it.value())));
        }
        rows.append({ it.key(), value });
    }
    html += u"<h3>Optimizer</h3>\n"_s + keyValueTable(rows);

    // Engines by what identifies them, never by their key settings.
    const QJsonObject engines = run.pipeline.value(u"engines"_s).toObject();
    if (!engines.isEmpty()) {
        html += u"<h3>Engines</h3>\n<table class=\"grid\" cellspacing=\"0\" cellpadding=\"4\">\n"_s;
        html += row({ u"Engine"_s, u"Provider"_s, u"Model"_s, u"Address"_s }, u"th"_s);
        for (auto it = engines.constBegin(); it != engines.constEnd(); ++it) {
            const QJsonObject e = it.value().toObject();
            const QString address = e.value(u"baseUrl"_s).toString();
            html += row({ esc(it.key()), esc(e.value(u"provider"_s).toString()),
                esc(e.value(u"model"_s).toString()),
                address.isEmpty() ? u"<span class=\"muted\">provider default</span>"_s
                                  : esc(Redaction::redact(address)) });
        }
        html += u"</table>\n"_s;
    }

    QList<QPair<QString, QString>> runRows;
    static const QRegularExpression secretName(
        u"key|token|secret|password|auth"_s, QRegularExpression::CaseInsensitiveOption);
    for (auto it = run.settings.constBegin(); it != run.settings.constEnd(); ++it) {
        // Nothing the workbench stores is a secret, but a setting named like one is left out
        // rather than trusted to a pattern.
        if (it.value().isObject() || it.value().isArray() || it.key().contains(secretName))
            continue;
        runRows.append({ it.key(), esc(Redaction::redact(compact(it.value()))) });
    }
    const QStringList splits { u"train"_s, u"validation"_s, u"test"_s };
    QStringList sizes;
    for (const QString &split : splits)
        sizes.append(u"%1 %2"_s.arg(run.data.value(split).toArray().size()).arg(split));
    runRows.append({ u"data"_s, sizes.join(u", "_s) });
    html += u"<h3>Run</h3>\n"_s + keyValueTable(runRows);
    return html;
}

} // namespace

bool RunReport::render(const RunStore &store, const QString &runId, const Options &options,
    QString *html, QString *error)
{
    const RunInfo run = store.run(runId);
    if (run.id.isEmpty()) {
        *error = u"there is no run %1 in this project"_s.arg(runId);
        return false;
    }
    const QJsonObject summary = RunSummary::build(store, runId);
    const QVector<StepRecord> steps = store.steps(runId);
    const QVector<Trainable> params = trainables(run.pipeline);
    const QString title
        = run.pipelineName.isEmpty() ? u"Run report"_s : u"Run report: "_s + run.pipelineName;

    QString page = u"<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\"/>\n<title>"_s
        + esc(title) + u"</title>\n<style>"_s + kStyle + u"</style>\n</head>\n<body>\n"_s;
    page += u"<h1>"_s + esc(title) + u"</h1>\n"_s;
    page += u"<p class=\"meta\">Run %1 · %2 · started %3 UTC</p>\n"_s.arg(
        esc(runId), esc(run.status), run.createdAt.toUTC().toString(u"yyyy-MM-dd HH:mm"_s));
    page += summarySection(run, summary, steps);
    if (!options.curvesPng.isEmpty()) {
        const QString source = options.curvesSource.isEmpty()
            ? u"data:image/png;base64,"_s + QString::fromLatin1(options.curvesPng.toBase64())
            : options.curvesSource.toHtmlEscaped();
        page += u"<h2>Curves</h2>\n<p><img src=\""_s + source
            + u"\" alt=\"Score curves\" width=\"640\"/></p>\n"_s;
    }
    page += promptsSection(params, summary.value(u"finalParameters"_s).toObject());
    page += stepsSection(run, steps, store.testScore(runId));
    page += critiquesSection(store, runId, steps, params, options);
    page += costSection(store.callTotals(runId));
    page += settingsSection(run);
    page += u"<p class=\"muted\">Generated by TextGrad Workbench %1 on %2 UTC.</p>\n"_s.arg(
        QStringLiteral(TEXTGRAD_VERSION),
        QDateTime::currentDateTimeUtc().toString(u"yyyy-MM-dd HH:mm"_s));
    page += u"</body>\n</html>\n"_s;
    *html = page;
    return true;
}
