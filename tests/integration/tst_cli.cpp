// textgrad-cli end to end: the real binary, real HTTP to an in-process OpenAI-compatible server
// on 127.0.0.1, a real SQLite project file. Covers a run that climbs to a perfect validation
// score through a 429 and a 500, rejection of a worse step, show/runs/export, exit codes, key
// hygiene, and resume after the process is killed mid-run.

#include "FakeOpenAiServer.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

using namespace Qt::StringLiterals;

namespace {

const QString kSecret = u"sk-test-SECRET-0123456789abcdef"_s;

// Which kind of call a request is, from its text alone (as an unknown endpoint would see it).
enum class Kind { Forward, Backward, Optimizer };

Kind classify(const FakeRequest &r)
{
    const QString user = r.lastMessage(u"user"_s);
    if (user.contains(u"<IMPROVED_VARIABLE>"_s))
        return Kind::Optimizer;
    if (user.contains(u"<TEXT_TO_CRITICISE>"_s))
        return Kind::Backward;
    return Kind::Forward;
}

// The student answers "a+b" questions correctly when its system prompt says "carefully";
// with "quick" in it, it answers nonsense; otherwise it gets odd sums wrong.
QString studentAnswer(const FakeRequest &r)
{
    static const QRegularExpression sum(u"(\\d+)\\s*\\+\\s*(\\d+)"_s);
    const QRegularExpressionMatch m = sum.match(r.lastMessage(u"user"_s));
    if (!m.hasMatch())
        return u"?"_s;
    const int right = m.captured(1).toInt() + m.captured(2).toInt();
    const QString system = r.lastMessage(u"system"_s);
    if (system.contains(u"quick"_s))
        return u"-1"_s;
    if (system.contains(u"carefully"_s) || right % 2 == 0)
        return QString::number(right);
    return QString::number(right + 1);
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    FakeOpenAiServer m_server;
    std::atomic_int m_optimizerCalls{0};

    QString path(const QString &name) const { return m_dir.filePath(name); }

    void writeFile(const QString &name, const QByteArray &bytes)
    {
        QFile f(path(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }

    QString pipelineJson(int maxSteps, bool stopWhenPerfect = true) const
    {
        return uR"json({
  "format": "textgrad-workbench.pipeline", "formatVersion": 1, "name": "CLI arithmetic",
  "engines": {
    "student": { "provider": "openai-compatible", "baseUrl": "%1", "model": "student", "apiKeyEnv": "TG_TEST_KEY",
                 "temperature": 0, "maxRetries": 3 },
    "teacher": { "provider": "openai-compatible", "baseUrl": "%1", "model": "teacher", "apiKeyEnv": "TG_TEST_KEY",
                 "maxRetries": 3 }
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
  "optimizer": { "kind": "tgd", "batchSize": 2, "epochs": 3, "maxSteps": %2, "stopWhenPerfect": %3,
                 "validation": "revert-if-worse", "seed": 5, "concurrency": 3 }
})json"_s.arg(m_server.baseUrl()).arg(maxSteps).arg(stopWhenPerfect ? u"true"_s : u"false"_s);
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
    };

    Result cli(const QStringList &args, int timeoutMs = 120000)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"TG_TEST_KEY"_s, kSecret);
        env.insert(u"HOME"_s, m_dir.path());
        env.insert(u"XDG_DATA_HOME"_s, path(u"xdg"_s));
        env.remove(u"TEXTGRAD_DB"_s);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(TEXTGRAD_CLI_PATH), args);
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished();
        }
        return Result{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                      p.readAllStandardError()};
    }

    void assertNoSecretIn(const QString &file)
    {
        QFile f(file);
        if (!f.exists())
            return;
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY2(!f.readAll().contains(kSecret.toUtf8()), qPrintable(u"key found in "_s + file));
    }

    void standardResponder()
    {
        m_server.setResponder([this](const FakeRequest &r) {
            switch (classify(r)) {
            case Kind::Backward:
                return FakeReply::completion(u"The prompt never asks for care with odd sums; it should ask the assistant to work carefully."_s);
            case Kind::Optimizer:
                // First proposal is worse (validation must reject it), then a good one.
                if (m_optimizerCalls.fetch_add(1) == 0)
                    return FakeReply::completion(u"<IMPROVED_VARIABLE>Answer quick.</IMPROVED_VARIABLE>"_s);
                return FakeReply::completion(u"Thinking...\n<IMPROVED_VARIABLE>You are an arithmetic assistant. Work carefully; reply with the number only.</IMPROVED_VARIABLE>"_s);
            case Kind::Forward:
                break;
            }
            return FakeReply::completion(studentAnswer(r));
        });
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_server.start());
        writeFile(u"train.csv"_s, csv(6, 1));
        writeFile(u"val.csv"_s, csv(4, 20));
        writeFile(u"test.csv"_s, csv(4, 40));
    }

    void optimizeClimbsToTheCeilingAndAccountsForEveryRequest()
    {
        writeFile(u"qa.tgpipe.json"_s, pipelineJson(6).toUtf8());
        m_server.clearRequests();
        m_optimizerCalls = 0;
        standardResponder();
        // The first two requests meet a rate limit with Retry-After and a server error.
        m_server.enqueue(FakeReply::rateLimited(1));
        m_server.enqueue(FakeReply::error(500, u"internal error"_s));

        const QString db = path(u"project.tgdb"_s);
        const Result r = cli({u"optimize"_s, path(u"qa.tgpipe.json"_s), u"--train"_s, path(u"train.csv"_s),
                              u"--val"_s, path(u"val.csv"_s), u"--test"_s, path(u"test.csv"_s), u"--db"_s, db,
                              u"--json"_s, u"--export"_s, path(u"best.md"_s)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QJsonParseError parseError;
        const QJsonObject s = QJsonDocument::fromJson(r.out, &parseError).object();
        QVERIFY2(parseError.error == QJsonParseError::NoError, "stdout is not one JSON document");

        QCOMPARE(s.value(u"initialValScore"_s).toDouble(), 0.5);
        QCOMPARE(s.value(u"finalValScore"_s).toDouble(), 1.0);
        QCOMPARE(s.value(u"testScore"_s).toDouble(), 1.0);
        const QJsonArray steps = s.value(u"steps"_s).toArray();
        QCOMPARE(steps.size(), 2);   // a rejected step, then the perfect one; then it stops
        QCOMPARE(steps.at(0).toObject().value(u"accepted"_s).toBool(), false);
        QCOMPARE(steps.at(0).toObject().value(u"valScore"_s).toDouble(), 0.0);
        QCOMPARE(steps.at(1).toObject().value(u"accepted"_s).toBool(), true);
        QVERIFY(s.value(u"finalParameters"_s).toObject().value(u"system_prompt"_s).toString().contains(u"carefully"_s));

        // Every request the endpoint received is accounted for, retries included.
        const QJsonObject calls = s.value(u"calls"_s).toObject();
        QCOMPARE(calls.value(u"total"_s).toInt(), m_server.requestCount());
        int sum = 0;
        for (const QString &k : {u"forward"_s, u"loss"_s, u"backward"_s, u"optimizer"_s, u"validation"_s, u"test"_s})
            sum += calls.value(k).toInt();
        QCOMPARE(sum, m_server.requestCount());
        QCOMPARE(calls.value(u"optimizer"_s).toInt(), 2);
        QVERIFY(s.value(u"tokens"_s).toObject().value(u"prompt"_s).toDouble() > 0);

        // The key went out in the Authorization header and nowhere into stored files.
        QCOMPARE(m_server.lastRequest().header("Authorization"), QString(u"Bearer "_s + kSecret).toUtf8());
        for (const QString &f : QStringList{db, db + u"-wal"_s, db + u"-shm"_s, path(u"best.md"_s), path(u"qa.tgpipe.json"_s)})
            assertNoSecretIn(f);
        QVERIFY(!r.out.contains(kSecret.toUtf8()));
        QVERIFY(!r.err.contains(kSecret.toUtf8()));

        // show --json rebuilds the same document from the store.
        const QString runId = s.value(u"runId"_s).toString();
        const Result shown = cli({u"show"_s, u"--db"_s, db, u"--run"_s, runId, u"--json"_s});
        QCOMPARE(shown.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(shown.out).object(), s);

        const Result listed = cli({u"runs"_s, u"--db"_s, db, u"--json"_s});
        QCOMPARE(listed.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(listed.out).array().first().toObject().value(u"runId"_s).toString(), runId);

        const Result exported = cli({u"export"_s, u"--db"_s, db, u"--run"_s, runId, u"--format"_s, u"txt"_s});
        QCOMPARE(exported.exitCode, 0);
        QVERIFY(exported.out.startsWith("You are an arithmetic assistant. Work carefully"));
        QFile md(path(u"best.md"_s));
        QVERIFY(md.open(QIODevice::ReadOnly));
        QVERIFY(md.readAll().contains("## system_prompt"));
    }

    void invalidInputExitsWithTwoAndNamesTheProblem()
    {
        QString broken = pipelineJson(2);
        broken.replace(u"\"inputs\": { \"prediction\": \"answer\""_s, u"\"inputs\": { \"prediction\": \"answr\""_s);
        writeFile(u"broken.tgpipe.json"_s, broken.toUtf8());
        Result r = cli({u"optimize"_s, path(u"broken.tgpipe.json"_s), u"--train"_s, path(u"train.csv"_s),
                        u"--val"_s, path(u"val.csv"_s), u"--db"_s, path(u"x.tgdb"_s)});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("score") && r.err.contains("answr"), r.err.constData());

        writeFile(u"qa.tgpipe.json"_s, pipelineJson(2).toUtf8());
        writeFile(u"bad.csv"_s, "question,answer\n1+2,3\n4+5,9,extra\n");
        r = cli({u"optimize"_s, path(u"qa.tgpipe.json"_s), u"--train"_s, path(u"bad.csv"_s), u"--val"_s,
                 path(u"val.csv"_s), u"--db"_s, path(u"x.tgdb"_s)});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("bad.csv:3"), r.err.constData());

        r = cli({u"optimize"_s, path(u"qa.tgpipe.json"_s), u"--train"_s, path(u"train.csv"_s), u"--val"_s,
                 path(u"val.csv"_s), u"--steps"_s, u"zero"_s});
        QCOMPARE(r.exitCode, 2);
        r = cli({u"validate"_s, path(u"broken.tgpipe.json"_s)});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("answr"));
        r = cli({u"validate"_s, path(u"qa.tgpipe.json"_s), u"--data"_s, path(u"train.csv"_s)});
        QCOMPARE(r.exitCode, 0);
        writeFile(u"anthropic.tgpipe.json"_s, pipelineJson(2).replace(u"\"provider\": \"openai-compatible\", \"baseUrl\": \"%1\", \"model\": \"teacher\""_s.arg(m_server.baseUrl()),
                                                                       u"\"provider\": \"anthropic\", \"model\": \"claude\""_s).toUtf8());
        // Every provider of the format is supported now: the file is valid as written.
        r = cli({u"validate"_s, path(u"anthropic.tgpipe.json"_s)});
        QCOMPARE(r.exitCode, 0);
        r = cli({u"frobnicate"_s});
        QCOMPARE(r.exitCode, 2);
        r = cli({u"--help"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("optimize PIPELINE"));
    }

    void providerFailureExitsWithOneAndCanBeResumed()
    {
        writeFile(u"qa.tgpipe.json"_s, pipelineJson(2).replace(u"\"maxRetries\": 3"_s, u"\"maxRetries\": 0"_s).toUtf8());
        m_server.setResponder([](const FakeRequest &) { return FakeReply::error(503, u"overloaded"_s); });
        const QString db = path(u"fail.tgdb"_s);
        Result r = cli({u"optimize"_s, path(u"qa.tgpipe.json"_s), u"--train"_s, path(u"train.csv"_s), u"--val"_s,
                        path(u"val.csv"_s), u"--db"_s, db, u"--json"_s});
        QCOMPARE(r.exitCode, 1);
        const QJsonObject s = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(s.value(u"status"_s).toString(), u"failed"_s);
        QVERIFY2(s.value(u"error"_s).toString().contains(u"503"_s), qPrintable(s.value(u"error"_s).toString()));
        QVERIFY(r.err.contains("textgrad-cli resume"));

        m_optimizerCalls = 1;   // the optimizer proposes the good prompt straight away
        standardResponder();
        r = cli({u"resume"_s, u"--db"_s, db, u"--run"_s, s.value(u"runId"_s).toString(), u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(u"finalValScore"_s).toDouble(), 1.0);
    }

    void providersListsAndTestsConnections()
    {
        Result r = cli({u"providers"_s, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray presets = QJsonDocument::fromJson(r.out).object().value(u"providers"_s).toArray();
        QStringList names;
        for (const QJsonValue &v : presets)
            names.append(v.toObject().value(u"provider"_s).toString());
        for (const QString &expected : {u"openai"_s, u"ollama"_s, u"vllm"_s, u"llamacpp"_s, u"lmstudio"_s,
                                        u"openrouter"_s, u"together"_s, u"groq"_s, u"deepseek"_s, u"mistral"_s,
                                        u"azure-openai"_s, u"anthropic"_s, u"gemini"_s})
            QVERIFY2(names.contains(expected), qPrintable(expected));

        writeFile(u"qa.tgpipe.json"_s, pipelineJson(2).toUtf8());
        m_server.setModels({u"student"_s, u"teacher"_s, u"other"_s});
        r = cli({u"providers"_s, u"test"_s, path(u"qa.tgpipe.json"_s), u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QJsonObject doc = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(doc.value(u"ok"_s).toBool(), true);
        const QJsonArray engines = doc.value(u"engines"_s).toArray();
        QCOMPARE(engines.size(), 2);
        for (const QJsonValue &v : engines) {
            QCOMPARE(v.toObject().value(u"modelOffered"_s).toBool(), true);
            QCOMPARE(v.toObject().value(u"models"_s).toArray().size(), 3);
            QVERIFY(v.toObject().value(u"latencyMs"_s).toDouble() >= 0);
        }
        QVERIFY(QString::fromUtf8(m_server.lastRequest().header("Authorization")).endsWith(kSecret));
        QVERIFY(!r.out.contains(kSecret.toUtf8()));

        // A model the server does not offer is a failure that says so.
        m_server.setModels({u"student"_s});
        r = cli({u"providers"_s, u"test"_s, path(u"qa.tgpipe.json"_s), u"--engine"_s, u"teacher"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("\"teacher\" is NOT offered"), r.out.constData());

        r = cli({u"providers"_s, u"test"_s, u"--provider"_s, u"nonsense"_s});
        QCOMPARE(r.exitCode, 2);
    }

    void resumeAfterTheProcessIsKilled()
    {
        // Slow optimizer replies give the test time to kill the process in the middle of a run.
        writeFile(u"slow.tgpipe.json"_s, pipelineJson(4, false).toUtf8());
        m_server.clearRequests();
        m_server.setResponder([](const FakeRequest &r) {
            switch (classify(r)) {
            case Kind::Backward:
                return FakeReply::completion(u"Be more careful."_s);
            case Kind::Optimizer:
                return FakeReply::completion(u"<IMPROVED_VARIABLE>You are an arithmetic assistant. Work carefully.</IMPROVED_VARIABLE>"_s).withDelay(1500);
            case Kind::Forward:
                break;
            }
            return FakeReply::completion(studentAnswer(r));
        });
        const QString db = path(u"killed.tgdb"_s);
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"TG_TEST_KEY"_s, kSecret);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(TEXTGRAD_CLI_PATH),
                {u"optimize"_s, path(u"slow.tgpipe.json"_s), u"--train"_s, path(u"train.csv"_s), u"--val"_s,
                 path(u"val.csv"_s), u"--db"_s, db, u"--json"_s});
        QVERIFY(p.waitForStarted());
        // Wait for the second step's optimizer request, then kill without warning.
        QTRY_VERIFY_WITH_TIMEOUT([&] {
            int optimizer = 0;
            for (const FakeRequest &r : m_server.requests())
                optimizer += classify(r) == Kind::Optimizer ? 1 : 0;
            return optimizer >= 2;
        }(), 60000);
        p.kill();
        QVERIFY(p.waitForFinished());

        const Result listed = cli({u"runs"_s, u"--db"_s, db, u"--json"_s});
        const QJsonObject run = QJsonDocument::fromJson(listed.out).array().first().toObject();
        QCOMPARE(run.value(u"status"_s).toString(), u"running"_s);   // cut off, not finished
        QCOMPARE(run.value(u"steps"_s).toInt(), 1);
        const Result resumed = cli({u"resume"_s, u"--db"_s, db, u"--run"_s, run.value(u"runId"_s).toString(), u"--json"_s});
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        const QJsonObject s = QJsonDocument::fromJson(resumed.out).object();
        QCOMPARE(s.value(u"status"_s).toString(), u"completed"_s);
        const QJsonArray steps = s.value(u"steps"_s).toArray();
        QCOMPARE(steps.size(), 4);
        for (int i = 0; i < steps.size(); ++i)
            QCOMPARE(steps.at(i).toObject().value(u"step"_s).toInt(), i + 1);
        // Only a request that was still in flight at the kill can be missing from the log.
        const int recorded = s.value(u"calls"_s).toObject().value(u"total"_s).toInt();
        QVERIFY(recorded <= m_server.requestCount());
        QVERIFY(recorded >= m_server.requestCount() - 3);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
