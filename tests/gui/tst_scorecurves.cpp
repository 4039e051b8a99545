// ScoreCurvesView: what is plotted (points, markers, test score, axes, overlay), hover
// read-outs, coalesced and deferred redraws, PNG / PDF export, empty states.

#include "CurveRuns.h"

#include "plots/ScoreCurvesView.h"
#include "store/RunStore.h"

#include "plots/QCustomPlotHeader.h"

#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

QCPGraph *graphNamed(QCustomPlot *plot, const QString &name)
{
    for (int i = 0; i < plot->graphCount(); ++i) {
        if (plot->graph(i)->name() == name)
            return plot->graph(i);
    }
    return nullptr;
}

QVector<double> keys(const QCPGraph *graph)
{
    QVector<double> result;
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
        result.append(it->key);
    return result;
}

QVector<double> values(const QCPGraph *graph)
{
    QVector<double> result;
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
        result.append(it->value);
    return result;
}

int legendItems(QCustomPlot *plot)
{
    return plot->legend->itemCount();
}

StepRecord liveStep(int number, double val)
{
    StepRecord s;
    s.step = number;
    s.trainScore = val;
    s.valScore = val;
    s.bestValScore = val;
    s.accepted = true;
    return s;
}

} // namespace

class TestScoreCurves : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    QString m_runA;   // levels 2, 1, 3, 4: validation .25 .5 .25 .75 1.0, step 2 rejected
    QString m_runB;   // levels 3, 2: validation .25 .75 .5 (rejected)

    // A shown view on the project with the given runs, loaded.
    void loadInto(ScoreCurvesView &view, const QStringList &runs)
    {
        QSignalSpy loaded(&view, &ScoreCurvesView::loaded);
        view.setStorePath(m_path);
        view.setRuns(runs);
        QTRY_VERIFY(loaded.count() >= 1);
        QTRY_VERIFY(!view.isLoading());
        QTRY_VERIFY(graphNamed(view.plot(), u"validation"_s) || view.plot()->graphCount() > 0);
    }

