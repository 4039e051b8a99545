#pragma once

#include "providers/LlmClient.h"
#include "training/RunObserver.h"

// One provider call made where a run can watch it: tells the observer that the node started,
// forwards the streamed text (or the whole reply of a non-streaming engine) and tells it how the
// call ended. Without an observer it is exactly client->complete(). Called from worker threads.
namespace ObservedCall {

ChatResult complete(LlmClient *client, ChatRequest request, CallSink *sink, const CancelFlag &cancel,
                    RunObserver *observer, ActivityPhase phase, const QString &sourceNodeId = QString());

} // namespace ObservedCall
