#include "history/ResultsMatrix.h"

#include "store/RunStore.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// Scores are means of 0/1 metrics or normalised judge grades; a difference below this is
// rounding, not a different answer.
constexpr double kEpsilon = 1e-9;
constexpr int kPreviewChars = 60;

QMap<QString, QString> initialValues(const QJsonObject &pipeline)
{
    QMap<QString, QString> values;
    for (const QJsonValue &n : pipeline.value(u"nodes"_s).toArray()) {
        const QJsonObject node = n.toObject();
        if (node.value(u"type"_s).toString() == u"parameter"_s
            && node.value(u"trainable"_s).toBool())
            values.insert(node.value(u"id"_s).toString(), node.value(u"value"_s).toString());
    }
    return values;
}

QString valueText(const QJsonValue &value)
{
    return value.isString()
        ? value.toString()
        : QString::fromUtf8(QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact))
              .mid(1)
              .chopped(1);
}

// Fields in the order the pipeline's input nodes read them: the question before the reference
// answer, as the pipeline's author laid them out, rather than alphabetically.
QStringList orderedFields(const QStringList &pipelineOrder, const QJsonObject &fields)
{
    QStringList order;
    for (const QString &name : pipelineOrder) {
        if (fields.contains(name) && !order.contains(name))
            order.append(name);
    }
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it) {
        if (!order.contains(it.key()))
            order.append(it.key());
    }
    return order;
}

QString previewOf(const QStringList &pipelineOrder, const QJsonObject &fields)
{
    QStringList parts;
    for (const QString &name : orderedFields(pipelineOrder, fields))
        parts.append(name + u": "_s + valueText(fields.value(name)).simplified());
    QString text = parts.join(u" · "_s);
    if (text.size() > kPreviewChars)
        text = text.left(kPreviewChars - 1) + u'…';
    return text;
}

QString columnLabel(const QString &split, int step, int lastStep)
{
    if (split == u"test"_s)
        return step == lastStep ? u"Final"_s : u"After step %1"_s.arg(step);
    if (step == 0)
        return u"Initial"_s;
    return u"Step %1"_s.arg(step);
}

QString textOf(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    // Content as parts ([{"type": "text", "text": ...}] or Gemini's [{"text": ...}]).
    QStringList texts;
    for (const QJsonValue &part : content.toArray())
        texts.append(
            part.isString() ? part.toString() : part.toObject().value(u"text"_s).toString());
    return texts.join(u'\n');
}

} // namespace

double ResultsMatrix::defaultThreshold(const QJsonObject &pipeline)
{
    const QString objective = pipeline.value(u"objective"_s).toString();
    for (const QJsonValue &n : pipeline.value(u"nodes"_s).toArray()) {
        const QJsonObject node = n.toObject();
        if (node.value(u"id"_s).toString() == objective)
            return node.value(u"type"_s).toString() == u"judge"_s ? 0.75 : 1.0;
    }
    return 1.0;
}

