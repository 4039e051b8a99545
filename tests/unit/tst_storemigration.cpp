// Schema migrations on real files: a project file written by the version-1 statements (run
// through the same migration code an older build ran) is brought to version 2 in place when a
// store opens it, keeps every row, reads its calls as of unknown cost, and gains the response
// cache.

#include "store/RunStore.h"
#include "store/StoreSchema.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

// A raw connection, outside any store, for building and inspecting files.
class RawFile
{
public:
    explicit RawFile(const QString &path)
        : m_name(u"tst-migration-%1"_s.arg(++s_counter))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
        db.setDatabaseName(path);
        db.open();
    }
    ~RawFile()
    {
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    bool exec(const QString &sql) const { return QSqlQuery(db()).exec(sql); }
    QVariant scalar(const QString &sql) const
    {
        QSqlQuery q(db());
        return q.exec(sql) && q.next() ? q.value(0) : QVariant();
    }
    QStringList columns(const QString &table) const
    {
        QStringList names;
        QSqlQuery q(db());
        q.exec(u"PRAGMA table_info("_s + table + u")"_s);
        while (q.next())
            names.append(q.value(1).toString());
        return names;
    }

private:
    static inline int s_counter = 0;
    QString m_name;
};

} // namespace

class TestStoreMigration : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // A version-1 file with one run and two calls, as a version-1 build left it.
    QString makeVersion1File(const QString &name)
    {
        const QString path = m_dir.filePath(name);
        RawFile raw(path);
        QSqlDatabase db = raw.db();
        QString error;
        if (!StoreSchema::configureConnection(db, &error) || !StoreSchema::migrateTo(db, 1, &error)) {
            qWarning() << error;
            return QString();
        }
        raw.exec(u"INSERT INTO runs (id, pipeline_name, status, created_at, updated_at, settings_json) "
                 "VALUES ('old-run', 'Legacy', 'completed', '2026-01-02T03:04:05.000Z', "
                 "'2026-01-02T03:04:05.000Z', '{\"noCache\":false}')"_s);
        raw.exec(u"INSERT INTO calls (run_id, step, purpose, prompt_tokens, completion_tokens, provider, "
                 "model, reply_text) VALUES ('old-run', 0, 'validation', 120, 8, 'openai', 'gpt-4o', '42')"_s);
        raw.exec(u"INSERT INTO calls (run_id, step, purpose, prompt_tokens, completion_tokens, provider, "
                 "model, reply_text, cached) VALUES ('old-run', 1, 'forward', 50, 5, 'openai', 'gpt-4o', '7', 1)"_s);
        return path;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void version1FilesAreWhatVersion1Wrote()
    {
        const QString path = makeVersion1File(u"v1.tgdb"_s);
        QVERIFY(!path.isEmpty());
        RawFile raw(path);
        QCOMPARE(raw.scalar(u"PRAGMA user_version"_s).toInt(), 1);
        QVERIFY(!raw.columns(u"calls"_s).contains(u"cost_usd"_s));
        QCOMPARE(raw.scalar(u"SELECT COUNT(*) FROM sqlite_master WHERE name = 'response_cache'"_s).toInt(), 0);
    }

    void openingAVersion1FileMigratesItInPlace()
    {
        const QString path = makeVersion1File(u"upgrade.tgdb"_s);
        QVERIFY(!path.isEmpty());
        {
            RunStore store;
            QString error;
            QVERIFY2(store.open(path, &error), qPrintable(error));
            QCOMPARE(store.schemaVersion(), 3);
            QCOMPARE(store.schemaVersion(), RunStore::kSchemaVersion);

            // The data survived.
            const RunInfo run = store.run(u"old-run"_s);
            QCOMPARE(run.pipelineName, u"Legacy"_s);
            QCOMPARE(run.status, u"completed"_s);
            const QVector<CallRecord> calls = store.calls(u"old-run"_s);
            QCOMPARE(calls.size(), 2);
            QCOMPARE(calls.first().replyText, u"42"_s);
            QCOMPARE(calls.first().promptTokens, 120);
            // Calls from before prices were kept were never priced: unknown, not free.
            QVERIFY(!calls.first().costKnown);
            CallTotals totals = store.callTotals(u"old-run"_s);
            QCOMPARE(totals.total, 1);
            QCOMPARE(totals.cached, 1);
            QCOMPARE(totals.unknownCostCalls, 1);
            QCOMPARE(totals.costUsd, 0.0);

            // New calls keep their cost.
            CallRecord priced;
            priced.tag.runId = u"old-run"_s;
            priced.tag.step = 2;
            priced.tag.purpose = CallPurpose::Optimizer;
            priced.promptTokens = 10;
            priced.costUsd = 0.25;
            priced.costKnown = true;
            QCOMPARE(store.appendCalls({priced}).size(), 1);
            QCOMPARE(store.calls(u"old-run"_s).last().costUsd, 0.25);
            QVERIFY(store.calls(u"old-run"_s).last().costKnown);
            totals = store.callTotals(u"old-run"_s);
            QCOMPARE(totals.costUsd, 0.25);
            QCOMPARE(totals.costByPurpose.value(u"optimizer"_s), 0.25);
            QCOMPARE(totals.unknownCostCalls, 1);
        }
        RawFile raw(path);
        QCOMPARE(raw.scalar(u"PRAGMA user_version"_s).toInt(), 3);
        QVERIFY(raw.columns(u"calls"_s).contains(u"cost_usd"_s));
        const QStringList cache = raw.columns(u"response_cache"_s);
        for (const QString &column : {u"key"_s, u"occurrence"_s, u"reply_text"_s, u"prompt_tokens"_s,
                                      u"request_json"_s, u"created_at"_s})
            QVERIFY2(cache.contains(column), qPrintable(column));
        QCOMPARE(raw.scalar(u"PRAGMA integrity_check"_s).toString(), u"ok"_s);
    }

    void reopeningAMigratedFileChangesNothing()
    {
        const QString path = makeVersion1File(u"twice.tgdb"_s);
        for (int i = 0; i < 2; ++i) {
            RunStore store;
            QVERIFY(store.open(path, nullptr));
            QCOMPARE(store.schemaVersion(), 3);
            QCOMPARE(store.calls(u"old-run"_s).size(), 2);
        }
    }

    void openingAVersion2FileAddsTheDatasetsTable()
    {
        const QString path = m_dir.filePath(u"v2.tgdb"_s);
        {
            RawFile raw(path);
            QSqlDatabase db = raw.db();
            QString error;
            QVERIFY2(StoreSchema::configureConnection(db, &error) && StoreSchema::migrateTo(db, 2, &error),
                     qPrintable(error));
            QVERIFY(raw.columns(u"datasets"_s).isEmpty());
        }
        {
            RunStore store;
            QVERIFY(store.open(path, nullptr));
            QCOMPARE(store.schemaVersion(), 3);
            QVERIFY(store.datasets().isEmpty());
        }
        RawFile raw(path);
        QCOMPARE(raw.scalar(u"PRAGMA user_version"_s).toInt(), 3);
        const QStringList columns = raw.columns(u"datasets"_s);
        for (const QString &column : {u"name"_s, u"source_path"_s, u"columns_json"_s, u"split_json"_s,
                                      u"rows_blob"_s})
            QVERIFY2(columns.contains(column), qPrintable(column));
    }

    void aNewFileIsCreatedAtTheLatestVersion()
    {
        const QString path = m_dir.filePath(u"fresh.tgdb"_s);
        RunStore store;
        QVERIFY(store.open(path, nullptr));
        QCOMPARE(store.schemaVersion(), StoreSchema::kLatestVersion);
        CallRecord free;
        free.tag.runId = u"r"_s;
        free.costKnown = true;
        CallRecord unknown;
        unknown.tag.runId = u"r"_s;
        store.appendCalls({free, unknown});
        const QVector<CallRecord> calls = store.calls(u"r"_s);
        QVERIFY(calls.at(0).costKnown);
        QVERIFY(!calls.at(1).costKnown);
    }
};

QTEST_GUILESS_MAIN(TestStoreMigration)
#include "tst_storemigration.moc"
