// Project files as the workbench reads and writes them: the first save of an untitled project,
// saving again in place, Save As keeping the runs, choosing which pipeline and dataset to show,
// a file only the CLI has written, and errors that name the file.

#include "project/ProjectFile.h"
#include "store/RunStore.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

QJsonObject pipelineJson(const QString &name)
{
    return QJsonObject { { u"formatVersion"_s, 1 }, { u"name"_s, name },
        { u"nodes"_s, QJsonArray { QJsonObject { { u"id"_s, u"q"_s }, { u"type"_s, u"input"_s } } } } };
}

StoredDataset dataset(const QString &name, int rows)
{
    StoredDataset d;
    d.name = name;
    d.data.columns = { u"question"_s, u"answer"_s };
    for (int i = 0; i < rows; ++i)
        d.data.rows.append({ i + 2, { { u"question"_s, u"q%1"_s.arg(i) }, { u"answer"_s, QString::number(i) } } });
    d.rowCount = rows;
    d.split = QJsonObject { { u"mode"_s, u"ratios"_s } };
    return d;
}

} // namespace

class TestProjectFile : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private slots:
    void firstSaveCreatesTheFileAndReadsBack()
    {
        ProjectSaveRequest request;
        request.pipelineName = u"QA"_s;
        request.pipeline = pipelineJson(u"QA"_s);
        request.writeDataset = true;
        request.dataset = dataset(u"train.csv"_s, 5);
        ProjectSaveResult result;
        QString error;
        QVERIFY2(ProjectFile::write(path(u"a.tgdb"_s), request, &result, &error), qPrintable(error));
        QVERIFY(result.pipelineId > 0);
        QVERIFY(result.datasetId > 0);
        QCOMPARE(result.pipelines.size(), 1);

        ProjectContents contents;
        QVERIFY2(ProjectFile::read(path(u"a.tgdb"_s), 0, 0, &contents, &error), qPrintable(error));
        QCOMPARE(contents.pipelineId, result.pipelineId);
        QCOMPARE(contents.pipeline, pipelineJson(u"QA"_s));
        QCOMPARE(contents.dataset.id, result.datasetId);
        QCOMPARE(contents.dataset.data.rows.size(), 5);
        QCOMPARE(contents.dataset.data.rows.at(3).fields.value(u"question"_s), u"q3"_s);
        QCOMPARE(contents.dataset.split, request.dataset.split);
    }

    void savingAgainReplacesRowsInPlace()
    {
        const QString file = path(u"b.tgdb"_s);
        ProjectSaveRequest request;
        request.pipelineName = u"One"_s;
        request.pipeline = pipelineJson(u"One"_s);
        request.writeDataset = true;
        request.dataset = dataset(u"d"_s, 3);
        ProjectSaveResult first;
        QVERIFY(ProjectFile::write(file, request, &first, nullptr));

        request.copyFrom = file; // an existing project saves into itself
        request.pipelineId = first.pipelineId;
        request.pipelineName = u"One, renamed"_s;
        request.pipeline = pipelineJson(u"One, renamed"_s);
        request.dataset = dataset(u"d"_s, 7);
        request.dataset.id = first.datasetId;
        ProjectSaveResult second;
        QVERIFY(ProjectFile::write(file, request, &second, nullptr));
        QCOMPARE(second.pipelineId, first.pipelineId);
        QCOMPARE(second.datasetId, first.datasetId);

        RunStore store;
        QVERIFY(store.open(file, nullptr));
        QCOMPARE(store.pipelines().size(), 1);
        QCOMPARE(store.pipelines().constFirst().second, u"One, renamed"_s);
        QCOMPARE(store.datasets().size(), 1);
        QCOMPARE(store.dataset(first.datasetId).data.rows.size(), 7);
    }

    void saveAsCopiesRunsAndLeavesTheOriginal()
    {
        const QString original = path(u"c.tgdb"_s);
        ProjectSaveRequest request;
        request.pipelineName = u"P"_s;
        request.pipeline = pipelineJson(u"P"_s);
        ProjectSaveResult saved;
        QVERIFY(ProjectFile::write(original, request, &saved, nullptr));
        {
            RunStore store;
            QVERIFY(store.open(original, nullptr));
            RunInfo run;
            run.id = u"run-1"_s;
            run.pipelineName = u"P"_s;
            run.status = RunStatus::Completed;
            QVERIFY(store.createRun(run));
        }

        const QString copy = path(u"c-copy.tgdb"_s);
        request.copyFrom = original;
        request.pipelineId = saved.pipelineId;
        request.pipeline = pipelineJson(u"P2"_s);
        QVERIFY(ProjectFile::write(copy, request, nullptr, nullptr));

        RunStore copied;
        QVERIFY(copied.open(copy, nullptr));
        QVERIFY(copied.runExists(u"run-1"_s));
        QCOMPARE(copied.pipeline(saved.pipelineId), pipelineJson(u"P2"_s));
        RunStore left;
        QVERIFY(left.open(original, nullptr));
        QCOMPARE(left.pipeline(saved.pipelineId), pipelineJson(u"P"_s));
    }

    void firstSaveOverwritesAnExistingFile()
    {
        const QString file = path(u"d.tgdb"_s);
        QFile junk(file);
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("not a database");
        junk.close();
        ProjectSaveRequest request;
        request.pipelineName = u"Fresh"_s;
        request.pipeline = pipelineJson(u"Fresh"_s);
        QString error;
        QVERIFY2(ProjectFile::write(file, request, nullptr, &error), qPrintable(error));
        ProjectContents contents;
        QVERIFY(ProjectFile::read(file, 0, 0, &contents, &error));
        QCOMPARE(contents.pipelineName, u"Fresh"_s);
    }

    void readPrefersTheRememberedPipelineAndDataset()
    {
        const QString file = path(u"e.tgdb"_s);
        ProjectSaveRequest a;
        a.pipelineName = u"A"_s;
        a.pipeline = pipelineJson(u"A"_s);
        a.writeDataset = true;
        a.dataset = dataset(u"first"_s, 2);
        ProjectSaveResult ra;
        QVERIFY(ProjectFile::write(file, a, &ra, nullptr));
        ProjectSaveRequest b = a;
        b.copyFrom = file;
        b.pipelineName = u"B"_s;
        b.pipeline = pipelineJson(u"B"_s);
        b.dataset = dataset(u"second"_s, 4);
        ProjectSaveResult rb;
        QVERIFY(ProjectFile::write(file, b, &rb, nullptr));
        QVERIFY(rb.pipelineId != ra.pipelineId);

        ProjectContents latest;
        QVERIFY(ProjectFile::read(file, 0, 0, &latest, nullptr));
        QCOMPARE(latest.pipelineName, u"B"_s);
        QCOMPARE(latest.dataset.name, u"second"_s);
        QCOMPARE(latest.pipelines.size(), 2);

        ProjectContents remembered;
        QVERIFY(ProjectFile::read(file, ra.pipelineId, ra.datasetId, &remembered, nullptr));
        QCOMPARE(remembered.pipelineName, u"A"_s);
        QCOMPARE(remembered.dataset.name, u"first"_s);

        // A remembered id that is gone falls back to the latest.
        ProjectContents stale;
        QVERIFY(ProjectFile::read(file, 999, 999, &stale, nullptr));
        QCOMPARE(stale.pipelineName, u"B"_s);
    }

    void removingTheDatasetDeletesItsRow()
    {
        const QString file = path(u"f.tgdb"_s);
        ProjectSaveRequest request;
        request.pipelineName = u"P"_s;
        request.pipeline = pipelineJson(u"P"_s);
        request.writeDataset = true;
        request.dataset = dataset(u"d"_s, 2);
        ProjectSaveResult saved;
        QVERIFY(ProjectFile::write(file, request, &saved, nullptr));
        request.copyFrom = file;
        request.pipelineId = saved.pipelineId;
        request.writeDataset = false;
        request.dataset = StoredDataset();
        request.removeDatasetId = saved.datasetId;
        QVERIFY(ProjectFile::write(file, request, nullptr, nullptr));
        ProjectContents contents;
        QVERIFY(ProjectFile::read(file, 0, 0, &contents, nullptr));
        QCOMPARE(contents.dataset.id, 0);
    }

    void aFileOnlyTheCliWroteOffersTheNewestRunsPipeline()
    {
        const QString file = path(u"cli.tgdb"_s);
        {
            RunStore store;
            QVERIFY(store.open(file, nullptr));
            RunInfo run;
            run.id = u"run-cli"_s;
            run.pipelineName = u"From the CLI"_s;
            run.pipeline = pipelineJson(u"From the CLI"_s);
            run.status = RunStatus::Completed;
            QVERIFY(store.createRun(run));
        }
        ProjectContents contents;
        QVERIFY(ProjectFile::read(file, 0, 0, &contents, nullptr));
        QCOMPARE(contents.pipelineId, 0);
        QCOMPARE(contents.pipelineFromRun, u"run-cli"_s);
        QCOMPARE(contents.pipeline, pipelineJson(u"From the CLI"_s));
    }

    void errorsNameTheFile()
    {
        ProjectContents contents;
        QString error;
        const QString missing = path(u"missing.tgdb"_s);
        QVERIFY(!ProjectFile::read(missing, 0, 0, &contents, &error));
        QVERIFY2(error.contains(missing), qPrintable(error));

        const QString notDb = path(u"text.tgdb"_s);
        QFile f(notDb);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        QVERIFY(!ProjectFile::read(notDb, 0, 0, &contents, &error));
        QVERIFY2(error.contains(notDb), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestProjectFile)
#include "tst_projectfile.moc"
