// The dataset editor's core: the lazy table model (checked by QAbstractItemModelTester, small
// and at 100,000 rows), splits by ratios and by column, field mapping, the background loader
// with bad rows, and datasets kept in the project file (schema 3).

#include "data/DatasetLoadJob.h"
#include "data/DatasetLoader.h"
#include "data/DatasetSplit.h"
#include "data/DatasetTableModel.h"
#include "data/FieldMapping.h"
#include "store/RunStore.h"
#include "store/StoreSchema.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

Dataset makeDataset(int n, const QString &source = u"mem.csv"_s)
{
    Dataset d;
    d.sourcePath = source;
    d.columns = { u"question"_s, u"answer"_s };
    d.rows.reserve(n);
    for (int i = 0; i < n; ++i) {
        DataRow row;
        row.line = i + 2;   // line 1 is the header
        row.fields.insert(u"question"_s, u"q%1"_s.arg(i));
        row.fields.insert(u"answer"_s, QString::number(i * 7));
        d.rows << row;
    }
    return d;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace

class TestDatasetModel : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // ---- model -------------------------------------------------------------------------------

    void smallModelPassesTheTester()
    {
        DatasetTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), 0);
        model.setDataset(makeDataset(5));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.columnCount(), 3);
        QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), u"Split"_s);
        QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), u"question"_s);
        QCOMPARE(model.headerData(2, Qt::Vertical).toInt(), 4);   // the source line
        QCOMPARE(model.data(model.index(3, 1)).toString(), u"q3"_s);
        QCOMPARE(model.data(model.index(3, 2), DatasetTableModel::LineRole).toInt(), 5);
        QVERIFY(model.data(model.index(3, 2), Qt::ToolTipRole).toString().contains(u"Line 5"_s));
        QVERIFY(!(model.flags(model.index(0, 1)) & Qt::ItemIsEditable));
        QVERIFY(!model.canFetchMore(QModelIndex()));

        const SplitResult split = DatasetSplit::byRatios(model.dataset(), {}, 1);
        model.setRowSplits(split.rowSplits);
        for (int r = 0; r < 5; ++r) {
            QCOMPARE(model.data(model.index(r, 0)).toString(), DatasetSplit::splitName(split.rowSplits[r]));
            QCOMPARE(model.data(model.index(r, 2), DatasetTableModel::SplitRole).toInt(), int(split.rowSplits[r]));
        }
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void multiLineCellsAreShownOnOneLine()
    {
        Dataset d = makeDataset(1);
        d.rows[0].fields[u"question"_s] = u"first\nsecond"_s;
        DatasetTableModel model;
        model.setDataset(d);
        const QString shown = model.data(model.index(0, 1)).toString();
        QVERIFY(!shown.contains(u'\n'));
        QVERIFY(shown.startsWith(u"first"_s));
        QCOMPARE(model.data(model.index(0, 1), DatasetTableModel::FullTextRole).toString(), u"first\nsecond"_s);
    }

    void hundredThousandRowsArriveInPages()
    {
        const int n = 100000;
        const Dataset data = makeDataset(n);
        DatasetTableModel model;
        QElapsedTimer timer;
        timer.start();
        model.setDataset(data);
        qDebug("model over %d rows built in %lld ms", n, timer.elapsed());

        QCOMPARE(model.rowCount(), DatasetTableModel::kDefaultPageSize);
        QVERIFY(model.canFetchMore(QModelIndex()));
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        int pages = 0;
        while (model.canFetchMore(QModelIndex())) {
            const int before = model.rowCount();
            model.fetchMore(QModelIndex());
            QCOMPARE(model.rowCount(), before + DatasetTableModel::kDefaultPageSize);
            ++pages;
        }
        QCOMPARE(pages, n / DatasetTableModel::kDefaultPageSize - 1);
        QCOMPARE(inserted.size(), pages);
        QCOMPARE(model.rowCount(), n);
        QCOMPARE(model.data(model.index(n - 1, 1)).toString(), u"q99999"_s);
        QCOMPARE(model.data(model.index(n - 1, 2)).toString(), QString::number(99999 * 7));
        QCOMPARE(model.headerData(n - 1, Qt::Vertical).toInt(), n + 1);
    }

    void testerFollowsEveryPageOfHundredThousandRows()
    {
        // The Qt 6.4 tester calls fetchMore() from its own reset and insert handlers; the model
        // must not nest an insertion inside the signal that announces the previous one.
        const int n = 100000;
        DatasetTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDataset(makeDataset(n));
        // The tester fetches a page of its own after every change, so no exact counts here.
        while (model.canFetchMore(QModelIndex()))
            model.fetchMore(QModelIndex());
        QCOMPARE(model.rowCount(), n);
        for (int row : { 0, 999, 1000, 54321, n - 1 }) {
            QCOMPARE(model.data(model.index(row, 1)).toString(), u"q%1"_s.arg(row));
            QCOMPARE(model.data(model.index(row, 2), DatasetTableModel::LineRole).toInt(), row + 2);
        }
        model.setRowSplits(DatasetSplit::byRatios(model.dataset(), {}, 3).rowSplits);
        QVERIFY(!model.data(model.index(n - 1, 0)).toString().isEmpty());
    }

    void farRowsCanBeReachedByLine()
    {
        DatasetTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPageSize(500);
        model.setDataset(makeDataset(100000));
        QVERIFY(model.rowCount() >= 500);
        const int row = model.rowForLine(75002);
        QCOMPARE(row, 75000);
        QVERIFY(model.rowCount() > row);
        QVERIFY(model.rowCount() < 100000);
        QCOMPARE(model.data(model.index(row, 1)).toString(), u"q75000"_s);
        QCOMPARE(model.rowForLine(1), -1);   // the header line has no row
    }

    // ---- split by ratios ---------------------------------------------------------------------

    void sizesAddUp_data()
    {
        QTest::addColumn<int>("n");
        QTest::addColumn<double>("train");
        QTest::addColumn<double>("val");
        QTest::addColumn<double>("test");
        QTest::addColumn<QVector<int>>("expected");
        QTest::newRow("100 60/20/20") << 100 << 0.6 << 0.2 << 0.2 << QVector<int>{ 60, 20, 20 };
        QTest::newRow("10 80/10/10") << 10 << 0.8 << 0.1 << 0.1 << QVector<int>{ 8, 1, 1 };
        QTest::newRow("7 thirds") << 7 << 1.0 << 1.0 << 1.0 << QVector<int>{ 3, 2, 2 };
        QTest::newRow("10 95/5/0") << 10 << 0.95 << 0.05 << 0.0 << QVector<int>{ 9, 1, 0 };
        QTest::newRow("3 90/5/5 each gets one") << 3 << 0.9 << 0.05 << 0.05 << QVector<int>{ 1, 1, 1 };
        QTest::newRow("2 90/5/5 too few") << 2 << 0.9 << 0.05 << 0.05 << QVector<int>{ 1, 1, 0 };
        QTest::newRow("0 rows") << 0 << 0.6 << 0.2 << 0.2 << QVector<int>{ 0, 0, 0 };
        QTest::newRow("train only") << 5 << 1.0 << 0.0 << 0.0 << QVector<int>{ 5, 0, 0 };
    }

    void sizesAddUp()
    {
        QFETCH(int, n);
        QFETCH(double, train);
        QFETCH(double, val);
        QFETCH(double, test);
        QFETCH(QVector<int>, expected);
        const QVector<int> sizes = DatasetSplit::sizesFor(n, { train, val, test });
        QCOMPARE(sizes, expected);
        QCOMPARE(sizes[0] + sizes[1] + sizes[2], n);
    }

    void badRatiosAreRefused()
    {
        QVERIFY(DatasetSplit::sizesFor(10, { 0, 0, 0 }).isEmpty());
        QVERIFY(DatasetSplit::sizesFor(10, { -1, 1, 1 }).isEmpty());
        const SplitResult r = DatasetSplit::byRatios(makeDataset(10), { 0, 0, 0 }, 1);
        QVERIFY(!r.ok);
        QCOMPARE(r.errors.size(), 1);
        QCOMPARE(r.rowSplits.size(), 10);
    }

    void ratioSplitIsDeterministicPerSeed()
    {
        const Dataset data = makeDataset(1000);
        const SplitRatios ratios{ 0.7, 0.15, 0.15 };
        const SplitResult a = DatasetSplit::byRatios(data, ratios, 42);
        const SplitResult b = DatasetSplit::byRatios(data, ratios, 42);
        const SplitResult c = DatasetSplit::byRatios(data, ratios, 43);
        QVERIFY(a.ok);
        QCOMPARE(a.rowSplits, b.rowSplits);
        QVERIFY(a.rowSplits != c.rowSplits);
        QCOMPARE(a.train.size(), 700);
        QCOMPARE(a.validation.size(), 150);
        QCOMPARE(a.test.size(), 150);
        QCOMPARE(a.count(DataSplit::None), 0);
        QCOMPARE(a.train.size() + a.validation.size() + a.test.size(), data.size());
        // Rows keep their lines and file order inside a split; no row is in two splits.
        QSet<int> lines;
        for (const Dataset *part : { &a.train, &a.validation, &a.test }) {
            int previous = 0;
            for (const DataRow &row : part->rows) {
                QVERIFY(row.line > previous);
                previous = row.line;
                QVERIFY(!lines.contains(row.line));
                lines.insert(row.line);
                QCOMPARE(row.fields.value(u"question"_s), u"q%1"_s.arg(row.line - 2));
            }
            QCOMPARE(part->columns, data.columns);
            QCOMPARE(part->sourcePath, data.sourcePath);
        }
        QCOMPARE(lines.size(), 1000);
    }

    void settingsRoundTripThroughJson()
    {
        SplitSettings s;
        s.mode = SplitSettings::Mode::Column;
        s.ratios = { 0.5, 0.25, 0.25 };
        s.seed = 18446744073709551557ULL;   // above 2^53: kept exactly as text
        s.column = u"fold"_s;
        QVERIFY(SplitSettings::fromJson(s.toJson()) == s);
        QVERIFY(SplitSettings::fromJson({}) == SplitSettings());
    }

    // ---- split by column ---------------------------------------------------------------------

    void columnSplitReadsAliases()
    {
        Dataset d = makeDataset(8, u"folds.csv"_s);
        d.columns << u"split"_s;
        const QStringList values = { u"train"_s, u"TRAIN"_s, u" Validation "_s, u"val"_s,
                                     u"dev"_s, u"Test"_s, u"holdout"_s, u""_s };
        for (int i = 0; i < d.rows.size(); ++i)
            d.rows[i].fields.insert(u"split"_s, values[i]);
        const SplitResult r = DatasetSplit::byColumn(d, u"split"_s);
        QVERIFY(r.ok);
        QCOMPARE(r.train.size(), 2);
        QCOMPARE(r.validation.size(), 3);
        QCOMPARE(r.test.size(), 1);
        QCOMPARE(r.count(DataSplit::None), 2);
        QCOMPARE(r.rowSplits[6], DataSplit::None);
        QCOMPARE(r.errors.size(), 2);
        QVERIFY2(r.errors[0].startsWith(u"folds.csv:8: unknown split \"holdout\""_s), qPrintable(r.errors[0]));
        QVERIFY2(r.errors[1].startsWith(u"folds.csv:9: "_s), qPrintable(r.errors[1]));
        QCOMPARE(r.test.rows.first().line, 7);
    }

    void missingSplitColumnIsAnError()
    {
        const SplitResult r = DatasetSplit::byColumn(makeDataset(3), u"fold"_s);
        QVERIFY(!r.ok);
        QVERIFY(r.errors.first().contains(u"no column \"fold\""_s));
        QCOMPARE(r.count(DataSplit::None), 3);
    }

    void joinedPartsSplitBackExactly()
    {
        Dataset extra = makeDataset(1);
        extra.columns << u"note"_s;
        extra.rows[0].fields.insert(u"note"_s, u"n"_s);
        SplitSettings settings;
        const Dataset all
            = DatasetSplit::joined(makeDataset(3), Dataset(), extra, u"split"_s, &settings);
        QCOMPARE(all.columns, (QStringList { u"question"_s, u"answer"_s, u"note"_s, u"split"_s }));
        QCOMPARE(all.size(), 4);
        QCOMPARE(all.rows.at(3).line, 2);
        QCOMPARE(settings.mode, SplitSettings::Mode::Column);
        const SplitResult back = DatasetSplit::apply(all, settings);
        QVERIFY(back.ok);
        QCOMPARE(back.train.size(), 3);
        QCOMPARE(back.validation.size(), 0);
        QCOMPARE(back.test.size(), 1);
        QCOMPARE(back.test.rows.at(0).fields.value(u"note"_s), u"n"_s);

        QVERIFY(DatasetSplit::joined(Dataset(), Dataset(), Dataset(), u"split"_s).columns.isEmpty());
    }

    // ---- field mapping -----------------------------------------------------------------------

    void mappingMatchesExactThenCaseInsensitive()
    {
        const FieldMapping m = FieldMapping::automatic({ u"question"_s, u"answer"_s, u"context"_s },
                                                       { u"Question"_s, u"answer"_s, u"ANSWER"_s, u"id"_s });
        QCOMPARE(m.column(u"question"_s), u"Question"_s);
        QCOMPARE(m.column(u"answer"_s), u"answer"_s);   // exact wins over ANSWER
        QCOMPARE(m.column(u"context"_s), QString());
        QCOMPARE(m.unmappedFields(), QStringList{ u"context"_s });
        QVERIFY(!m.isComplete());
        // Two case-insensitive candidates and no exact one: no guess.
        const FieldMapping ambiguous = FieldMapping::automatic({ u"answer"_s }, { u"Answer"_s, u"ANSWER"_s });
        QCOMPARE(ambiguous.unmappedFields(), QStringList{ u"answer"_s });
    }

    void manualOverridesWinAndSurviveRematch()
    {
        FieldMapping m = FieldMapping::automatic({ u"question"_s, u"answer"_s }, { u"question"_s, u"target"_s });
        QCOMPARE(m.unmappedFields(), QStringList{ u"answer"_s });
        m.setColumn(u"answer"_s, u"target"_s);
        QVERIFY(m.isComplete());
        QVERIFY(m.isManual(u"answer"_s));
        m.rematch({ u"question"_s, u"target"_s, u"answer"_s });
        QCOMPARE(m.column(u"answer"_s), u"target"_s);
        m.rematch({ u"question"_s });   // the chosen column is gone: back to automatic
        QVERIFY(!m.isManual(u"answer"_s));
        QCOMPARE(m.unmappedFields(), QStringList{ u"answer"_s });

        FieldMapping n = FieldMapping::automatic({ u"question"_s }, { u"question"_s, u"q2"_s });
        n.setColumn(u"question"_s, QString());
        QCOMPARE(n.unmappedFields(), QStringList{ u"question"_s });
        const FieldMapping restored = FieldMapping::fromJson(m.toJson(), m.fields(), { u"question"_s, u"target"_s });
        QCOMPARE(restored.column(u"question"_s), u"question"_s);
    }

    void applyingRenamesColumnsAndKeepsLines()
    {
        Dataset d;
        d.sourcePath = u"x.jsonl"_s;
        d.columns = { u"Q"_s, u"target"_s, u"id"_s };
        for (int i = 0; i < 3; ++i) {
            DataRow row;
            row.line = 10 + i;
            row.fields.insert(u"Q"_s, u"q%1"_s.arg(i));
            if (i != 1)
                row.fields.insert(u"target"_s, u"t%1"_s.arg(i));
            row.fields.insert(u"id"_s, QString::number(i));
            d.rows << row;
        }
        FieldMapping m = FieldMapping::automatic({ u"q"_s, u"answer"_s }, d.columns);
        m.setColumn(u"answer"_s, u"target"_s);
        const Dataset out = m.apply(d);
        QCOMPARE(out.columns, (QStringList{ u"q"_s, u"answer"_s, u"id"_s }));
        QCOMPARE(out.rows[2].line, 12);
        QCOMPARE(out.rows[2].fields.value(u"q"_s), u"q2"_s);
        QCOMPARE(out.rows[2].fields.value(u"answer"_s), u"t2"_s);
        QCOMPARE(out.rows[2].fields.value(u"id"_s), u"2"_s);
        QVERIFY(!out.rows[1].fields.contains(u"answer"_s));
        QString error;
        QVERIFY(!DatasetLoader::checkFields(out, m.fields(), &error));
        QVERIFY2(error.startsWith(u"x.jsonl:11: "_s), qPrintable(error));
    }

    // ---- loading in the background -----------------------------------------------------------

    void loadJobLoadsAndSkipsBadRows()
    {
        const QString path = m_dir.filePath(u"bad.csv"_s);
        QVERIFY(writeFile(path, "question,answer\nq1,1\nq2,2,extra\nq3,3\nq4\nq5,5\n"));
        DatasetLoadJob job;
        QSignalSpy finished(&job, &DatasetLoadJob::finished);
        job.start(path);
        QVERIFY(job.isRunning() || finished.size() == 1);
        QVERIFY(finished.wait(10000));
        const auto result = finished.first().first().value<DatasetLoadResult>();
        QVERIFY(result.ok);
        QCOMPARE(result.dataset.size(), 3);
        QCOMPARE(result.skippedRows, 2);
        QCOMPARE(result.errors.size(), 2);
        QVERIFY2(result.errors[0].startsWith(path + u":3: row has 3 fields"_s), qPrintable(result.errors[0]));
        QVERIFY2(result.errors[1].startsWith(path + u":5: "_s), qPrintable(result.errors[1]));
        QCOMPARE(result.dataset.rows[2].line, 6);
        QCOMPARE(result.dataset.sourcePath, path);
    }

    void loadJobReportsUnusableFiles()
    {
        const QString jsonl = m_dir.filePath(u"bad.jsonl"_s);
        QVERIFY(writeFile(jsonl, "{\"a\":1}\nnot json\n{\"a\":3}\n"));
        DatasetLoadResult r = DatasetLoadJob::loadNow(jsonl);
        QVERIFY(r.ok);
        QCOMPARE(r.dataset.size(), 2);
        QVERIFY2(r.errors.value(0).startsWith(jsonl + u":2: "_s), qPrintable(r.errors.value(0)));

        r = DatasetLoadJob::loadNow(m_dir.filePath(u"missing.csv"_s));
        QVERIFY(!r.ok);
        QVERIFY(r.errors.first().contains(u"cannot read"_s));

        const QString header = m_dir.filePath(u"header.csv"_s);
        QVERIFY(writeFile(header, "a,,b\n1,2,3\n"));
        r = DatasetLoadJob::loadNow(header);
        QVERIFY(!r.ok);
        QVERIFY2(r.errors.first().startsWith(header + u":1: "_s), qPrintable(r.errors.first()));

        QByteArray many = "a,b\n";
        for (int i = 0; i < 50; ++i)
            many += "only-one\n";
        const QString manyPath = m_dir.filePath(u"many.csv"_s);
        QVERIFY(writeFile(manyPath, many));
        r = DatasetLoadJob::loadNow(manyPath);
        QVERIFY(!r.ok);
        QCOMPARE(r.errors.size(), DatasetLoadJob::kMaxBadRows + 1);
        QVERIFY(r.errors.last().contains(u"stopped after"_s));
    }

    void largeFileLoadsOffTheCallingThread()
    {
        QByteArray bytes = "question,answer\n";
        for (int i = 0; i < 100000; ++i)
            bytes += "How many apples are in basket " + QByteArray::number(i) + "?," + QByteArray::number(i % 13) + "\n";
        const QString path = m_dir.filePath(u"large.csv"_s);
        QVERIFY(writeFile(path, bytes));
        DatasetLoadJob job;
        QSignalSpy finished(&job, &DatasetLoadJob::finished);
        QSignalSpy progress(&job, &DatasetLoadJob::progress);
        QElapsedTimer timer;
        timer.start();
        job.start(path);
        const qint64 startCost = timer.elapsed();
        QVERIFY(finished.wait(60000));
        const auto result = finished.first().first().value<DatasetLoadResult>();
        QVERIFY(result.ok);
        QCOMPARE(result.dataset.size(), 100000);
        QVERIFY(!progress.isEmpty());
        qDebug("100,000-row CSV: start() returned after %lld ms, loaded in %lld ms", startCost,
               result.elapsedMs);
    }

    // ---- the project file --------------------------------------------------------------------

    void datasetsRoundTripThroughTheStore()
    {
        RunStore store;
        QString error;
        QVERIFY2(store.open(m_dir.filePath(u"datasets.tgdb"_s), &error), qPrintable(error));
        QCOMPARE(store.schemaVersion(), 3);

        Dataset data = makeDataset(100000, u"/data/big.csv"_s);
        data.columns << u"note"_s;
        data.rows[5].fields.insert(u"note"_s, u"multi\nline \"quoted\", é"_s);
        StoredDataset saved;
        saved.name = u"big"_s;
        saved.data = data;
        SplitSettings split;
        split.seed = 7;
        saved.split = split.toJson();
        saved.mapping = QJsonObject{ { u"question"_s, u"question"_s } };
        QElapsedTimer timer;
        timer.start();
        const qint64 id = store.saveDataset(saved);
        QVERIFY2(id > 0, qPrintable(store.lastError()));
        qDebug("100,000 rows saved in %lld ms", timer.restart());

        const StoredDataset back = store.dataset(id);
        qDebug("100,000 rows read in %lld ms", timer.elapsed());
        QCOMPARE(back.id, id);
        QCOMPARE(back.name, u"big"_s);
        QCOMPARE(back.rowCount, 100000);
        QCOMPARE(back.data.sourcePath, u"/data/big.csv"_s);
        QCOMPARE(back.data.columns, data.columns);
        QVERIFY(SplitSettings::fromJson(back.split) == split);
        QCOMPARE(back.mapping, saved.mapping);
        QCOMPARE(back.data.size(), data.size());
        QCOMPARE(back.data.rows[5].fields, data.rows[5].fields);     // "note" present
        QCOMPARE(back.data.rows[6].fields, data.rows[6].fields);     // "note" absent stays absent
        QCOMPARE(back.data.rows.last().line, data.rows.last().line);
        QCOMPARE(back.data.rows.last().fields, data.rows.last().fields);

        StoredDataset small;
        small.name = u"a small one"_s;
        small.data = makeDataset(3);
        const qint64 smallId = store.saveDataset(small);
        QVERIFY(smallId > id);
        const QVector<StoredDataset> list = store.datasets();
        QCOMPARE(list.size(), 2);
        QCOMPARE(list[0].name, u"a small one"_s);
        QCOMPARE(list[0].rowCount, 3);
        QVERIFY(list[0].data.rows.isEmpty());   // listing never unpacks rows
        QCOMPARE(list[1].data.columns, data.columns);

        // Saving with the id replaces in place.
        small.id = smallId;
        small.name = u"renamed"_s;
        small.data = makeDataset(4);
        QCOMPARE(store.saveDataset(small), smallId);
        QCOMPARE(store.dataset(smallId).data.size(), 4);
        QCOMPARE(store.datasets().size(), 2);

        QVERIFY(store.removeDataset(smallId));
        QVERIFY(!store.removeDataset(smallId));
        QCOMPARE(store.dataset(smallId).id, 0);
        QCOMPARE(store.datasets().size(), 1);
    }

    void version2FilesGainTheDatasetsTable()
    {
        const QString path = m_dir.filePath(u"v2.tgdb"_s);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"tst-v2"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QString error;
            QVERIFY2(StoreSchema::configureConnection(db, &error)
                         && StoreSchema::migrateTo(db, 2, &error), qPrintable(error));
            QSqlQuery q(db);
            QVERIFY(q.exec(u"PRAGMA user_version"_s) && q.next());
            QCOMPARE(q.value(0).toInt(), 2);
            QVERIFY(q.exec(u"INSERT INTO pipelines (name, created_at, updated_at) VALUES ('p', 'x', 'x')"_s));
            QVERIFY(q.exec(u"SELECT COUNT(*) FROM sqlite_master WHERE name = 'datasets'"_s) && q.next());
            QCOMPARE(q.value(0).toInt(), 0);
        }
        QSqlDatabase::removeDatabase(u"tst-v2"_s);

        RunStore store;
        QString error;
        QVERIFY2(store.open(path, &error), qPrintable(error));
        QCOMPARE(store.schemaVersion(), 3);
        QCOMPARE(store.pipelines().size(), 1);
        QVERIFY(store.datasets().isEmpty());
        StoredDataset d;
        d.name = u"after upgrade"_s;
        d.data = makeDataset(2);
        const qint64 id = store.saveDataset(d);
        QVERIFY2(id > 0, qPrintable(store.lastError()));
        QCOMPARE(store.dataset(id).data.rows[1].fields.value(u"question"_s), u"q1"_s);
    }
};

QTEST_GUILESS_MAIN(TestDatasetModel)
#include "tst_datasetmodel.moc"