ResultsMatrix ResultsMatrix::load(const RunStore &store, const QString &runId, const QString &split)
{
    ResultsMatrix matrix;
    matrix.m_split = split;
    const RunInfo run = store.run(runId);
    if (run.id.isEmpty()) {
        matrix.m_error = store.lastError().isEmpty()
            ? u"there is no run %1 in this project"_s.arg(runId)
            : store.lastError();
        return matrix;
    }
    matrix.m_runId = runId;
    matrix.m_pipelineName = run.pipelineName;
    matrix.m_defaultThreshold = defaultThreshold(run.pipeline);
    for (const QJsonValue &n : run.pipeline.value(u"nodes"_s).toArray()) {
        const QJsonObject node = n.toObject();
        const QString type = node.value(u"type"_s).toString();
        if (type == u"input"_s)
            matrix.m_fieldOrder.append(node.value(u"field"_s).toString());
        else if (type == u"llm"_s)
            matrix.m_outputNodes.append(node.value(u"id"_s).toString());
    }

    const QVector<RunStore::ResultScore> scores = store.resultScores(runId, split);
    const QVector<StepRecord> steps = store.steps(runId);

    // Columns: every step at which the split was evaluated.
    QVector<int> columnSteps;
    QSet<int> seenSteps;
    for (const RunStore::ResultScore &s : scores) {
        if (!seenSteps.contains(s.step)) {
            seenSteps.insert(s.step);
            columnSteps.append(s.step);
        }
    }
    std::sort(columnSteps.begin(), columnSteps.end());
    QHash<int, int> stepIndex;
    for (int i = 0; i < steps.size(); ++i)
        stepIndex.insert(steps.at(i).step, i);
    const int lastStep = steps.isEmpty() ? 0 : steps.last().step;
    const QMap<QString, QString> initial = initialValues(run.pipeline);
    // The values in effect after a step (what the next step and the test use).
    const auto valuesAfter = [&](int step) {
        QMap<QString, QString> values = initial;
        for (const StepRecord &s : steps) {
            if (s.step > step)
                break;
            values = s.current;
        }
        return values;
    };

    QHash<int, int> columnOfStep;
    for (int step : columnSteps) {
        MatrixColumn column;
        column.step = step;
        column.initial = step == 0;
        column.label = columnLabel(split, step, lastStep);
        const auto it = stepIndex.constFind(step);
        if (split == u"validation"_s) {
            // A step's validation scored its candidate; step 0 scored the initial values.
            column.values = step == 0 || it == stepIndex.constEnd()
                ? initial
                : steps.at(it.value()).candidate;
            if (it != stepIndex.constEnd())
                column.accepted = steps.at(it.value()).accepted;
        } else if (split == u"train"_s) {
            // A step's batch ran with the values in effect before it.
            column.values = valuesAfter(step - 1);
            if (it != stepIndex.constEnd())
                column.accepted = steps.at(it.value()).accepted;
        } else {
            column.values = valuesAfter(step);
        }
        columnOfStep.insert(step, int(matrix.m_columns.size()));
        matrix.m_columns.append(column);
    }

    // Rows: samples in index order (the query sorts by sample first).
    QHash<int, int> rowOfSample;
    const QJsonArray dataRows = run.data.value(split).toArray();
    for (const RunStore::ResultScore &s : scores) {
        if (rowOfSample.contains(s.sampleIndex))
            continue;
        MatrixRow row;
        row.sampleIndex = s.sampleIndex;
        row.line = s.line;
        if (s.sampleIndex >= 0 && s.sampleIndex < dataRows.size())
            row.fields = dataRows.at(s.sampleIndex).toObject().value(u"fields"_s).toObject();
        row.preview = previewOf(matrix.m_fieldOrder, row.fields);
        rowOfSample.insert(s.sampleIndex, int(matrix.m_rows.size()));
        matrix.m_rows.append(row);
    }

    const int columnCount = int(matrix.m_columns.size());
    matrix.m_cells.resize(matrix.m_rows.size() * columnCount);
    QVector<double> sums(columnCount, 0.0);
    QVector<int> counts(columnCount, 0);
    for (const RunStore::ResultScore &s : scores) {
        const int r = rowOfSample.value(s.sampleIndex);
        const int c = columnOfStep.value(s.step);
        MatrixCell &cell = matrix.m_cells[r * columnCount + c];
        cell.present = true;
        cell.failed = s.failed;
        cell.score = s.score;
        sums[c] += hasScore(s.score) ? s.score : 0.0;
        ++counts[c];
    }
    for (int c = 0; c < columnCount; ++c) {
        if (counts.at(c) > 0)
            matrix.m_columns[c].meanScore = sums.at(c) / counts.at(c);
    }
    return matrix;
}

const MatrixCell &ResultsMatrix::cell(int row, int column) const
{
    return m_cells.at(row * int(m_columns.size()) + column);
}

CellOutcome ResultsMatrix::outcome(int row, int column, double threshold) const
{
    const MatrixCell &c = cell(row, column);
    if (!c.present)
        return CellOutcome::Missing;
    if (c.failed)
        return CellOutcome::Error;
    return hasScore(c.score) && c.score + kEpsilon >= threshold ? CellOutcome::Pass
                                                                : CellOutcome::Fail;
}

bool ResultsMatrix::rowHasFailure(int row, double threshold) const
{
    for (int c = 0; c < columnCount(); ++c) {
        const CellOutcome o = outcome(row, c, threshold);
        if (o == CellOutcome::Fail || o == CellOutcome::Error)
            return true;
    }
    return false;
}

bool ResultsMatrix::rowChanged(int row, double threshold) const
{
    bool anyPass = false;
    bool anyFail = false;
    for (int c = 0; c < columnCount(); ++c) {
        const CellOutcome o = outcome(row, c, threshold);
        anyPass = anyPass || o == CellOutcome::Pass;
        anyFail = anyFail || o == CellOutcome::Fail || o == CellOutcome::Error;
    }
    return anyPass && anyFail;
}

