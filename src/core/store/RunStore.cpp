#include "store/RunStore.h"

#include "store/StoreQuery.h"
#include "store/StoreRows.h"
#include "store/StoreSchema.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <atomic>

using namespace Qt::StringLiterals;
using namespace StoreQuery;
using namespace StoreRows;

static_assert(RunStore::kSchemaVersion == StoreSchema::kLatestVersion,
    "RunStore and its schema must agree on the version");

namespace {

std::atomic<int> g_connectionCounter { 0 };

} // namespace

RunStore::RunStore() = default;

RunStore::~RunStore()
{
    close();
}

bool RunStore::open(const QString &path, QString *error)
{
    close();
    QString message;
    const QFileInfo info(path);
    if (!QSqlDatabase::isDriverAvailable(u"QSQLITE"_s)) {
        message = u"cannot open project file %1: the Qt SQLite driver is not installed "
                  "(Debian: libqt6sql6-sqlite)"_s.arg(path);
    } else if (!QDir().mkpath(info.absolutePath())) {
        message
            = u"cannot create the folder %1 for project file %2"_s.arg(info.absolutePath(), path);
    } else {
        m_connection = u"tg-store-%1"_s.arg(++g_connectionCounter);
        m_path = path;
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connection);
        db.setDatabaseName(path);
        if (!db.open())
            message = u"cannot open project file %1: %2"_s.arg(path, db.lastError().text());
        else if (!StoreSchema::configureConnection(db, &message)
            || !StoreSchema::migrate(db, &message))
            message = message.contains(path) ? message : path % u": "_s % message;
    }
    if (message.isEmpty())
        return true;
    close();
    m_lastError = message;
    if (error)
        *error = message;
    return false;
}

