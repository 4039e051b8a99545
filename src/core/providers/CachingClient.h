#pragma once

#include "providers/LlmClient.h"
#include "providers/ResponseCache.h"

#include <QHash>
#include <QJsonObject>
#include <QMutex>

// An LlmClient decorator that answers repeated requests from the project file's response cache.
//
// The key is the SHA-256 of a canonical JSON of everything that shapes the reply: provider,
// effective base URL, model, the full messages and every engine setting that is sent (sampling
// settings and any extra keys); transport settings (timeouts, retries, the key's variable) are
// left out. Temperature is part of the key but does not disable caching: a request at 0.7 is
// replayed too, which is what --no-cache is for.
//
// Replay, not dedupe: identical requests within one run are numbered (occurrence 0, 1, ...) and
// each number is its own entry. Within a run the cache therefore changes nothing (repeats that
// rely on sampling, such as test-time iterations, still get fresh answers); a later run of the
// same pipeline replays the same sequence of answers.
//
// A hit records one CallRecord (cached, attempt 1, the lookup's latency, the stored redacted
// request and the reply) and costs nothing; a miss calls the inner client and stores the reply
// only if the call succeeded. Errors are never cached. A cache that cannot be read or written
// never fails a call: the request goes to the provider.
//
// Thread-safe: complete() runs on worker threads; the cache has a connection per thread.
class CachingClient : public LlmClient
{
public:
    CachingClient(LlmClient *inner, const QString &projectPath);
    ChatResult complete(const ChatRequest &request, CallSink *sink, const CancelFlag &cancel) override;

    static QJsonObject canonicalRequest(const ChatRequest &request);
    static QByteArray cacheKey(const ChatRequest &request);   // hex SHA-256 of the canonical JSON

    int hits() const;
    int misses() const;
    QString lastError() const;     // the last cache problem (the calls went through regardless)

private:
    int nextOccurrence(const QString &runId, const QByteArray &key);
    void noteError(const QString &error);

    LlmClient *m_inner;
    ResponseCache m_cache;
    mutable QMutex m_mutex;
    QHash<QByteArray, int> m_occurrences;   // run id + key -> requests seen in this process
    int m_hits = 0;
    int m_misses = 0;
    QString m_lastError;
};
