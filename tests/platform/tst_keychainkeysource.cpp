#include "KeychainKeySource.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QMutexLocker>
#include <QStringList>
#include <QTest>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

// By default this runs as CI does: the D-Bus session address points nowhere, so there is no
// keychain service and every lookup must fall back to "no key" quickly and quietly.
// With TEXTGRAD_KEYCHAIN_TEST=1 it uses the session's real keychain instead (for example under
// `dbus-run-session` with an unlocked gnome-keyring-daemon), under a test-only service name so
// no real key is touched, and runs the round trip.
namespace {

const QString kTestService = u"textgrad-workbench-test"_s;
const QString kSecret = u"sk-test-KEYCHAIN-0123456789abcdef"_s;
const QString kEnvSecret = u"sk-test-ENVIRONMENT-fedcba9876543210"_s;

bool useRealKeychain()
{
    return qEnvironmentVariable("TEXTGRAD_KEYCHAIN_TEST") == u"1"_s;
}

QMutex g_messagesMutex;
QStringList g_messages;

void captureMessages(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type == QtDebugMsg)
        return;
    QMutexLocker lock(&g_messagesMutex);
    g_messages.append(message);
}

QProcessEnvironment environmentWith(const QString &variable, const QString &value)
{
    QProcessEnvironment env;
    env.insert(variable, value);
    return env;
}

} // namespace

class TestKeychainKeySource : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    // First: the keychain is first asked for from eight worker threads at once.
    void concurrentLookupsWithoutKeychain();
    void environmentWins();
    void environmentValueIsTrimmed();
    void describeNeverContainsTheKey();
    void noKeychainFallsBackFast();
    void storeWithoutKeychainFailsCleanly();
    void emptyInputsAreRefused();
    void noMessagesWithoutKeychain();
    void roundTripWithRealKeychain();

private:
    QtMessageHandler m_previousHandler = nullptr;
};

void TestKeychainKeySource::initTestCase()
{
    if (!useRealKeychain()) {
        // No session bus: QtDBus and libsecret both fail to connect at once. An address that
        // does not exist is more certain than an unset one, which may be autolaunched.
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/textgrad-test-bus");
    }
    m_previousHandler = qInstallMessageHandler(captureMessages);
}

void TestKeychainKeySource::cleanupTestCase()
{
    qInstallMessageHandler(m_previousHandler);
}

void TestKeychainKeySource::environmentWins()
{
    KeychainKeySource source(environmentWith(u"TEXTGRAD_TEST_KEY_A"_s, kEnvSecret), kTestService);
    if (useRealKeychain())
        QVERIFY(source.storeKey(u"TEXTGRAD_TEST_KEY_A"_s, kSecret));
    QCOMPARE(source.key(u"TEXTGRAD_TEST_KEY_A"_s), kEnvSecret);
    QCOMPARE(source.describe(u"TEXTGRAD_TEST_KEY_A"_s), u"the environment variable TEXTGRAD_TEST_KEY_A"_s);
    if (useRealKeychain())
        QVERIFY(source.removeKey(u"TEXTGRAD_TEST_KEY_A"_s));
}

void TestKeychainKeySource::environmentValueIsTrimmed()
{
    KeychainKeySource source(environmentWith(u"TEXTGRAD_TEST_KEY_B"_s, u"  "_s + kEnvSecret + u"\n"_s), kTestService);
    QCOMPARE(source.key(u"TEXTGRAD_TEST_KEY_B"_s), kEnvSecret);
    QVERIFY(source.key(QString()).isEmpty());
}

void TestKeychainKeySource::describeNeverContainsTheKey()
{
    KeychainKeySource withEnvironment(environmentWith(u"TEXTGRAD_TEST_KEY_C"_s, kEnvSecret), kTestService);
    const QString described = withEnvironment.describe(u"TEXTGRAD_TEST_KEY_C"_s);
    QVERIFY(!described.contains(kEnvSecret));
    QVERIFY(described.contains(u"TEXTGRAD_TEST_KEY_C"_s));

    KeychainKeySource without{QProcessEnvironment(), kTestService};
    const QString missing = without.describe(u"TEXTGRAD_TEST_KEY_C"_s);
    QVERIFY(missing.contains(u"TEXTGRAD_TEST_KEY_C"_s));
    QVERIFY(!missing.contains(kEnvSecret));
    if (!useRealKeychain())
        QCOMPARE(missing, u"the environment variable TEXTGRAD_TEST_KEY_C (no system keychain is available)"_s);
}

