#include "store/StoreSchema.h"

#include <QDebug>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <iterator>

using namespace Qt::StringLiterals;

namespace {

// Version 1. Conventions: JSON as TEXT, scores as REAL with NULL for "no score", times as UTC
// ISO 8601 text (sortable, readable in the sqlite3 shell), call purposes by name. Large text
// columns come last in each table so reading the small ones does not walk overflow pages.
//
// Rows that belong to a step reference steps (run_id, step) with ON DELETE CASCADE, so replacing
// a step is one DELETE. sample_results and events can also exist outside a step (initial
// validation, final test, run-level notes): their owner_step is NULL then, and the foreign key
// does not apply.
//
// calls has no foreign key on runs: the call sink records from worker threads on its own
// connection, and test-time calls belong to no run; losing an audit record to a constraint
// would be worse than an orphan row.
QStringList schemaV1()
{
    return {
        uR"(CREATE TABLE pipelines (
            id             INTEGER PRIMARY KEY,
            name           TEXT NOT NULL,
            created_at     TEXT NOT NULL,
            updated_at     TEXT NOT NULL,
            pipeline_json  TEXT NOT NULL DEFAULT '{}'
        ))"_s,
        uR"(CREATE TABLE runs (
            id                 TEXT PRIMARY KEY,
            pipeline_name      TEXT NOT NULL DEFAULT '',
            status             TEXT NOT NULL,
            error              TEXT NOT NULL DEFAULT '',
            initial_val_score  REAL,
            test_score         REAL,
            created_at         TEXT NOT NULL,
            updated_at         TEXT NOT NULL,
            settings_json      TEXT NOT NULL DEFAULT '{}',
            pipeline_json      TEXT NOT NULL DEFAULT '{}',
            data_json          TEXT NOT NULL DEFAULT '{}'
        ))"_s,
        uR"(CREATE INDEX runs_by_created ON runs (created_at))"_s,
        uR"(CREATE TABLE steps (
            run_id          TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            step            INTEGER NOT NULL,
            epoch           INTEGER NOT NULL,
            train_score     REAL,
            val_score       REAL,
            best_val_score  REAL,
            accepted        INTEGER NOT NULL,
            finished_at     TEXT,
            candidate_json  TEXT NOT NULL DEFAULT '{}',
            current_json    TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (run_id, step)
        ))"_s,
        uR"(CREATE TABLE prompt_versions (
            id                     INTEGER PRIMARY KEY,
            run_id                 TEXT NOT NULL,
            step                   INTEGER NOT NULL,
            node_id                TEXT NOT NULL,
            changed                INTEGER NOT NULL,
            gradients_used         INTEGER NOT NULL,
            gradients_total        INTEGER NOT NULL,
            value                  TEXT NOT NULL DEFAULT '',
            previous               TEXT NOT NULL DEFAULT '',
            optimizer_reply        TEXT NOT NULL DEFAULT '',
            optimizer_prompt_json  TEXT NOT NULL DEFAULT '[]',
            FOREIGN KEY (run_id, step) REFERENCES steps (run_id, step) ON DELETE CASCADE
        ))"_s,
        uR"(CREATE INDEX prompt_versions_by_step ON prompt_versions (run_id, step))"_s,
        uR"(CREATE TABLE sample_results (
            id            INTEGER PRIMARY KEY,
            run_id        TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            step          INTEGER NOT NULL,
            split         TEXT NOT NULL DEFAULT '',
            sample_index  INTEGER NOT NULL,
            line          INTEGER NOT NULL,
            score         REAL,
            owner_step    INTEGER,
            error         TEXT NOT NULL DEFAULT '',
            evaluation    TEXT NOT NULL DEFAULT '',
            outputs_json  TEXT NOT NULL DEFAULT '{}',
            FOREIGN KEY (run_id, owner_step) REFERENCES steps (run_id, step) ON DELETE CASCADE
        ))"_s,
        uR"(CREATE INDEX sample_results_by_step
            ON sample_results (run_id, step, split, sample_index))"_s,
        uR"(CREATE TABLE gradients (
            id                 INTEGER PRIMARY KEY,
            run_id             TEXT NOT NULL,
            step               INTEGER NOT NULL,
            target_node        TEXT NOT NULL,
            source_node        TEXT NOT NULL DEFAULT '',
            sample_index       INTEGER NOT NULL,
            mode               TEXT NOT NULL DEFAULT '',
            call_id            INTEGER,
            feedback           TEXT NOT NULL DEFAULT '',
            conversation_json  TEXT NOT NULL DEFAULT '[]',
            FOREIGN KEY (run_id, step) REFERENCES steps (run_id, step) ON DELETE CASCADE
        ))"_s,
        uR"(CREATE INDEX gradients_by_step ON gradients (run_id, step))"_s,
        uR"(CREATE TABLE events (
            id          INTEGER PRIMARY KEY,
            run_id      TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            step        INTEGER NOT NULL,
            owner_step  INTEGER,
            kind        TEXT NOT NULL,
            node_id     TEXT NOT NULL DEFAULT '',
            message     TEXT NOT NULL DEFAULT '',
            FOREIGN KEY (run_id, owner_step) REFERENCES steps (run_id, step) ON DELETE CASCADE
        ))"_s,
        uR"(CREATE INDEX events_by_step ON events (run_id, step))"_s,
        uR"(CREATE TABLE calls (
            id                 INTEGER PRIMARY KEY,
            run_id             TEXT NOT NULL DEFAULT '',
            step               INTEGER NOT NULL,
            purpose            TEXT NOT NULL,
            node_id            TEXT NOT NULL DEFAULT '',
            sample_index       INTEGER NOT NULL DEFAULT -1,
            split              TEXT NOT NULL DEFAULT '',
            attempt            INTEGER NOT NULL DEFAULT 1,
            cached             INTEGER NOT NULL DEFAULT 0,
            http_status        INTEGER NOT NULL DEFAULT 0,
            prompt_tokens      INTEGER NOT NULL DEFAULT 0,
            completion_tokens  INTEGER NOT NULL DEFAULT 0,
            tokens_estimated   INTEGER NOT NULL DEFAULT 0,
            latency_ms         INTEGER NOT NULL DEFAULT 0,
            started_at         TEXT,
            engine             TEXT NOT NULL DEFAULT '',
            provider           TEXT NOT NULL DEFAULT '',
            model              TEXT NOT NULL DEFAULT '',
            base_url           TEXT NOT NULL DEFAULT '',
            error              TEXT NOT NULL DEFAULT '',
            reply_text         TEXT NOT NULL DEFAULT '',
            request_json       TEXT NOT NULL DEFAULT '',
            response_body      TEXT NOT NULL DEFAULT ''
        ))"_s,
        // Keyset pages of a run's calls (WHERE run_id = ? AND id > ? ORDER BY id LIMIT n), and
        // the calls of one step.
        uR"(CREATE INDEX calls_by_run ON calls (run_id, id))"_s,
        uR"(CREATE INDEX calls_by_step ON calls (run_id, step))"_s,
    };
}

