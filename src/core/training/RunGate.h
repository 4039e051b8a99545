#pragma once

#include "providers/LlmClient.h"

#include <QJsonObject>
#include <QMutex>
#include <QWaitCondition>

#include <atomic>
#include <memory>

class CallRecorder;

// Pause for a run: while paused, no new provider call starts; calls already in flight finish
// (their records are written) and the run waits before its next call. Shared like the cancel
// flag: setPaused() from any thread, wait() from the worker threads about to call.
class PauseGate
{
public:
    void setPaused(bool paused);
    bool isPaused() const;
    // Returns at once when not paused; else blocks until resumed or cancelled. False when
    // cancelled, so the caller gives up instead of starting the call.
    bool wait(const CancelFlag &cancel);

private:
    mutable QMutex m_mutex;
    QWaitCondition m_resumed;
    bool m_paused = false;
};

// A run's spending limit, from its settings: "budgetCalls" (requests sent, cached hits not
// counted) and "budgetUsd" (cost as priced by the price table; calls of unknown price count as
// nothing). Zero or absent: no limit.
struct RunBudget
{
    int maxCalls = 0;
    double maxUsd = 0.0;

    bool isSet() const { return maxCalls > 0 || maxUsd > 0.0; }
    static RunBudget fromSettings(const QJsonObject &settings);
};

// The client a Trainer hands to its passes for one execution: each call first waits at the
// pause gate, then is refused (as a cancelled call, so the step stops without counting a wrong
// answer) once the budget is used up. Calls in flight when the limit is reached still finish,
// so a run may end a few calls (or their retries) over its budget, never more.
// Thread-safe: called from the run's worker threads.
class GatedClient : public LlmClient
{
public:
    GatedClient(LlmClient *inner, std::shared_ptr<PauseGate> pause, const RunBudget &budget,
                const CallRecorder *recorder);

    ChatResult complete(const ChatRequest &request, CallSink *sink, const CancelFlag &cancel) override;

    // Whether the recorded calls (plus those in flight) have reached the budget.
    bool budgetReached() const;
    // True once a call was refused for the budget.
    bool refusedForBudget() const { return m_refused.load(); }
    // "42 calls of a 40-call budget" / "$0.51 of a $0.50 budget"; empty when not reached.
    QString budgetMessage() const;

private:
    LlmClient *m_inner;
    std::shared_ptr<PauseGate> m_pause;
    RunBudget m_budget;
    const CallRecorder *m_recorder;
    QMutex m_admit;   // the budget check and the in-flight count move together
    std::atomic_int m_inFlight{0};
    std::atomic_bool m_refused{false};
};
