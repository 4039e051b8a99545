#include "cost/PriceTable.h"

#include "graph/EngineConfig.h"

#include <QDebug>
#include <QFile>
#include <QHostAddress>
#include <QJsonDocument>
#include <QMutex>
#include <QMutexLocker>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

constexpr double kPerMillion = 1000000.0;

bool isWildcard(const QString &key)
{
    return key.contains(u'*') || key.contains(u'?');
}

// A glob over the whole model name; every other character is literal.
bool globMatches(const QString &pattern, const QString &model)
{
    QString regex;
    for (const QChar c : pattern) {
        if (c == u'*')
            regex += u".*"_s;
        else if (c == u'?')
            regex += u"."_s;
        else
            regex += QRegularExpression::escape(QString(c));
    }
    return QRegularExpression(QRegularExpression::anchoredPattern(regex)).match(model).hasMatch();
}

// "gpt-4o" continues into "gpt-4o-2024-08-06" but not into "gpt-4omni"; a dot is no boundary,
// so "gpt-4" never prices "gpt-4.1" (an unknown price is better than a wrong one).
bool prefixMatches(const QString &key, const QString &model)
{
    if (model.size() <= key.size() || !model.startsWith(key))
        return false;
    const QChar next = model.at(key.size());
    return next == u'-' || next == u':' || next == u'@' || next == u'/';
}

QString hostOf(const QString &provider, const QString &baseUrl)
{
    const QString url = baseUrl.isEmpty() ? defaultBaseUrl(provider) : baseUrl;
    return QUrl(url).host().toLower();
}

bool readPrice(const QJsonValue &value, ModelPrice *price)
{
    const QJsonObject o = value.toObject();
    const QJsonValue prompt = o.value(u"prompt"_s);
    const QJsonValue completion = o.value(u"completion"_s);
    if (!value.isObject() || !prompt.isDouble() || !completion.isDouble()
        || prompt.toDouble() < 0 || completion.toDouble() < 0)
        return false;
    price->promptPerMillion = prompt.toDouble();
    price->completionPerMillion = completion.toDouble();
    return true;
}

QMutex g_activeMutex;
std::shared_ptr<const PriceTable> g_active;

} // namespace

PriceTable PriceTable::builtin()
{
    PriceTable table;
    QString error;
    // The resource is part of the build; failing to read it is a packaging bug, loudly.
    if (!table.mergeFile(u":/prices/prices.json"_s, &error))
        qWarning().noquote() << "built-in price table:" << error;
    return table;
}

QString PriceTable::userFilePath()
{
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
    return folder.isEmpty() ? QString() : folder + u"/prices.json"_s;
}

bool PriceTable::loadWithOverrides(const QString &extraFile, PriceTable *out, QString *error)
{
    PriceTable table = builtin();
    const QString envFile = qEnvironmentVariable("TEXTGRAD_PRICES");
    if (!envFile.isEmpty()) {
        if (!table.mergeFile(envFile, error)) {
            if (error)
                *error = u"$TEXTGRAD_PRICES: "_s + *error;
            return false;
        }
    } else {
        const QString userFile = userFilePath();
        if (!userFile.isEmpty() && QFile::exists(userFile) && !table.mergeFile(userFile, error))
            return false;
    }
    if (!extraFile.isEmpty() && !table.mergeFile(extraFile, error))
        return false;
    *out = table;
    return true;
}

bool PriceTable::mergeFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = u"cannot read the price file %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        if (error)
            *error = u"the price file %1 is not a JSON object: %2"_s.arg(
                path, parseError.error != QJsonParseError::NoError ? parseError.errorString() : u"wrong type"_s);
        return false;
    }
    return merge(doc.object(), path, error);
}

bool PriceTable::merge(const QJsonObject &document, const QString &source, QString *error)
{
    auto fail = [&](const QString &message) {
        if (error)
            *error = source + u": "_s + message;
        return false;
    };
    const QJsonValue currency = document.value(u"currency"_s);
    if (!currency.isUndefined() && currency.toString() != m_currency)
        return fail(u"prices must be in %1 (the file says \"%2\")"_s.arg(m_currency, currency.toString()));

    // Validate everything before changing anything, so a bad file leaves the table as it was.
    const QJsonValue providers = document.value(u"providers"_s);
    if (!providers.isUndefined() && !providers.isObject())
        return fail(u"\"providers\" must be an object of provider -> model -> {\"prompt\", \"completion\"}"_s);
    QHash<QString, QHash<QString, std::optional<ModelPrice>>> updates;
    const QJsonObject all = providers.toObject();
    for (auto p = all.constBegin(); p != all.constEnd(); ++p) {
        if (!p.value().isObject())
            return fail(u"provider \"%1\" must map model names to prices"_s.arg(p.key()));
        const QJsonObject models = p.value().toObject();
        for (auto m = models.constBegin(); m != models.constEnd(); ++m) {
            if (m.value().isNull()) {
                updates[p.key().toLower()].insert(m.key().toLower(), std::nullopt);
                continue;
            }
            ModelPrice price;
            if (!readPrice(m.value(), &price))
                return fail(u"model \"%1\" of provider \"%2\" needs {\"prompt\": USD, \"completion\": USD} "
                            "per million tokens, both numbers of at least 0"_s.arg(m.key(), p.key()));
            updates[p.key().toLower()].insert(m.key().toLower(), price);
        }
    }
    for (const QString &section : {u"hosts"_s, u"aliases"_s}) {
        const QJsonValue v = document.value(section);
        if (!v.isUndefined() && !v.isObject())
            return fail(u"\"%1\" must be an object of names to provider names"_s.arg(section));
    }

    for (auto p = updates.constBegin(); p != updates.constEnd(); ++p) {
        QHash<QString, ModelPrice> &models = m_prices[p.key()];
        for (auto m = p.value().constBegin(); m != p.value().constEnd(); ++m) {
            if (m.value())
                models.insert(m.key(), *m.value());
            else
                models.remove(m.key());
        }
    }
    const QJsonObject hosts = document.value(u"hosts"_s).toObject();
    for (auto it = hosts.constBegin(); it != hosts.constEnd(); ++it) {
        QString host = it.key().toLower();
        if (host.startsWith(u"*."_s))
            host.remove(0, 2);
        if (it.value().isString())
            m_hosts.insert(host, it.value().toString().toLower());
        else
            m_hosts.remove(host);
    }
    const QJsonObject aliases = document.value(u"aliases"_s).toObject();
    for (auto it = aliases.constBegin(); it != aliases.constEnd(); ++it) {
        if (it.value().isString())
            m_aliases.insert(it.key().toLower(), it.value().toString().toLower());
        else
            m_aliases.remove(it.key().toLower());
    }
    m_sources.append(source);
    return true;
}

