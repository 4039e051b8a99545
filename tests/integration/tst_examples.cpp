// Every bundled example (resources/examples/*/*.tgpipe.json): it loads, validates, saves back
// to the same JSON, its data files fit it, and it runs through textgrad-cli end to end (its
// engines pointed at an in-process OpenAI-compatible server).

#include "FakeOpenAiServer.h"

#include "data/DatasetLoader.h"
#include "graph/PipelineJson.h"
#include "graph/PipelineValidator.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

QString examplesDir()
{
    return QStringLiteral(TEXTGRAD_SOURCE_DIR) + u"/resources/examples"_s;
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

// A data file of an example's folder by its role (train, val, test), CSV or JSONL.
QString dataFile(const QString &folder, const QString &role)
{
    for (const QString &ext : {u".csv"_s, u".jsonl"_s}) {
        const QString path = folder + u'/' + role + ext;
        if (QFile::exists(path))
            return path;
    }
    return {};
}

// Plausible replies for any example: optimizer calls get a new value in tags, judges get a
// score for every criterion their prompt lists, everything else a short answer.
FakeReply answer(const FakeRequest &r)
{
    const QString user = r.lastMessage(u"user"_s);
    const QString system = r.lastMessage(u"system"_s);
    if (user.contains(u"<IMPROVED_VARIABLE>"_s))
        return FakeReply::completion(u"<IMPROVED_VARIABLE>An improved value. Answer: 0.05</IMPROVED_VARIABLE>"_s);
    if (system.contains(u"<SCORES>"_s)) {
        static const QRegularExpression line(u"^(.+): <score>$"_s, QRegularExpression::MultilineOption);
        QString scores;
        auto it = line.globalMatch(system);
        while (it.hasNext())
            scores += it.next().captured(1) + u": 4\n"_s;
        return FakeReply::completion(u"<CRITIQUE>Mostly right.</CRITIQUE>\n<SCORES>\n"_s + scores + u"</SCORES>"_s);
    }
    return FakeReply::completion(u"42"_s);
}

} // namespace

class TestExamples : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QDirIterator it(examplesDir(), {u"*.tgpipe.json"_s}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            m_files.append(it.next());
        m_files.sort();
        // QA with exact match, a rubric judge, a two-step chain, test-time refinement.
        QVERIFY2(m_files.size() >= 4, qPrintable(m_files.join(u", "_s)));
        QVERIFY(m_server.start());
        m_server.setResponder(answer);
    }

    void loadValidateRoundTrip_data()
    {
        QTest::addColumn<QString>("path");
        for (const QString &f : m_files)
            QTest::newRow(qPrintable(QDir(examplesDir()).relativeFilePath(f))) << f;
    }

    void loadValidateRoundTrip()
    {
        QFETCH(QString, path);
        Pipeline p;
        QVector<PipelineIssue> issues;
        QVERIFY(PipelineJson::loadFile(path, &p, &issues));
        issues += PipelineValidator::validate(p);
        QStringList lines;
        for (const PipelineIssue &i : issues)
            lines.append(i.toString(path));
        QVERIFY2(issues.isEmpty(), qPrintable(lines.join(u'\n')));
        // Saving gives back exactly the file's JSON (positions, descriptions, rubrics included).
        QCOMPARE(PipelineJson::toJson(p), readJson(path));

        const QString folder = QFileInfo(path).absolutePath();
        if (p.isTestTime())
            return;
        for (const QString &role : {u"train"_s, u"val"_s, u"test"_s}) {
            const QString data = dataFile(folder, role);
            QVERIFY2(!data.isEmpty(), qPrintable(u"no "_s + role + u" data in "_s + folder));
            Dataset d;
            QString error;
            QVERIFY2(DatasetLoader::load(data, &d, &error), qPrintable(error));
            QVERIFY2(DatasetLoader::checkFields(d, p.inputFields(), &error), qPrintable(error));
            QVERIFY(d.size() >= 4);
        }
    }

    void runsThroughTheCli_data() { loadValidateRoundTrip_data(); }

    void runsThroughTheCli()
    {
        QFETCH(QString, path);
        QJsonObject json = readJson(path);
        QJsonObject engines = json.value(u"engines"_s).toObject();
        for (auto it = engines.begin(); it != engines.end(); ++it) {
            QJsonObject e = it.value().toObject();
            e.insert(u"provider"_s, u"openai-compatible"_s);
            e.insert(u"baseUrl"_s, m_server.baseUrl());
            e.remove(u"apiKeyEnv"_s);
            it.value() = e;
        }
        json.insert(u"engines"_s, engines);
        QTemporaryDir dir;
        const QString local = dir.filePath(u"example.tgpipe.json"_s);
        QFile out(local);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QJsonDocument(json).toJson());
        out.close();

        const QString folder = QFileInfo(path).absolutePath();
        QStringList args{u"optimize"_s, local, u"--steps"_s, u"1"_s, u"--no-cache"_s, u"--json"_s, u"--quiet"_s,
                         u"--db"_s, dir.filePath(u"run.tgdb"_s)};
        if (!dataFile(folder, u"train"_s).isEmpty())
            args << u"--train"_s << dataFile(folder, u"train"_s) << u"--val"_s << dataFile(folder, u"val"_s)
                 << u"--test"_s << dataFile(folder, u"test"_s);
        QProcess cli;
        cli.start(QStringLiteral(TEXTGRAD_CLI_PATH), args);
        QVERIFY(cli.waitForFinished(120000));
        const QByteArray err = cli.readAllStandardError();
        QVERIFY2(cli.exitCode() == 0, err.constData());
        const QJsonObject summary = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
        QCOMPARE(summary.value(u"status"_s).toString(), u"completed"_s);
        QVERIFY(summary.value(u"calls"_s).toObject().value(u"total"_s).toInt() > 0);
        QCOMPARE(summary.value(u"steps"_s).toArray().size(), 1);
    }

private:
    QStringList m_files;
    FakeOpenAiServer m_server;
};

QTEST_GUILESS_MAIN(TestExamples)
#include "tst_examples.moc"
