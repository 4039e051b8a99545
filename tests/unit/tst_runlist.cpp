// The runs list of a project: every run with its scores, steps, calls and cost, newest first,
// as the runs panel shows it; and the table model over it (checks for overlays survive reloads).

#include "history/RunList.h"
#include "history/RunListModel.h"
#include "store/RunStore.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

class TestRunList : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    QString makeProject()
    {
        const QString path = m_dir.filePath(u"runs-%1.tgdb"_s.arg(++m_files));
        RunStore store;
        if (!store.open(path, nullptr))
            return {};
        RunInfo older;
        older.id = u"run-a"_s;
        older.pipelineName = u"QA"_s;
        older.status = RunStatus::Completed;
        older.settings = QJsonObject { { u"mode"_s, u"optimize"_s } };
        older.createdAt = QDateTime::fromString(u"2026-11-20T10:00:00Z"_s, Qt::ISODate);
        store.createRun(older);
        store.setInitialValScore(older.id, 0.25);
        for (int step = 1; step <= 3; ++step) {
            StepRecord s;
            s.step = step;
            s.epoch = 1;
            s.valScore = 0.25 * step;
            s.bestValScore = 0.25 * step;
            store.saveStep(older.id, s);
        }
        store.setTestScore(older.id, 0.8);
        QVector<CallRecord> calls;
        for (int i = 0; i < 4; ++i) {
            CallRecord c;
            c.tag.runId = older.id;
            c.tag.step = 1;
            c.promptTokens = 100;
            c.completionTokens = 20;
            c.costUsd = 0.01;
            c.costKnown = true;
            c.cached = i == 3;
            calls << c;
        }
        store.appendCalls(calls);

        RunInfo newer;
        newer.id = u"run-b"_s;
        newer.pipelineName = u"QA"_s;
        newer.status = RunStatus::Running;
        newer.settings = QJsonObject { { u"mode"_s, u"eval"_s } };
        newer.createdAt = QDateTime::fromString(u"2026-11-21T10:00:00Z"_s, Qt::ISODate);
        store.createRun(newer);
        return path;
    }

private slots:
    void loadsEveryRunNewestFirst()
    {
        const QString path = makeProject();
        QString error;
        const QVector<RunRow> rows = RunList::load(path, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows.at(0).id, u"run-b"_s);
        QCOMPARE(rows.at(0).mode, u"eval"_s);
        QVERIFY(!hasScore(rows.at(0).testScore));
        const RunRow &a = rows.at(1);
        QCOMPARE(a.steps, 3);
        QCOMPARE(a.initialValScore, 0.25);
        QCOMPARE(a.bestValScore, 0.75);
        QCOMPARE(a.testScore, 0.8);
        QCOMPARE(a.calls, 3);
        QCOMPARE(a.cachedCalls, 1);
        QCOMPARE(a.tokens, qint64(360));
        QCOMPARE(a.costUsd, 0.03);
    }

    void aMissingFileIsAnErrorNamingIt()
    {
        QString error;
        const QString path = m_dir.filePath(u"sub/none/x.tgdb"_s);
        // RunStore creates files; a directory in the way makes the open fail.
        QDir().mkpath(path);
        const QVector<RunRow> rows = RunList::load(path, &error);
        QVERIFY(rows.isEmpty());
        QVERIFY2(error.contains(path), qPrintable(error));
    }

    void theModelShowsRowsAndKeepsChecksAcrossReloads()
    {
        const QString path = makeProject();
        RunListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRows(RunList::load(path, nullptr));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), int(RunListModel::ColumnCount));
        const int a = model.rowOf(u"run-a"_s);
        QCOMPARE(model.index(a, RunListModel::Validation).data().toString(), u"0.250 → 0.750"_s);
        QCOMPARE(model.index(a, RunListModel::Calls).data().toString(), u"3 (+1 cached)"_s);
        QCOMPARE(model.index(a, RunListModel::Cost).data().toString(), u"$0.0300"_s);
        QVERIFY(model.index(model.rowOf(u"run-b"_s), RunListModel::Pipeline).data().toString().contains(u"eval"_s));

        QSignalSpy checked(&model, &RunListModel::checkedRunsChanged);
        QVERIFY(model.setData(model.index(a, RunListModel::Run), Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(checked.size(), 1);
        QCOMPARE(model.checkedRuns(), QStringList { u"run-a"_s });

        model.setRows(RunList::load(path, nullptr));
        QCOMPARE(model.checkedRuns(), QStringList { u"run-a"_s });
        model.setRows({});
        QVERIFY(model.checkedRuns().isEmpty());
        QCOMPARE(checked.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestRunList)
#include "tst_runlist.moc"
