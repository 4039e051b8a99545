#include "editors/EngineEditor.h"

#include "FakeOpenAiServer.h"
#include "KeychainKeySource.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTcpServer>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

const QString kSecret = u"sk-test-DO-NOT-SHOW-4242"_s;

// Keys from a made-up environment and a keychain service of the tests' own, so nothing the
// developer stored is read or touched.
std::shared_ptr<KeychainKeySource> testKeys(const QProcessEnvironment &env = QProcessEnvironment())
{
    return std::make_shared<KeychainKeySource>(env, u"textgrad-workbench-tests"_s, 1000);
}

void chooseProvider(EngineEditor &editor, const QString &name)
{
    auto *combo = editor.findChild<QComboBox *>(u"provider"_s);
    const int index = combo->findData(name);
    QVERIFY(index >= 0);
    combo->setCurrentIndex(index);
}

} // namespace

class TestEngineEditor : public QObject
{
    Q_OBJECT

private slots:
    void roundTripsAnEngine()
    {
        EngineEditor editor;
        editor.setKeySource(testKeys());
        EngineConfig e;
        e.name = u"teacher"_s;
        e.provider = u"anthropic"_s;
        e.model = u"claude-x"_s;
        e.apiKeyEnv = u"MY_ANTHROPIC_KEY"_s;
        e.temperature = 0.0;
        e.maxTokens = 512;
        e.seed = 7;
        e.stop = {u"\n\n"_s, u"END"_s};
        e.timeoutSeconds = 90;
        e.maxRetries = 2;
        e.stream = true;
        e.extra.insert(u"custom"_s, 1);
        editor.setEngine(e);
        QCOMPARE(editor.engine(), e);
        QCOMPARE(editor.findChild<QPlainTextEdit *>(u"stop"_s)->toPlainText(), u"\\n\\n\nEND"_s);

        // "not set" states.
        EngineConfig plain;
        plain.name = u"student"_s;
        plain.provider = u"ollama"_s;
        editor.setEngine(plain);
        const EngineConfig back = editor.engine();
        QVERIFY(!back.temperature && !back.topP && !back.maxTokens && !back.seed);
        QCOMPARE(editor.findChild<QDoubleSpinBox *>(u"temperature"_s)->text(), u"not set"_s);
        QSignalSpy changed(&editor, &EngineEditor::engineChanged);
        editor.findChild<QDoubleSpinBox *>(u"temperature"_s)->stepUp();
        QCOMPARE(changed.count(), 1);
        QCOMPARE(editor.engine().temperature, std::optional<double>(0.0));
    }

    void providerSetsPlaceholders()
    {
        EngineEditor editor;
        editor.setKeySource(testKeys());
        auto *baseUrl = editor.findChild<QLineEdit *>(u"baseUrl"_s);
        auto *keyVariable = editor.findChild<QLineEdit *>(u"keyVariable"_s);
        chooseProvider(editor, u"groq"_s);
        QCOMPARE(baseUrl->placeholderText(), u"https://api.groq.com/openai/v1"_s);
        QCOMPARE(keyVariable->placeholderText(), u"GROQ_API_KEY"_s);
        QCOMPARE(editor.engine().provider, u"groq"_s);
        QVERIFY(editor.engine().baseUrl.isEmpty());   // the placeholder is a hint, not a value
        chooseProvider(editor, u"ollama"_s);
        QCOMPARE(baseUrl->placeholderText(), u"http://localhost:11434/v1"_s);
        QVERIFY(!keyVariable->placeholderText().contains(u"API_KEY"_s));
    }

    void azureFieldsOnlyForAzure()
    {
        EngineEditor editor;
        editor.setKeySource(testKeys());
        editor.show();
        auto *azure = editor.findChild<QGroupBox *>(u"azureBox"_s);
        chooseProvider(editor, u"openai"_s);
        QVERIFY(!azure->isVisible());
        chooseProvider(editor, u"azure-openai"_s);
        QVERIFY(azure->isVisible());
        editor.findChild<QLineEdit *>(u"deployment"_s)->setText(u"gpt4o-prod"_s);
        QCOMPARE(editor.engine().deployment, u"gpt4o-prod"_s);
        chooseProvider(editor, u"anthropic"_s);
        QVERIFY(!azure->isVisible());
    }

    void testConnectionFillsModels()
    {
        FakeOpenAiServer server;
        QVERIFY(server.start());
        server.setModels({u"alpha-1"_s, u"beta-2"_s, u"gamma-3"_s});
        EngineEditor editor;
        editor.setKeySource(testKeys());
        EngineConfig e;
        e.name = u"student"_s;
        e.provider = u"openai-compatible"_s;
        e.baseUrl = server.baseUrl();
        e.model = u"beta-2"_s;
        editor.setEngine(e);
        QSignalSpy tested(&editor, &EngineEditor::connectionTested);
        editor.findChild<QPushButton *>(u"testConnection"_s)->click();
        // The click returned without the answer: it arrives later, through the event loop.
        QCOMPARE(tested.count(), 0);
        QCOMPARE(editor.findChild<QLabel *>(u"testStatus"_s)->text(), u"Connecting\u2026"_s);
        QTRY_COMPARE(tested.count(), 1);
        auto *model = editor.findChild<QComboBox *>(u"model"_s);
        QCOMPARE(model->count(), 3);
        QCOMPARE(model->itemText(0), u"alpha-1"_s);
        QCOMPARE(model->currentText(), u"beta-2"_s);   // the choice survives the refill
        const QString status = editor.findChild<QLabel *>(u"testStatus"_s)->text();
        QVERIFY2(status.contains(u" ms"_s) && status.contains(u"3 models"_s), qPrintable(status));
    }

