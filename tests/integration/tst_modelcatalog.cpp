#include "FakeOpenAiServer.h"
#include "providers/ModelCatalog.h"

#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace {

const QString kKey = u"sk-test-SECRETKEY-0123456789abcdef"_s;

ModelListing listOnWorker(const EngineConfig &engine, const KeySource &keys, int timeoutMs = 3000)
{
    QFuture<ModelListing> future = QtConcurrent::run([&engine, &keys, timeoutMs] {
        return ModelCatalog::list(engine, keys, makeCancelFlag(), timeoutMs);
    });
    future.waitForFinished();
    return future.result();
}

QProcessEnvironment environmentWithKey()
{
    QProcessEnvironment env;
    env.insert(u"TEST_PROVIDER_KEY"_s, kKey);
    return env;
}

} // namespace

class TestModelCatalog : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void listsSorted_data();
    void listsSorted();
    void refusedKeyNamesVariable();
    void unreachableServer();
    void missingKeyIsRefusedBeforeAnyRequest();

private:
    EngineConfig engine(const QString &provider) const;

    std::unique_ptr<FakeLlmServer> m_server;
};

void TestModelCatalog::init()
{
    m_server = std::make_unique<FakeLlmServer>();
    QVERIFY(m_server->start());
    m_server->setModels({u"m-zeta"_s, u"m-alpha"_s, u"m-mid"_s});
}

void TestModelCatalog::cleanup()
{
    m_server.reset();
}

EngineConfig TestModelCatalog::engine(const QString &provider) const
{
    EngineConfig e;
    e.name = u"probe"_s;
    e.provider = provider;
    e.baseUrl = provider == u"openai" || provider == u"ollama" ? m_server->baseUrl() : m_server->rootUrl();
    e.model = u"m-alpha"_s;
    e.apiKeyEnv = u"TEST_PROVIDER_KEY"_s;
    e.deployment = u"dep"_s;
    return e;
}

void TestModelCatalog::listsSorted_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("keyHeader");
    QTest::newRow("openai") << u"openai"_s << "/v1/models"_ba << "Authorization"_ba;
    QTest::newRow("ollama") << u"ollama"_s << "/v1/models"_ba << QByteArray();
    QTest::newRow("azure") << u"azure-openai"_s << "/openai/models?api-version=2024-10-21"_ba << "api-key"_ba;
    QTest::newRow("anthropic") << u"anthropic"_s << "/v1/models?limit=1000"_ba << "x-api-key"_ba;
    QTest::newRow("gemini") << u"gemini"_s << "/v1beta/models?pageSize=1000"_ba << "x-goog-api-key"_ba;
}

void TestModelCatalog::listsSorted()
{
    QFETCH(QString, provider);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, keyHeader);
    EngineConfig e = engine(provider);
    if (keyHeader.isEmpty())
        e.apiKeyEnv.clear();   // a local server: no key at all
    const EnvironmentKeySource keys(environmentWithKey());
    const ModelListing listing = listOnWorker(e, keys);
    QVERIFY2(listing.ok, qPrintable(listing.error));
    QCOMPARE(listing.models, (QStringList{u"m-alpha"_s, u"m-mid"_s, u"m-zeta"_s}));
    QCOMPARE(listing.httpStatus, 200);
    QVERIFY(listing.latencyMs >= 0);
    QVERIFY(listing.error.isEmpty());

    const FakeRequest sent = m_server->lastRequest();
    QCOMPARE(sent.method, "GET"_ba);
    QCOMPARE(sent.path, path);
    if (!keyHeader.isEmpty())
        QVERIFY(sent.header(keyHeader).contains(kKey.toUtf8()));
    else
        QVERIFY(sent.header("Authorization").isEmpty());
    if (provider == u"anthropic")
        QCOMPARE(sent.header("anthropic-version"), "2023-06-01"_ba);
}

void TestModelCatalog::refusedKeyNamesVariable()
{
    m_server->setModelListStatus(401);
    const EnvironmentKeySource keys(environmentWithKey());
    const ModelListing refused = listOnWorker(engine(u"gemini"_s), keys);
    QVERIFY(!refused.ok);
    QCOMPARE(refused.httpStatus, 401);
    QVERIFY2(refused.error.contains(u"engine \"probe\""_s), qPrintable(refused.error));
    QVERIFY2(refused.error.contains(u"refused the key from the environment variable TEST_PROVIDER_KEY"_s),
             qPrintable(refused.error));
    QVERIFY2(refused.error.contains(u"127.0.0.1:"_s + QString::number(m_server->port())), qPrintable(refused.error));
    QVERIFY(!refused.error.contains(kKey));

    m_server->setModelListStatus(500);
    const ModelListing failed = listOnWorker(engine(u"openai"_s), keys);
    QVERIFY(!failed.ok);
    QCOMPARE(failed.httpStatus, 500);
    QVERIFY2(failed.error.contains(u"model list refused"_s), qPrintable(failed.error));
}

void TestModelCatalog::unreachableServer()
{
    EngineConfig e = engine(u"ollama"_s);
    const quint16 port = m_server->port();
    m_server.reset();   // nothing listens there any more
    e.baseUrl = u"http://127.0.0.1:"_s + QString::number(port) + u"/v1"_s;
    const EnvironmentKeySource keys{QProcessEnvironment()};
    const ModelListing listing = listOnWorker(e, keys);
    QVERIFY(!listing.ok);
    QCOMPARE(listing.httpStatus, 0);
    QVERIFY2(listing.error.contains(u"could not reach 127.0.0.1:"_s), qPrintable(listing.error));
    m_server = std::make_unique<FakeLlmServer>();
}

void TestModelCatalog::missingKeyIsRefusedBeforeAnyRequest()
{
    const EnvironmentKeySource keys{QProcessEnvironment()};
    const ModelListing listing = listOnWorker(engine(u"anthropic"_s), keys);
    QVERIFY(!listing.ok);
    QVERIFY2(listing.error.contains(u"the environment variable TEST_PROVIDER_KEY is not set"_s),
             qPrintable(listing.error));
    QCOMPARE(m_server->requestCount(), 0);
}

QTEST_GUILESS_MAIN(TestModelCatalog)
#include "tst_modelcatalog.moc"