bool PriceTable::isLocal(const QString &provider, const QString &baseUrl)
{
    static const QStringList localProviders{u"ollama"_s, u"vllm"_s, u"llamacpp"_s, u"llama.cpp"_s,
                                            u"lmstudio"_s, u"local"_s};
    if (localProviders.contains(provider.toLower()))
        return true;
    const QString host = hostOf(provider, baseUrl);
    if (host.isEmpty())
        return false;
    if (host == u"localhost" || host.endsWith(u".localhost"_s))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && (address.isLoopback() || address == QHostAddress::AnyIPv4
                                 || address == QHostAddress::AnyIPv6);
}

QString PriceTable::providerForHost(const QString &host) const
{
    // The longest matching suffix: "eu.api.example.com" before "example.com".
    QString best;
    QString provider;
    for (auto it = m_hosts.constBegin(); it != m_hosts.constEnd(); ++it) {
        const bool matches = host == it.key() || host.endsWith(u'.' + it.key());
        if (matches && it.key().size() > best.size()) {
            best = it.key();
            provider = it.value();
        }
    }
    return provider;
}

std::optional<ModelPrice> PriceTable::matchModel(const QString &pricingProvider, const QString &model) const
{
    const auto table = m_prices.constFind(pricingProvider);
    if (table == m_prices.constEnd())
        return std::nullopt;
    const auto exact = table->constFind(model);
    if (exact != table->constEnd())
        return *exact;
    // Most specific wins: the longest literal part; a prefix beats a glob of the same length.
    int bestScore = -1;
    std::optional<ModelPrice> best;
    for (auto it = table->constBegin(); it != table->constEnd(); ++it) {
        const QString &key = it.key();
        int score = -1;
        if (isWildcard(key)) {
            if (globMatches(key, model))
                score = 2 * int(key.size() - key.count(u'*') - key.count(u'?'));
        } else if (prefixMatches(key, model)) {
            score = 2 * int(key.size()) + 1;
        }
        if (score > bestScore) {
            bestScore = score;
            best = it.value();
        }
    }
    return best;
}

std::optional<ModelPrice> PriceTable::lookup(const QString &provider, const QString &baseUrl,
                                             const QString &model) const
{
    if (isLocal(provider, baseUrl))
        return ModelPrice{};
    // An OpenAI-compatible endpoint is priced by whoever runs it: the host says who that is.
    QStringList candidates;
    auto add = [&candidates](const QString &name) {
        if (!name.isEmpty() && !candidates.contains(name))
            candidates.append(name);
    };
    const QString byHost = providerForHost(hostOf(provider, baseUrl));
    add(byHost);
    add(provider.toLower());
    add(m_aliases.value(byHost));
    add(m_aliases.value(provider.toLower()));
    const QString name = model.trimmed().toLower();
    for (const QString &candidate : std::as_const(candidates)) {
        if (const std::optional<ModelPrice> price = matchModel(candidate, name))
            return price;
    }
    return std::nullopt;
}

std::optional<double> PriceTable::cost(const QString &provider, const QString &baseUrl,
                                       const QString &model, qint64 promptTokens,
                                       qint64 completionTokens) const
{
    const std::optional<ModelPrice> price = lookup(provider, baseUrl, model);
    if (!price)
        return std::nullopt;
    return (double(promptTokens) * price->promptPerMillion
            + double(completionTokens) * price->completionPerMillion) / kPerMillion;
}

std::shared_ptr<const PriceTable> PriceTable::active()
{
    QMutexLocker lock(&g_activeMutex);
    if (!g_active) {
        PriceTable table;
        QString error;
        if (!loadWithOverrides(QString(), &table, &error)) {
            qWarning().noquote() << "price overrides ignored:" << error;
            table = builtin();
        }
        g_active = std::make_shared<const PriceTable>(std::move(table));
    }
    return g_active;
}

void PriceTable::setActive(std::shared_ptr<const PriceTable> table)
{
    QMutexLocker lock(&g_activeMutex);
    g_active = std::move(table);
}
