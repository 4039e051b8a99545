// The pipeline file writer: keys in reading order, unknown keys after them, short lists on one
// line, and a byte-exact round trip of every bundled example through load and save.

#include "graph/PipelineJson.h"
#include "graph/PipelineJsonWriter.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestPipelineJsonWriter : public QObject
{
    Q_OBJECT

private slots:
    void keysComeInReadingOrderWithUnknownOnesLastAndSorted()
    {
        const QJsonObject pipeline {
            { u"zeta"_s, 1 },
            { u"nodes"_s, QJsonArray { QJsonObject { { u"position"_s, QJsonArray { 1, 2 } },
                              { u"type"_s, u"input"_s }, { u"id"_s, u"q"_s }, { u"alpha"_s, true } } } },
            { u"name"_s, u"N"_s },
            { u"format"_s, u"textgrad-workbench.pipeline"_s },
            { u"alpha"_s, 2 },
        };
        const QByteArray text = PipelineJsonWriter::write(pipeline);
        const auto at = [&text](const char *needle) { return text.indexOf(needle); };
        QVERIFY(at("\"format\"") < at("\"name\""));
        QVERIFY(at("\"name\"") < at("\"nodes\""));
        QVERIFY(at("\"nodes\"") < at("\n  \"alpha\""));
        QVERIFY(at("\n  \"alpha\"") < at("\"zeta\""));
        QVERIFY(at("\"id\"") < at("\"type\""));
        QVERIFY(at("\"type\"") < at("\"position\""));
        QVERIFY(at("\"position\"") < at("\n      \"alpha\""));
        QVERIFY(text.contains("\"position\": [1, 2]"));
        QVERIFY(text.endsWith("}\n"));
        QCOMPARE(QJsonDocument::fromJson(text).object(), pipeline);
    }

    void longOrNestedListsGoOnePerLine()
    {
        const QString longText(80, u'x');
        const QJsonObject pipeline {
            { u"short"_s, QJsonArray { u"a"_s, u"b"_s } },
            { u"long"_s, QJsonArray { longText, longText } },
            { u"nested"_s, QJsonArray { QJsonArray { 1 } } },
            { u"empty"_s, QJsonArray() },
            { u"none"_s, QJsonObject() },
        };
        const QByteArray text = PipelineJsonWriter::write(pipeline);
        QVERIFY(text.contains("\"short\": [\"a\", \"b\"]"));
        QVERIFY(text.contains("\"long\": [\n"));
        QVERIFY(text.contains("\"nested\": [\n    [1]\n  ]"));
        QVERIFY(text.contains("\"empty\": []"));
        QVERIFY(text.contains("\"none\": {}"));
        QCOMPARE(QJsonDocument::fromJson(text).object(), pipeline);
    }

    void stringsAreEscaped()
    {
        const QJsonObject pipeline { { u"name"_s, u"say \"hi\"\n\tthen \\ leave é"_s } };
        const QByteArray text = PipelineJsonWriter::write(pipeline);
        QCOMPARE(QJsonDocument::fromJson(text).object(), pipeline);
        QVERIFY(text.contains("\\\"hi\\\"\\n\\t"));
    }

    void everyBundledExampleRoundTripsByteForByte()
    {
        QTemporaryDir dir;
        int seen = 0;
        QDirIterator it(QStringLiteral(TEXTGRAD_SOURCE_DIR) + u"/resources/examples"_s,
            { u"*.tgpipe.json"_s }, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            Pipeline pipeline;
            QVector<PipelineIssue> issues;
            QVERIFY2(PipelineJson::loadFile(path, &pipeline, &issues), qPrintable(path));
            const QString out = dir.filePath(QFileInfo(path).fileName());
            QString error;
            QVERIFY2(PipelineJson::saveFile(out, pipeline, &error), qPrintable(error));
            QCOMPARE(readFile(out), readFile(path));
            ++seen;
        }
        QCOMPARE(seen, 5);
    }
};

QTEST_GUILESS_MAIN(TestPipelineJsonWriter)
#include "tst_pipelinejsonwriter.moc"
