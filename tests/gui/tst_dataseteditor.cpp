// The dataset editor as a user meets it, offscreen: the empty state, importing (by call and by
// drop), bad rows listed with their lines, split controls updating the counts, the mapping
// panel, and screenshots under /tmp for review.

#include "data/DatasetTableModel.h"
#include "datasets/DatasetEditor.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray rows(int n)
{
    QByteArray bytes = "question,answer\n";
    for (int i = 0; i < n; ++i)
        bytes += "q" + QByteArray::number(i) + "," + QByteArray::number(i) + "\n";
    return bytes;
}

QString exampleCsv()
{
    return QStringLiteral(TEXTGRAD_SOURCE_DIR) + u"/resources/examples/object-counting/train.csv"_s;
}

} // namespace

class TestDatasetEditor : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    template <typename T>
    static T *child(const DatasetEditor &editor, const QString &name)
    {
        T *w = editor.findChild<T *>(name);
        if (!w)
            qWarning("no child %s", qPrintable(name));
        return w;
    }

    static bool loadAndWait(DatasetEditor &editor, const QString &path)
    {
        QSignalSpy done(&editor, &DatasetEditor::loadFinished);
        editor.loadFile(path);
        return done.wait(20000) && done.first().first().toBool();
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void emptyStateSaysWhatToDo()
    {
        DatasetEditor editor;
        editor.resize(900, 600);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QVERIFY(!editor.hasDataset());
        QVERIFY(child<QWidget>(editor, u"emptyState"_s)->isVisible());
        QVERIFY(!child<QWidget>(editor, u"content"_s)->isVisible());
        auto *text = child<QLabel>(editor, u"emptyText"_s);
        QVERIFY(text->isVisible());
        QVERIFY2(text->text().contains(u"Drop a CSV or JSONL file here, or click Import"_s), qPrintable(text->text()));
        QVERIFY(child<QWidget>(editor, u"emptyImport"_s)->isVisible());
    }

    void importButtonUsesTheChooser()
    {
        const QString path = m_dir.filePath(u"chosen.csv"_s);
        QVERIFY(writeFile(path, rows(4)));
        DatasetEditor editor;
        int asked = 0;
        editor.setFileChooser([&asked, path](QWidget *) {
            ++asked;
            return path;
        });
        QSignalSpy done(&editor, &DatasetEditor::loadFinished);
        QTest::mouseClick(child<QPushButton>(editor, u"emptyImport"_s), Qt::LeftButton);
        QCOMPARE(asked, 1);
        QVERIFY(done.wait(10000));
        QCOMPARE(editor.dataset().size(), 4);
    }

    void loadingFillsTheGridAndHidesTheEmptyState()
    {
        const QString path = m_dir.filePath(u"ten.csv"_s);
        QVERIFY(writeFile(path, rows(10)));
        DatasetEditor editor;
        QAbstractItemModelTester tester(editor.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QVERIFY(loadAndWait(editor, path));
        QVERIFY(editor.hasDataset());
        QVERIFY(!child<QWidget>(editor, u"emptyState"_s)->isVisible());
        QVERIFY(child<QWidget>(editor, u"content"_s)->isVisible());
        QCOMPARE(editor.view()->model()->rowCount(), 10);
        QCOMPARE(editor.view()->model()->columnCount(), 3);
        QCOMPARE(editor.model()->data(editor.model()->index(9, 1)).toString(), u"q9"_s);
        QVERIFY(!child<QWidget>(editor, u"errorList"_s)->isVisible());
        const QString status = child<QLabel>(editor, u"status"_s)->text();
        QVERIFY2(status.contains(u"10 rows"_s) && status.contains(u"train 6"_s), qPrintable(status));
    }

    void badRowsAreListedWithTheirLines()
    {
        const QString path = m_dir.filePath(u"bad.csv"_s);
        QVERIFY(writeFile(path, "question,answer\nq1,1\nq2,2,oops\nq3,3\n"));
        DatasetEditor editor;
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QVERIFY(loadAndWait(editor, path));
        QCOMPARE(editor.dataset().size(), 2);
        auto *list = child<QListWidget>(editor, u"errorList"_s);
        QVERIFY(list->isVisible());
        QCOMPARE(list->count(), 1);
        QVERIFY2(list->item(0)->text().startsWith(u"Line 3: row has 3 fields"_s), qPrintable(list->item(0)->text()));
        QVERIFY(list->item(0)->toolTip().startsWith(path + u":3: "_s));
    }

    void aFileThatCannotLoadKeepsTheEmptyStateWithTheError()
    {
        const QString path = m_dir.filePath(u"header.csv"_s);
        QVERIFY(writeFile(path, "a,,b\n1,2,3\n"));
        DatasetEditor editor;
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QSignalSpy done(&editor, &DatasetEditor::loadFinished);
        editor.loadFile(path);
        QVERIFY(done.wait(10000));
        QVERIFY(!done.first().first().toBool());
        QVERIFY(child<QWidget>(editor, u"emptyState"_s)->isVisible());
        auto *list = child<QListWidget>(editor, u"emptyErrors"_s);
        QVERIFY(list->isVisible());
        QVERIFY(list->item(0)->text().startsWith(path + u":1: "_s));
    }

    void changingRatiosUpdatesTheCounts()
    {
        const QString path = m_dir.filePath(u"hundred.csv"_s);
        QVERIFY(writeFile(path, rows(100)));
        DatasetEditor editor;
        editor.show();
        QVERIFY(loadAndWait(editor, path));
        auto *status = child<QLabel>(editor, u"status"_s);
        QVERIFY(status->text().contains(u"train 60, validation 20, test 20"_s));
        QSignalSpy changed(&editor, &DatasetEditor::splitChanged);
        child<QSpinBox>(editor, u"trainPercent"_s)->setValue(80);
        child<QSpinBox>(editor, u"validationPercent"_s)->setValue(10);
        child<QSpinBox>(editor, u"testPercent"_s)->setValue(10);
        QTRY_VERIFY2(status->text().contains(u"train 80, validation 10, test 10"_s), qPrintable(status->text()));
        QCOMPARE(editor.split().train.size(), 80);
        QVERIFY(changed.size() >= 1);

        QVERIFY(!child<QLabel>(editor, u"ratioSum"_s)->isVisible());
        child<QSpinBox>(editor, u"testPercent"_s)->setValue(0);   // 80 / 10 / 0 of 90 %
        QVERIFY(child<QLabel>(editor, u"ratioSum"_s)->isVisible());
        QTRY_COMPARE(editor.split().train.size(), 89);
        QCOMPARE(editor.split().test.size(), 0);
        child<QSpinBox>(editor, u"testPercent"_s)->setValue(10);
        QTRY_COMPARE(editor.split().train.size(), 80);

        // Another seed, another split of the same sizes.
        const QVector<DataSplit> before = editor.split().rowSplits;
        child<QSpinBox>(editor, u"seed"_s)->setValue(5);
        QTRY_VERIFY(editor.split().rowSplits != before);
        QCOMPARE(editor.split().train.size(), 80);
        QCOMPARE(editor.model()->data(editor.model()->index(0, 0)).toString(),
                 DatasetSplit::splitName(editor.split().rowSplits[0]));
    }

    void splittingByColumnListsUnknownValues()
    {
        const QString path = m_dir.filePath(u"folds.csv"_s);
        QVERIFY(writeFile(path, "question,split\na,train\nb,DEV\nc,test\nd,later\n"));
        DatasetEditor editor;
        editor.show();
        QVERIFY(loadAndWait(editor, path));
        child<QComboBox>(editor, u"splitMode"_s)->setCurrentIndex(1);
        QCOMPARE(child<QComboBox>(editor, u"splitColumn"_s)->currentText(), u"split"_s);
        QTRY_COMPARE(editor.split().count(DataSplit::None), 1);
        QCOMPARE(editor.split().train.size(), 1);
        QCOMPARE(editor.split().validation.size(), 1);
        QCOMPARE(editor.split().test.size(), 1);
        auto *list = child<QListWidget>(editor, u"errorList"_s);
        QTRY_COMPARE(list->count(), 1);
        QVERIFY2(list->item(0)->text().startsWith(u"Line 5: unknown split \"later\""_s), qPrintable(list->item(0)->text()));
        // Clicking the problem shows its row.
        emit list->itemClicked(list->item(0));
        QCOMPARE(editor.view()->currentIndex().row(), 3);
        QVERIFY(child<QLabel>(editor, u"status"_s)->text().contains(u"1 row in no split"_s));
        QCOMPARE(editor.splitSettings().mode, SplitSettings::Mode::Column);
    }

    void mappingFollowsThePipelineFields()
    {
        const QString path = m_dir.filePath(u"map.csv"_s);
        QVERIFY(writeFile(path, "Question,target\nq,1\n"));
        DatasetEditor editor;
        QVERIFY(loadAndWait(editor, path));
        QSignalSpy changed(&editor, &DatasetEditor::mappingChanged);
        editor.setPipelineFields({ u"question"_s, u"answer"_s });
        QCOMPARE(editor.mapping().column(u"question"_s), u"Question"_s);
        QCOMPARE(editor.mapping().unmappedFields(), QStringList{ u"answer"_s });
        const QList<QComboBox *> combos = editor.findChildren<QComboBox *>();
        QComboBox *answer = nullptr;
        for (QComboBox *c : combos)
            if (c->toolTip().contains(u"{answer}"_s))
                answer = c;
        QVERIFY(answer);
        const int target = answer->findData(u"target"_s);
        QVERIFY(target > 0);
        answer->setCurrentIndex(target);
        emit answer->activated(target);
        QVERIFY(editor.mapping().isComplete());
        QVERIFY(changed.size() >= 2);
        const Dataset mapped = editor.mapping().apply(editor.dataset());
        QCOMPARE(mapped.rows[0].fields.value(u"answer"_s), u"1"_s);
    }

    void droppingAFileLoadsIt()
    {
        const QString path = m_dir.filePath(u"dropped.jsonl"_s);
        QVERIFY(writeFile(path, "{\"question\":\"a\",\"answer\":1}\n{\"question\":\"b\",\"answer\":2}\n"));
        DatasetEditor editor;
        editor.resize(800, 500);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));

        QMimeData mime;
        mime.setUrls({ QUrl::fromLocalFile(path) });
        const QPoint centre = editor.rect().center();
        QDragEnterEvent enter(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&editor, &enter);
        QVERIFY(enter.isAccepted());
        QVERIFY(child<QLabel>(editor, u"emptyText"_s)->text().contains(u"dropped.jsonl"_s));

        QSignalSpy done(&editor, &DatasetEditor::loadFinished);
        QDropEvent drop(QPointF(centre), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&editor, &drop);
        QVERIFY(drop.isAccepted());
        QVERIFY(done.wait(10000));
        QCOMPARE(editor.dataset().size(), 2);
        QCOMPARE(editor.dataset().sourcePath, path);

        // Files of other kinds are refused at the door.
        QMimeData other;
        other.setUrls({ QUrl::fromLocalFile(m_dir.filePath(u"notes.txt"_s)) });
        QDragEnterEvent refused(centre, Qt::CopyAction, &other, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&editor, &refused);
        QVERIFY(!refused.isAccepted());
    }

    void hundredThousandRowsStayResponsive()
    {
        Dataset data;
        data.sourcePath = u"generated.csv"_s;
        data.columns = { u"question"_s, u"answer"_s };
        data.rows.reserve(100000);
        for (int i = 0; i < 100000; ++i) {
            DataRow row;
            row.line = i + 2;
            row.fields.insert(u"question"_s, u"How many apples are in basket %1?"_s.arg(i));
            row.fields.insert(u"answer"_s, QString::number(i % 13));
            data.rows << row;
        }
        DatasetEditor editor;
        editor.resize(900, 600);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QElapsedTimer timer;
        timer.start();
        editor.setDataset(data);
        const qint64 setMs = timer.restart();
        QCoreApplication::processEvents();
        editor.view()->scrollToBottom();
        QCoreApplication::processEvents();
        const qint64 scrollMs = timer.elapsed();
        qDebug("editor over 100,000 rows: model, split and view in %lld ms; scroll to the end of "
               "the loaded rows in %lld ms; %d rows fetched",
               setMs, scrollMs, editor.model()->rowCount());
        QVERIFY(editor.model()->rowCount() < 100000);   // lazy: far from everything fetched
        QCOMPARE(editor.split().train.size(), 60000);
    }

    void screenshotsForReview()
    {
        DatasetEditor empty;
        empty.resize(960, 560);
        empty.show();
        QVERIFY(QTest::qWaitForWindowExposed(&empty));
        QVERIFY(empty.grab().save(u"/tmp/dataset-editor-empty.png"_s));

        DatasetEditor editor;
        editor.resize(960, 560);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QVERIFY(loadAndWait(editor, exampleCsv()));
        editor.setPipelineFields({ u"question"_s, u"answer"_s, u"context"_s });
        QCoreApplication::processEvents();
        QVERIFY(editor.grab().save(u"/tmp/dataset-editor-loaded.png"_s));

        // Dark palette: the warning amber and the hint text must stay readable.
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2B, 0x2B, 0x2B));
        dark.setColor(QPalette::WindowText, QColor(0xE0, 0xE0, 0xE0));
        dark.setColor(QPalette::Base, QColor(0x1E, 0x1E, 0x1E));
        dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
        dark.setColor(QPalette::Text, QColor(0xE0, 0xE0, 0xE0));
        dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
        dark.setColor(QPalette::ButtonText, QColor(0xE0, 0xE0, 0xE0));
        dark.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
        DatasetEditor night;
        night.setPalette(dark);
        night.resize(960, 560);
        night.show();
        QVERIFY(loadAndWait(night, exampleCsv()));
        night.setPipelineFields({ u"question"_s, u"answer"_s, u"context"_s });
        QCoreApplication::processEvents();
        QVERIFY(night.grab().save(u"/tmp/dataset-editor-dark.png"_s));

        // While a large file loads: the empty state turns into a progress view.
        const QString large = m_dir.filePath(u"shot-large.csv"_s);
        QVERIFY(writeFile(large, rows(200000)));
        DatasetEditor loading;
        loading.resize(960, 560);
        loading.show();
        QSignalSpy loaded(&loading, &DatasetEditor::loadFinished);
        loading.loadFile(large);
        QVERIFY(loading.isLoading());
        QVERIFY(loading.grab().save(u"/tmp/dataset-editor-loading.png"_s));
        QVERIFY(loaded.wait(30000));

        const QString bad = m_dir.filePath(u"shot-bad.csv"_s);
        QVERIFY(writeFile(bad, "question,answer\nq1,1\nq2,2,extra\nq3,3\nq4\n"));
        DatasetEditor withErrors;
        withErrors.resize(960, 560);
        withErrors.show();
        QVERIFY(loadAndWait(withErrors, bad));
        QCoreApplication::processEvents();
        QVERIFY(withErrors.grab().save(u"/tmp/dataset-editor-errors.png"_s));
    }
};

QTEST_MAIN(TestDatasetEditor)
#include "tst_dataseteditor.moc"