void TestKeychainKeySource::noKeychainFallsBackFast()
{
    if (useRealKeychain())
        QSKIP("a keychain service is running");
    QElapsedTimer clock;
    clock.start();
    KeychainKeySource source{QProcessEnvironment(), kTestService};
    QVERIFY(source.key(u"TEXTGRAD_TEST_MISSING"_s).isEmpty());
    QVERIFY(!source.isAvailable());
    QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed()) + u" ms"_s));

    // The failure is remembered: later lookups, even from a new source, do not wait again.
    clock.restart();
    KeychainKeySource another{QProcessEnvironment(), kTestService};
    for (int i = 0; i < 100; ++i)
        QVERIFY(another.key(u"TEXTGRAD_TEST_MISSING_"_s + QString::number(i)).isEmpty());
    QVERIFY(!another.isAvailable());
    QVERIFY2(clock.elapsed() < 200, qPrintable(QString::number(clock.elapsed()) + u" ms"_s));
}

void TestKeychainKeySource::concurrentLookupsWithoutKeychain()
{
    if (useRealKeychain())
        QSKIP("a keychain service is running");
    KeychainKeySource source(environmentWith(u"TEXTGRAD_TEST_KEY_D"_s, kEnvSecret), kTestService);
    QThreadPool pool;
    pool.setMaxThreadCount(8);
    QVector<QFuture<QString>> futures;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < 32; ++i) {
        const QString variable = i % 2 ? u"TEXTGRAD_TEST_KEY_D"_s : u"TEXTGRAD_TEST_NONE_"_s + QString::number(i);
        futures.append(QtConcurrent::run(&pool, [&source, variable] { return source.key(variable); }));
    }
    for (int i = 0; i < futures.size(); ++i)
        QCOMPARE(futures[i].result(), i % 2 ? kEnvSecret : QString());
    QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed()) + u" ms"_s));
}

void TestKeychainKeySource::storeWithoutKeychainFailsCleanly()
{
    if (useRealKeychain())
        QSKIP("a keychain service is running");
    KeychainKeySource source{QProcessEnvironment(), kTestService};
    QString error;
    QElapsedTimer clock;
    clock.start();
    QVERIFY(!source.storeKey(u"TEXTGRAD_TEST_KEY_E"_s, kSecret, &error));
    QVERIFY(clock.elapsed() < 3000);
    QVERIFY(!error.isEmpty());
    QVERIFY(!error.contains(kSecret));
    QVERIFY(error.contains(u"TEXTGRAD_TEST_KEY_E"_s));
    QVERIFY(source.key(u"TEXTGRAD_TEST_KEY_E"_s).isEmpty());
    QVERIFY(!source.removeKey(u"TEXTGRAD_TEST_KEY_E"_s, &error));
}

void TestKeychainKeySource::emptyInputsAreRefused()
{
    KeychainKeySource source{QProcessEnvironment(), kTestService};
    QString error;
    QVERIFY(!source.storeKey(u"TEXTGRAD_TEST_KEY_F"_s, u"   "_s, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!source.storeKey(QString(), kSecret, &error));
    QVERIFY(!error.contains(kSecret));
}

void TestKeychainKeySource::noMessagesWithoutKeychain()
{
    // Runs after the lookups above: a machine without a keychain gets no warnings for it.
    QMutexLocker lock(&g_messagesMutex);
    QVERIFY2(g_messages.isEmpty(), qPrintable(g_messages.join(u"\n"_s)));
}

void TestKeychainKeySource::roundTripWithRealKeychain()
{
    if (!useRealKeychain())
        QSKIP("no keychain service in this session (set TEXTGRAD_KEYCHAIN_TEST=1 where one runs)");
    const QString variable = u"TEXTGRAD_TEST_ROUND_TRIP"_s;
    {
        KeychainKeySource source{QProcessEnvironment(), kTestService};
        QVERIFY(source.isAvailable());
        QString error;
        QVERIFY2(source.storeKey(variable, kSecret, &error), qPrintable(error));
    }
    {
        // A fresh source has nothing cached: the key comes back from the keychain itself, to
        // a worker thread as in a run.
        KeychainKeySource source{QProcessEnvironment(), kTestService};
        QThreadPool pool;
        QFuture<QString> fromWorker = QtConcurrent::run(&pool, [&source, variable] { return source.key(variable); });
        QCOMPARE(fromWorker.result(), kSecret);
        QCOMPARE(source.key(variable), kSecret);
        const QString described = source.describe(variable);
        QVERIFY(described.startsWith(u"the system keychain entry "_s + variable));
        QVERIFY(!described.contains(kSecret));
        QVERIFY(source.removeKey(variable));
        QVERIFY(source.key(variable).isEmpty());
    }
    KeychainKeySource afterRemoval{QProcessEnvironment(), kTestService};
    QVERIFY(afterRemoval.key(variable).isEmpty());
    QVERIFY(afterRemoval.removeKey(variable));   // removing nothing is not an error
}

QTEST_GUILESS_MAIN(TestKeychainKeySource)
#include "tst_keychainkeysource.moc"
