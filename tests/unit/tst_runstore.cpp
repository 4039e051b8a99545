#include "store/RunStore.h"

#include <QFile>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;

namespace {

// A plain connection to a project file, for looking underneath the store or preparing files the
// store must cope with.
class RawDb {
public:
    explicit RawDb(const QString &path)
        : m_name(u"tst-raw-%1"_s.arg(++s_counter))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
        db.setDatabaseName(path);
        db.open();
    }
    ~RawDb()
    {
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }
    QVariant scalar(const QString &sql) const
    {
        QSqlQuery q(QSqlDatabase::database(m_name, false));
        if (!q.exec(sql) || !q.next())
            return {};
        return q.value(0);
    }
    bool exec(const QString &sql) const
    {
        QSqlQuery q(QSqlDatabase::database(m_name, false));
        return q.exec(sql);
    }

private:
    static inline int s_counter = 0;
    QString m_name;
};

QDateTime at(int minute, int ms = 0)
{
    return QDateTime(QDate(2026, 3, 14), QTime(9, minute, 26, ms), Qt::UTC);
}

RunInfo sampleRun(const QString &id, const QDateTime &created)
{
    RunInfo run;
    run.id = id;
    run.pipelineName = u"Q&A ✓"_s;
    run.pipeline = QJsonObject { { u"nodes"_s, QJsonArray { u"a"_s, u"b"_s } } };
    run.settings = QJsonObject { { u"concurrency"_s, 4 }, { u"noCache"_s, true } };
    run.data = QJsonObject { { u"train"_s,
        QJsonArray { QJsonObject {
            { u"line"_s, 2 }, { u"fields"_s, QJsonObject { { u"q"_s, u"2+2?"_s } } } } } } };
    run.status = RunStatus::Running;
    run.createdAt = created;
    run.updatedAt = created;
    return run;
}

CallRecord sampleCall(const QString &runId, int i)
{
    static const CallPurpose purposes[] = { CallPurpose::Forward, CallPurpose::Loss,
        CallPurpose::Backward, CallPurpose::Optimizer, CallPurpose::Validation, CallPurpose::Test };
    CallRecord c;
    c.tag.runId = runId;
    c.tag.step = i / 100;
    c.tag.purpose = purposes[i % 6];
    c.tag.nodeId = u"node-%1"_s.arg(i % 3);
    c.tag.sampleIndex = i % 17 - 1;
    c.tag.split = i % 2 ? u"train"_s : u"validation"_s;
    c.engineName = u"student"_s;
    c.provider = u"openai-compatible"_s;
    c.model = u"model-%1"_s.arg(i % 2);
    c.baseUrl = u"http://127.0.0.1:8080/v1"_s;
    c.requestJson = u"{\"messages\":[{\"role\":\"user\",\"content\":\"q%1\"}]}"_s.arg(i);
    c.replyText = u"reply %1 ü"_s.arg(i);
    c.responseBody = u"{\"id\":%1}"_s.arg(i);
    c.httpStatus = i % 7 == 0 ? 500 : 200;
    c.error = i % 7 == 0 ? u"server error on call %1"_s.arg(i) : QString();
    c.promptTokens = 10 + i % 5;
    c.completionTokens = 3 + i % 4;
    c.tokensEstimated = i % 11 == 0;
    c.latencyMs = 1000 + i;
    c.attempt = 1 + i % 3;
    c.cached = i % 10 == 0;
    c.startedAt = at(0, 0).addMSecs(i * 37);
    return c;
}

