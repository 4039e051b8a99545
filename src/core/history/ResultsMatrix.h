#pragma once

#include "store/RunRecords.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QVector>

class RunStore;

// How one sample fared under one prompt version.
enum class CellOutcome {
    Missing, // not evaluated there (a training batch that did not draw the sample)
    Pass, // score >= the threshold
    Fail,
    Error // a provider error: the sample has no real score
};

// A prompt version as a column: the values one evaluation of the split used.
struct MatrixColumn {
    int step = 0;
    QString label; // "Initial", "Step 3", "Final"
    bool initial = false; // step 0: the values the run started with
    bool accepted = true; // false: the step's candidate was rejected by validation
    double meanScore = noScore(); // over the samples evaluated in this column
    QMap<QString, QString> values; // trainable parameter -> value evaluated
};

struct MatrixRow {
    int sampleIndex = 0; // index in the split
    int line = 0; // line in the dataset file
    QJsonObject fields; // the dataset row, when the run kept it
    QString preview; // "question: 3+4 · answer: 7", cut short
};

struct MatrixCell {
    bool present = false;
    bool failed = false; // provider error
    double score = noScore();
};

// A message as it was sent, read back from the stored (redacted) request body.
struct RenderedMessage {
    QString role;
    QString content;
};

// One call made for a cell's sample: the prompt as rendered, the reply, what it used.
struct CellCall {
    qint64 id = 0;
    QString purpose;
    QString nodeId;
    QString engine;
    QString model;
    int attempt = 1;
    bool cached = false;
    int promptTokens = 0;
    int completionTokens = 0;
    bool tokensEstimated = false;
    qint64 latencyMs = 0;
    double costUsd = 0.0;
    bool costKnown = false;
    QString error;
    QVector<RenderedMessage> messages;
    QString reply;
};

// Everything the results drawer shows for one cell.
struct MatrixCellDetails {
    bool found = false; // false: no result stored for this cell
    QString runId;
    QString split;
    int step = 0;
    QString columnLabel;
    int sampleIndex = 0;
    int line = 0;
    QJsonObject inputs;
    QStringList fieldOrder; // inputs in the order the pipeline reads them
    QStringList outputNodes; // the llm nodes, in pipeline order: the outputs to show
    QMap<QString, QString> parameterValues;
    SampleResult result; // outputs per node, score, evaluation (judge reasoning)
    CellOutcome outcome = CellOutcome::Missing;
    double threshold = 1.0;
    QVector<CellCall> calls; // in the order they were made
    // Totals over the calls sent (cached hits cost nothing and are counted apart).
    int callsSent = 0;
    int cachedCalls = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 latencyMs = 0;
    double costUsd = 0.0;
    int unknownCostCalls = 0;
};

// Samples x prompt versions of one split of a run: the scores only, so a long run lays out
// quickly; a cell's texts and calls are read when it is opened (details()).
//
// Columns are the evaluations of the split in step order: for validation, step 0 (the initial
// values) then every step whose candidate was scored; for test, the final evaluation; for
// train, each step's batch (so most cells are Missing).
class ResultsMatrix {
public:
    // Reads the matrix; isValid() is false with error() set when the run does not exist or the
    // store fails. A run with no results for the split is valid and empty.
    static ResultsMatrix load(const RunStore &store, const QString &runId,
        const QString &split = QStringLiteral("validation"));
    // Pass threshold for a pipeline's objective: 1.0 for a metric (scores are 0 or 1, or a
    // fraction where only 1 is right); 0.75 for an LLM judge, that is 4 on a 1-5 rubric, since
    // a judge rarely gives every criterion full marks to an acceptable answer.
    static double defaultThreshold(const QJsonObject &pipeline);
    // Reads one cell's result, calls and rendered prompts.
    static MatrixCellDetails details(
        const RunStore &store, const ResultsMatrix &matrix, int row, int column, double threshold);
    // The same two on a connection of their own to the project file, for a worker thread.
    static ResultsMatrix loadFile(const QString &storePath, const QString &runId,
        const QString &split = QStringLiteral("validation"));
    static MatrixCellDetails detailsFromFile(const QString &storePath, const ResultsMatrix &matrix,
        int row, int column, double threshold);
    // The messages of a stored request body, whatever the provider's dialect (OpenAI-style
    // "messages", Anthropic "system", Gemini "contents"/"systemInstruction").
    static QVector<RenderedMessage> renderedMessages(const QString &requestJson);

    bool isValid() const { return m_error.isEmpty() && !m_runId.isEmpty(); }
    QString error() const { return m_error; }
    QString runId() const { return m_runId; }
    QString split() const { return m_split; }
    QString pipelineName() const { return m_pipelineName; }
    double defaultThreshold() const { return m_defaultThreshold; }
    // Dataset fields in the order the pipeline's input nodes name them, then any others.
    QStringList fieldOrder() const { return m_fieldOrder; }
    QStringList outputNodes() const { return m_outputNodes; }
    bool isEmpty() const { return m_rows.isEmpty() || m_columns.isEmpty(); }

    int rowCount() const { return int(m_rows.size()); }
    int columnCount() const { return int(m_columns.size()); }
    const QVector<MatrixRow> &rows() const { return m_rows; }
    const QVector<MatrixColumn> &columns() const { return m_columns; }
    const MatrixRow &row(int r) const { return m_rows.at(r); }
    const MatrixColumn &column(int c) const { return m_columns.at(c); }
    const MatrixCell &cell(int row, int column) const;

    CellOutcome outcome(int row, int column, double threshold) const;
    // Any evaluated cell of the row failed (or errored).
    bool rowHasFailure(int row, double threshold) const;
    // The row passes in some evaluated cells and fails in others.
    bool rowChanged(int row, double threshold) const;

private:
    QString m_runId;
    QString m_split;
    QString m_pipelineName;
    QString m_error;
    double m_defaultThreshold = 1.0;
    QStringList m_fieldOrder;
    QStringList m_outputNodes;
    QVector<MatrixRow> m_rows;
    QVector<MatrixColumn> m_columns;
    QVector<MatrixCell> m_cells; // row-major
};
