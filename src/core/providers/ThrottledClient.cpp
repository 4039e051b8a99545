#include "providers/ThrottledClient.h"

#include "providers/Redaction.h"

#include <QMutexLocker>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// Sits between the inner client and the caller's sink for one call: the limiter learns from
// every attempt (retries included, which is where 429s show up), and the caller's sink still
// gets every record and hands back its ids.
class ObservingSink : public CallSink
{
public:
    ObservingSink(AimdLimiter *limiter, int admitted, CallSink *forward)
        : m_limiter(limiter)
        , m_admitted(admitted)
        , m_forward(forward)
    {
    }

    qint64 record(const CallRecord &record) override
    {
        const int status = record.httpStatus;
        if (status == 429)
            m_limiter->onRateLimited(m_admitted);
        else if (status >= 200 && status < 300 && record.error.isEmpty())
            m_limiter->onSuccess();
        else
            m_limiter->onOtherFailure();
        return m_forward ? m_forward->record(record) : 0;
    }

private:
    AimdLimiter *m_limiter;
    int m_admitted;
    CallSink *m_forward;
};

// A limiter's release() must run however the inner call ends.
class SlotGuard
{
public:
    explicit SlotGuard(AimdLimiter *limiter)
        : m_limiter(limiter)
    {
    }
    ~SlotGuard() { m_limiter->release(); }
    SlotGuard(const SlotGuard &) = delete;
    SlotGuard &operator=(const SlotGuard &) = delete;

private:
    AimdLimiter *m_limiter;
};

} // namespace

ThrottledClient::ThrottledClient(LlmClient *inner, const Settings &settings)
    : m_inner(inner)
    , m_settings(settings)
{
}

QString ThrottledClient::engineKey(const EngineConfig &engine)
{
    QString baseUrl = engine.baseUrl.isEmpty() ? defaultBaseUrl(engine.provider) : engine.baseUrl;
    while (baseUrl.endsWith(u'/'))
        baseUrl.chop(1);
    if (baseUrl.isEmpty())
        baseUrl = engine.provider;
    // Shown in progress displays, so a key someone put in the URL must not appear.
    return engine.model + u" @ "_s + Redaction::redact(baseUrl);
}

AimdLimiter &ThrottledClient::limiterFor(const QString &key)
{
    QMutexLocker lock(&m_mutex);
    std::unique_ptr<AimdLimiter> &slot = m_limiters[key];
    if (!slot) {
        AimdLimiter::Settings s;
        s.initialLimit = m_settings.initialLimit;
        s.maxLimit = m_settings.maxLimit > 0 ? m_settings.maxLimit : m_settings.initialLimit;
        s.increaseAfter = m_settings.increaseAfter;
        slot = std::make_unique<AimdLimiter>(s);
    }
    return *slot;
}

ChatResult ThrottledClient::complete(const ChatRequest &request, CallSink *sink, const CancelFlag &cancel)
{
    AimdLimiter &limiter = limiterFor(engineKey(request.engine));
    int admitted = 0;
    if (!limiter.acquire(cancel, &admitted)) {
        // Worded like the provider client's own cancel, so callers see one kind of message.
        ChatResult result;
        result.errorKind = CallErrorKind::Cancelled;
        result.error = u"engine \""_s + request.engine.name + u"\": cancelled"_s;
        return result;
    }
    SlotGuard guard(&limiter);
    ObservingSink observer(&limiter, admitted, sink);
    return m_inner->complete(request, &observer, cancel);
}

int ThrottledClient::currentLimit(const QString &key) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_limiters.find(key);
    return it == m_limiters.end() ? std::max(1, m_settings.initialLimit) : it->second->limit();
}

QVector<ThrottledClient::EngineLimit> ThrottledClient::snapshot() const
{
    QMutexLocker lock(&m_mutex);
    QVector<EngineLimit> out;
    out.reserve(qsizetype(m_limiters.size()));
    for (const auto &[key, limiter] : m_limiters)
        out.append(EngineLimit{key, limiter->snapshot()});
    return out;
}
