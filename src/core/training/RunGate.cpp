#include "training/RunGate.h"

#include "training/CallRecorder.h"

#include <QMutexLocker>

using namespace Qt::StringLiterals;

void PauseGate::setPaused(bool paused)
{
    QMutexLocker lock(&m_mutex);
    m_paused = paused;
    if (!paused)
        m_resumed.wakeAll();
}

bool PauseGate::isPaused() const
{
    QMutexLocker lock(&m_mutex);
    return m_paused;
}

bool PauseGate::wait(const CancelFlag &cancel)
{
    QMutexLocker lock(&m_mutex);
    while (m_paused) {
        // Cancel is a bare atomic with nobody to wake us, so poll it.
        if (cancel && cancel->load())
            return false;
        m_resumed.wait(&m_mutex, 50);
    }
    return !(cancel && cancel->load());
}

RunBudget RunBudget::fromSettings(const QJsonObject &settings)
{
    RunBudget b;
    b.maxCalls = qMax(0, settings.value(u"budgetCalls"_s).toInt());
    b.maxUsd = qMax(0.0, settings.value(u"budgetUsd"_s).toDouble());
    return b;
}

GatedClient::GatedClient(LlmClient *inner, std::shared_ptr<PauseGate> pause, const RunBudget &budget,
                         const CallRecorder *recorder)
    : m_inner(inner)
    , m_pause(std::move(pause))
    , m_budget(budget)
    , m_recorder(recorder)
{
}

bool GatedClient::budgetReached() const
{
    if (!m_budget.isSet() || !m_recorder)
        return false;
    const CallTotals t = m_recorder->totals();
    if (m_budget.maxCalls > 0 && t.total + m_inFlight.load() >= m_budget.maxCalls)
        return true;
    return m_budget.maxUsd > 0.0 && t.costUsd >= m_budget.maxUsd;
}

QString GatedClient::budgetMessage() const
{
    if (!budgetReached() || !m_recorder)
        return QString();
    const CallTotals t = m_recorder->totals();
    if (m_budget.maxCalls > 0 && t.total + m_inFlight.load() >= m_budget.maxCalls)
        return u"%1 calls of a %2-call budget"_s.arg(t.total).arg(m_budget.maxCalls);
    return u"$%1 of a $%2 budget"_s.arg(t.costUsd, 0, 'f', 4).arg(m_budget.maxUsd, 0, 'f', 2);
}

ChatResult GatedClient::complete(const ChatRequest &request, CallSink *sink, const CancelFlag &cancel)
{
    ChatResult refused;
    refused.errorKind = CallErrorKind::Cancelled;
    if (m_pause && !m_pause->wait(cancel)) {
        refused.error = u"cancelled"_s;
        return refused;
    }
    {
        QMutexLocker lock(&m_admit);
        if (budgetReached()) {
            m_refused.store(true);
            refused.error = u"the run's budget is used up ("_s + budgetMessage() + u')';
            return refused;
        }
        ++m_inFlight;
    }
    const ChatResult result = m_inner->complete(request, sink, cancel);
    --m_inFlight;
    return result;
}