void compareCalls(const CallRecord &a, const CallRecord &b)
{
    QCOMPARE(a.tag.runId, b.tag.runId);
    QCOMPARE(a.tag.step, b.tag.step);
    QCOMPARE(a.tag.purpose, b.tag.purpose);
    QCOMPARE(a.tag.nodeId, b.tag.nodeId);
    QCOMPARE(a.tag.sampleIndex, b.tag.sampleIndex);
    QCOMPARE(a.tag.split, b.tag.split);
    QCOMPARE(a.engineName, b.engineName);
    QCOMPARE(a.provider, b.provider);
    QCOMPARE(a.model, b.model);
    QCOMPARE(a.baseUrl, b.baseUrl);
    QCOMPARE(a.requestJson, b.requestJson);
    QCOMPARE(a.replyText, b.replyText);
    QCOMPARE(a.responseBody, b.responseBody);
    QCOMPARE(a.httpStatus, b.httpStatus);
    QCOMPARE(a.error, b.error);
    QCOMPARE(a.promptTokens, b.promptTokens);
    QCOMPARE(a.completionTokens, b.completionTokens);
    QCOMPARE(a.tokensEstimated, b.tokensEstimated);
    QCOMPARE(a.latencyMs, b.latencyMs);
    QCOMPARE(a.attempt, b.attempt);
    QCOMPARE(a.cached, b.cached);
    QCOMPARE(a.startedAt, b.startedAt);
}

StepRecord sampleStep(int number)
{
    StepRecord s;
    s.step = number;
    s.epoch = 1;
    s.trainScore = 0.5;
    s.valScore = noScore();
    s.bestValScore = 0.75;
    s.accepted = false;
    s.candidate = { { u"system"_s, u"Be brief, step %1."_s.arg(number) } };
    s.current = { { u"system"_s, u"Be brief."_s }, { u"rubric"_s, u"Score 0-1"_s } };
    s.finishedAt = at(number, 250);

    PromptVersion v;
    v.step = number;
    v.nodeId = u"system"_s;
    v.value = u"Be brief, step %1."_s.arg(number);
    v.previous = u"Be brief."_s;
    v.changed = true;
    v.optimizerReply = u"<IMPROVED>Be brief</IMPROVED>"_s;
    v.optimizerPrompt
        = QJsonArray { QJsonObject { { u"role"_s, u"user"_s }, { u"content"_s, u"improve"_s } } };
    v.gradientsUsed = 2;
    v.gradientsTotal = 3;
    s.versions = { v };

    for (int i = 0; i < 3; ++i) {
        SampleResult r;
        r.step = number;
        r.split = i < 2 ? u"train"_s : u"validation"_s;
        r.sampleIndex = i;
        r.line = 10 + i;
        r.outputs = QJsonObject { { u"answer"_s, u"out %1"_s.arg(i) } };
        r.score = i == 1 ? noScore() : 0.25 * i;
        r.evaluation = u"looks fine"_s;
        r.error = i == 1 ? u"provider timed out"_s : QString();
        s.samples.append(r);
    }

    GradientRecord g;
    g.step = number;
    g.targetNode = u"system"_s;
    g.sourceNode = u"answer"_s;
    g.sampleIndex = 1;
    g.mode = u"chain"_s;
    g.feedback = u"Too long."_s;
    g.conversation = QJsonArray { QJsonObject {
        { u"role"_s, u"assistant"_s }, { u"content"_s, u"Too long."_s } } };
    g.callId = 42;
    GradientRecord g2 = g;
    g2.callId = 0;
    g2.sampleIndex = -1;
    s.gradients = { g, g2 };

    s.events = { RunEvent { number, u"reask"_s, u"system"_s, u"no tags"_s } };
    return s;
}

int stepRows(const QString &path)
{
    RawDb raw(path);
    return raw
        .scalar(u"SELECT (SELECT COUNT(*) FROM steps) + (SELECT COUNT(*) FROM "
                "prompt_versions) + (SELECT COUNT(*) FROM sample_results) + (SELECT "
                "COUNT(*) FROM gradients) + (SELECT COUNT(*) FROM events)"_s)
        .toInt();
}

} // namespace

class TestRunStore : public QObject {
    Q_OBJECT

private slots:
    void init() { QVERIFY(m_dir.isValid()); }

