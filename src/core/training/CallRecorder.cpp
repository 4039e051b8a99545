#include "training/CallRecorder.h"

#include "store/RunStore.h"

#include <QMutexLocker>

CallRecorder::CallRecorder(RunStore *store, std::shared_ptr<const PriceTable> prices)
    : m_store(store)
    , m_prices(std::move(prices))
    , m_owner(QThread::currentThread())
{
}

void CallRecorder::price(CallRecord *record, const PriceTable *prices)
{
    if (record->cached || (record->promptTokens <= 0 && record->completionTokens <= 0)) {
        record->costUsd = 0.0;
        record->costKnown = true;
        return;
    }
    const std::optional<double> cost = prices
        ? prices->cost(record->provider, record->baseUrl, record->model, record->promptTokens,
                       record->completionTokens)
        : std::nullopt;
    record->costKnown = cost.has_value();
    record->costUsd = cost.value_or(0.0);
}

CallRecorder::~CallRecorder()
{
    m_pool.waitForDone();
}

qint64 CallRecorder::record(const CallRecord &call)
{
    CallRecord record = call;
    price(&record, m_prices.get());
    {
        QMutexLocker lock(&m_mutex);
        addToTotals(record);
    }
    if (QThread::currentThread() == m_owner) {
        const QVector<qint64> ids = m_store ? m_store->appendCalls({record}) : QVector<qint64>();
        QMutexLocker lock(&m_mutex);
        ++m_count;
        if (m_store && ids.isEmpty())
            m_error = m_store->lastError();
        return ids.value(0);
    }
    Pending pending;
    pending.record = record;
    QMutexLocker lock(&m_mutex);
    m_pending.append(&pending);
    m_wake.wakeAll();
    while (!pending.done)
        m_written.wait(&m_mutex);
    return pending.id;
}

void CallRecorder::drain()
{
    QVector<Pending *> batch;
    {
        QMutexLocker lock(&m_mutex);
        batch.swap(m_pending);
    }
    if (batch.isEmpty())
        return;
    QVector<CallRecord> records;
    records.reserve(batch.size());
    for (const Pending *p : batch)
        records.append(p->record);
    const QVector<qint64> ids = m_store ? m_store->appendCalls(records) : QVector<qint64>();
    QMutexLocker lock(&m_mutex);
    if (m_store && ids.size() != records.size())
        m_error = m_store->lastError();
    for (int i = 0; i < batch.size(); ++i) {
        batch[i]->id = ids.value(i);
        batch[i]->done = true;
    }
    m_count += batch.size();
    m_written.wakeAll();
}

void CallRecorder::runAll(const QVector<std::function<void()>> &tasks, int limit,
                          const std::function<void()> &onWritten)
{
    if (tasks.isEmpty())
        return;
    m_pool.setMaxThreadCount(qMax(1, limit));
    {
        QMutexLocker lock(&m_mutex);
        m_running = tasks.size();
    }
    for (const std::function<void()> &task : tasks) {
        m_pool.start([this, task] {
            task();
            QMutexLocker lock(&m_mutex);
            --m_running;
            m_wake.wakeAll();
        });
    }
    for (;;) {
        bool havePending = false;
        bool finished = false;
        {
            QMutexLocker lock(&m_mutex);
            while (m_pending.isEmpty() && m_running > 0)
                m_wake.wait(&m_mutex);
            havePending = !m_pending.isEmpty();
            finished = m_running == 0;
        }
        if (havePending) {
            drain();
            if (onWritten)
                onWritten();
        } else if (finished) {
            break;
        }
    }
    m_pool.waitForDone();
}

void CallRecorder::addToTotals(const CallRecord &r)
{
    // Same rules as RunStore::callTotals(), so live figures agree with the stored ones.
    if (!r.error.isEmpty())
        ++m_totals.errors;
    if (r.cached) {
        ++m_totals.cached;
        return;
    }
    const QString purpose = callPurposeName(r.tag.purpose);
    ++m_totals.total;
    ++m_totals.byPurpose[purpose];
    m_totals.promptTokens += r.promptTokens;
    m_totals.completionTokens += r.completionTokens;
    if (r.costKnown) {
        m_totals.costUsd += r.costUsd;
        m_totals.costByPurpose[purpose] += r.costUsd;
    } else {
        ++m_totals.unknownCostCalls;
    }
}

void CallRecorder::setBaseTotals(const CallTotals &totals)
{
    QMutexLocker lock(&m_mutex);
    m_totals = totals;
}

CallTotals CallRecorder::totals() const
{
    QMutexLocker lock(&m_mutex);
    return m_totals;
}

int CallRecorder::written() const
{
    QMutexLocker lock(&m_mutex);
    return m_count;
}

QString CallRecorder::lastError() const
{
    QMutexLocker lock(&m_mutex);
    return m_error;
}
