#pragma once

#include <QByteArray>

// When and how long to wait before retrying a failed attempt.
struct RetryPolicy
{
    int baseDelayMs = 1000;      // first back-off
    int maxDelayMs = 60000;      // cap for computed back-off and for Retry-After
    double jitter = 0.25;        // +/- fraction applied to computed delays

    // Whether an HTTP status (0 = connection error / timeout) is worth another attempt.
    static bool isRetryable(int httpStatus);
    // Delay before attempt number nextAttempt (2 = first retry). A Retry-After header value
    // (seconds or HTTP date) wins over the computed back-off, capped at maxDelayMs.
    int delayMs(int nextAttempt, const QByteArray &retryAfterHeader, quint32 randomSeed) const;
};