// Version 2: what calls cost, and the response cache.
//
// calls.cost_usd is NULL when the price was unknown; every call recorded before version 2 reads
// as unknown too, which is the truth: it was never priced. ALTER TABLE appends the column after
// the large text ones; that costs a little on reads of old rows only.
//
// response_cache holds one successful reply per (key, occurrence). The key is the hex SHA-256
// of the canonical request (provider, base URL, model, messages, every sampling setting); the
// occurrence numbers identical requests within one run (0 for the first), so a second run
// replays the same sequence of answers instead of collapsing repeats into one. The table is per
// file, so every run in the project shares it. Times as in version 1.
QStringList schemaV2()
{
    return {
        uR"(ALTER TABLE calls ADD COLUMN cost_usd REAL)"_s,
        uR"(CREATE TABLE response_cache (
            key                TEXT NOT NULL,
            occurrence         INTEGER NOT NULL DEFAULT 0,
            created_at         TEXT NOT NULL,
            provider           TEXT NOT NULL DEFAULT '',
            model              TEXT NOT NULL DEFAULT '',
            base_url           TEXT NOT NULL DEFAULT '',
            http_status        INTEGER NOT NULL DEFAULT 0,
            prompt_tokens      INTEGER NOT NULL DEFAULT 0,
            completion_tokens  INTEGER NOT NULL DEFAULT 0,
            tokens_estimated   INTEGER NOT NULL DEFAULT 0,
            reply_text         TEXT NOT NULL DEFAULT '',
            request_json       TEXT NOT NULL DEFAULT '',
            response_body      TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (key, occurrence)
        ))"_s,
    };
}

// Version 3: datasets imported in the editor, so a project keeps its data with its runs.
//
// The rows are one blob: qCompress'd compact JSON, an array of [line, value, ...] per row in
// columns_json order (null for a key a JSONL row lacks). 100,000 rows as table rows would cost
// a long insert on every save and a query per page, while the editor always wants the whole
// dataset at once and the blob reads in one step. row_count and the JSON columns sit before the
// blob so listing datasets never touches it. split_json holds the split settings (mode, ratios,
// seed as text, column); mapping_json the manual field choices.
QStringList schemaV3()
{
    return {
        uR"(CREATE TABLE datasets (
            id            INTEGER PRIMARY KEY,
            name          TEXT NOT NULL,
            source_path   TEXT NOT NULL DEFAULT '',
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL,
            row_count     INTEGER NOT NULL DEFAULT 0,
            columns_json  TEXT NOT NULL DEFAULT '[]',
            split_json    TEXT NOT NULL DEFAULT '{}',
            mapping_json  TEXT NOT NULL DEFAULT '{}',
            rows_blob     BLOB
        ))"_s,
    };
}

