#pragma once

#include "providers/ChatTypes.h"

// Receives every attempt a client makes. Implementations must be thread-safe: clients call
// record() from whatever worker thread made the call. Returns an id for the record (0 if none).
class CallSink
{
public:
    virtual ~CallSink() = default;
    virtual qint64 record(const CallRecord &record) = 0;
};
