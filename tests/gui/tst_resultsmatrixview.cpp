// The results matrix view as a user meets it, offscreen, on a real scripted run: the empty
// state, the matrix after loading (on a worker), the filters, a click opening the drawer with
// the rendered prompt and usage, the threshold, switching split, an unreadable run, the header
// double-click, and screenshots (TEXTGRAD_SCREENSHOT_DIR) for review.

#include "ScriptedRuns.h"
#include "history/ResultsMatrixModel.h"
#include "results/ResultsCellDrawer.h"
#include "results/ResultsMatrixView.h"
#include "store/RunStore.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QLabel>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

using namespace Qt::StringLiterals;

class TestResultsMatrixView : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    QString m_runId;

    template<typename T> static T *child(const QWidget &w, const QString &name)
    {
        T *c = w.findChild<T *>(name);
        if (!c)
            qWarning("no child %s", qPrintable(name));
        return c;
    }

    static QString message(const ResultsMatrixView &view)
    {
        return child<QLabel>(view, u"messageTitle"_s)->text() + u'\n'
            + child<QLabel>(view, u"messageText"_s)->text();
    }

    static bool showsMatrix(const ResultsMatrixView &view)
    {
        return view.findChild<QStackedWidget *>()->currentIndex() == 1;
    }

    static void saveShot(QWidget &w, const QString &name)
    {
        const QString dir = qEnvironmentVariable("TEXTGRAD_SCREENSHOT_DIR");
        if (dir.isEmpty())
            return;
        QVERIFY(w.grab().save(dir + u'/' + name));
    }

    bool loadRun(ResultsMatrixView &view)
    {
        QSignalSpy loaded(&view, &ResultsMatrixView::loaded);
        view.setStorePath(m_path);
        view.setRun(m_runId);
        return loaded.wait(10000) && loaded.last().first().toBool();
    }

    static bool clickCell(ResultsMatrixView &view, int row, int column)
    {
        QSignalSpy shown(&view, &ResultsMatrixView::detailsShown);
        QTableView *table = view.table();
        const QRect rect = table->visualRect(table->model()->index(row, column));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
        return shown.wait(10000);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        ScriptedRuns::activateTestPrices();
        m_path = m_dir.filePath(u"view.tgdb"_s);
        RunStore store;
        QVERIFY(store.open(m_path, nullptr));
        const RunOutcome out = ScriptedRuns::gatedArithmetic(&store);
        QVERIFY2(out.ok, qPrintable(out.error));
        m_runId = out.runId;
    }

    void emptyStateSaysWhatToDo()
    {
        ResultsMatrixView view;
        view.resize(900, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(!showsMatrix(view));
        QVERIFY(message(view).contains(u"No run selected"_s));
        QVERIFY(message(view).contains(u"Choose a run"_s));
        QVERIFY(!child<QWidget>(view, u"toolbar"_s)->isVisible());
        saveShot(view, u"results-empty.png"_s);
    }

    void loadsFiltersAndOpensTheDrawer()
    {
        ResultsMatrixView view;
        QAbstractItemModelTester tester(
            view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.resize(1200, 640);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(loadRun(view));
        QVERIFY(showsMatrix(view));
        QVERIFY(child<QWidget>(view, u"toolbar"_s)->isVisible());
        QCOMPARE(view.model()->rowCount(), 5);
        QCOMPARE(view.model()->columnCount(), 3);
        QCOMPARE(child<QDoubleSpinBox>(view, u"threshold"_s)->value(), 1.0);
        const QString summary = child<QLabel>(view, u"summary"_s)->text();
        QVERIFY2(summary.contains(u"5 samples × 3 versions"_s), qPrintable(summary));
        QVERIFY2(summary.contains(u"Step 2: 4 of 5 pass"_s), qPrintable(summary));
        QVERIFY(!view.drawer()->isVisible());

        child<QCheckBox>(view, u"failuresOnly"_s)->click();
        QCOMPARE(view.model()->rowCount(), 4);
        QVERIFY(child<QLabel>(view, u"summary"_s)->text().contains(u"showing 4"_s));
        child<QCheckBox>(view, u"changedOnly"_s)->click();
        QCOMPARE(view.model()->rowCount(), 3);
        child<QCheckBox>(view, u"failuresOnly"_s)->click();
        child<QCheckBox>(view, u"changedOnly"_s)->click();
        QCOMPARE(view.model()->rowCount(), 5);

        // Sample 0 under the accepted step 2.
        QVERIFY(clickCell(view, 0, 2));
        QVERIFY(view.drawer()->isVisible());
        const QString text = view.drawer()->text();
        QVERIFY2(text.contains(u"Sample 0 (line 2) · Step 2"_s), qPrintable(text));
        QVERIFY(text.contains(u"Pass · score 1"_s));
        QVERIFY(text.contains(u"101+302"_s));
        QVERIFY(text.contains(QString::fromUtf8(ScriptedRuns::kCarefulPrompt)));
        QVERIFY(text.contains(u"403"_s));
        QVERIFY(text.contains(u"1 call"_s));
        QVERIFY(text.contains(u"completion tokens"_s));
        QVERIFY(text.contains(u"$"_s));
        QCOMPARE(view.drawer()->details().step, 2);
        saveShot(view, u"results-matrix-drawer.png"_s);

        // A failing cell: the verdict says so.
        QVERIFY(clickCell(view, 0, 1));
        QVERIFY(view.drawer()->text().contains(u"Fail · score 0"_s));
        QVERIFY(view.drawer()->text().contains(QString::fromUtf8(ScriptedRuns::kSloppyPrompt)));

        // A threshold of 0 passes every scored cell; with "Failures only" nothing is left.
        QSignalSpy shown(&view, &ResultsMatrixView::detailsShown);
        child<QDoubleSpinBox>(view, u"threshold"_s)->setValue(0.0);
        QVERIFY(shown.wait(10000));
        QVERIFY(view.drawer()->text().contains(u"Pass · score 0"_s));
        child<QCheckBox>(view, u"failuresOnly"_s)->click();
        QCOMPARE(view.model()->rowCount(), 0);
        QVERIFY(!showsMatrix(view));
        QVERIFY(message(view).contains(u"No sample matches the filters"_s));
        child<QDoubleSpinBox>(view, u"threshold"_s)->setValue(1.0);
        QCOMPARE(view.model()->rowCount(), 4);
        QVERIFY(showsMatrix(view));

        // A refresh keeps the threshold the user chose and the open cell.
        child<QDoubleSpinBox>(view, u"threshold"_s)->setValue(0.5);
        QSignalSpy loaded(&view, &ResultsMatrixView::loaded);
        view.refresh();
        QVERIFY(loaded.wait(10000));
        QCOMPARE(view.model()->threshold(), 0.5);
        QCOMPARE(child<QDoubleSpinBox>(view, u"threshold"_s)->value(), 0.5);

        child<QToolButton>(view, u"drawerClose"_s)->click();
        QVERIFY(!view.drawer()->isVisible());
    }

    void headerDoubleClickNamesTheStep()
    {
        ResultsMatrixView view;
        view.resize(900, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(loadRun(view));
        QSignalSpy activated(&view, &ResultsMatrixView::stepActivated);
        QHeaderView *header = view.table()->horizontalHeader();
        const int x = header->sectionViewportPosition(1) + header->sectionSize(1) / 2;
        QTest::mouseDClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.first().at(0).toString(), m_runId);
        QCOMPARE(activated.first().at(1).toInt(), 1);
    }

    void otherSplitsAndBadRuns()
    {
        ResultsMatrixView view;
        view.resize(900, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(loadRun(view));

        QSignalSpy loaded(&view, &ResultsMatrixView::loaded);
        view.setSplit(u"test"_s);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(view.split(), u"test"_s);
        QCOMPARE(view.model()->rowCount(), 3);
        QCOMPARE(view.model()->columnCount(), 1);
        QCOMPARE(view.model()->headerData(0, Qt::Horizontal).toString(), u"Final"_s);

        view.setSplit(u"train"_s);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(view.model()->columnCount(), 4);
        saveShot(view, u"results-train.png"_s);

        view.setRun(u"missing-run"_s);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(loaded.last().first().toBool(), false);
        QVERIFY(!showsMatrix(view));
        QVERIFY(message(view).contains(u"could not be read"_s));
        QVERIFY(message(view).contains(u"missing-run"_s));

        view.setRun(QString());
        QVERIFY(message(view).contains(u"No run selected"_s));
    }

    void darkPaletteScreenshot()
    {
        if (qEnvironmentVariableIsEmpty("TEXTGRAD_SCREENSHOT_DIR"))
            QSKIP("screenshots only");
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2B, 0x2B, 0x2B));
        dark.setColor(QPalette::WindowText, QColor(0xE0, 0xE0, 0xE0));
        dark.setColor(QPalette::Base, QColor(0x1E, 0x1E, 0x1E));
        dark.setColor(QPalette::AlternateBase, QColor(0x33, 0x33, 0x33));
        dark.setColor(QPalette::Text, QColor(0xE0, 0xE0, 0xE0));
        dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
        dark.setColor(QPalette::ButtonText, QColor(0xE0, 0xE0, 0xE0));
        ResultsMatrixView view;
        view.setPalette(dark);
        view.resize(1200, 640);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(loadRun(view));
        QVERIFY(clickCell(view, 4, 2));
        saveShot(view, u"results-matrix-dark.png"_s);
    }
};

QTEST_MAIN(TestResultsMatrixView)
#include "tst_resultsmatrixview.moc"