    void testConnectionShowsFailure()
    {
        // A port that was free a moment ago: nothing listens there.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        EngineEditor editor;
        editor.setKeySource(testKeys());
        EngineConfig e;
        e.name = u"student"_s;
        e.provider = u"openai-compatible"_s;
        e.baseUrl = u"http://127.0.0.1:"_s + QString::number(port) + u"/v1"_s;
        editor.setEngine(e);
        QSignalSpy tested(&editor, &EngineEditor::connectionTested);
        editor.testConnection();
        QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 1, 20000);
        QVERIFY(!tested.first().first().value<ModelListing>().ok);
        const QString status = editor.findChild<QLabel *>(u"testStatus"_s)->text();
        QVERIFY2(status.startsWith(u"Connection failed: "_s) && status.size() > 30, qPrintable(status));
    }

    // Renders the editor as a reviewer sees it; TEXTGRAD_SCREENSHOT_DIR keeps the picture.
    void screenshot()
    {
        FakeOpenAiServer server;
        QVERIFY(server.start());
        server.setModels({u"gpt-4o"_s, u"gpt-4o-mini"_s, u"o3-mini"_s});
        QProcessEnvironment env;
        env.insert(u"OPENAI_API_KEY"_s, kSecret);
        EngineEditor editor;
        editor.setKeySource(testKeys(env));
        EngineConfig e;
        e.name = u"teacher"_s;
        e.provider = u"openai"_s;
        e.baseUrl = server.baseUrl();
        e.model = u"gpt-4o"_s;
        e.temperature = 0.2;
        e.seed = 42;
        e.stop = {u"\n\n"_s};
        editor.setEngine(e);
        editor.resize(560, 900);
        editor.show();
        QSignalSpy tested(&editor, &EngineEditor::connectionTested);
        editor.testConnection();
        QTRY_COMPARE(tested.count(), 1);
        auto *label = editor.findChild<QLabel *>(u"keyStatus"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!label->text().startsWith(u"Looking"_s), 10000);
        const QString dir = qEnvironmentVariable("TEXTGRAD_SCREENSHOT_DIR");
        QPixmap shot = editor.grab();
        QVERIFY(!shot.isNull());
        if (!dir.isEmpty())
            QVERIFY(shot.save(dir + u"/engineeditor.png"_s));
        chooseProvider(editor, u"azure-openai"_s);
        QTRY_VERIFY_WITH_TIMEOUT(label->text().contains(u"AZURE_OPENAI_API_KEY"_s) && !label->text().startsWith(u"Looking"_s),
                                 10000);
        editor.resize(560, 1000);
        shot = editor.grab();
        if (!dir.isEmpty())
            QVERIFY(shot.save(dir + u"/engineeditor-azure.png"_s));
    }

    void keyStatusNeverShowsTheKey()
    {
        QProcessEnvironment env;
        env.insert(u"OPENAI_API_KEY"_s, kSecret);
        EngineEditor editor;
        QSignalSpy statusSpy(&editor, &EngineEditor::keyStatusChanged);
        editor.setKeySource(testKeys(env));
        EngineConfig e;
        e.name = u"teacher"_s;
        e.provider = u"openai"_s;
        editor.setEngine(e);
        auto *label = editor.findChild<QLabel *>(u"keyStatus"_s);
        QTRY_VERIFY_WITH_TIMEOUT(label->text().contains(u"OPENAI_API_KEY"_s) && !label->text().startsWith(u"Looking"_s),
                                 10000);
        QVERIFY2(label->text().startsWith(u"Found in the environment variable"_s), qPrintable(label->text()));
        QVERIFY(!label->text().contains(kSecret));
        QVERIFY(!editor.engine().apiKeyEnv.contains(kSecret));
        for (const QList<QVariant> &args : statusSpy) {
            const KeyStatus status = args.first().value<KeyStatus>();
            QVERIFY(!status.description.contains(kSecret));
        }
        // Another variable named: the status follows it, still without any key.
        editor.findChild<QLineEdit *>(u"keyVariable"_s)->setText(u"TEAM_OPENAI_KEY"_s);
        QTRY_VERIFY_WITH_TIMEOUT(label->text().contains(u"TEAM_OPENAI_KEY"_s) && !label->text().startsWith(u"Looking"_s),
                                 10000);
        QVERIFY2(label->text().startsWith(u"Not found"_s), qPrintable(label->text()));
        QVERIFY(!label->text().contains(kSecret));
        QCOMPARE(editor.engine().apiKeyEnv, u"TEAM_OPENAI_KEY"_s);
    }
};

QTEST_MAIN(TestEngineEditor)
#include "tst_engineeditor.moc"
