#pragma once

#include "providers/CallSink.h"

#include <QMutex>
#include <QMutexLocker>
#include <QVector>

// Keeps every record a client hands it, from any thread, as the run store would. Returns ids
// 1001, 1002, ... so tests can check that a record's id reaches ChatResult::callId.
class RecordingSink : public CallSink
{
public:
    static constexpr qint64 kFirstId = 1001;

    qint64 record(const CallRecord &record) override
    {
        QMutexLocker lock(&m_mutex);
        m_records.append(record);
        return kFirstId - 1 + m_records.size();
    }
    QVector<CallRecord> records() const
    {
        QMutexLocker lock(&m_mutex);
        return m_records;
    }

private:
    mutable QMutex m_mutex;
    QVector<CallRecord> m_records;
};
