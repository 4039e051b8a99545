#pragma once

#include "history/HistoryWorker.h"

#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>
#include <functional>

class RunStore;

// Runs the history views' store queries off the GUI thread and hands the results back on it.
//
// Two worker threads, each with its own connection to the project file: the Browse lane for
// the quick reads (a page of steps, one step's details, a parameter's versions), the Search
// lane for text searches, which scan the run and may take a second on a large project. A slow
// search therefore never holds up a click on a step.
//
// A request is a query (a function of the worker's RunStore, run on the worker thread; it must
// capture values only) and a completion (run on the loader's thread). The completion is dropped
// if its context object was destroyed meanwhile, or if `wanted` (checked on the worker before
// the query runs, so it must be thread-safe) says the request was superseded. The error passed
// to the completion is the store's lastError() after the query (the history reads clear it
// first) or why the project file could not be opened.
//
// The loader must live on the GUI thread; its destructor stops both threads.
class HistoryLoader : public QObject {
    Q_OBJECT

public:
    enum class Lane { Browse, Search };

    explicit HistoryLoader(QObject *parent = nullptr);
    ~HistoryLoader() override;

    void setStorePath(const QString &path);
    QString storePath() const { return m_path; }

    template<typename Result>
    void request(Lane lane, QObject *context, std::function<Result(RunStore &)> query,
        std::function<void(const Result &, const QString &error)> done,
        std::function<bool()> wanted = {})
    {
        QPointer<QObject> guard(context);
        HistoryWorker *worker = workerFor(lane);
        QMetaObject::invokeMethod(
            worker,
            [this, worker, guard, query, done, wanted] {
                if (wanted && !wanted())
                    return;
                QString error;
                Result result {};
                if (RunStore *store = worker->store(&error)) {
                    result = query(*store);
                    error = store->lastError();
                }
                // Posted to the loader, which outlives its threads; the context may not.
                QMetaObject::invokeMethod(
                    this,
                    [guard, done, result, error] {
                        if (guard)
                            done(result, error);
                    },
                    Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
    }

private:
    HistoryWorker *workerFor(Lane lane) const;

    QString m_path;
    QThread m_browseThread;
    QThread m_searchThread;
    HistoryWorker *m_browse = nullptr;
    HistoryWorker *m_search = nullptr;
};