    void createsSchemaInWalMode()
    {
        const QString path = m_dir.filePath(u"new/nested/project.tgw"_s);
        RunStore store;
        QString error;
        QVERIFY2(store.open(path, &error), qPrintable(error));
        QVERIFY(store.isOpen());
        QCOMPARE(store.path(), path);
        QCOMPARE(store.schemaVersion(), RunStore::kSchemaVersion);

        RawDb raw(path);
        QCOMPARE(raw.scalar(u"PRAGMA user_version"_s).toInt(), RunStore::kSchemaVersion);
        QCOMPARE(raw.scalar(u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
        const QStringList tables = { u"pipelines"_s, u"runs"_s, u"steps"_s, u"prompt_versions"_s,
            u"sample_results"_s, u"gradients"_s, u"events"_s, u"calls"_s };
        for (const QString &table : tables) {
            const QString sql = u"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
                                "name = '"_s
                % table % u"'"_s;
            QVERIFY2(raw.scalar(sql).toInt() == 1, qPrintable(table));
        }
        // The keyset indexes the browsers rely on.
        QCOMPARE(raw.scalar(u"SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name "
                            "IN ('calls_by_run', 'gradients_by_step', 'sample_results_by_step')"_s)
                     .toInt(),
            3);
    }

    void refusesNewerSchema()
    {
        const QString path = m_dir.filePath(u"future.tgw"_s);
        {
            RawDb raw(path);
            QVERIFY(raw.exec(u"CREATE TABLE t (x)"_s));
            QVERIFY(raw.exec(u"PRAGMA user_version = 7"_s));
        }
        RunStore store;
        QString error;
        QVERIFY(!store.open(path, &error));
        QVERIFY(!store.isOpen());
        QVERIFY2(error.contains(u"project file "_s % path
                     % u" was written by a newer TextGrad "
                       "Workbench (schema 7, this build "
                       "knows up to 3)"_s),
            qPrintable(error));
        QCOMPARE(store.lastError(), error);
        RawDb raw(path);
        QCOMPARE(raw.scalar(u"PRAGMA user_version"_s).toInt(), 7);
    }

    void refusesNonDatabase()
    {
        const QString path = m_dir.filePath(u"garbage.tgw"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(4096, 'x'));
        file.close();
        RunStore store;
        QString error;
        QVERIFY(!store.open(path, &error));
        QVERIFY(error.contains(path));
    }

    void runRoundTrip()
    {
        RunStore store;
        QVERIFY(store.open(m_dir.filePath(u"runs.tgw"_s), nullptr));
        const RunInfo older = sampleRun(u"run-a"_s, at(1, 5));
        RunInfo newer = sampleRun(u"run-b"_s, at(2, 7));
        newer.initialValScore = 0.625;
        newer.error = u"earlier error"_s;
        QVERIFY2(store.createRun(older), qPrintable(store.lastError()));
        QVERIFY2(store.createRun(newer), qPrintable(store.lastError()));

        QVERIFY(!store.createRun(older));
        QVERIFY2(store.lastError().contains(u"already exists"_s), qPrintable(store.lastError()));

        const RunInfo back = store.run(u"run-a"_s);
        QCOMPARE(back.id, older.id);
        QCOMPARE(back.pipelineName, older.pipelineName);
        QCOMPARE(back.pipeline, older.pipeline);
        QCOMPARE(back.settings, older.settings);
        QCOMPARE(back.data, older.data);
        QCOMPARE(back.status, RunStatus::Running);
        QCOMPARE(back.error, QString());
        QVERIFY(!hasScore(back.initialValScore));
        QCOMPARE(back.createdAt, older.createdAt);
        QCOMPARE(back.updatedAt, older.updatedAt);
        QCOMPARE(store.run(u"run-b"_s).initialValScore, 0.625);
        QCOMPARE(store.run(u"run-b"_s).error, u"earlier error"_s);
        QVERIFY(store.run(u"missing"_s).id.isEmpty());

        const QVector<RunInfo> all = store.runs();
        QCOMPARE(all.size(), 2);
        QCOMPARE(all.at(0).id, u"run-b"_s);
        QCOMPARE(all.at(1).id, u"run-a"_s);
        QVERIFY(all.at(0).data.isEmpty());
        QCOMPARE(all.at(0).settings, newer.settings);

        QVERIFY(store.updateRun(u"run-a"_s, RunStatus::Failed, u"provider down"_s));
        const RunInfo failed = store.run(u"run-a"_s);
        QCOMPARE(failed.status, RunStatus::Failed);
        QCOMPARE(failed.error, u"provider down"_s);
        QVERIFY(failed.updatedAt > older.updatedAt);
        QVERIFY(!store.updateRun(u"missing"_s, RunStatus::Completed));
        QVERIFY(store.lastError().contains(u"missing"_s));

        QVERIFY(store.setInitialValScore(u"run-a"_s, 0.5));
        QCOMPARE(store.run(u"run-a"_s).initialValScore, 0.5);
        QVERIFY(store.setInitialValScore(u"run-a"_s, noScore()));
        QVERIFY(!hasScore(store.run(u"run-a"_s).initialValScore));
        QVERIFY(!hasScore(store.testScore(u"run-a"_s)));
        QVERIFY(store.setTestScore(u"run-a"_s, 0.875));
        QCOMPARE(store.testScore(u"run-a"_s), 0.875);
        QVERIFY(store.runExists(u"run-a"_s));
        QVERIFY(!store.runExists(u"run-z"_s));
    }

    void pipelineRoundTrip()
    {
        RunStore store;
        QVERIFY(store.open(m_dir.filePath(u"pipelines.tgw"_s), nullptr));
        const QJsonObject first { { u"nodes"_s, 1 } };
        const qint64 id = store.savePipeline(u"zeta"_s, first);
        QVERIFY(id > 0);
        const qint64 other = store.savePipeline(u"Alpha"_s, QJsonObject { { u"nodes"_s, 2 } });
        QCOMPARE(store.pipeline(id), first);
        const QJsonObject edited { { u"nodes"_s, 3 } };
        QCOMPARE(store.savePipeline(u"zeta 2"_s, edited, id), id);
        QCOMPARE(store.pipeline(id), edited);
        const auto list = store.pipelines();
        QCOMPARE(list.size(), 2);
        QCOMPARE(list.at(0), qMakePair(other, u"Alpha"_s));
        QCOMPARE(list.at(1), qMakePair(id, u"zeta 2"_s));
    }

    void stepRoundTrip()
    {
        RunStore store;
        QVERIFY(store.open(m_dir.filePath(u"steps.tgw"_s), nullptr));
        QVERIFY(store.createRun(sampleRun(u"r"_s, at(3))));
        const StepRecord one = sampleStep(1);
        QVERIFY2(store.saveStep(u"r"_s, one), qPrintable(store.lastError()));
        QVERIFY(store.saveStep(u"r"_s, sampleStep(2)));

        const QVector<StepRecord> plain = store.steps(u"r"_s);
        QCOMPARE(plain.size(), 2);
        QVERIFY(plain.at(0).versions.isEmpty() && plain.at(0).samples.isEmpty()
            && plain.at(0).gradients.isEmpty() && plain.at(0).events.isEmpty());

        const StepRecord back = store.steps(u"r"_s, true).at(0);
        QCOMPARE(back.step, 1);
        QCOMPARE(back.epoch, 1);
        QCOMPARE(back.trainScore, 0.5);
        QVERIFY(!hasScore(back.valScore));
        QCOMPARE(back.bestValScore, 0.75);
        QCOMPARE(back.accepted, false);
        QCOMPARE(back.candidate, one.candidate);
        QCOMPARE(back.current, one.current);
        QCOMPARE(back.finishedAt, one.finishedAt);

        QCOMPARE(back.versions.size(), 1);
        const PromptVersion &v = back.versions.at(0);
        QCOMPARE(v.nodeId, u"system"_s);
        QCOMPARE(v.value, one.versions.at(0).value);
        QCOMPARE(v.previous, one.versions.at(0).previous);
        QCOMPARE(v.changed, true);
        QCOMPARE(v.optimizerReply, one.versions.at(0).optimizerReply);
        QCOMPARE(v.optimizerPrompt, one.versions.at(0).optimizerPrompt);
        QCOMPARE(v.gradientsUsed, 2);
        QCOMPARE(v.gradientsTotal, 3);

        QCOMPARE(back.samples.size(), 3);
        for (int i = 0; i < 3; ++i) {
            const SampleResult &a = back.samples.at(i);
            const SampleResult &e = one.samples.at(i);
            QCOMPARE(a.step, 1);
            QCOMPARE(a.split, e.split);
            QCOMPARE(a.sampleIndex, e.sampleIndex);
            QCOMPARE(a.line, e.line);
            QCOMPARE(a.outputs, e.outputs);
            QCOMPARE(hasScore(a.score), hasScore(e.score));
            if (hasScore(e.score))
                QCOMPARE(a.score, e.score);
            QCOMPARE(a.evaluation, e.evaluation);
            QCOMPARE(a.error, e.error);
        }

        QCOMPARE(back.gradients.size(), 2);
        QCOMPARE(back.gradients.at(0).targetNode, u"system"_s);
        QCOMPARE(back.gradients.at(0).sourceNode, u"answer"_s);
        QCOMPARE(back.gradients.at(0).mode, u"chain"_s);
        QCOMPARE(back.gradients.at(0).feedback, u"Too long."_s);
        QCOMPARE(back.gradients.at(0).conversation, one.gradients.at(0).conversation);
        QCOMPARE(back.gradients.at(0).sampleIndex, 1);
        QCOMPARE(back.gradients.at(0).callId, qint64(42));
        QCOMPARE(back.gradients.at(1).callId, qint64(0));
        QCOMPARE(back.gradients.at(1).sampleIndex, -1);

        QCOMPARE(back.events.size(), 1);
        QCOMPARE(back.events.at(0).kind, u"reask"_s);
        QCOMPARE(back.events.at(0).nodeId, u"system"_s);
        QCOMPARE(back.events.at(0).message, u"no tags"_s);

        QCOMPARE(store.gradients(u"r"_s).size(), 4);
        QCOMPARE(store.gradients(u"r"_s, 2).size(), 2);
        QCOMPARE(store.promptVersions(u"r"_s).size(), 2);
        QCOMPARE(store.sampleResults(u"r"_s, 1, u"train"_s).size(), 2);

        // Saving step 1 again replaces it and its rows instead of adding to them.
        StepRecord again = sampleStep(1);
        again.accepted = true;
        again.samples.removeLast();
        QVERIFY(store.saveStep(u"r"_s, again));
        const QVector<StepRecord> replaced = store.steps(u"r"_s, true);
        QCOMPARE(replaced.size(), 2);
        QCOMPARE(replaced.at(0).accepted, true);
        QCOMPARE(replaced.at(0).samples.size(), 2);
        QCOMPARE(replaced.at(0).gradients.size(), 2);
        QCOMPARE(replaced.at(0).versions.size(), 1);
        QCOMPARE(replaced.at(0).events.size(), 1);
        QCOMPARE(replaced.at(1).samples.size(), 3);
        QCOMPARE(store.events(u"r"_s).size(), 2);
    }

    void resultsOutsideSteps()
    {
        RunStore store;
        QVERIFY(store.open(m_dir.filePath(u"results.tgw"_s), nullptr));
        QVERIFY(store.createRun(sampleRun(u"r"_s, at(4))));
        SampleResult initial;
        initial.step = 0;
        initial.split = u"validation"_s;
        initial.sampleIndex = 1;
        initial.score = 1.0;
        SampleResult first = initial;
        first.sampleIndex = 0;
        QVERIFY(store.saveSampleResults(u"r"_s, { initial, first }));
        const auto back = store.sampleResults(u"r"_s, 0, u"validation"_s);
        QCOMPARE(back.size(), 2);
        QCOMPARE(back.at(0).sampleIndex, 0);
        QCOMPARE(back.at(1).score, 1.0);
        QVERIFY(store.saveEvents(u"r"_s, { RunEvent { 0, u"sample-error"_s, {}, u"timeout"_s } }));
        QCOMPARE(store.events(u"r"_s).size(), 1);
        QCOMPARE(store.events(u"r"_s).at(0).nodeId, QString());

        // Results saved outside a step survive replacing the step of the same number.
        QVERIFY(store.saveStep(u"r"_s, sampleStep(0)));
        QVERIFY(store.saveStep(u"r"_s, sampleStep(0)));
        QCOMPARE(store.sampleResults(u"r"_s, 0, u"validation"_s).size(), 3);
        QCOMPARE(store.events(u"r"_s).size(), 2);
        QCOMPARE(store.steps(u"r"_s, true).at(0).samples.size(), 3);

        QVERIFY(!store.saveSampleResults(u"nope"_s, { initial }));
        QVERIFY(!store.lastError().isEmpty());
    }

    void saveStepRollsBack()
    {
        const QString path = m_dir.filePath(u"rollback.tgw"_s);
        RunStore store;
        QVERIFY(store.open(path, nullptr));
        QVERIFY(!store.saveStep(u"no-such-run"_s, sampleStep(1)));
        QVERIFY2(store.lastError().contains(u"saving step 1 of run no-such-run"_s),
            qPrintable(store.lastError()));
        QVERIFY2(store.lastError().contains(u"FOREIGN KEY"_s, Qt::CaseInsensitive),
            qPrintable(store.lastError()));
        QCOMPARE(stepRows(path), 0);

        // A failure on the last insert, after the step, versions, samples and gradients went in.
        QVERIFY(store.createRun(sampleRun(u"r"_s, at(5))));
        {
            RawDb raw(path);
            QVERIFY(raw.exec(u"CREATE TRIGGER fail_events BEFORE INSERT ON events WHEN "
                             "NEW.kind = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END"_s));
        }
        StepRecord bad = sampleStep(1);
        bad.events.append(RunEvent { 1, u"boom"_s, {}, {} });
        QVERIFY(!store.saveStep(u"r"_s, bad));
        QVERIFY2(store.lastError().contains(u"boom"_s), qPrintable(store.lastError()));
        QCOMPARE(stepRows(path), 0);
        QVERIFY(store.steps(u"r"_s).isEmpty());

        // The connection is usable after the rollback.
        QVERIFY2(store.saveStep(u"r"_s, sampleStep(1)), qPrintable(store.lastError()));
        QCOMPARE(store.steps(u"r"_s).size(), 1);
    }

    void appendsThousandCalls()
    {
        RunStore store;
        QVERIFY(store.open(m_dir.filePath(u"calls.tgw"_s), nullptr));
        QVERIFY(store.createRun(sampleRun(u"r"_s, at(6))));
        QVector<CallRecord> records;
        CallTotals expected;
        for (int i = 0; i < 1000; ++i) {
            const CallRecord c = sampleCall(u"r"_s, i);
            records.append(c);
            if (!c.error.isEmpty())
                ++expected.errors;
            if (c.cached) {
                ++expected.cached;
                continue;
            }
            ++expected.total;
            static const char *names[]
                = { "forward", "loss", "backward", "optimizer", "validation", "test" };
            ++expected.byPurpose[QString::fromLatin1(names[i % 6])];
            expected.promptTokens += c.promptTokens;
            expected.completionTokens += c.completionTokens;
        }
        records.append(sampleCall(u"other"_s, 3));

        const QVector<qint64> ids = store.appendCalls(records);
        QCOMPARE(ids.size(), 1001);
        for (int i = 1; i < ids.size(); ++i)
            QCOMPARE(ids.at(i), ids.at(i - 1) + 1);

        const QVector<CallRecord> back = store.calls(u"r"_s);
        QCOMPARE(back.size(), 1000);
        for (int i = 0; i < 1000; ++i) {
            compareCalls(back.at(i), records.at(i));
            if (QTest::currentTestFailed())
                QFAIL(qPrintable(u"call %1 differs"_s.arg(i)));
        }

        const CallTotals totals = store.callTotals(u"r"_s);
        QCOMPARE(totals.total, expected.total);
        QCOMPARE(totals.cached, expected.cached);
        QCOMPARE(totals.cached, 100);
        QCOMPARE(totals.byPurpose, expected.byPurpose);
        QCOMPARE(totals.promptTokens, expected.promptTokens);
        QCOMPARE(totals.completionTokens, expected.completionTokens);
        QCOMPARE(totals.errors, expected.errors);
        QCOMPARE(store.callTotals(u"other"_s).total, 1);

        // Keyset pages cover the run's calls exactly once, in order.
        qint64 after = 0;
        int seen = 0;
        for (;;) {
            const QVector<StoredCall> page = store.callsAfter(u"r"_s, after, 300);
            if (page.isEmpty())
                break;
            QVERIFY(page.size() <= 300);
            QCOMPARE(page.first().id, ids.at(seen));
            QCOMPARE(page.first().record.replyText, records.at(seen).replyText);
            seen += page.size();
            after = page.last().id;
        }
        QCOMPARE(seen, 1000);
    }

    void instancesShareTheFile()
    {
        const QString path = m_dir.filePath(u"shared.tgw"_s);
        RunStore a;
        RunStore b;
        QVERIFY(a.open(path, nullptr));
        QVERIFY(b.open(path, nullptr));
        QVERIFY(a.createRun(sampleRun(u"r"_s, at(7))));
        QVERIFY(b.runExists(u"r"_s));
        QCOMPARE(b.appendCalls({ sampleCall(u"r"_s, 1) }).size(), 1);
        QCOMPARE(a.calls(u"r"_s).size(), 1);
        QVERIFY(b.saveStep(u"r"_s, sampleStep(1)));
        QCOMPARE(a.steps(u"r"_s, true).at(0).gradients.size(), 2);
    }

    void reopensAfterClose()
    {
        const QString path = m_dir.filePath(u"reopen.tgw"_s);
        RunStore store;
        QVERIFY(store.open(path, nullptr));
        QVERIFY(store.createRun(sampleRun(u"r"_s, at(8))));
        store.close();
        QVERIFY(!store.isOpen());
        QVERIFY(!store.runExists(u"r"_s));
        QVERIFY(store.lastError().contains(u"not open"_s));
        QVERIFY(!store.saveStep(u"r"_s, sampleStep(1)));
        QVERIFY(store.lastError().contains(u"not open"_s));
        QVERIFY(store.open(path, nullptr));
        QCOMPARE(store.schemaVersion(), RunStore::kSchemaVersion);
        QVERIFY(store.runExists(u"r"_s));
        QVERIFY(store.open(path, nullptr)); // open on an open store reopens
        QVERIFY(store.runExists(u"r"_s));
    }

    void writersInTwoThreads()
    {
        const QString path = m_dir.filePath(u"threads.tgw"_s);
        {
            RunStore setup;
            QVERIFY(setup.open(path, nullptr));
            QVERIFY(setup.createRun(sampleRun(u"r"_s, at(9))));
        }
        RunStore steps;
        QVERIFY(steps.open(path, nullptr));

        constexpr int kRounds = 25;
        int callsWritten = 0;
        QString threadError;
        QThread *writer = QThread::create([&] {
            RunStore calls; // a connection of its own, opened in this thread
            if (!calls.open(path, &threadError))
                return;
            for (int round = 0; round < kRounds; ++round) {
                QVector<CallRecord> batch;
                for (int i = 0; i < 20; ++i)
                    batch.append(sampleCall(u"r"_s, round * 20 + i));
                const QVector<qint64> ids = calls.appendCalls(batch);
                if (ids.size() != batch.size()) {
                    threadError = calls.lastError();
                    return;
                }
                callsWritten += ids.size();
            }
        });
        writer->start();
        for (int step = 1; step <= kRounds; ++step)
            QVERIFY2(steps.saveStep(u"r"_s, sampleStep(step)), qPrintable(steps.lastError()));
        QVERIFY(writer->wait(60000));
        delete writer;

        QVERIFY2(threadError.isEmpty(), qPrintable(threadError));
        QCOMPARE(callsWritten, kRounds * 20);
        QCOMPARE(steps.calls(u"r"_s).size(), kRounds * 20);
        QCOMPARE(steps.steps(u"r"_s).size(), kRounds);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestRunStore)
#include "tst_runstore.moc"
