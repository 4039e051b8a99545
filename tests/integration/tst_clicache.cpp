// textgrad-cli with the response cache and prices, end to end against the fake OpenAI-compatible
// server: a repeated run is answered from the project file (calls.total counts only what the
// server received), --no-cache sends everything, resume keeps a run's --no-cache, the cache
// command reports and clears, eval uses the cache too, and --prices refuses a bad file.

#include "FakeOpenAiServer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

QString studentAnswer(const FakeRequest &r)
{
    static const QRegularExpression sum(u"(\\d+)\\s*\\+\\s*(\\d+)"_s);
    const QRegularExpressionMatch m = sum.match(r.lastMessage(u"user"_s));
    if (!m.hasMatch())
        return u"?"_s;
    const int right = m.captured(1).toInt() + m.captured(2).toInt();
    if (r.lastMessage(u"system"_s).contains(u"carefully"_s) || right % 2 == 0)
        return QString::number(right);
    return QString::number(right + 1);
}

bool isOptimizer(const FakeRequest &r)
{
    return r.lastMessage(u"user"_s).contains(u"<IMPROVED_VARIABLE>"_s);
}

FakeReply world(const FakeRequest &r)
{
    if (isOptimizer(r))
        return FakeReply::completion(u"<IMPROVED_VARIABLE>You are an arithmetic assistant. Work carefully.</IMPROVED_VARIABLE>"_s);
    if (r.lastMessage(u"user"_s).contains(u"<TEXT_TO_CRITICISE>"_s))
        return FakeReply::completion(u"Ask the assistant to work carefully."_s);
    return FakeReply::completion(studentAnswer(r));
}

} // namespace