void RunStore::close()
{
    if (m_connection.isEmpty())
        return;
    {
        QSqlDatabase db = connectionNamed(m_connection);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
    m_connection.clear();
    m_path.clear();
}

bool RunStore::isOpen() const
{
    return !m_connection.isEmpty() && connectionNamed(m_connection).isOpen();
}

int RunStore::schemaVersion() const
{
    if (!isOpen())
        return -1;
    QSqlDatabase db = connectionNamed(m_connection);
    return StoreSchema::fileVersion(db, &m_lastError);
}

// ---- pipelines -------------------------------------------------------------------------------

qint64 RunStore::savePipeline(const QString &name, const QJsonObject &json, qint64 id)
{
    const QString what = u"saving pipeline \"%1\""_s.arg(name);
    const QString now = nowText();
    QSqlQuery q(connectionNamed(m_connection));
    if (id > 0) {
        // An upsert keeps the id stable so a GUI document stays bound to its row.
        if (!prepare(q,
                u"INSERT INTO pipelines (id, name, created_at, updated_at, pipeline_json) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                "updated_at = excluded.updated_at, pipeline_json = excluded.pipeline_json"_s,
                what, m_lastError))
            return 0;
        Binder(q) << id << name << now << now << jsonText(json);
    } else {
        if (!prepare(q,
                insertSql(u"pipelines"_s,
                    { u"name"_s, u"created_at"_s, u"updated_at"_s, u"pipeline_json"_s }),
                what, m_lastError))
            return 0;
        Binder(q) << name << now << now << jsonText(json);
    }
    if (!exec(q, what, m_lastError))
        return 0;
    return id > 0 ? id : q.lastInsertId().toLongLong();
}

QJsonObject RunStore::pipeline(qint64 id) const
{
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"reading pipeline %1"_s.arg(id);
    if (!prepare(q, u"SELECT pipeline_json FROM pipelines WHERE id = ?"_s, what, m_lastError))
        return {};
    Binder(q) << id;
    if (!exec(q, what, m_lastError) || !q.next())
        return {};
    Cursor c(q);
    return c.object();
}

QVector<QPair<qint64, QString>> RunStore::pipelines() const
{
    QVector<QPair<qint64, QString>> result;
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"listing pipelines"_s;
    if (!prepare(q, u"SELECT id, name FROM pipelines ORDER BY name COLLATE NOCASE, id"_s, what,
            m_lastError)
        || !exec(q, what, m_lastError))
        return result;
    while (q.next())
        result.append({ q.value(0).toLongLong(), q.value(1).toString() });
    return result;
}

// ---- runs ------------------------------------------------------------------------------------

bool RunStore::createRun(const RunInfo &run)
{
    const QString what = u"creating run %1"_s.arg(run.id);
    if (run.id.isEmpty())
        return failed(m_lastError, what, u"the run has no id"_s);
    QSqlQuery q(connectionNamed(m_connection));
    if (!prepare(q, insertSql(u"runs"_s, runColumns() + QStringList { runDataColumn() }), what,
            m_lastError))
        return false;
    Binder b(q);
    bindRun(b, run);
    if (q.exec())
        return true;
    const QString sqlError = q.lastError().text();
    q.finish();
    return failed(m_lastError, what,
        runExists(run.id) ? u"a run with this id already exists in %1"_s.arg(m_path) : sqlError);
}

bool RunStore::updateRun(const QString &id, const QString &status, const QString &error)
{
    const QString what = u"updating run %1 to %2"_s.arg(id, status);
    QSqlQuery q(connectionNamed(m_connection));
    if (!prepare(q, u"UPDATE runs SET status = ?, error = ?, updated_at = ? WHERE id = ?"_s, what,
            m_lastError))
        return false;
    Binder(q) << status << error << nowText() << id;
    if (!exec(q, what, m_lastError))
        return false;
    return q.numRowsAffected() > 0 || failed(m_lastError, what, u"no such run"_s);
}

namespace {

bool setRunScore(const QSqlDatabase &db, const QString &column, const QString &id, double score,
    QString &lastError)
{
    const QString what = u"setting %1 of run %2"_s.arg(column, id);
    QSqlQuery q(db);
    if (!prepare(q, u"UPDATE runs SET "_s % column % u" = ?, updated_at = ? WHERE id = ?"_s, what,
            lastError))
        return false;
    Binder(q) << scoreValue(score) << nowText() << id;
    if (!exec(q, what, lastError))
        return false;
    return q.numRowsAffected() > 0 || failed(lastError, what, u"no such run"_s);
}

} // namespace

bool RunStore::setInitialValScore(const QString &id, double score)
{
    return setRunScore(
        connectionNamed(m_connection), u"initial_val_score"_s, id, score, m_lastError);
}

bool RunStore::setTestScore(const QString &id, double score)
{
    return setRunScore(connectionNamed(m_connection), u"test_score"_s, id, score, m_lastError);
}

double RunStore::testScore(const QString &id) const
{
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"reading the test score of run %1"_s.arg(id);
    if (!prepare(q, u"SELECT test_score FROM runs WHERE id = ?"_s, what, m_lastError))
        return noScore();
    Binder(q) << id;
    if (!exec(q, what, m_lastError) || !q.next())
        return noScore();
    Cursor c(q);
    return c.score();
}

bool RunStore::runExists(const QString &id) const
{
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"looking up run %1"_s.arg(id);
    if (!prepare(q, u"SELECT 1 FROM runs WHERE id = ?"_s, what, m_lastError))
        return false;
    Binder(q) << id;
    return exec(q, what, m_lastError) && q.next();
}

RunInfo RunStore::run(const QString &id) const
{
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"reading run %1"_s.arg(id);
    const QStringList columns = runColumns() + QStringList { runDataColumn() };
    if (!prepare(q, selectSql(u"runs"_s, columns) % u" WHERE id = ?"_s, what, m_lastError))
        return {};
    Binder(q) << id;
    if (!exec(q, what, m_lastError) || !q.next())
        return {};
    Cursor c(q);
    return readRun(c, /*withData=*/true);
}

QVector<RunInfo> RunStore::runs() const
{
    QVector<RunInfo> result;
    QSqlQuery q(connectionNamed(m_connection));
    const QString what = u"listing runs"_s;
    // rowid breaks ties between runs created within the same millisecond.
    if (!prepare(q, selectSql(u"runs"_s, runColumns()) % u" ORDER BY created_at DESC, rowid DESC"_s,
            what, m_lastError)
        || !exec(q, what, m_lastError))
        return result;
    return readEach(q, [](Cursor &c) { return readRun(c, /*withData=*/false); });
}
