#include "providers/AimdLimiter.h"

#include <QMutexLocker>

#include <algorithm>

namespace {

// How often a blocked caller looks at its cancel flag. Short enough that a cancel is seen well
// within 100 ms, long enough that a thousand waiting callers cost nothing.
constexpr unsigned long kCancelPollMs = 25;

AimdLimiter::Settings sanitized(AimdLimiter::Settings s)
{
    s.initialLimit = std::max(1, s.initialLimit);
    s.maxLimit = std::max(s.initialLimit, s.maxLimit);
    s.increaseAfter = std::max(1, s.increaseAfter);
    return s;
}

} // namespace

AimdLimiter::AimdLimiter(const Settings &settings)
    : m_settings(sanitized(settings))
    , m_limit(m_settings.initialLimit)
    , m_lowest(m_settings.initialLimit)
{
}

bool AimdLimiter::acquire(const CancelFlag &cancel, int *admitted)
{
    QMutexLocker lock(&m_mutex);
    ++m_waiting;
    while (m_inFlight >= m_limit) {
        if (cancel && cancel->load()) {
            --m_waiting;
            return false;
        }
        m_slotFreed.wait(&m_mutex, kCancelPollMs);
    }
    --m_waiting;
    // A caller that finds a slot still honours a cancel set before it got here, and passes the
    // wake-up it may have consumed on to the next waiter.
    if (cancel && cancel->load()) {
        m_slotFreed.wakeOne();
        return false;
    }
    ++m_inFlight;
    if (admitted)
        *admitted = m_decreases;
    return true;
}

void AimdLimiter::release()
{
    QMutexLocker lock(&m_mutex);
    m_inFlight = std::max(0, m_inFlight - 1);
    if (m_inFlight < m_limit)
        m_slotFreed.wakeOne();
}

void AimdLimiter::onRateLimited(int admitted)
{
    QMutexLocker lock(&m_mutex);
    m_successStreak = 0;
    if (admitted >= 0 && admitted < m_decreases)
        return;
    m_limit = std::max(1, m_limit / 2);
    m_lowest = std::min(m_lowest, m_limit);
    ++m_decreases;
}

void AimdLimiter::onSuccess()
{
    QMutexLocker lock(&m_mutex);
    if (++m_successStreak < m_settings.increaseAfter)
        return;
    m_successStreak = 0;
    if (m_limit < m_settings.maxLimit) {
        ++m_limit;
        ++m_increases;
        m_slotFreed.wakeOne();
    }
}

void AimdLimiter::onOtherFailure()
{
    QMutexLocker lock(&m_mutex);
    m_successStreak = 0;
}

int AimdLimiter::limit() const
{
    QMutexLocker lock(&m_mutex);
    return m_limit;
}

AimdLimiter::Snapshot AimdLimiter::snapshot() const
{
    QMutexLocker lock(&m_mutex);
    Snapshot s;
    s.limit = m_limit;
    s.maxLimit = m_settings.maxLimit;
    s.inFlight = m_inFlight;
    s.waiting = m_waiting;
    s.decreases = m_decreases;
    s.increases = m_increases;
    s.lowestLimit = m_lowest;
    return s;
}
