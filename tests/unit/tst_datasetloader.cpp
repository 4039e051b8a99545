#include "data/DatasetLoader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <numeric>

using namespace Qt::StringLiterals;

using Rows = QVector<QStringList>;

namespace {

// Rows as lists of values in column order, for compact expectations.
Rows valuesOf(const Dataset &d)
{
    Rows rows;
    for (const DataRow &r : d.rows) {
        QStringList values;
        for (const QString &c : d.columns)
            values << r.fields.value(c);
        rows << values;
    }
    return rows;
}

QVector<int> linesOf(const Dataset &d)
{
    QVector<int> lines;
    for (const DataRow &r : d.rows)
        lines << r.line;
    return lines;
}

} // namespace

class TestDatasetLoader : public QObject
{
    Q_OBJECT

private slots:
    void csv_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QStringList>("columns");
        QTest::addColumn<Rows>("rows");
        QTest::addColumn<QVector<int>>("lines");

        const QStringList qa{ u"question"_s, u"answer"_s };
        QTest::newRow("simple") << QByteArray("question,answer\n1+1,2\n2+2,4\n") << qa
                                << Rows{ { u"1+1"_s, u"2"_s }, { u"2+2"_s, u"4"_s } }
                                << QVector<int>{ 2, 3 };
        QTest::newRow("no trailing newline") << QByteArray("question,answer\na,b") << qa
                                             << Rows{ { u"a"_s, u"b"_s } } << QVector<int>{ 2 };
        QTest::newRow("crlf") << QByteArray("question,answer\r\na,b\r\nc,d\r\n") << qa
                              << Rows{ { u"a"_s, u"b"_s }, { u"c"_s, u"d"_s } }
                              << QVector<int>{ 2, 3 };
        QTest::newRow("bom") << QByteArray("\xEF\xBB\xBFquestion,answer\na,b\n") << qa
                             << Rows{ { u"a"_s, u"b"_s } } << QVector<int>{ 2 };
        QTest::newRow("quoted comma") << QByteArray("question,answer\n\"a, b\",c\n") << qa
                                      << Rows{ { u"a, b"_s, u"c"_s } } << QVector<int>{ 2 };
        QTest::newRow("escaped quote") << QByteArray("question,answer\n\"say \"\"hi\"\"\",x\n")
                                       << qa << Rows{ { u"say \"hi\""_s, u"x"_s } }
                                       << QVector<int>{ 2 };
        QTest::newRow("embedded newline keeps line numbers")
            << QByteArray("question,answer\n\"line1\nline2\",a\nq,b\n") << qa
            << Rows{ { u"line1\nline2"_s, u"a"_s }, { u"q"_s, u"b"_s } } << QVector<int>{ 2, 4 };
        QTest::newRow("embedded crlf becomes lf")
            << QByteArray("question,answer\r\n\"x\r\ny\",a\r\n") << qa
            << Rows{ { u"x\ny"_s, u"a"_s } } << QVector<int>{ 2 };
        QTest::newRow("empty fields") << QByteArray("question,answer\n,\n\"\",x\n") << qa
                                      << Rows{ { QString(), QString() }, { QString(), u"x"_s } }
                                      << QVector<int>{ 2, 3 };
        QTest::newRow("blank lines skipped") << QByteArray("question,answer\n\na,b\n\n\nc,d\n")
                                             << qa
                                             << Rows{ { u"a"_s, u"b"_s }, { u"c"_s, u"d"_s } }
                                             << QVector<int>{ 3, 6 };
        QTest::newRow("utf8") << QByteArray("question,answer\n\xC3\xA9t\xC3\xA9,\xE2\x9C\x93\n")
                              << qa << Rows{ { u"été"_s, u"✓"_s } } << QVector<int>{ 2 };
        QTest::newRow("header trimmed") << QByteArray(" question , answer\na,b\n") << qa
                                        << Rows{ { u"a"_s, u"b"_s } } << QVector<int>{ 2 };
        QTest::newRow("header only") << QByteArray("question,answer\n") << qa << Rows()
                                     << QVector<int>();
    }

    void csv()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QStringList, columns);
        QFETCH(Rows, rows);
        QFETCH(QVector<int>, lines);
        Dataset d;
        QString error;
        QVERIFY2(DatasetLoader::parseCsv(bytes, u"train.csv"_s, &d, &error), qPrintable(error));
        QCOMPARE(d.columns, columns);
        QCOMPARE(valuesOf(d), rows);
        QCOMPARE(linesOf(d), lines);
        QCOMPARE(d.sourcePath, u"train.csv"_s);
    }

    void csvErrors_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");

        QTest::newRow("too many fields") << QByteArray("q,a\n1,2\n1,2,3\n")
                                         << u"train.csv:3: row has 3 fields, the header has 2"_s;
        QTest::newRow("too few fields") << QByteArray("q,a\n1,2\n\n\nonly\n")
                                        << u"train.csv:5: row has 1 fields, the header has 2"_s;
        QTest::newRow("line after multi-line field")
            << QByteArray("q,a\n\"x\ny\nz\",1\n1,2,3\n")
            << u"train.csv:5: row has 3 fields, the header has 2"_s;
        QTest::newRow("unterminated quote names its line")
            << QByteArray("q,a\n1,2\n3,\"open\n4,5\n6,7\n")
            << u"train.csv:3: unterminated quoted field"_s;
        QTest::newRow("text after closing quote") << QByteArray("q,a\n\"x\"y,1\n")
                                                  << u"train.csv:2: unexpected text after a closing quote in field 1"_s;
        QTest::newRow("duplicate header") << QByteArray("q,q\n1,2\n")
                                          << u"train.csv:1: column \"q\" appears twice in the header"_s;
        QTest::newRow("empty header name") << QByteArray("q,,a\n1,2,3\n")
                                           << u"train.csv:1: column 2 of the header has no name"_s;
        QTest::newRow("empty file") << QByteArray("") << u"train.csv: the file is empty"_s;
        QTest::newRow("only blank lines") << QByteArray("\n\r\n\n") << u"train.csv: the file is empty"_s;
        QTest::newRow("invalid utf8") << QByteArray("q,a\n\xFF\xFE,1\n")
                                      << u"train.csv: the file is not valid UTF-8"_s;
    }

    void csvErrors()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        Dataset d;
        QString error;
        QVERIFY(!DatasetLoader::parseCsv(bytes, u"train.csv"_s, &d, &error));
        QVERIFY2(error.startsWith(expected), qPrintable(error));
    }

    void jsonl()
    {
        const QByteArray bytes = "{\"question\": \"1+1\", \"answer\": 2}\r\n"
                                 "\n"
                                 "{\"answer\": 0.1, \"question\": \"x\", \"ok\": true, \"n\": null, "
                                 "\"list\": [1, \"a\"], \"obj\": {\"k\": 1}}\n"
                                 "{\"question\": \"big\", \"answer\": -12345678901}\n";
        Dataset d;
        QString error;
        QVERIFY2(DatasetLoader::parseJsonl(bytes, u"data.jsonl"_s, &d, &error), qPrintable(error));
        QCOMPARE(d.columns, (QStringList{ u"answer"_s, u"question"_s, u"list"_s, u"n"_s,
                                          u"obj"_s, u"ok"_s }));
        QCOMPARE(d.size(), 3);
        QCOMPARE(linesOf(d), (QVector<int>{ 1, 3, 4 }));
        QCOMPARE(d.rows[0].fields.value(u"answer"_s), u"2"_s);
        QCOMPARE(d.rows[1].fields.value(u"answer"_s), u"0.1"_s);
        QCOMPARE(d.rows[1].fields.value(u"ok"_s), u"true"_s);
        QCOMPARE(d.rows[1].fields.value(u"n"_s), QString());
        QCOMPARE(d.rows[1].fields.value(u"list"_s), u"[1,\"a\"]"_s);
        QCOMPARE(d.rows[1].fields.value(u"obj"_s), u"{\"k\":1}"_s);
        QCOMPARE(d.rows[2].fields.value(u"answer"_s), u"-12345678901"_s);
        QVERIFY(!d.rows[0].fields.contains(u"ok"_s));
    }

    void jsonlErrors_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");

        QTest::newRow("syntax") << QByteArray("{\"a\": 1}\n{\"a\": 1}\n\n{\"a\": }\n")
                                << u"data.jsonl:4: not a JSON object: "_s;
        QTest::newRow("array") << QByteArray("{\"a\": 1}\n[1, 2]\n")
                               << u"data.jsonl:2: not a JSON object: found an array"_s;
        QTest::newRow("empty") << QByteArray("\n  \n") << u"data.jsonl: the file is empty"_s;
    }

    void jsonlErrors()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        Dataset d;
        QString error;
        QVERIFY(!DatasetLoader::parseJsonl(bytes, u"data.jsonl"_s, &d, &error));
        QVERIFY2(error.startsWith(expected), qPrintable(error));
    }

    void loadByExtension()
    {
        QTemporaryDir dir;
        auto write = [&dir](const QString &name, const QByteArray &bytes) {
            const QString path = dir.filePath(name);
            QFile f(path);
            if (f.open(QIODevice::WriteOnly))
                f.write(bytes);
            return path;
        };
        Dataset d;
        QString error;
        const QString csv = write(u"a.csv"_s, "q,a\n1,2\n");
        QVERIFY2(DatasetLoader::load(csv, &d, &error), qPrintable(error));
        QCOMPARE(d.sourcePath, csv);
        QCOMPARE(d.size(), 1);

        QVERIFY(DatasetLoader::load(write(u"b.jsonl"_s, "{\"q\": 1}\n{\"q\": 2}\n"), &d, &error));
        QCOMPARE(d.size(), 2);

        QVERIFY(DatasetLoader::load(write(u"c.json"_s, "[{\"q\": 1}, {\"q\": 2}, {\"q\": 3}]"), &d, &error));
        QCOMPARE(d.size(), 3);

        QVERIFY(!DatasetLoader::load(write(u"d.txt"_s, "q\n"), &d, &error));
        QVERIFY(error.contains(u"unknown dataset format"_s));

        QVERIFY(!DatasetLoader::load(dir.filePath(u"missing.csv"_s), &d, &error));
        QVERIFY(error.contains(u"cannot read"_s));
    }

    void checkFields()
    {
        Dataset d;
        QString error;
        QVERIFY(DatasetLoader::parseJsonl("{\"q\": 1, \"a\": 2}\n\n{\"q\": 3}\n", u"data.jsonl"_s, &d, &error));
        QVERIFY(DatasetLoader::checkFields(d, { u"q"_s }, &error));
        QVERIFY(!DatasetLoader::checkFields(d, { u"q"_s, u"a"_s }, &error));
        QVERIFY2(error.startsWith(u"data.jsonl:3: row has no field \"a\""_s), qPrintable(error));

        QVERIFY(DatasetLoader::parseCsv("question,answer\n", u"t.csv"_s, &d, &error));
        QVERIFY(DatasetLoader::checkFields(d, { u"question"_s }, &error));
        QVERIFY(!DatasetLoader::checkFields(d, { u"label"_s }, &error));
        QVERIFY2(error.contains(u"no field \"label\""_s), qPrintable(error));
    }

    void seededShuffleIsFixed()
    {
        // Computed once with this implementation; it must never change, or stored runs would
        // no longer replay the same batches.
        QCOMPARE(seededShuffle(10, 1), (QVector<int>{ 4, 2, 8, 1, 9, 3, 0, 6, 7, 5 }));
    }

    void seededShuffleIsAPermutation_data()
    {
        QTest::addColumn<int>("n");
        QTest::addColumn<quint64>("seed");
        QTest::newRow("empty") << 0 << quint64(1);
        QTest::newRow("one") << 1 << quint64(7);
        QTest::newRow("hundred") << 100 << quint64(0);
        QTest::newRow("big seed") << 37 << quint64(0xFFFFFFFFFFFFFFFFULL);
    }

    void seededShuffleIsAPermutation()
    {
        QFETCH(int, n);
        QFETCH(quint64, seed);
        QVector<int> order = seededShuffle(n, seed);
        QCOMPARE(order, seededShuffle(n, seed));
        std::sort(order.begin(), order.end());
        QVector<int> identity(n);
        std::iota(identity.begin(), identity.end(), 0);
        QCOMPARE(order, identity);
    }

    void seedsDiffer()
    {
        QVERIFY(seededShuffle(10, 1) != seededShuffle(10, 2));
        QVERIFY(seededShuffle(50, 1) != seededShuffle(50, 3));
        QCOMPARE(seededShuffle(-3, 1), QVector<int>());
    }
};

QTEST_GUILESS_MAIN(TestDatasetLoader)
#include "tst_datasetloader.moc"
