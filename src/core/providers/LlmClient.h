#pragma once

#include "providers/CallSink.h"
#include "providers/ChatTypes.h"

// Everything that talks to a model goes through this interface.
// complete() blocks the calling thread until the call ends (success, final error or cancel);
// it is called concurrently from worker threads, never from the GUI thread.
// Every attempt (retries included) is passed to the sink, when one is given.
class LlmClient
{
public:
    virtual ~LlmClient() = default;
    virtual ChatResult complete(const ChatRequest &request, CallSink *sink,
                                const CancelFlag &cancel) = 0;
};
