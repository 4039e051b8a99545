#include "providers/dialects/AzureOpenAiDialect.h"

#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {

QString apiVersion(const EngineConfig &engine)
{
    return engine.apiVersion.isEmpty() ? AzureOpenAiDialect::defaultApiVersion() : engine.apiVersion;
}

QUrl withVersion(const QString &url, const EngineConfig &engine)
{
    QUrl out(url);
    QUrlQuery query;
    query.addQueryItem(u"api-version"_s, apiVersion(engine));
    out.setQuery(query);
    return out;
}

} // namespace

QString AzureOpenAiDialect::defaultApiVersion()
{
    // The current generally-available data-plane version when this was written.
    return u"2024-10-21"_s;
}

QString AzureOpenAiDialect::configProblem(const EngineConfig &engine) const
{
    if (engine.deployment.trimmed().isEmpty())
        return u"provider \"azure-openai\" needs \"deployment\" (the deployment name in the Azure resource)"_s;
    return QString();
}

HttpRequestSpec AzureOpenAiDialect::chatRequest(const ChatRequest &request, const QString &baseUrl,
                                                const QString &key, QStringList *) const
{
    HttpRequestSpec spec;
    spec.stream = request.engine.stream;
    spec.url = withVersion(baseUrl + u"/openai/deployments/"_s
                               + QString::fromUtf8(QUrl::toPercentEncoding(request.engine.deployment))
                               + u"/chat/completions"_s,
                           request.engine);
    spec.body = chatBody(request, spec.stream);
    if (!key.isEmpty())
        spec.headers.append({"api-key"_ba, key.toUtf8()});
    return spec;
}

HttpRequestSpec AzureOpenAiDialect::modelsRequest(const EngineConfig &engine, const QString &baseUrl,
                                                  const QString &key) const
{
    HttpRequestSpec spec;
    spec.verb = "GET";
    spec.url = withVersion(baseUrl + u"/openai/models"_s, engine);
    if (!key.isEmpty())
        spec.headers.append({"api-key"_ba, key.toUtf8()});
    return spec;
}
