// RunCompareView on two real (scripted) runs: picking runs, the summary, the prompt diff, the
// per-sample table (under QAbstractItemModelTester) and its filter, the sample detail, and
// what it says when there is nothing to compare.

#include "CurveRuns.h"

#include "compare/PromptDiffHtml.h"
#include "compare/RunCompareView.h"
#include "compare/SampleComparisonModel.h"
#include "plots/ScoreCurvesView.h"
#include "store/RunStore.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtTest>

using namespace Qt::StringLiterals;

class TestRunCompareView : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    QString m_low;    // final level 2
    QString m_high;   // final level 4 (newer)

private slots:
    void initTestCase()
    {
        m_path = m_dir.filePath(u"compare.tgdb"_s);
        RunStore store;
        QVERIFY(store.open(m_path, nullptr));
        QString error;
        m_low = CurveRuns::gradedRun(store, {2, 1}, &error);
        QVERIFY2(!m_low.isEmpty(), qPrintable(error));
        QTest::qWait(1100);   // run ids and "newest first" go by the second
        m_high = CurveRuns::gradedRun(store, {3, 4}, &error);
        QVERIFY2(!m_high.isEmpty(), qPrintable(error));
    }

    void wordDiff()
    {
        const QString html = PromptDiffHtml::render(u"Be brief. Answer now."_s,
                                                    u"Be careful. Answer now."_s);
        QVERIFY(html.contains(u"line-through;\">brief.</span>"_s));
        QVERIFY(html.contains(u"\">careful.</span>"_s));
        QVERIFY(html.contains(u"Be "_s));
        QVERIFY(html.contains(u" Answer now."_s));
        // Markup in a prompt is text, not HTML.
        QVERIFY(PromptDiffHtml::render(u"<b>x</b>"_s, u"<b>x</b>"_s).contains(u"&lt;b&gt;"_s));
        const QString same = PromptDiffHtml::render(u"same text"_s, u"same text"_s);
        QVERIFY(!same.contains(u"line-through"_s));
    }

    void comparesTheNewestRunWithThePreviousOne()
    {
        RunCompareView view;
        view.resize(1100, 720);
        view.show();
        QAbstractItemModelTester tester(view.sampleModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy compared(&view, &RunCompareView::compared);
        view.setStorePath(m_path);
        QTRY_COMPARE(compared.count(), 1);
        QCOMPARE(view.baselineRun(), m_low);
        QCOMPARE(view.candidateRun(), m_high);

        const QString summary = view.summaryText();
        QVERIFY2(summary.contains(u"2 better"_s), qPrintable(summary));
        QVERIFY(summary.contains(u"0 worse"_s));
        QVERIFY(summary.contains(u"2 the same"_s));
        QVERIFY(summary.contains(u"0.500 → 1.000"_s));

        const QString diff = view.promptDiffHtml();
        QVERIFY(diff.contains(u"system_prompt"_s));
        QVERIFY(diff.contains(u"line-through;\">2.</span>"_s));
        QVERIFY(diff.contains(u"\">4.</span>"_s));

        // Both runs' curves, overlaid and labelled A and B.
        QCOMPARE(view.curvesView()->curves().size(), 2);
        QCOMPARE(view.curvesView()->curves().at(0).label(), u"A (baseline)"_s);

        SampleComparisonModel *model = view.sampleModel();
        QCOMPARE(model->rowCount(), 4);
        QCOMPARE(model->index(1, SampleComparisonModel::VerdictColumn).data().toString(), u"better"_s);
        QCOMPARE(model->index(1, SampleComparisonModel::BaselineColumn).data().toString(), u"0.00"_s);
        QVERIFY(model->index(1, SampleComparisonModel::VerdictColumn).data(Qt::BackgroundRole).isValid());
        QVERIFY(!model->index(0, SampleComparisonModel::VerdictColumn).data(Qt::BackgroundRole).isValid());

        view.findChild<QCheckBox *>()->setChecked(true);
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(model->sampleAt(0)->sampleIndex, 1);

        auto *table = view.findChild<QTableView *>();
        table->setCurrentIndex(model->index(0, 0));
        QTextBrowser *detail = nullptr;
        for (QTextBrowser *b : view.findChildren<QTextBrowser *>()) {
            if (b->toPlainText().contains(u"Line 3"_s))
                detail = b;
        }
        QVERIFY(detail);
        QVERIFY(detail->toPlainText().contains(u"808"_s));   // A's wrong answer
        QVERIFY(detail->toPlainText().contains(u"807"_s));   // B's right one

        const QString dir = qEnvironmentVariable("TEXTGRAD_SCREENSHOT_DIR");
        if (!dir.isEmpty()) {
            QTest::qWait(150);
            QVERIFY(view.grab().save(dir + u"/compare-runs.png"_s));
        }

        // Swapping turns wins into losses.
        compared.clear();
        view.swapRuns();
        QTRY_COMPARE(compared.count(), 1);
        QCOMPARE(view.baselineRun(), m_high);
        QVERIFY(view.summaryText().contains(u"2 worse"_s));
    }

    void saysWhatToDoWithoutTwoRuns()
    {
        const QString path = m_dir.filePath(u"single.tgdb"_s);
        {
            RunStore store;
            QVERIFY(store.open(path, nullptr));
            QString error;
            QVERIFY2(!CurveRuns::gradedRun(store, {2}, &error).isEmpty(), qPrintable(error));
        }
        RunCompareView view;
        view.resize(700, 400);
        view.show();
        QSignalSpy listed(&view, &RunCompareView::runsListed);
        view.setStorePath(path);
        QTRY_COMPARE(listed.count(), 1);
        bool saysOne = false;
        for (QLabel *label : view.findChildren<QLabel *>())
            saysOne |= label->isVisible() && label->text().contains(u"needs two runs"_s);
        QVERIFY(saysOne);

        // The same run on both sides is refused with a hint.
        RunCompareView same;
        same.show();
        QSignalSpy sameListed(&same, &RunCompareView::runsListed);
        same.setStorePath(m_path);
        QTRY_COMPARE(sameListed.count(), 1);
        same.setRuns(m_low, m_low);
        bool saysSame = false;
        for (QLabel *label : same.findChildren<QLabel *>())
            saysSame |= label->isVisible() && label->text().contains(u"same run"_s);
        QVERIFY(saysSame);
    }
};

QTEST_MAIN(TestRunCompareView)
#include "tst_runcompareview.moc"
