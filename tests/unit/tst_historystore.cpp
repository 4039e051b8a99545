// The critique history's reads: step summaries, details, versions and searches on a real
// (scripted) run and on generated projects; keyset paging; the lazy timeline model under
// QAbstractItemModelTester at 100,000 rows, its search re-query, and its error state.

#include "ScriptedClient.h"
#include "SyntheticProject.h"
#include "TestPipelines.h"
#include "history/HistoryLoader.h"
#include "history/StepTimelineModel.h"
#include "store/RunStore.h"
#include "training/Trainer.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

// Asks for pages until the model has them all; false if a page did not arrive.
bool fetchAll(StepTimelineModel &model)
{
    while (model.canFetchMore({})) {
        QSignalSpy page(&model, &StepTimelineModel::pageLoaded);
        model.fetchMore({});
        if (!page.wait(30000))
            return false;
    }
    return true;
}

bool waitFirstPage(StepTimelineModel &model)
{
    QSignalSpy page(&model, &StepTimelineModel::pageLoaded);
    return page.wait(30000);
}

} // namespace

class TestHistoryStore : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_realDb;
    QString m_runId;
    QString m_syntheticDb;
    SyntheticProject::Result m_synthetic;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // A real run: three steps of the arithmetic pipeline against the scripted world; the
        // optimizer rewords the prompt each step, validation accepts the first change only.
        m_realDb = m_dir.filePath(u"real.tgdb"_s);
        RunStore store;
        QVERIFY(store.open(m_realDb, nullptr));
        ScriptedClient client([](const ChatRequest &r) {
            if (r.tag.purpose == CallPurpose::Optimizer && r.tag.step >= 2)
                return ScriptedClient::text(
                    u"<IMPROVED_VARIABLE>Be quick about it.</IMPROVED_VARIABLE>"_s);
            return ScriptedClient::text(TestPipelines::arithmeticWorld(r));
        });
        Pipeline p = TestPipelines::parse(TestPipelines::arithmeticJson());
        p.optimizer.maxSteps = 3;
        p.optimizer.stopWhenPerfect = false;
        TrainingData data;
        data.train = TestPipelines::additions(9);
        data.validation = TestPipelines::additions(3, 100);
        Trainer trainer(&store, &client);
        const RunOutcome out = trainer.start(p, data, {});
        QVERIFY2(out.ok, qPrintable(out.error));
        m_runId = out.runId;

        m_syntheticDb = m_dir.filePath(u"synthetic.tgdb"_s);
        SyntheticProject::Options o;
        o.steps = 120;
        o.callsPerStep = 10;
        o.gradientsPerStep = 6;
        o.samplesPerStep = 3;
        o.markerEvery = 20;
        o.conversationChars = 300;
        o.requestChars = 200;
        o.optimizerPromptChars = 200;
        m_synthetic = SyntheticProject::build(m_syntheticDb, o);
        QVERIFY2(m_synthetic.ok, qPrintable(m_synthetic.error));
        QCOMPARE(m_synthetic.markerSteps, 6);
    }

    void summariesMatchTheStoredSteps()
    {
        RunStore store;
        QVERIFY(store.open(m_realDb, nullptr));
        const QVector<StepRecord> steps = store.steps(m_runId, true);
        const QVector<StepSummary> summaries = store.stepSummaries(m_runId, -1, 100);
        QCOMPARE(summaries.size(), 3);
        QCOMPARE(steps.size(), 3);
        for (int i = 0; i < 3; ++i) {
            const StepSummary &s = summaries.at(i);
            QCOMPARE(s.step, steps.at(i).step);
            QCOMPARE(s.accepted, steps.at(i).accepted);
            QCOMPARE(s.valScore, steps.at(i).valScore);
            QCOMPARE(s.gradientCount, steps.at(i).gradients.size());
            QVERIFY(s.gradientCount > 0);
        }
        QVERIFY(summaries.at(0).accepted);
        QVERIFY(!summaries.at(1).accepted); // "Be quick" loses validation
        QCOMPARE(summaries.at(0).changedNodes, QStringList { u"system_prompt"_s });
        QVERIFY(store.lastError().isEmpty());

        const HistoryCounts counts = store.historyCounts(m_runId);
        QCOMPARE(counts.steps, 3);
        QCOMPARE(counts.acceptedSteps, 1);
        QCOMPARE(counts.versions, 3);
        QCOMPARE(counts.calls, store.callTotals(m_runId).total);
        int gradients = 0;
        for (const StepRecord &s : steps)
            gradients += s.gradients.size();
        QCOMPARE(counts.gradients, gradients);
    }

    void detailsOfOneStep()
    {
        RunStore store;
        QVERIFY(store.open(m_realDb, nullptr));
        const StepDetails d = store.stepDetails(m_runId, 1);
        QVERIFY(d.found);
        QCOMPARE(d.summary.step, 1);
        QCOMPARE(d.versions.size(), 1);
        QCOMPARE(d.versions.first().previous, u"You are an arithmetic assistant."_s);
        QVERIFY(d.versions.first().value.contains(u"carefully"_s));
        QVERIFY(d.versions.first().optimizerReply.contains(u"IMPROVED_VARIABLE"_s));
        QCOMPARE(d.gradients.size(), d.summary.gradientCount);
        QCOMPARE(d.gradientIds.size(), d.gradients.size());
        for (const GradientRecord &g : d.gradients) {
            QCOMPARE(g.step, 1);
            QVERIFY(!g.conversation.isEmpty());
        }
        QVERIFY(!d.samples.isEmpty());
        QVERIFY(!store.stepDetails(m_runId, 99).found);
        QVERIFY(!store.stepDetails(u"no-such-run"_s, 1).found);
    }

    void versionsOfANode()
    {
        RunStore store;
        QVERIFY(store.open(m_realDb, nullptr));
        QCOMPARE(store.versionedNodes(m_runId), QStringList { u"system_prompt"_s });
        const QVector<NodeVersion> versions = store.nodeVersions(m_runId, u"system_prompt"_s);
        QCOMPARE(versions.size(), 3);
        QVERIFY(versions.at(0).accepted);
        QVERIFY(!versions.at(1).accepted);
        QCOMPARE(versions.at(1).version.value, u"Be quick about it."_s);
        // A rejected candidate leaves the accepted value in effect for the next step.
        QCOMPARE(versions.at(2).version.previous, versions.at(0).version.value);
        QVERIFY(versions.at(0).version.optimizerPrompt.isEmpty()); // not read for lists

        const QVector<GradientRecord> critiques
            = store.nodeGradients(m_runId, u"system_prompt"_s, { 1 });
        QVERIFY(!critiques.isEmpty());
        for (const GradientRecord &g : critiques) {
            QCOMPARE(g.targetNode, u"system_prompt"_s);
            QCOMPARE(g.step, 1);
        }
        QVERIFY(store.nodeVersions(m_runId, u"answer"_s).isEmpty());
    }

    void keysetPagesCoverEveryStepOnce()
    {
        RunStore store;
        QVERIFY(store.open(m_syntheticDb, nullptr));
        QVector<int> seen;
        int after = -1;
        for (;;) {
            const QVector<StepSummary> page = store.stepSummaries(m_synthetic.runId, after, 50);
            if (page.isEmpty())
                break;
            QVERIFY(page.size() <= 50);
            for (const StepSummary &s : page)
                seen.append(s.step);
            after = page.last().step;
        }
        QCOMPARE(seen.size(), 120);
        for (int i = 0; i < seen.size(); ++i)
            QCOMPARE(seen.at(i), i + 1);
        QCOMPARE(store.historyCounts(m_synthetic.runId).gradients, 120 * 6);
        QCOMPARE(store.historyCounts(m_synthetic.runId).calls, 120 * 10);
    }

    void searchFindsStepsAndGradients()
    {
        RunStore store;
        QVERIFY(store.open(m_syntheticDb, nullptr));
        // Case-insensitive, paged.
        const QString marker = SyntheticProject::kMarker.toUpper();
        QVector<StepSummary> found = store.stepSummaries(m_synthetic.runId, -1, 4, marker);
        QCOMPARE(found.size(), 4);
        found += store.stepSummaries(m_synthetic.runId, found.last().step, 4, marker);
        QCOMPARE(found.size(), 6);
        for (const StepSummary &s : found)
            QCOMPARE(s.step % 20, 0);

        QVector<GradientHit> hits = store.searchGradients(m_synthetic.runId, marker, 0, 5);
        QCOMPARE(hits.size(), 5);
        hits += store.searchGradients(m_synthetic.runId, marker, hits.last().id, 5);
        QCOMPARE(hits.size(), 6);
        for (const GradientHit &h : hits) {
            QVERIFY2(h.excerpt.contains(SyntheticProject::kMarker), qPrintable(h.excerpt));
            QVERIFY(h.id > 0);
            QCOMPARE(h.step % 20, 0);
        }
        // Wildcards a user types are literal: unescaped, both would match "zeppelin example".
        QVERIFY(store.stepSummaries(m_synthetic.runId, -1, 10, marker + u"%"_s).isEmpty());
        QVERIFY(store.stepSummaries(m_synthetic.runId, -1, 10, marker + u"_"_s).isEmpty());
        // The optimizer reply is searched too (every reply holds the tag).
        QCOMPARE(
            store.stepSummaries(m_synthetic.runId, -1, 500, u"IMPROVED_VARIABLE"_s).size(), 120);
    }

    void searchExcerptShowsTheConversation()
    {
        RunStore store;
        QVERIFY(store.open(m_realDb, nullptr));
        // The backward prompt holds the question; the feedback does not.
        const QVector<GradientHit> hits = store.searchGradients(m_runId, u"1+2"_s, 0, 100);
        QVERIFY(!hits.isEmpty());
        QVERIFY2(hits.first().excerpt.contains(u"1+2"_s), qPrintable(hits.first().excerpt));
        QVERIFY(hits.first().excerpt.startsWith(u"user: "_s)
            || hits.first().excerpt.startsWith(u"system: "_s));
    }

    void lazyModelAt100kRows()
    {
        const QString path = m_dir.filePath(u"skeleton.tgdb"_s);
        const SyntheticProject::Result built
            = SyntheticProject::build(path, SyntheticProject::skeleton(100000));
        QVERIFY2(built.ok, qPrintable(built.error));
        qInfo("built a 100,000-step skeleton in %lld ms", built.elapsedMs);

        HistoryLoader loader;
        loader.setStorePath(path);
        {
            // Opening reads one page, not the run.
            StepTimelineModel model(&loader);
            model.setPageSize(1000);
            model.setRun(built.runId);
            QVERIFY(waitFirstPage(model));
            QCOMPARE(model.rowCount(), 1000);
            QVERIFY(model.canFetchMore({}));
            QVERIFY(!model.isLoading());
        }

        // The tester asks for more after every insertion, like a view scrolled to the end.
        StepTimelineModel model(&loader);
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPageSize(1000);
        QCOMPARE(model.rowCount(), 0);
        model.setRun(built.runId);
        QVERIFY(fetchAll(model));
        QCOMPARE(model.rowCount(), 100000);
        QVERIFY(!model.canFetchMore({}));
        QVERIFY(model.atEnd());
        const QModelIndex last = model.index(99999);
        QCOMPARE(last.data(StepTimelineModel::StepRole).toInt(), 100000);
        QCOMPARE(last.data(StepTimelineModel::GradientCountRole).toInt(), 1);
        QVERIFY(last.data(Qt::DisplayRole).toString().startsWith(u"Step 100000"_s));
        QCOMPARE(model.rowOfStep(54321), 54320);
        for (int row = 1; row < model.rowCount(); row += 997) // in order, no page twice
            QCOMPARE(model.summaryAt(row).step, row + 1);
        QCOMPARE(model.rowOfStep(0), -1);
        QCOMPARE(model.summaryAt(41).step, 42);
    }

    void modelSearchRequeries()
    {
        HistoryLoader loader;
        loader.setStorePath(m_syntheticDb);
        StepTimelineModel model(&loader);
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPageSize(50);
        model.setRun(m_synthetic.runId);
        QVERIFY(waitFirstPage(model));
        QVERIFY(model.rowCount() >= 50); // the tester may already have asked for more

        // A filter superseded before its page arrived leaves no trace.
        QSignalSpy pages(&model, &StepTimelineModel::pageLoaded);
        model.setSearch(u"IMPROVED_VARIABLE"_s);
        model.setSearch(SyntheticProject::kMarker);
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 30000);
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(model.index(0).data(StepTimelineModel::StepRole).toInt(), 20);
        QVERIFY(model.atEnd());
        QCOMPARE(pages.count(), 1);

        model.setSearch(QString());
        QVERIFY(waitFirstPage(model));
        QVERIFY(fetchAll(model));
        QCOMPARE(model.rowCount(), 120);
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.summaryAt(row).step, row + 1);
    }

    void unreadableProjectStopsWithAnError()
    {
        // A directory where the project file should be: the store cannot open it.
        const QString path = m_dir.filePath(u"not-a-file.tgdb"_s);
        QVERIFY(QDir().mkpath(path));
        HistoryLoader loader;
        loader.setStorePath(path);
        StepTimelineModel model(&loader);
        QSignalSpy pages(&model, &StepTimelineModel::pageLoaded);
        model.setRun(u"r"_s);
        QVERIFY(pages.wait(30000));
        QVERIFY(!pages.first().at(1).toString().isEmpty());
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.canFetchMore({}));
    }
};

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_historystore.moc"
