// PriceTable: the built-in prices, how a model name finds its price (exact, prefix at a
// boundary, glob, most specific first), host and alias routing, local servers at zero, unknown
// models as unknown, user overrides entry by entry, and how a recorded call is priced.

#include "cost/PriceTable.h"
#include "training/CallRecorder.h"

#include <QFile>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

QJsonObject doc(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

double promptPrice(const PriceTable &t, const QString &provider, const QString &model,
                   const QString &baseUrl = QString())
{
    const std::optional<ModelPrice> p = t.lookup(provider, baseUrl, model);
    return p ? p->promptPerMillion : -1.0;
}

} // namespace

class TestPriceTable : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &bytes)
    {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly))
            return QString();
        f.write(bytes);
        return f.fileName();
    }

private slots:
    void initTestCase()
    {
        // Keeps a prices.json in the developer's own config folder out of the results.
        QStandardPaths::setTestModeEnabled(true);
        qunsetenv("TEXTGRAD_PRICES");
        QVERIFY(m_dir.isValid());
    }

    void builtinTableHasTheCommonProviders()
    {
        const PriceTable t = PriceTable::builtin();
        QCOMPARE(t.sources(), QStringList{u":/prices/prices.json"_s});
        QCOMPARE(t.currency(), u"USD"_s);
        for (const auto &[provider, model] : std::initializer_list<std::pair<QString, QString>>{
                 {u"openai"_s, u"gpt-4o"_s}, {u"openai"_s, u"gpt-4o-mini"_s},
                 {u"anthropic"_s, u"claude-3-5-sonnet-20241022"_s}, {u"gemini"_s, u"gemini-2.0-flash"_s},
                 {u"mistral"_s, u"mistral-large-latest"_s}, {u"deepseek"_s, u"deepseek-chat"_s},
                 {u"groq"_s, u"llama-3.3-70b-versatile"_s}})
            QVERIFY2(promptPrice(t, provider, model) > 0, qPrintable(provider + u' ' + model));
    }

    void modelNamesMatchByPrefixAtABoundary_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<double>("prompt");
        QTest::newRow("exact") << u"gpt-4o"_s << 2.5;
        QTest::newRow("dated snapshot") << u"gpt-4o-2024-08-06"_s << 2.5;
        QTest::newRow("exact snapshot beats prefix") << u"gpt-4o-2024-05-13"_s << 5.0;
        QTest::newRow("longest prefix") << u"gpt-4o-mini-2024-07-18"_s << 0.15;
        QTest::newRow("case") << u"GPT-4o"_s << 2.5;
        QTest::newRow("no boundary") << u"gpt-4omni"_s << -1.0;
        QTest::newRow("dot is no boundary") << u"gpt-4.5-preview"_s << -1.0;
        QTest::newRow("unknown") << u"gpt-9"_s << -1.0;
    }

    void modelNamesMatchByPrefixAtABoundary()
    {
        QFETCH(QString, model);
        QFETCH(double, prompt);
        QCOMPARE(promptPrice(PriceTable::builtin(), u"openai"_s, model), prompt);
    }

    void globsMatchAndTheMostSpecificKeyWins()
    {
        PriceTable t;
        QString error;
        QVERIFY2(t.merge(doc(R"({"providers": {"acme": {
            "*": {"prompt": 9, "completion": 9},
            "big-*": {"prompt": 3, "completion": 4},
            "big-model": {"prompt": 1, "completion": 2},
            "big-model-v?": {"prompt": 7, "completion": 7}}}})"), u"test"_s, &error), qPrintable(error));
        QCOMPARE(promptPrice(t, u"acme"_s, u"big-model"_s), 1.0);        // exact
        QCOMPARE(promptPrice(t, u"acme"_s, u"big-model-v2"_s), 7.0);     // glob with 11 literals
        QCOMPARE(promptPrice(t, u"acme"_s, u"big-model-2025"_s), 1.0);   // prefix beats big-*
        QCOMPARE(promptPrice(t, u"acme"_s, u"big-other"_s), 3.0);
        QCOMPARE(promptPrice(t, u"acme"_s, u"small"_s), 9.0);
    }

    void costIsPerMillionTokens()
    {
        const PriceTable t = PriceTable::builtin();
        const std::optional<double> c = t.cost(u"openai"_s, QString(), u"gpt-4o"_s, 1000000, 500000);
        QVERIFY(c.has_value());
        QCOMPARE(*c, 2.5 + 5.0);
        QCOMPARE(*t.cost(u"openai"_s, QString(), u"gpt-4o-mini"_s, 2000, 1000), (2000 * 0.15 + 1000 * 0.6) / 1e6);
    }

    void unknownModelsHaveUnknownCost()
    {
        const PriceTable t = PriceTable::builtin();
        QVERIFY(!t.cost(u"openai"_s, QString(), u"my-finetune"_s, 10, 10).has_value());
        QVERIFY(!t.cost(u"anthropic"_s, QString(), u"gpt-4o"_s, 10, 10).has_value());   // wrong provider
        QVERIFY(!t.cost(u"openai-compatible"_s, u"https://llm.example.com/v1"_s, u"llama3"_s, 10, 10).has_value());
        QVERIFY(!t.cost(u"somebody"_s, QString(), u"x"_s, 10, 10).has_value());
    }

    void localServersCostNothing_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("baseUrl");
        QTest::newRow("ollama default") << u"ollama"_s << QString();
        QTest::newRow("ollama remote") << u"ollama"_s << u"http://gpu-box:11434/v1"_s;
        QTest::newRow("vllm") << u"vllm"_s << u"http://10.0.0.5:8000/v1"_s;
        QTest::newRow("llamacpp") << u"llamacpp"_s << QString();
        QTest::newRow("lmstudio") << u"lmstudio"_s << QString();
        QTest::newRow("localhost") << u"openai-compatible"_s << u"http://localhost:8080/v1"_s;
        QTest::newRow("loopback") << u"openai-compatible"_s << u"http://127.0.0.1:1234/v1"_s;
        QTest::newRow("ipv6 loopback") << u"openai-compatible"_s << u"http://[::1]:1234/v1"_s;
        QTest::newRow("openai via a local proxy") << u"openai"_s << u"http://127.0.0.1:4000/v1"_s;
    }

    void localServersCostNothing()
    {
        QFETCH(QString, provider);
        QFETCH(QString, baseUrl);
        QVERIFY(PriceTable::isLocal(provider, baseUrl));
        const std::optional<double> c = PriceTable::builtin().cost(provider, baseUrl, u"any-model"_s, 5000, 5000);
        QVERIFY(c.has_value());
        QCOMPARE(*c, 0.0);
    }

    void theHostNamesWhoPricesAnOpenAiCompatibleEndpoint()
    {
        const PriceTable t = PriceTable::builtin();
        QCOMPARE(promptPrice(t, u"openai-compatible"_s, u"llama-3.1-8b-instant"_s, u"https://api.groq.com/openai/v1"_s), 0.05);
        QCOMPARE(promptPrice(t, u"openai-compatible"_s, u"deepseek-chat"_s, u"https://api.deepseek.com/v1"_s), 0.28);
        QCOMPARE(promptPrice(t, u"openai-compatible"_s, u"mistral-small-latest"_s, u"https://api.mistral.ai/v1"_s), 0.10);
        // Azure deployments are priced like OpenAI through the alias.
        QCOMPARE(promptPrice(t, u"azure-openai"_s, u"gpt-4o"_s, u"https://myres.openai.azure.com"_s), 2.5);
        QVERIFY(!PriceTable::isLocal(u"openai"_s, QString()));
    }

    void overridesWinEntryByEntry()
    {
        const QString file = write(u"mine.json"_s, R"({"currency": "USD", "providers": {
            "openai": {"gpt-4o": {"prompt": 1, "completion": 2}, "gpt-4": null},
            "openai-compatible": {"house-model": {"prompt": 0.5, "completion": 0.5}}}})");
        PriceTable t;
        QString error;
        QVERIFY2(PriceTable::loadWithOverrides(file, &t, &error), qPrintable(error));
        QCOMPARE(t.sources().last(), file);
        QCOMPARE(promptPrice(t, u"openai"_s, u"gpt-4o-2024-08-06"_s), 1.0);    // overridden
        QCOMPARE(promptPrice(t, u"openai"_s, u"gpt-4o-mini"_s), 0.15);         // untouched
        QCOMPARE(promptPrice(t, u"openai"_s, u"gpt-4"_s), -1.0);               // removed
        QCOMPARE(promptPrice(t, u"openai-compatible"_s, u"house-model"_s, u"https://llm.corp/v1"_s), 0.5);
    }

    void environmentFileThenFlagFile()
    {
        const QString env = write(u"env.json"_s, R"({"providers": {"openai": {
            "gpt-4o": {"prompt": 7, "completion": 7}, "gpt-4o-mini": {"prompt": 8, "completion": 8}}}})");
        const QString flag = write(u"flag.json"_s, R"({"providers": {"openai": {"gpt-4o": {"prompt": 9, "completion": 9}}}})");
        qputenv("TEXTGRAD_PRICES", env.toUtf8());
        PriceTable t;
        QString error;
        const bool ok = PriceTable::loadWithOverrides(flag, &t, &error);
        qunsetenv("TEXTGRAD_PRICES");
        QVERIFY2(ok, qPrintable(error));
        QCOMPARE(promptPrice(t, u"openai"_s, u"gpt-4o"_s), 9.0);
        QCOMPARE(promptPrice(t, u"openai"_s, u"gpt-4o-mini"_s), 8.0);
    }

    void badFilesAreRefusedAndNamed()
    {
        PriceTable t = PriceTable::builtin();
        QString error;
        QVERIFY(!t.mergeFile(write(u"broken.json"_s, "{ not json"), &error));
        QVERIFY2(error.contains(u"broken.json"_s), qPrintable(error));
        QVERIFY(!t.mergeFile(write(u"neg.json"_s, R"({"providers": {"openai": {"gpt-4o": {"prompt": -1, "completion": 1}}}})"), &error));
        QVERIFY2(error.contains(u"gpt-4o"_s), qPrintable(error));
        QVERIFY(!t.mergeFile(write(u"eur.json"_s, R"({"currency": "EUR", "providers": {}})"), &error));
        QVERIFY(!t.mergeFile(m_dir.filePath(u"missing.json"_s), &error));
        // A refused file changes nothing.
        QCOMPARE(promptPrice(t, u"openai"_s, u"gpt-4o"_s), 2.5);
        PriceTable loaded;
        QVERIFY(!PriceTable::loadWithOverrides(m_dir.filePath(u"missing.json"_s), &loaded, &error));
    }

    void recordedCallsArePriced()
    {
        const PriceTable t = PriceTable::builtin();
        CallRecord r;
        r.provider = u"openai"_s;
        r.model = u"gpt-4o"_s;
        r.promptTokens = 1000;
        r.completionTokens = 100;
        CallRecorder::price(&r, &t);
        QVERIFY(r.costKnown);
        QCOMPARE(r.costUsd, (1000 * 2.5 + 100 * 10.0) / 1e6);

        CallRecord cached = r;
        cached.cached = true;
        CallRecorder::price(&cached, &t);
        QVERIFY(cached.costKnown);
        QCOMPARE(cached.costUsd, 0.0);

        CallRecord unknown = r;
        unknown.model = u"mystery"_s;
        CallRecorder::price(&unknown, &t);
        QVERIFY(!unknown.costKnown);

        // A failed attempt that used no tokens bills nothing, whatever the model.
        CallRecord failed = unknown;
        failed.promptTokens = 0;
        failed.completionTokens = 0;
        CallRecorder::price(&failed, &t);
        QVERIFY(failed.costKnown);
        QCOMPARE(failed.costUsd, 0.0);
    }
};

QTEST_GUILESS_MAIN(TestPriceTable)
#include "tst_pricetable.moc"
