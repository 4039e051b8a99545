#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

// One successful reply as the cache keeps it.
struct CachedResponse
{
    QString text;
    int promptTokens = 0;
    int completionTokens = 0;
    bool tokensEstimated = false;
    QString provider;
    QString model;
    QString baseUrl;        // redacted, as recorded
    int httpStatus = 0;
    QString requestJson;    // redacted request body of the call that produced the reply
    QString responseBody;   // redacted raw body
};

struct ResponseCacheStats
{
    qint64 entries = 0;
    qint64 bytes = 0;       // stored text (replies, requests, bodies) in UTF-8 bytes
};

// The response cache table (response_cache) of a project file. Shared by every run of the
// project. Safe to use from any number of threads at once: each thread talks to the file through
// its own SQLite connection, opened on first use and removed when the thread ends; WAL and the
// busy timeout let them read and write next to the run's own writer.
class ResponseCache
{
public:
    explicit ResponseCache(const QString &path);
    QString path() const { return m_path; }

    // nullopt on a miss; an error (file unreadable, ...) is a miss with *error set.
    std::optional<CachedResponse> lookup(const QByteArray &key, int occurrence, QString *error = nullptr) const;
    bool store(const QByteArray &key, int occurrence, const CachedResponse &response, QString *error = nullptr);

    static bool stats(const QString &path, ResponseCacheStats *out, QString *error);
    // Removes every entry; *removed gets how many there were.
    static bool clear(const QString &path, qint64 *removed, QString *error);

private:
    QString m_path;
};
