#pragma once

#include "data/Dataset.h"
#include "history/HistoryRecords.h"
#include "providers/ChatTypes.h"
#include "store/RunRecords.h"

#include <QJsonObject>
#include <QString>
#include <QVector>

// A call as stored, with its row id: the key for keyset paging through a run's calls.
struct StoredCall
{
    qint64 id = 0;
    CallRecord record;
};

// What the calls of one step cost, for curves plotted against cost or tokens. Calls answered
// from the cache cost nothing and count in `cached` only.
struct StepUsage
{
    int step = 0;
    bool test = false;         // the final test evaluation, tagged with the last step's number
    int calls = 0;
    int cached = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    double costUsd = 0.0;      // known prices only
    int unknownCostCalls = 0;
};

// A dataset as kept in the project file. Listing fills everything but `data.rows`.
struct StoredDataset
{
    qint64 id = 0;
    QString name;
    int rowCount = 0;
    QJsonObject split;     // SplitSettings::toJson()
    QJsonObject mapping;   // FieldMapping::toJson()
    Dataset data;          // sourcePath, columns, and rows when read with dataset()
};

// The project file: one SQLite database holding pipelines, runs, steps, per-sample results,
// gradients, prompt versions, events and every provider call. WAL, foreign keys, a schema
// version (PRAGMA user_version) with migrations applied on open.
//
// A RunStore owns one named connection and must be used from the thread that opened it.
// Writers on other threads open their own RunStore on the same file.
class RunStore
{
public:
    static constexpr int kSchemaVersion = 3;

    RunStore();
    ~RunStore();
    RunStore(const RunStore &) = delete;
    RunStore &operator=(const RunStore &) = delete;

    bool open(const QString &path, QString *error);   // creates parent dirs and the schema
    void close();
    bool isOpen() const;
    QString path() const { return m_path; }
    int schemaVersion() const;
    QString lastError() const { return m_lastError; }

    // Pipelines (the GUI's documents; the CLI stores the snapshot on the run).
    qint64 savePipeline(const QString &name, const QJsonObject &json, qint64 id = 0);
    QJsonObject pipeline(qint64 id) const;
    QVector<QPair<qint64, QString>> pipelines() const;
    // The project as a whole (RunStoreProject.cpp).
    bool removePipeline(qint64 id);
    qint64 latestPipelineId() const;        // most recently saved; 0 when there is none
    qint64 latestDatasetId() const;         // most recently saved; 0 when there is none
    // Writes a compact copy of the whole file (runs, cache, everything) to a path that must not
    // exist yet, consistent even while this connection has uncommitted WAL pages.
    bool copyTo(const QString &path, QString *error);

    // Runs
    bool createRun(const RunInfo &run);                  // run.id must be set
    bool updateRun(const QString &id, const QString &status, const QString &error = QString());
    bool setInitialValScore(const QString &id, double score);
    bool runExists(const QString &id) const;
    RunInfo run(const QString &id) const;
    QVector<RunInfo> runs() const;                       // newest first, without data blobs

    // Steps (one transaction each). Saving a step number again replaces that step and its rows;
    // a step's versions, samples, gradients and events are stored under the step's number.
    bool saveStep(const QString &runId, const StepRecord &step);
    QVector<StepRecord> steps(const QString &runId, bool withDetails = false) const;

    // Results outside steps (initial validation at step 0, final test)
    bool saveSampleResults(const QString &runId, const QVector<SampleResult> &results);
    QVector<SampleResult> sampleResults(const QString &runId, int step, const QString &split) const;
    bool saveEvents(const QString &runId, const QVector<RunEvent> &events);
    QVector<RunEvent> events(const QString &runId) const;
    bool setTestScore(const QString &id, double score);
    double testScore(const QString &id) const;

    // Calls: appended in one transaction per batch; returns the new row ids in order.
    QVector<qint64> appendCalls(const QVector<CallRecord> &calls);
    QVector<CallRecord> calls(const QString &runId) const;
    // One page of a run's calls with id > afterId, in id order (keyset pagination for views
    // that must not load 100,000 calls at once). Pass the last id of a page to get the next.
    QVector<StoredCall> callsAfter(const QString &runId, qint64 afterId, int limit) const;
    // Cached hits count in `cached` only: they add nothing to total, byPurpose or the tokens.
    CallTotals callTotals(const QString &runId) const;
    QVector<GradientRecord> gradients(const QString &runId, int step = -1) const;
    QVector<PromptVersion> promptVersions(const QString &runId) const;

