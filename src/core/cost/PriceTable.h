#pragma once

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

// USD per million tokens for one model.
struct ModelPrice
{
    double promptPerMillion = 0.0;
    double completionPerMillion = 0.0;
};

// What provider calls cost. Prices are keyed by pricing provider ("openai", "groq", ...) and
// model; the built-in table (resources/prices.json) is overridden entry by entry by user files
// in the same format. A model key matches the model itself, a name that continues it after
// - : @ or / ("gpt-4o" prices "gpt-4o-2024-08-06"), or, when it holds * or ?, a glob; the most
// specific key wins (exact, then the longest literal part). Local servers cost nothing; a model
// without a price has an unknown cost, never zero.
//
// A value type: immutable once shared, so worker threads may read it concurrently.
class PriceTable
{
public:
    // The table compiled in from resources/prices.json.
    static PriceTable builtin();
    // builtin(), then $TEXTGRAD_PRICES if set (else prices.json in the per-user config folder,
    // if present), then extraFile if not empty. False with *error naming the file on a bad file.
    static bool loadWithOverrides(const QString &extraFile, PriceTable *out, QString *error);
    static QString userFilePath();

    // Merges a prices document on top of this table, entry by entry; null removes an entry.
    bool merge(const QJsonObject &document, const QString &source, QString *error);
    bool mergeFile(const QString &path, QString *error);

    // The price of a model, or nullopt when unknown. Local servers have a zero price.
    std::optional<ModelPrice> lookup(const QString &provider, const QString &baseUrl,
                                     const QString &model) const;
    std::optional<double> cost(const QString &provider, const QString &baseUrl, const QString &model,
                               qint64 promptTokens, qint64 completionTokens) const;

    // ollama, vllm, llamacpp, lmstudio, or any provider whose base URL is a loopback address.
    static bool isLocal(const QString &provider, const QString &baseUrl);
    QString currency() const { return m_currency; }
    QStringList sources() const { return m_sources; }   // files merged, in order

    // The table the call recorders use when none is given: loaded lazily with the overrides
    // (problems are logged); the CLI replaces it once it has read --prices.
    static std::shared_ptr<const PriceTable> active();
    static void setActive(std::shared_ptr<const PriceTable> table);

private:
    std::optional<ModelPrice> matchModel(const QString &pricingProvider, const QString &model) const;
    QString providerForHost(const QString &host) const;

    QHash<QString, QHash<QString, ModelPrice>> m_prices;   // provider -> model key -> price
    QHash<QString, QString> m_hosts;                       // host suffix -> provider
    QHash<QString, QString> m_aliases;                     // provider -> provider priced alike
    QString m_currency = QStringLiteral("USD");
    QStringList m_sources;
};