struct Migration {
    int toVersion;
    QStringList (*statements)();
};

// Append only: a released migration never changes, a new schema is a new entry.
const Migration kMigrations[] = {
    { 1, &schemaV1 },
    { 2, &schemaV2 },
    { 3, &schemaV3 },
};

static_assert(
    std::size(kMigrations) == StoreSchema::kLatestVersion, "one migration per schema version");

bool exec(QSqlDatabase &db, const QString &sql, const QString &what, QString *error)
{
    QSqlQuery query(db);
    if (query.exec(sql))
        return true;
    if (error)
        *error = what % u": "_s % query.lastError().text();
    return false;
}

QString newerFileError(const QString &path, int version)
{
    return u"project file %1 was written by a newer TextGrad Workbench (schema %2, this build "
           "knows up to %3)"_s.arg(path)
               .arg(version)
               .arg(StoreSchema::kLatestVersion);
}

} // namespace

namespace StoreSchema {

bool configureConnection(QSqlDatabase &db, QString *error)
{
    // busy_timeout first: the journal-mode switch itself may wait on another process.
    if (!exec(db, u"PRAGMA busy_timeout = 10000"_s, u"setting the busy timeout"_s, error)
        || !exec(db, u"PRAGMA foreign_keys = ON"_s, u"enabling foreign keys"_s, error))
        return false;

    QSqlQuery query(db);
    if (!query.exec(u"PRAGMA journal_mode = WAL"_s)) {
        if (error)
            *error = u"switching to WAL: "_s % query.lastError().text();
        return false;
    }
    // Some file systems (network shares) cannot do WAL; SQLite then keeps the old mode and the
    // store still works, only with readers and the writer blocking each other.
    if (query.next() && query.value(0).toString().compare(u"wal"_s, Qt::CaseInsensitive) != 0)
        qWarning().noquote() << "project file" << db.databaseName()
                             << "is not in WAL mode:" << query.value(0).toString();
    query.finish();

    // NORMAL is durable across application crashes in WAL mode; only a power loss can drop
    // the last commits, and resume copes with a missing last step.
    return exec(db, u"PRAGMA synchronous = NORMAL"_s, u"setting synchronous mode"_s, error);
}

int fileVersion(QSqlDatabase &db, QString *error)
{
    QSqlQuery query(db);
    if (!query.exec(u"PRAGMA user_version"_s) || !query.next()) {
        if (error)
            *error = u"%1 is not a readable project file: %2"_s.arg(
                db.databaseName(), query.lastError().text());
        return -1;
    }
    return query.value(0).toInt();
}

bool migrate(QSqlDatabase &db, QString *error)
{
    return migrateTo(db, kLatestVersion, error);
}

bool migrateTo(QSqlDatabase &db, int targetVersion, QString *error)
{
    int version = fileVersion(db, error);
    if (version < 0)
        return false;
    if (version > kLatestVersion) {
        if (error)
            *error = newerFileError(db.databaseName(), version);
        return false;
    }
    if (version >= targetVersion)
        return true;

    // IMMEDIATE takes the write lock up front, so two processes opening a new file at once
    // migrate one after the other; the version is read again under the lock for that reason.
    if (!exec(db, u"BEGIN IMMEDIATE"_s, u"starting the schema migration"_s, error))
        return false;
    auto rollback = [&db] { QSqlQuery(db).exec(u"ROLLBACK"_s); };

    version = fileVersion(db, error);
    if (version < 0 || version > kLatestVersion) {
        if (version > kLatestVersion && error)
            *error = newerFileError(db.databaseName(), version);
        rollback();
        return false;
    }
    for (const Migration &migration : kMigrations) {
        if (migration.toVersion <= version || migration.toVersion > targetVersion)
            continue;
        const QString what
            = u"migrating %1 to schema %2"_s.arg(db.databaseName()).arg(migration.toVersion);
        const QStringList statements = migration.statements();
        for (const QString &statement : statements) {
            if (!exec(db, statement, what, error)) {
                rollback();
                return false;
            }
        }
        // PRAGMA arguments cannot be bound; the value is our own integer.
        if (!exec(db, u"PRAGMA user_version = %1"_s.arg(migration.toVersion), what, error)) {
            rollback();
            return false;
        }
    }
    if (!exec(db, u"COMMIT"_s, u"committing the schema migration"_s, error)) {
        rollback();
        return false;
    }
    return true;
}

} // namespace StoreSchema