QVector<RenderedMessage> ResultsMatrix::renderedMessages(const QString &requestJson)
{
    QVector<RenderedMessage> messages;
    const QJsonObject body = QJsonDocument::fromJson(requestJson.toUtf8()).object();
    // Anthropic keeps the system prompt apart; Gemini too, as parts.
    if (body.contains(u"system"_s))
        messages.append({ u"system"_s, textOf(body.value(u"system"_s)) });
    if (body.contains(u"systemInstruction"_s))
        messages.append({ u"system"_s,
            textOf(body.value(u"systemInstruction"_s).toObject().value(u"parts"_s)) });
    for (const QJsonValue &m : body.value(u"messages"_s).toArray()) {
        const QJsonObject message = m.toObject();
        messages.append(
            { message.value(u"role"_s).toString(), textOf(message.value(u"content"_s)) });
    }
    for (const QJsonValue &m : body.value(u"contents"_s).toArray()) {
        const QJsonObject message = m.toObject();
        const QString role = message.value(u"role"_s).toString();
        messages.append(
            { role == u"model"_s ? u"assistant"_s : role, textOf(message.value(u"parts"_s)) });
    }
    return messages;
}

MatrixCellDetails ResultsMatrix::details(
    const RunStore &store, const ResultsMatrix &matrix, int row, int column, double threshold)
{
    MatrixCellDetails d;
    if (row < 0 || row >= matrix.rowCount() || column < 0 || column >= matrix.columnCount())
        return d;
    const MatrixRow &r = matrix.row(row);
    const MatrixColumn &c = matrix.column(column);
    d.runId = matrix.runId();
    d.split = matrix.split();
    d.step = c.step;
    d.columnLabel = c.label;
    d.sampleIndex = r.sampleIndex;
    d.line = r.line;
    d.inputs = r.fields;
    d.fieldOrder = orderedFields(matrix.fieldOrder(), r.fields);
    d.outputNodes = matrix.outputNodes();
    d.parameterValues = c.values;
    d.threshold = threshold;
    d.outcome = matrix.outcome(row, column, threshold);
    if (d.outcome == CellOutcome::Missing)
        return d;
    d.result = store.sampleResult(d.runId, d.step, d.split, d.sampleIndex);
    d.found = d.result.sampleIndex >= 0;

    for (const StoredCall &stored : store.sampleCalls(d.runId, d.step, d.split, d.sampleIndex)) {
        const CallRecord &record = stored.record;
        CellCall call;
        call.id = stored.id;
        call.purpose = callPurposeName(record.tag.purpose);
        call.nodeId = record.tag.nodeId;
        call.engine = record.engineName;
        call.model = record.model;
        call.attempt = record.attempt;
        call.cached = record.cached;
        call.promptTokens = record.promptTokens;
        call.completionTokens = record.completionTokens;
        call.tokensEstimated = record.tokensEstimated;
        call.latencyMs = record.latencyMs;
        call.costUsd = record.costUsd;
        call.costKnown = record.costKnown;
        call.error = record.error;
        call.messages = renderedMessages(record.requestJson);
        call.reply = record.replyText;
        d.calls.append(call);

        if (record.cached) {
            ++d.cachedCalls;
            continue;
        }
        ++d.callsSent;
        d.promptTokens += record.promptTokens;
        d.completionTokens += record.completionTokens;
        d.latencyMs += record.latencyMs;
        if (record.costKnown)
            d.costUsd += record.costUsd;
        else
            ++d.unknownCostCalls;
    }
    return d;
}

ResultsMatrix ResultsMatrix::loadFile(
    const QString &storePath, const QString &runId, const QString &split)
{
    RunStore store;
    QString error;
    if (!store.open(storePath, &error)) {
        ResultsMatrix matrix;
        matrix.m_split = split;
        matrix.m_error = error;
        return matrix;
    }
    return load(store, runId, split);
}

MatrixCellDetails ResultsMatrix::detailsFromFile(
    const QString &storePath, const ResultsMatrix &matrix, int row, int column, double threshold)
{
    RunStore store;
    if (!store.open(storePath, nullptr))
        return {};
    return details(store, matrix, row, column, threshold);
}
