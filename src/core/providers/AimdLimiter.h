#pragma once

#include "providers/ChatTypes.h"

#include <QMutex>
#include <QWaitCondition>

// How many requests one engine may have in flight, adapted to what the server tolerates:
// additive increase, multiplicative decrease (the rule TCP uses for its congestion window).
// A 429 halves the limit (never below 1); a run of consecutive successes raises it by one
// (never above the maximum). So a rate-limited run slows down instead of failing, and speeds
// up again once the server keeps up.
// Thread-safe: acquire() blocks worker threads; the other functions are called from the
// worker thread that saw an attempt end.
class AimdLimiter
{
public:
    struct Settings
    {
        int initialLimit = 4;      // the run's concurrency
        int maxLimit = 4;          // never above this (raised to initialLimit if lower)
        int increaseAfter = 5;     // consecutive successes that earn one more slot
    };

    struct Snapshot
    {
        int limit = 0;
        int maxLimit = 0;
        int inFlight = 0;
        int waiting = 0;           // callers blocked in acquire()
        int decreases = 0;         // times the limit was cut
        int increases = 0;         // times it was raised
        int lowestLimit = 0;       // the smallest limit so far
    };

    explicit AimdLimiter(const Settings &settings);

    // Blocks until a slot is free; false when cancel was set first (checked every few tens of
    // milliseconds, so a cancelled caller returns promptly without spinning). *admitted gets
    // the number of cuts made so far, for onRateLimited().
    bool acquire(const CancelFlag &cancel, int *admitted = nullptr);
    void release();

    // One attempt ended with 429. `admitted` (from acquire(); -1: always counts) lets a burst
    // count once: a call admitted before the last cut was sent under the old limit, and its
    // 429s (its retries' too) say nothing about the new one. Counting them would cut the limit
    // again for every refused request of one burst, down to 1, and recovery would take long.
    void onRateLimited(int admitted = -1);
    // One attempt succeeded.
    void onSuccess();
    // One attempt failed otherwise (5xx, connection, timeout): not a success, so the run of
    // successes starts again, but not a sign of rate limiting either.
    void onOtherFailure();

    int limit() const;
    Snapshot snapshot() const;

private:
    const Settings m_settings;
    mutable QMutex m_mutex;
    QWaitCondition m_slotFreed;
    int m_limit;
    int m_inFlight = 0;
    int m_waiting = 0;
    int m_successStreak = 0;
    int m_decreases = 0;
    int m_increases = 0;
    int m_lowest;
};