private slots:
    void initTestCase()
    {
        m_path = m_dir.filePath(u"curves.tgdb"_s);
        RunStore store;
        QVERIFY(store.open(m_path, nullptr));
        QString error;
        m_runA = CurveRuns::gradedRun(store, {2, 1, 3, 4}, &error);
        QVERIFY2(!m_runA.isEmpty(), qPrintable(error));
        m_runB = CurveRuns::gradedRun(store, {3, 2}, &error);
        QVERIFY2(!m_runB.isEmpty(), qPrintable(error));
    }

    void emptyStatesSayWhatToDo()
    {
        ScoreCurvesView view;
        view.show();
        QVERIFY(view.emptyText().contains(u"No run selected"_s));

        RunStore store;
        QVERIFY(store.open(m_path, nullptr));
        RunInfo fresh;
        fresh.id = u"fresh"_s;
        fresh.status = RunStatus::Running;
        QVERIFY(store.createRun(fresh));
        QSignalSpy loaded(&view, &ScoreCurvesView::loaded);
        view.setStorePath(m_path);
        view.setRuns({u"fresh"_s});
        QTRY_VERIFY(loaded.count() >= 1);
        QTRY_VERIFY(view.emptyText().contains(u"No step has finished yet"_s));
    }

    void plotsOneRun()
    {
        ScoreCurvesView view;
        view.resize(800, 450);
        view.show();
        loadInto(view, {m_runA});
        QCustomPlot *plot = view.plot();
        QTRY_VERIFY(graphNamed(plot, u"validation"_s));

        QCPGraph *val = graphNamed(plot, u"validation"_s);
        QCOMPARE(keys(val), QVector<double>({0, 1, 2, 3, 4}));
        QCOMPARE(values(val), QVector<double>({0.25, 0.5, 0.25, 0.75, 1.0}));
        QCPGraph *train = graphNamed(plot, u"training batch"_s);
        QVERIFY(train);
        QCOMPARE(train->dataCount(), 4);
        QCPGraph *accepted = graphNamed(plot, u"step accepted"_s);
        QCPGraph *rejected = graphNamed(plot, u"step rejected (reverted)"_s);
        QVERIFY(accepted && rejected);
        QCOMPARE(keys(accepted), QVector<double>({1, 3, 4}));
        QCOMPARE(keys(rejected), QVector<double>({2}));
        QCOMPARE(values(rejected), QVector<double>({0.25}));
        // Accepted and rejected look different.
        QVERIFY(accepted->scatterStyle().shape() != rejected->scatterStyle().shape());
        QVERIFY(accepted->scatterStyle().pen().color() != rejected->scatterStyle().pen().color());
        QCPGraph *best = graphNamed(plot, u"best so far"_s);
        QVERIFY(best);
        QCOMPARE(values(best), QVector<double>({0.25, 0.5, 0.5, 0.75, 1.0}));
        QCPGraph *test = graphNamed(plot, u"test 1.000"_s);
        QVERIFY(test);
        QCOMPARE(keys(test), QVector<double>({4}));
        QCOMPARE(values(test), QVector<double>({1.0}));
        // training batch, validation, best so far, accepted, rejected, test
        QCOMPARE(legendItems(plot), 6);
        QVERIFY(view.emptyText().isEmpty());
        // The whole run is in view, fitted to it (not to the empty plot shown while loading).
        QVERIFY(plot->xAxis->range().lower < 0.0 && plot->xAxis->range().upper > 4.0);
        QVERIFY(plot->xAxis->range().upper < 4.6);
    }

    void switchesTheXAxis()
    {
        ScoreCurvesView view;
        view.resize(800, 450);
        view.show();
        loadInto(view, {m_runA});
        QTRY_VERIFY(graphNamed(view.plot(), u"validation"_s));
        const CurveData data = view.curves().first();

        view.setXAxis(CurveAxis::Cost);
        QTRY_COMPARE(view.plot()->xAxis->label(), CurveData::axisTitle(CurveAxis::Cost));
        QCPGraph *val = graphNamed(view.plot(), u"validation"_s);
        QCOMPARE(keys(val), data.validation(CurveAxis::Cost).x);
        QVERIFY(keys(val).last() > 0.0);
        QCOMPARE(keys(graphNamed(view.plot(), u"test 1.000"_s)).first(), data.totalCostUsd());
        const QVector<QString> labels = view.plot()->xAxis->tickVectorLabels();
        QVERIFY(!labels.isEmpty());
        QVERIFY(labels.last().startsWith(u'$'));

        view.setXAxis(CurveAxis::Tokens);
        QTRY_COMPARE(view.plot()->xAxis->label(), CurveData::axisTitle(CurveAxis::Tokens));
        val = graphNamed(view.plot(), u"validation"_s);
        QCOMPARE(keys(val), data.validation(CurveAxis::Tokens).x);
        QCOMPARE(keys(graphNamed(view.plot(), u"test 1.000"_s)).first(), double(data.totalTokens()));
    }

    void overlaysRuns()
    {
        ScoreCurvesView view;
        view.resize(900, 450);
        view.show();
        loadInto(view, {m_runA, m_runB});
        QTRY_COMPARE(view.curves().size(), 2);
        QCustomPlot *plot = view.plot();
        QTRY_VERIFY(plot->graphCount() > 0);
        const QString labelA = view.curves().at(0).label();
        const QString labelB = view.curves().at(1).label();
        // One legend entry per run: its validation line, named after the run with its test.
        QCPGraph *valA = graphNamed(plot, labelA + u" · test 1.000"_s);
        QCPGraph *valB = graphNamed(plot, labelB + u" · test 0.750"_s);
        QVERIFY(valA && valB);
        QCOMPARE(values(valB), QVector<double>({0.25, 0.75, 0.5}));
        QVERIFY(valA->pen().color() != valB->pen().color());
        // No best-so-far lines when overlaid; the markers appear once in the legend.
        QVERIFY(!graphNamed(plot, u"best so far"_s));
        int acceptedEntries = 0;
        for (int i = 0; i < plot->legend->itemCount(); ++i) {
            auto *item = qobject_cast<QCPPlottableLegendItem *>(plot->legend->item(i));
            if (item && item->plottable()->name() == u"step accepted"_s)
                ++acceptedEntries;
        }
        QCOMPARE(acceptedEntries, 1);
        QCPGraph *testB = graphNamed(plot, labelB + u": test"_s);
        QVERIFY(testB);
        QCOMPARE(values(testB), QVector<double>({0.75}));
        // run A, run B, the dashed training style, accepted, rejected
        QCOMPARE(legendItems(plot), 5);

        // Dropping a run from the overlay keeps the other.
        QSignalSpy loaded(&view, &ScoreCurvesView::loaded);
        view.setRuns({m_runB});
        QCOMPARE(view.curves().size(), 1);
        QTRY_VERIFY(loaded.count() >= 1);
        QTRY_VERIFY(graphNamed(plot, u"validation"_s));
    }

    void hoverReadout()
    {
        ScoreCurvesView view;
        view.resize(800, 450);
        view.show();
        loadInto(view, {m_runA});
        QTRY_VERIFY(graphNamed(view.plot(), u"validation"_s));
        QCPGraph *val = graphNamed(view.plot(), u"validation"_s);
        const QPointF rejectedAt = val->coordsToPixels(2, 0.25);
        const QString text = view.readoutAt(rejectedAt.toPoint() + QPoint(2, -1));
        QVERIFY2(text.contains(u"step 2"_s), qPrintable(text));
        QVERIFY(text.contains(u"rejected"_s));
        QVERIFY(text.contains(u"validation 0.250"_s));
        QVERIFY(text.contains(u"spent $"_s));
        const QString initial = view.readoutAt(val->coordsToPixels(0, 0.25).toPoint());
        QVERIFY2(initial.contains(u"initial prompt"_s), qPrintable(initial));
        // Far from every point: nothing.
        QVERIFY(view.readoutAt(val->coordsToPixels(0.5, 0.9).toPoint()).isEmpty());
    }

    void clickingAPointNamesTheStep()
    {
        ScoreCurvesView view;
        view.resize(800, 450);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        loadInto(view, {m_runA});
        QTRY_VERIFY(graphNamed(view.plot(), u"step accepted"_s));
        QSignalSpy clicked(&view, &ScoreCurvesView::stepClicked);
        QCPGraph *accepted = graphNamed(view.plot(), u"step accepted"_s);
        QTest::mouseClick(view.plot(), Qt::LeftButton, {}, accepted->coordsToPixels(3, 0.75).toPoint());
        QTRY_COMPARE(clicked.count(), 1);
        QCOMPARE(clicked.first().at(0).toString(), m_runA);
        QCOMPARE(clicked.first().at(1).toInt(), 3);
    }

    void liveStepsAreCoalescedAndDeferredWhileHidden()
    {
        RunInfo info;
        info.id = u"live"_s;
        ScoreCurvesView view;
        view.resize(600, 400);
        view.show();
        view.setCurves({CurveData::build(info, {}, {}, noScore())});
        QTRY_VERIFY(view.emptyText().contains(u"No step"_s));
        QTRY_VERIFY(view.replotCount() > 0 || view.plot()->graphCount() > 0);
        const int before = view.replotCount();

        for (int step = 1; step <= 20; ++step)
            view.appendStep(u"live"_s, liveStep(step, step / 20.0));
        QTRY_COMPARE(view.replotCount(), before + 1);   // twenty steps, one redraw
        QCOMPARE(graphNamed(view.plot(), u"validation"_s)->dataCount(), 20);
        // Steps of a run not shown are ignored.
        view.appendStep(u"other"_s, liveStep(1, 0.5));
        QCOMPARE(view.curves().size(), 1);

        view.hide();
        const int hidden = view.replotCount();
        view.appendStep(u"live"_s, liveStep(21, 1.0));
        QCoreApplication::processEvents();
        QTest::qWait(120);
        QCOMPARE(view.replotCount(), hidden);   // nothing drawn while hidden
        view.show();
        QTRY_COMPARE(view.replotCount(), hidden + 1);
        QCOMPARE(graphNamed(view.plot(), u"validation"_s)->dataCount(), 21);
    }

    void exportsPngAndPdf()
    {
        ScoreCurvesView view;
        view.resize(800, 450);
        view.show();
        loadInto(view, {m_runA, m_runB});
        QTRY_COMPARE(view.curves().size(), 2);
        const QString png = m_dir.filePath(u"curves.png"_s);
        const QString pdf = m_dir.filePath(u"curves.pdf"_s);
        QVERIFY(view.savePng(png, 900, 500));
        QVERIFY(view.savePdf(pdf, 900, 500));
        QVERIFY(QFileInfo(png).size() > 1000);
        QVERIFY(QFileInfo(pdf).size() > 1000);
        QImage image(png);
        QCOMPARE(image.size(), QSize(900, 500));
        QVERIFY(!view.renderImage(QSize(600, 300)).isNull());

        // The Export menu goes through the file chooser seam.
        QString asked;
        view.setFileChooser([&](const QString &, const QString &suggested, const QString &,
                                std::function<void(const QString &)> done) {
            asked = suggested;
            done(m_dir.filePath(u"chosen.pdf"_s));
        });
        QPushButton *exportButton = nullptr;
        for (QPushButton *b : view.findChildren<QPushButton *>()) {
            if (b->text() == u"Export"_s)
                exportButton = b;
        }
        QVERIFY(exportButton && exportButton->menu());
        exportButton->menu()->actions().at(1)->trigger();
        QCOMPARE(asked, u"curves.pdf"_s);
        QVERIFY(QFileInfo(m_dir.filePath(u"chosen.pdf"_s)).size() > 1000);

        const QString dir = qEnvironmentVariable("TEXTGRAD_SCREENSHOT_DIR");
        if (!dir.isEmpty()) {
            view.resize(980, 480);
            QTest::qWait(100);
            QVERIFY(view.grab().save(dir + u"/curves-overlay.png"_s));
            view.setRuns({m_runA});
            QTRY_COMPARE(view.curves().size(), 1);
            QTRY_VERIFY(graphNamed(view.plot(), u"best so far"_s));
            QTest::qWait(100);
            QVERIFY(view.grab().save(dir + u"/curves-one-run.png"_s));
            view.setXAxis(CurveAxis::Cost);
            QTest::qWait(150);
            QVERIFY(view.grab().save(dir + u"/curves-by-cost.png"_s));
            QPalette dark = view.palette();
            dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
            dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
            dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
            dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
            dark.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3a));
            dark.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
            view.setPalette(dark);
            QTest::qWait(150);
            QVERIFY(view.grab().save(dir + u"/curves-dark.png"_s));
            ScoreCurvesView empty;
            empty.resize(600, 300);
            empty.show();
            QTest::qWait(50);
            QVERIFY(empty.grab().save(dir + u"/curves-empty.png"_s));
        }
    }
};

QTEST_MAIN(TestScoreCurves)
#include "tst_scorecurves.moc"
