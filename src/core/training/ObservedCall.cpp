#include "training/ObservedCall.h"

#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;

QString activityPhaseName(ActivityPhase phase)
{
    switch (phase) {
    case ActivityPhase::Forward:
        return u"forward"_s;
    case ActivityPhase::Loss:
        return u"loss"_s;
    case ActivityPhase::Backward:
        return u"backward"_s;
    case ActivityPhase::Optimizer:
        return u"optimizer"_s;
    }
    return QString();
}

ChatResult ObservedCall::complete(LlmClient *client, ChatRequest request, CallSink *sink,
                                  const CancelFlag &cancel, RunObserver *observer,
                                  ActivityPhase phase, const QString &sourceNodeId)
{
    if (!observer)
        return client->complete(request, sink, cancel);

    NodeActivity activity;
    activity.step = request.tag.step;
    activity.phase = phase;
    activity.purpose = request.tag.purpose;
    activity.nodeId = request.tag.nodeId;
    activity.sourceNodeId = sourceNodeId;
    activity.sampleIndex = request.tag.sampleIndex;
    activity.split = request.tag.split;

    CallDelta base;
    base.step = activity.step;
    base.nodeId = activity.nodeId;
    base.sourceNodeId = sourceNodeId;
    base.purpose = activity.purpose;
    base.sampleIndex = activity.sampleIndex;

    // Shared, not a local: a client may keep a copy of the request (and its callbacks) around.
    const auto streamed = std::make_shared<std::atomic_bool>(false);
    const auto previousDelta = request.onDelta;
    const auto previousRestart = request.onRestart;
    request.onDelta = [observer, base, streamed, previousDelta](const QString &delta) {
        if (previousDelta)
            previousDelta(delta);
        streamed->store(true);
        CallDelta d = base;
        d.text = delta;
        observer->callDelta(d);
    };
    request.onRestart = [observer, base, previousRestart] {
        if (previousRestart)
            previousRestart();
        CallDelta d = base;
        d.restart = true;
        observer->callDelta(d);
    };

    observer->nodeActivity(activity);
    const ChatResult result = client->complete(request, sink, cancel);
    if (result.ok) {
        CallDelta d = base;
        d.complete = true;
        // A streamed reply is already on screen; a whole one arrives now.
        d.text = streamed->load() ? QString() : result.text;
        d.restart = !streamed->load();
        observer->callDelta(d);
    }
    activity.state = result.ok ? NodeActivity::State::Finished : NodeActivity::State::Failed;
    activity.error = result.error;
    observer->nodeActivity(activity);
    return result;
}