class TestCliCache : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    FakeOpenAiServer m_server;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    void writeFile(const QString &name, const QByteArray &bytes)
    {
        QFile f(path(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }

    QString pipelineJson() const
    {
        return uR"json({
  "format": "textgrad-workbench.pipeline", "formatVersion": 1, "name": "Cached arithmetic",
  "engines": {
    "student": { "provider": "openai-compatible", "baseUrl": "%1", "model": "student", "temperature": 0.7, "maxRetries": 0 },
    "teacher": { "provider": "openai-compatible", "baseUrl": "%1", "model": "teacher", "maxRetries": 0 }
  },
  "backwardEngine": "teacher",
  "nodes": [
    { "id": "system_prompt", "type": "parameter", "trainable": true,
      "role": "system prompt for an arithmetic assistant", "value": "You are an arithmetic assistant." },
    { "id": "question", "type": "input", "field": "question", "role": "arithmetic question" },
    { "id": "answer", "type": "llm", "engine": "student", "role": "the assistant answer",
      "inputs": { "system": "system_prompt", "question": "question" }, "template": "{question}" },
    { "id": "reference", "type": "input", "field": "answer", "role": "correct answer" },
    { "id": "score", "type": "metric", "metric": "exact_match",
      "inputs": { "prediction": "answer", "reference": "reference" } }
  ],
  "objective": "score",
  "optimizer": { "kind": "tgd", "batchSize": 2, "epochs": 1, "maxSteps": 2, "stopWhenPerfect": false,
                 "validation": "revert-if-worse", "seed": 5, "concurrency": 3 }
})json"_s.arg(m_server.baseUrl());
    }

    static QByteArray csv(int count, int offset)
    {
        QByteArray out = "question,answer\n";
        for (int i = 0; i < count; ++i) {
            const int a = i + offset;
            const int b = 2 * i + 1;
            out += QByteArray::number(a) + '+' + QByteArray::number(b) + ',' + QByteArray::number(a + b) + '\n';
        }
        return out;
    }

    struct Result
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
        QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    };

    Result cli(const QStringList &args)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"HOME"_s, m_dir.path());
        env.insert(u"XDG_DATA_HOME"_s, path(u"xdg"_s));
        env.insert(u"XDG_CONFIG_HOME"_s, path(u"xdg-config"_s));
        env.remove(u"TEXTGRAD_DB"_s);
        env.remove(u"TEXTGRAD_PRICES"_s);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(TEXTGRAD_CLI_PATH), args);
        if (!p.waitForFinished(120000)) {
            p.kill();
            p.waitForFinished();
        }
        return Result{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                      p.readAllStandardError()};
    }

    QStringList optimizeArgs(const QString &db) const
    {
        return {u"optimize"_s, path(u"qa.tgpipe.json"_s), u"--train"_s, path(u"train.csv"_s), u"--val"_s,
                path(u"val.csv"_s), u"--test"_s, path(u"test.csv"_s), u"--db"_s, db, u"--json"_s, u"--quiet"_s};
    }

    static int calls(const QJsonObject &summary, const QString &what)
    {
        return summary.value(u"calls"_s).toObject().value(what).toInt();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_server.start());
        m_server.setResponder(world);
        writeFile(u"qa.tgpipe.json"_s, pipelineJson().toUtf8());
        writeFile(u"train.csv"_s, csv(4, 1));
        writeFile(u"val.csv"_s, csv(3, 20));
        writeFile(u"test.csv"_s, csv(2, 40));
    }

    void aRepeatedRunIsAnsweredFromTheCache()
    {
        const QString db = path(u"repeat.tgdb"_s);
        m_server.clearRequests();
        const Result first = cli(optimizeArgs(db));
        QVERIFY2(first.exitCode == 0, first.err.constData());
        const QJsonObject s1 = first.json();
        const int sent = m_server.requestCount();
        QVERIFY(sent > 0);
        QCOMPARE(calls(s1, u"total"_s), sent);
        QCOMPARE(calls(s1, u"cached"_s), 0);
        // A local server costs nothing, and that is known.
        const QJsonObject cost = s1.value(u"cost"_s).toObject();
        QCOMPARE(cost.value(u"total"_s).toDouble(), 0.0);
        QCOMPARE(cost.value(u"unknownCalls"_s).toInt(), 0);
        QCOMPARE(cost.value(u"currency"_s).toString(), u"USD"_s);
        QCOMPARE(cost.value(u"byPurpose"_s).toObject().size(), 6);

        // The same run again: nothing reaches the server, every answer is replayed.
        const Result second = cli(optimizeArgs(db));
        QVERIFY2(second.exitCode == 0, second.err.constData());
        const QJsonObject s2 = second.json();
        QCOMPARE(m_server.requestCount(), sent);
        QCOMPARE(calls(s2, u"total"_s), 0);
        QCOMPARE(calls(s2, u"cached"_s), sent);
        QCOMPARE(s2.value(u"finalParameters"_s), s1.value(u"finalParameters"_s));
        QCOMPARE(s2.value(u"finalValScore"_s), s1.value(u"finalValScore"_s));
        QCOMPARE(s2.value(u"tokens"_s).toObject().value(u"prompt"_s).toDouble(), 0.0);

        // show --json rebuilds the same document, cost and cache counts included.
        const Result shown = cli({u"show"_s, u"--db"_s, db, u"--run"_s, s2.value(u"runId"_s).toString(), u"--json"_s});
        QCOMPARE(shown.json(), s2);
        const Result text = cli({u"show"_s, u"--db"_s, db, u"--run"_s, s2.value(u"runId"_s).toString()});
        QVERIFY2(text.out.contains("cost: $0") && text.out.contains("answers from the cache"), text.out.constData());

        // --no-cache sends every request again.
        QStringList args = optimizeArgs(db);
        args.append(u"--no-cache"_s);
        const Result third = cli(args);
        QVERIFY2(third.exitCode == 0, third.err.constData());
        QCOMPARE(m_server.requestCount(), 2 * sent);
        QCOMPARE(calls(third.json(), u"total"_s), sent);
        QCOMPARE(calls(third.json(), u"cached"_s), 0);

        // The cache command: what the first run stored (the --no-cache run stored nothing).
        Result stats = cli({u"cache"_s, u"--db"_s, db, u"--json"_s});
        QCOMPARE(stats.exitCode, 0);
        QCOMPARE(stats.json().value(u"entries"_s).toInt(), sent);
        QVERIFY(stats.json().value(u"bytes"_s).toDouble() > 0);
        stats = cli({u"cache"_s, u"--db"_s, db});
        QVERIFY2(stats.out.contains(QByteArray(QByteArray::number(sent) + " entries")), stats.out.constData());
        const Result cleared = cli({u"cache"_s, u"--db"_s, db, u"--clear"_s, u"--json"_s});
        QCOMPARE(cleared.exitCode, 0);
        QCOMPARE(cleared.json().value(u"cleared"_s).toInt(), sent);
        QCOMPARE(cleared.json().value(u"entries"_s).toInt(), 0);

        // After a clear, the run goes to the server again.
        const Result fourth = cli(optimizeArgs(db));
        QVERIFY2(fourth.exitCode == 0, fourth.err.constData());
        QCOMPARE(calls(fourth.json(), u"total"_s), sent);
        QCOMPARE(m_server.requestCount(), 3 * sent);
    }

    void evalUsesTheCacheToo()
    {
        const QString db = path(u"eval.tgdb"_s);
        m_server.clearRequests();
        const QStringList args{u"eval"_s, path(u"qa.tgpipe.json"_s), u"--data"_s, path(u"val.csv"_s),
                               u"--db"_s, db, u"--json"_s, u"--quiet"_s};
        const Result first = cli(args);
        QVERIFY2(first.exitCode == 0, first.err.constData());
        QCOMPARE(calls(first.json(), u"total"_s), 3);
        const Result second = cli(args);
        QCOMPARE(calls(second.json(), u"total"_s), 0);
        QCOMPARE(calls(second.json(), u"cached"_s), 3);
        QCOMPARE(second.json().value(u"score"_s), first.json().value(u"score"_s));
        const Result bypass = cli(args + QStringList{u"--no-cache"_s});
        QCOMPARE(calls(bypass.json(), u"total"_s), 3);
        QCOMPARE(m_server.requestCount(), 6);
    }

    void resumeKeepsTheRunsNoCache()
    {
        const QString db = path(u"resume.tgdb"_s);
        // Fill the cache with a complete run first, so a resume that used it would hit.
        m_server.setResponder(world);
        const Result filled = cli(optimizeArgs(db));
        QVERIFY2(filled.exitCode == 0, filled.err.constData());

        // A --no-cache run fails at its first optimizer call...
        m_server.setResponder([](const FakeRequest &r) {
            return isOptimizer(r) ? FakeReply::error(503, u"overloaded"_s) : world(r);
        });
        const Result failed = cli(optimizeArgs(db) + QStringList{u"--no-cache"_s});
        QCOMPARE(failed.exitCode, 1);
        const QString runId = failed.json().value(u"runId"_s).toString();
        QVERIFY(!runId.isEmpty());

        // ...and its resume sends everything, although the cache holds every answer.
        m_server.setResponder(world);
        m_server.clearRequests();
        const Result resumed = cli({u"resume"_s, u"--db"_s, db, u"--run"_s, runId, u"--json"_s, u"--quiet"_s});
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        const QJsonObject s = resumed.json();
        QCOMPARE(s.value(u"status"_s).toString(), u"completed"_s);
        QCOMPARE(calls(s, u"cached"_s), 0);
        QVERIFY(m_server.requestCount() > 0);
    }

    void pricesFlagRefusesABadFile()
    {
        writeFile(u"bad-prices.json"_s, "{ \"providers\": { \"openai\": { \"gpt-4o\": { \"prompt\": \"cheap\" } } } }");
        Result r = cli(optimizeArgs(path(u"prices.tgdb"_s)) + QStringList{u"--prices"_s, path(u"bad-prices.json"_s)});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("bad-prices.json") && r.err.contains("gpt-4o"), r.err.constData());
        QVERIFY(!QFile::exists(path(u"prices.tgdb"_s)));   // refused before any run was created

        writeFile(u"good-prices.json"_s, "{ \"providers\": { \"openai\": { \"gpt-4o\": { \"prompt\": 1, \"completion\": 2 } } } }");
        r = cli(optimizeArgs(path(u"prices.tgdb"_s)) + QStringList{u"--prices"_s, path(u"good-prices.json"_s)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    void helpDocumentsCacheAndPrices()
    {
        Result r = cli({u"--help"_s});
        QVERIFY(r.out.contains("textgrad-cli cache"));
        QVERIFY(r.out.contains("--no-cache"));
        QVERIFY(r.out.contains("--prices FILE"));
        QVERIFY(r.out.contains("calls.cached"));
        for (const QString &command : {u"optimize"_s, u"eval"_s, u"resume"_s}) {
            r = cli({command, u"--help"_s});
            QCOMPARE(r.exitCode, 0);
            QVERIFY2(r.out.contains("--no-cache") && r.out.contains("--prices"), qPrintable(command));
        }
        r = cli({u"cache"_s, u"--help"_s});
        QVERIFY(r.out.contains("--clear"));
        r = cli({u"cache"_s, u"--db"_s, path(u"missing.tgdb"_s)});
        QCOMPARE(r.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestCliCache)
#include "tst_clicache.moc"
