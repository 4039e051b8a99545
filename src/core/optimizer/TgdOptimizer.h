#pragma once

#include "graph/EngineConfig.h"
#include "graph/OptimizerSettings.h"
#include "optimizer/OptimizerTypes.h"
#include "prompts/PromptLibrary.h"
#include "providers/LlmClient.h"
#include "training/RunObserver.h"

// Textual Gradient Descent: one optimizer call per trainable parameter per step.
// The prompt shows the role, the full current value, every gradient with its context (bounded
// by the token budget: sampled, or summarised by one extra call), numbered constraints,
// in-context examples and, for tgd-momentum, the last momentumWindow steps. The reply's value
// between <TAG> tags becomes the new value; a reply without an opening tag gets one re-ask with
// a reminder; an unusable reply keeps the current value. Every such event is reported.
// Thread-compatible: step() may run on any worker thread.
class TgdOptimizer
{
public:
    TgdOptimizer(const OptimizerSettings &settings, const PromptLibrary &prompts,
                 LlmClient *client, const EngineConfig &engine, CallSink *sink,
                 CancelFlag cancel);

    // Told when each optimizer call starts, streams and ends (its thread-safe part only).
    void setObserver(RunObserver *observer) { m_observer = observer; }

    // tag.purpose should be Optimizer; tag.step and tag.nodeId are set by the caller.
    OptimizerResult step(const OptimizerRequest &request, const CallTag &tag) const;

    // The messages of the first optimizer call for a request (exposed for tests and previews).
    QVector<ChatMessage> buildMessages(const OptimizerRequest &request,
                                       const QVector<GradientRecord> &gradients,
                                       const QString &gradientNote) const;

private:
    // The first call's messages around an already rendered feedback text (raw gradients or a
    // summary of them).
    QVector<ChatMessage> buildMessagesFromText(const OptimizerRequest &request,
                                               const QString &gradientsText,
                                               const QString &gradientNote) const;
    ChatResult call(const QVector<ChatMessage> &messages, const CallTag &tag) const;
    // Condenses feedback too long for the budget with extra optimizer-engine calls (chunked
    // when even one summary call could not take it all). Fills *summary or returns the failure.
    ChatResult summarize(const OptimizerRequest &request, const CallTag &tag,
                         QString *summary, int *calls) const;

    OptimizerSettings m_settings;
    PromptLibrary m_prompts;
    LlmClient *m_client;
    EngineConfig m_engine;
    CallSink *m_sink;
    CancelFlag m_cancel;
    RunObserver *m_observer = nullptr;
};
