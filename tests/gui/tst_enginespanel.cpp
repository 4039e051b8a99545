#include "editors/EnginesPanel.h"

#include "KeychainKeySource.h"

#include <QComboBox>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

using namespace Qt::StringLiterals;

class TestEnginesPanel : public QObject
{
    Q_OBJECT

private:
    static QMap<QString, EngineConfig> twoEngines()
    {
        EngineConfig student;
        student.provider = u"ollama"_s;
        student.model = u"llama3"_s;
        EngineConfig teacher;
        teacher.provider = u"anthropic"_s;
        teacher.model = u"claude-x"_s;
        return {{u"student"_s, student}, {u"teacher"_s, teacher}};
    }

private slots:
    void listsAndEditsEngines()
    {
        EnginesPanel panel;
        panel.setKeySource(std::make_shared<KeychainKeySource>(QProcessEnvironment(), u"textgrad-workbench-tests"_s, 1000));
        panel.setEngines(twoEngines());
        auto *list = panel.findChild<QListWidget *>(u"engineList"_s);
        QCOMPARE(list->count(), 2);
        QCOMPARE(panel.currentEngine(), u"student"_s);
        QCOMPARE(panel.engines().value(u"student"_s).name, u"student"_s);

        panel.selectEngine(u"teacher"_s);
        auto *model = panel.findChild<QComboBox *>(u"model"_s);
        QCOMPARE(model->currentText(), u"claude-x"_s);
        QSignalSpy changed(&panel, &EnginesPanel::enginesChanged);
        model->setCurrentText(u"claude-y"_s);
        QVERIFY(changed.count() >= 1);
        QCOMPARE(panel.engines().value(u"teacher"_s).model, u"claude-y"_s);
        QCOMPARE(panel.engines().value(u"student"_s).model, u"llama3"_s);
    }

    // Renders the panel as a reviewer sees it; TEXTGRAD_SCREENSHOT_DIR keeps the picture.
    void screenshot()
    {
        EnginesPanel panel;
        panel.setKeySource(std::make_shared<KeychainKeySource>(QProcessEnvironment(), u"textgrad-workbench-tests"_s, 1000));
        panel.setEngines(twoEngines());
        panel.resize(760, 620);
        panel.show();
        const QPixmap shot = panel.grab();
        QVERIFY(!shot.isNull());
        const QString dir = qEnvironmentVariable("TEXTGRAD_SCREENSHOT_DIR");
        if (!dir.isEmpty())
            QVERIFY(shot.save(dir + u"/enginespanel.png"_s));
    }

    void addRemoveRename()
    {
        EnginesPanel panel;
        panel.setKeySource(std::make_shared<KeychainKeySource>(QProcessEnvironment(), u"textgrad-workbench-tests"_s, 1000));
        panel.setEngines(twoEngines());
        QSignalSpy renamed(&panel, &EnginesPanel::engineRenamed);
        const QString added = panel.addEngine();
        QCOMPARE(panel.engines().size(), 3);
        QCOMPARE(panel.currentEngine(), added);

        // Renaming in place through the list, as a double-click edit does.
        auto *list = panel.findChild<QListWidget *>(u"engineList"_s);
        list->currentItem()->setText(u"judge"_s);
        QCOMPARE(renamed.count(), 1);
        QVERIFY(panel.engines().contains(u"judge"_s));
        QVERIFY(!panel.engines().contains(added));
        QCOMPARE(panel.engines().value(u"judge"_s).name, u"judge"_s);
        // Clashing and empty names are refused and the old name comes back.
        list->currentItem()->setText(u"teacher"_s);
        QCOMPARE(list->currentItem()->text(), u"judge"_s);
        QVERIFY(!panel.renameEngine(u"judge"_s, u"  "_s));
        QCOMPARE(renamed.count(), 1);

        panel.findChild<QPushButton *>(u"removeEngine"_s)->click();
        QCOMPARE(panel.engines().size(), 2);
        QVERIFY(!panel.engines().contains(u"judge"_s));
        QCOMPARE(list->count(), 2);
    }
};

QTEST_MAIN(TestEnginesPanel)
#include "tst_enginespanel.moc"
