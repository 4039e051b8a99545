#include "providers/ResponseCache.h"

#include "store/StoreSchema.h"

#include <QDateTime>
#include <QFileInfo>
#include <QHash>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThreadStorage>

#include <atomic>

using namespace Qt::StringLiterals;

namespace {

std::atomic<int> g_connectionCounter{0};

QString newConnectionName()
{
    return u"tg-cache-%1"_s.arg(++g_connectionCounter);
}

bool openConnection(const QString &name, const QString &path, QString *error)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
    db.setDatabaseName(path);
    if (!db.open()) {
        if (error)
            *error = u"cannot open project file %1: %2"_s.arg(path, db.lastError().text());
        return false;
    }
    // Migrating here lets the cache work on a file no store opened yet in this process.
    return StoreSchema::configureConnection(db, error) && StoreSchema::migrate(db, error);
}

void closeConnection(const QString &name)
{
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

// The connections of one thread, one per project file; QThreadStorage deletes it when the thread
// ends (for the main thread, when the application object goes), which closes them there, in the
// thread that owns them, as QtSql requires.
class ThreadConnections
{
public:
    ~ThreadConnections()
    {
        for (const QString &name : std::as_const(m_byPath))
            closeConnection(name);
    }

    // An open connection to path for the calling thread, or an invalid one with *error set.
    QSqlDatabase connection(const QString &path, QString *error)
    {
        const QString key = QFileInfo(path).absoluteFilePath();
        const auto it = m_byPath.constFind(key);
        if (it != m_byPath.constEnd())
            return QSqlDatabase::database(*it, false);
        const QString name = newConnectionName();
        if (!openConnection(name, path, error)) {
            closeConnection(name);
            return QSqlDatabase();
        }
        m_byPath.insert(key, name);
        return QSqlDatabase::database(name, false);
    }

private:
    QHash<QString, QString> m_byPath;
};

QSqlDatabase threadConnection(const QString &path, QString *error)
{
    static QThreadStorage<ThreadConnections *> storage;
    if (!storage.hasLocalData())
        storage.setLocalData(new ThreadConnections);
    return storage.localData()->connection(path, error);
}

bool failed(QString *error, const QString &what, const QSqlQuery &query)
{
    if (error)
        *error = what + u": "_s + query.lastError().text();
    return false;
}

// A connection for one command (stats, clear) that goes away with it.
class ScopedConnection
{
public:
    ScopedConnection(const QString &path, QString *error)
        : m_name(newConnectionName())
    {
        if (!QFileInfo::exists(path)) {
            if (error)
                *error = u"no project file %1"_s.arg(path);
            return;
        }
        m_ok = openConnection(m_name, path, error);
    }
    ~ScopedConnection() { closeConnection(m_name); }
    bool ok() const { return m_ok; }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }

private:
    QString m_name;
    bool m_ok = false;
};

} // namespace

ResponseCache::ResponseCache(const QString &path)
    : m_path(path)
{
}

std::optional<CachedResponse> ResponseCache::lookup(const QByteArray &key, int occurrence, QString *error) const
{
    const QSqlDatabase db = threadConnection(m_path, error);
    if (!db.isOpen())
        return std::nullopt;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    const QString what = u"reading the response cache of %1"_s.arg(m_path);
    if (!q.prepare(u"SELECT reply_text, prompt_tokens, completion_tokens, tokens_estimated, provider, "
                   "model, base_url, http_status, request_json, response_body FROM response_cache "
                   "WHERE key = ? AND occurrence = ?"_s)) {
        failed(error, what, q);
        return std::nullopt;
    }
    q.addBindValue(QString::fromLatin1(key));
    q.addBindValue(occurrence);
    if (!q.exec()) {
        failed(error, what, q);
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    CachedResponse r;
    r.text = q.value(0).toString();
    r.promptTokens = q.value(1).toInt();
    r.completionTokens = q.value(2).toInt();
    r.tokensEstimated = q.value(3).toInt() != 0;
    r.provider = q.value(4).toString();
    r.model = q.value(5).toString();
    r.baseUrl = q.value(6).toString();
    r.httpStatus = q.value(7).toInt();
    r.requestJson = q.value(8).toString();
    r.responseBody = q.value(9).toString();
    // An unfinished statement would keep a read snapshot open and hold back WAL checkpoints.
    q.finish();
    return r;
}

bool ResponseCache::store(const QByteArray &key, int occurrence, const CachedResponse &r, QString *error)
{
    const QSqlDatabase db = threadConnection(m_path, error);
    if (!db.isOpen())
        return false;
    QSqlQuery q(db);
    const QString what = u"writing the response cache of %1"_s.arg(m_path);
    // REPLACE: two identical requests in flight at once both miss; the later answer stays.
    if (!q.prepare(u"INSERT OR REPLACE INTO response_cache (key, occurrence, created_at, provider, "
                   "model, base_url, http_status, prompt_tokens, completion_tokens, tokens_estimated, "
                   "reply_text, request_json, response_body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s))
        return failed(error, what, q);
    // Qt binds a null QString as NULL; the text columns are NOT NULL.
    auto text = [](const QString &s) { return s.isNull() ? u""_s : s; };
    q.addBindValue(QString::fromLatin1(key));
    q.addBindValue(occurrence);
    q.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    q.addBindValue(text(r.provider));
    q.addBindValue(text(r.model));
    q.addBindValue(text(r.baseUrl));
    q.addBindValue(r.httpStatus);
    q.addBindValue(r.promptTokens);
    q.addBindValue(r.completionTokens);
    q.addBindValue(int(r.tokensEstimated));
    q.addBindValue(text(r.text));
    q.addBindValue(text(r.requestJson));
    q.addBindValue(text(r.responseBody));
    return q.exec() || failed(error, what, q);
}

bool ResponseCache::stats(const QString &path, ResponseCacheStats *out, QString *error)
{
    ScopedConnection connection(path, error);
    if (!connection.ok())
        return false;
    QSqlQuery q(connection.db());
    if (!q.exec(u"SELECT COUNT(*), TOTAL(length(CAST(reply_text AS BLOB)) + length(CAST(request_json AS BLOB)) "
                "+ length(CAST(response_body AS BLOB)) + length(key)) FROM response_cache"_s)
        || !q.next())
        return failed(error, u"reading the response cache of %1"_s.arg(path), q);
    out->entries = q.value(0).toLongLong();
    out->bytes = qint64(q.value(1).toDouble());
    return true;
}

bool ResponseCache::clear(const QString &path, qint64 *removed, QString *error)
{
    ScopedConnection connection(path, error);
    if (!connection.ok())
        return false;
    QSqlQuery q(connection.db());
    if (!q.exec(u"DELETE FROM response_cache"_s))
        return failed(error, u"clearing the response cache of %1"_s.arg(path), q);
    if (removed)
        *removed = q.numRowsAffected();
    return true;
}
