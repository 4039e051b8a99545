#pragma once

#include "data/Dataset.h"
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
