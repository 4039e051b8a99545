#pragma once

#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

// Query plumbing shared by the RunStore sources. Internal to the store.
namespace StoreQuery {

using namespace Qt::StringLiterals;

inline QSqlDatabase connectionNamed(const QString &name)
{
    return QSqlDatabase::database(name, /*open=*/false);
}

// Every failure is reported as "<what was being done>: <the SQL error>".
inline bool failed(QString &lastError, const QString &what, const QString &detail)
{
    lastError = what % u": "_s % detail;
    return false;
}

inline bool prepare(QSqlQuery &query, const QString &sql, const QString &what, QString &lastError)
{
    // A closed store answers with an error rather than Qt's "database not open" warnings.
    if (!query.driver() || !query.driver()->isOpen())
        return failed(lastError, what, u"the project file is not open"_s);
    query.setForwardOnly(true);
    return query.prepare(sql) || failed(lastError, what, query.lastError().text());
}

inline bool exec(QSqlQuery &query, const QString &what, QString &lastError)
{
    return query.exec() || failed(lastError, what, query.lastError().text());
}

// BEGIN IMMEDIATE takes the write lock when the transaction starts, where busy_timeout applies;
// a deferred transaction upgrading later can fail with SQLITE_BUSY no matter the timeout.
// Rolls back unless committed.
class WriteTransaction {
public:
    explicit WriteTransaction(const QSqlDatabase &db)
        : m_db(db)
    {
    }
    ~WriteTransaction()
    {
        if (m_active)
            QSqlQuery(m_db).exec(u"ROLLBACK"_s);
    }
    WriteTransaction(const WriteTransaction &) = delete;
    WriteTransaction &operator=(const WriteTransaction &) = delete;

    bool begin(const QString &what, QString &lastError)
    {
        if (!m_db.isOpen())
            return failed(lastError, what, u"the project file is not open"_s);
        QSqlQuery query(m_db);
        if (!query.exec(u"BEGIN IMMEDIATE"_s))
            return failed(lastError, what, query.lastError().text());
        m_active = true;
        return true;
    }

    bool commit(const QString &what, QString &lastError)
    {
        QSqlQuery query(m_db);
        if (!query.exec(u"COMMIT"_s))
            return failed(lastError, what, query.lastError().text());
        m_active = false;
        return true;
    }

private:
    QSqlDatabase m_db;
    bool m_active = false;
};

} // namespace StoreQuery
