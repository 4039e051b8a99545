// RunComparison on two real (scripted) runs: final prompts per node, per-sample verdicts on the
// test split and on validation, summary figures.

#include "CurveRuns.h"

#include "history/RunComparison.h"
#include "store/RunStore.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

class TestRunComparison : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    RunStore m_store;
    QString m_low;    // ends at level 2: test 0.5, validation 0.5
    QString m_high;   // ends at level 4: test 1.0, validation 1.0

private slots:
    void initTestCase()
    {
        QVERIFY(m_store.open(m_dir.filePath(u"cmp.tgdb"_s), nullptr));
        QString error;
        m_low = CurveRuns::gradedRun(m_store, {2, 1}, &error);
        QVERIFY2(!m_low.isEmpty(), qPrintable(error));
        m_high = CurveRuns::gradedRun(m_store, {3, 4}, &error);
        QVERIFY2(!m_high.isEmpty(), qPrintable(error));
    }

    void finalPromptsPerNode()
    {
        const RunComparison c = RunComparison::compare(m_store, m_low, m_high);
        QCOMPARE(c.prompts.size(), 1);
        QCOMPARE(c.prompts.first().nodeId, u"system_prompt"_s);
        // The low run's level 1 proposal was rejected, so its final prompt is level 2.
        QCOMPARE(c.prompts.first().baseline, u"You are an arithmetic assistant. Level 2."_s);
        QCOMPARE(c.prompts.first().candidate, u"You are an arithmetic assistant. Level 4."_s);
        QVERIFY(!c.prompts.first().same());
        QCOMPARE(c.baseline.runId, m_low);
        QCOMPARE(c.baseline.steps, 2);
        QCOMPARE(c.baseline.testScore, 0.5);
        QCOMPARE(c.candidate.testScore, 1.0);
        QCOMPARE(c.baseline.finalValScore, 0.5);
        QCOMPARE(c.candidate.finalValScore, 1.0);
        QVERIFY(c.baseline.calls > 0);
        QVERIFY(c.candidate.costUsd > 0.0);
    }

    void testSplitVerdicts()
    {
        const RunComparison c = RunComparison::compare(m_store, m_low, m_high);
        QCOMPARE(c.split, u"test"_s);
        QVERIFY(c.sameInputs);
        QCOMPARE(c.samples.size(), 4);
        // Test rows are 201+602, 202+605, 203+608, 204+611: level 2 gets a % 4 in {0, 1}.
        QCOMPARE(c.wins, 2);
        QCOMPARE(c.losses, 0);
        QCOMPARE(c.ties, 2);
        QCOMPARE(c.unmatched, 0);
        QCOMPARE(c.samples.at(0).verdict, SampleVerdict::Tie);
        QCOMPARE(c.samples.at(1).verdict, SampleVerdict::Win);
        QCOMPARE(c.samples.at(2).verdict, SampleVerdict::Win);
        QCOMPARE(c.samples.at(3).verdict, SampleVerdict::Tie);
        const SampleComparison &second = c.samples.at(1);
        QCOMPARE(second.line, 3);
        QCOMPARE(second.input, u"question: 202+605\nanswer: 807"_s);
        QCOMPARE(second.baselineScore, 0.0);
        QCOMPARE(second.candidateScore, 1.0);
        QCOMPARE(second.baselineOutput, u"808"_s);
        QCOMPARE(second.candidateOutput, u"807"_s);
        QCOMPARE(c.baseline.splitMean, 0.5);
        QCOMPARE(c.candidate.splitMean, 1.0);

        // Swapped, wins become losses.
        const RunComparison back = RunComparison::compare(m_store, m_high, m_low);
        QCOMPARE(back.wins, 0);
        QCOMPARE(back.losses, 2);
        QCOMPARE(back.ties, 2);
    }

    void validationSplitOnRequest()
    {
        const RunComparison c = RunComparison::compare(m_store, m_low, m_high, u"validation"_s);
        QCOMPARE(c.split, u"validation"_s);
        QCOMPARE(c.samples.size(), 8);
        QCOMPARE(c.wins, 4);
        QCOMPARE(c.ties, 4);
        QCOMPARE(c.losses, 0);
    }

    void runsWithoutResults()
    {
        RunInfo empty;
        empty.id = u"empty"_s;
        empty.status = RunStatus::Failed;
        QVERIFY(m_store.createRun(empty));
        RunInfo other = empty;
        other.id = u"empty2"_s;
        QVERIFY(m_store.createRun(other));
        const RunComparison c = RunComparison::compare(m_store, u"empty"_s, u"empty2"_s);
        QVERIFY(c.split.isEmpty());
        QVERIFY(c.samples.isEmpty());
        QVERIFY(!c.note.isEmpty());

        // Against a run with results, every sample is in one run only.
        const RunComparison one = RunComparison::compare(m_store, u"empty"_s, m_high);
        QCOMPARE(one.split, u"validation"_s);
        QCOMPARE(one.unmatched, 8);
        QCOMPARE(one.samples.first().verdict, SampleVerdict::OnlyCandidate);
        QCOMPARE(one.wins + one.losses + one.ties, 0);
    }
};

QTEST_GUILESS_MAIN(TestRunComparison)
#include "tst_runcomparison.moc"
