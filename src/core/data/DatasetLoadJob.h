#pragma once

#include "data/Dataset.h"

#include <QFutureWatcher>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>

// What a load produced. A file with a few bad rows still loads: the bad rows are left out and
// named in `errors` ("file:line: message"); `ok` is false only when nothing usable was read
// (unreadable file, broken header, too many bad rows).
struct DatasetLoadResult
{
    QString path;
    bool ok = false;
    Dataset dataset;
    QStringList errors;
    int skippedRows = 0;
    qint64 elapsedMs = 0;
};
Q_DECLARE_METATYPE(DatasetLoadResult)

// Loads a dataset file on the global thread pool, so that reading and parsing 100,000 rows
// never stalls the GUI thread. The job object itself lives on the thread that created it and
// signals there; the parsing runs on a pool thread and hands back a value.
//
// Starting a new load while one runs supersedes it: the old result is dropped when it arrives.
class DatasetLoadJob : public QObject
{
    Q_OBJECT

public:
    // Bad rows collected before giving up on a file (each costs a re-parse, see the .cpp).
    static constexpr int kMaxBadRows = 20;

    explicit DatasetLoadJob(QObject *parent = nullptr);
    ~DatasetLoadJob() override;

    void start(const QString &path);
    bool isRunning() const;
    QString path() const { return m_path; }

    // The whole load, on the calling thread (the CLI and the job's worker use it).
    static DatasetLoadResult loadNow(const QString &path);

signals:
    void started(const QString &path);
    void progress(int percent);
    void finished(const DatasetLoadResult &result);

private:
    void onFinished();

    QFutureWatcher<DatasetLoadResult> *m_watcher = nullptr;
    QString m_path;
};