    // Datasets (RunStoreDatasets.cpp). Saving with an id replaces that dataset and keeps the id;
    // returns the id, 0 on failure.
    qint64 saveDataset(const StoredDataset &dataset);
    StoredDataset dataset(qint64 id) const;         // id 0 when there is none
    QVector<StoredDataset> datasets() const;        // by name, without rows
    bool removeDataset(qint64 id);

    // ---- Results matrix and export (RunStoreResults.cpp) ------------------------------------
    // One sample's score in one evaluation, without its texts: enough to lay out a results
    // matrix of a long run without reading every output.
    struct ResultScore
    {
        int step = 0;
        int sampleIndex = 0;
        int line = 0;
        double score = noScore();
        bool failed = false;   // a provider error: the sample has no real score
    };
    // What the calls for one sample at one step (of one split) used, cached hits excluded.
    struct SampleCallTotals
    {
        int step = 0;
        int sampleIndex = 0;
        int calls = 0;
        qint64 promptTokens = 0;
        qint64 completionTokens = 0;
        qint64 latencyMs = 0;
        double costUsd = 0.0;
        int unknownCostCalls = 0;
    };
    // Scores of a split across every step, by sample then step.
    QVector<ResultScore> resultScores(const QString &runId, const QString &split) const;
    // One result with its texts; sampleIndex is -1 in the answer when there is none.
    SampleResult sampleResult(const QString &runId, int step, const QString &split,
                              int sampleIndex) const;
    // Every result of a run with its texts: validation, train, test, then the rest; by step and
    // sample within each.
    QVector<SampleResult> allSampleResults(const QString &runId) const;
    // The calls (every attempt) made for one sample of a split at one step, in id order.
    QVector<StoredCall> sampleCalls(const QString &runId, int step, const QString &split,
                                    int sampleIndex) const;
    // Totals per (step, sample) of a split's calls, by step then sample.
    QVector<SampleCallTotals> sampleCallTotals(const QString &runId, const QString &split) const;
    // ---- end of results matrix and export -------------------------------------------------

    // ---- Curves and run comparison (RunStoreCurves.cpp) ----
    // Usage of a run's calls grouped by step, test calls apart, in step order; one aggregate
    // query, so plotting against cost needs no call rows.
    QVector<StepUsage> stepUsage(const QString &runId) const;
    // ---- end of curves block ----

    // ---- Critique history and prompt versions (RunStoreHistory.cpp) --------------------------
    // Reads for views over 1,000 steps and 100,000 calls: lists are keyset pages that read no
    // large column, details are read one step at a time; all go through the (run_id, step)
    // indexes. A non-empty `search` is a case-insensitive (ASCII) substring match over gradient
    // feedback and conversations and the optimizer's replies and proposed values: a scan of the
    // run's text, so run it off the GUI thread. Each of these clears lastError() first, so
    // after one of them lastError() is empty unless that read failed.
    //
    // Steps with step > afterStep, in step order, at most `limit` (pass -1 for the first page).
    QVector<StepSummary> stepSummaries(const QString &runId, int afterStep, int limit,
                                       const QString &search = QString()) const;
    StepDetails stepDetails(const QString &runId, int step) const;   // found == false if none
    // Gradients matching `search` (their feedback, their conversation, or the optimizer reply
    // they fed), with id > afterId in id order.
    QVector<GradientHit> searchGradients(const QString &runId, const QString &search,
                                         qint64 afterId, int limit) const;
    QStringList versionedNodes(const QString &runId) const;          // parameters with versions
    QVector<NodeVersion> nodeVersions(const QString &runId, const QString &nodeId) const;
    // The gradients that targeted one node at the given steps (the critiques behind a version).
    QVector<GradientRecord> nodeGradients(const QString &runId, const QString &nodeId,
                                          const QVector<int> &steps) const;
    HistoryCounts historyCounts(const QString &runId) const;
    // ---- end of critique history ---------------------------------------------------------------

    // ---- Run queue and resumable runs (RunStoreQueue.cpp; the workbench's background runs) ----
    // Runs with this status, oldest first (the queue's order), without data blobs.
    QVector<RunInfo> runsWithStatus(const QString &status) const;
    // Moves a queued run to "running". True only for the one caller that did it, so two
    // windows on the same project never start the same queued run.
    bool claimQueuedRun(const QString &id);
    // Deletes a run that is still queued (never one that started).
    bool removeQueuedRun(const QString &id);
    // Replaces a run's settings (e.g. a raised budget before resuming).
    bool setRunSettings(const QString &id, const QJsonObject &settings);
    // ---- end of run queue ----

private:
    bool migrate(QString *error);
    QString m_connection;
    QString m_path;
    mutable QString m_lastError;
};
