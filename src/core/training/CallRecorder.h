#pragma once

#include "cost/PriceTable.h"
#include "providers/CallSink.h"
#include "store/RunRecords.h"

#include <QMutex>
#include <QThread>
#include <QThreadPool>
#include <QVector>
#include <QWaitCondition>

#include <functional>
#include <memory>

class RunStore;

// The run's CallSink, and the place where its worker threads meet the store.
// SQLite connections belong to one thread, so worker threads never write: record() hands the
// record to the owner thread (the one that created the recorder and opened the store) and waits
// for its row id. The owner writes while it waits for the workers in runAll(), so every call is
// in the store moments after it ends (a killed run loses none), in batched transactions.
// Every record is priced here, since every call of a run passes through: cached hits cost
// nothing, a call that used no tokens costs nothing, otherwise the price table decides (and may
// not know the model: the cost is then unknown).
class CallRecorder : public CallSink
{
public:
    explicit CallRecorder(RunStore *store,
                          std::shared_ptr<const PriceTable> prices = PriceTable::active());
    ~CallRecorder() override;

    qint64 record(const CallRecord &record) override;

    // Runs every task on a pool, at most `limit` at once, and returns when all have finished.
    // While waiting, writes the records handed in and calls onIdle (progress) after each write.
    void runAll(const QVector<std::function<void()>> &tasks, int limit,
                const std::function<void()> &onWritten = {});

    int written() const;          // calls written so far
    // Running totals of the run, like RunStore::callTotals(): start from what earlier sessions
    // of the run recorded (setBaseTotals) and add every record as it is handed in.
    void setBaseTotals(const CallTotals &totals);
    CallTotals totals() const;
    QString lastError() const;    // a store write that failed (the run then fails)

    static void price(CallRecord *record, const PriceTable *prices);

private:
    struct Pending
    {
        CallRecord record;
        qint64 id = 0;
        bool done = false;
    };
    void drain();
    void addToTotals(const CallRecord &record);   // m_mutex held

    RunStore *m_store;
    std::shared_ptr<const PriceTable> m_prices;
    QThread *m_owner;
    QThreadPool m_pool;
    mutable QMutex m_mutex;
    QWaitCondition m_written;     // workers wait here for their row id
    QWaitCondition m_wake;        // the owner waits here for records or finished tasks
    QVector<Pending *> m_pending;
    int m_running = 0;
    int m_count = 0;
    CallTotals m_totals;
    QString m_error;
};
