#include "providers/ProviderEndpoint.h"

#include "providers/ProviderPresets.h"
#include "providers/Redaction.h"
#include "providers/dialects/ProviderDialect.h"

#include <QUrl>

using namespace Qt::StringLiterals;

bool ProviderEndpoint::resolve(const EngineConfig &engine, const KeySource &keys, ProviderEndpoint *out,
                               QString *error)
{
    const QString &provider = engine.provider;
    if (provider.isEmpty()) {
        *error = u"no provider is set"_s;
        return false;
    }
    out->preset = ProviderPresets::find(provider);
    if (!out->preset) {
        *error = u"provider \""_s + provider + u"\" is not supported (known: "_s
                 + ProviderPresets::names().join(u", "_s) + u")"_s;
        return false;
    }
    out->dialect = &ProviderDialect::forKind(out->preset->dialect);

    out->baseUrl = engine.baseUrl.isEmpty() ? out->preset->defaultBaseUrl : engine.baseUrl;
    if (out->baseUrl.isEmpty()) {
        *error = u"provider \""_s + provider + u"\" needs a baseUrl"_s;
        return false;
    }
    while (out->baseUrl.endsWith(u'/'))
        out->baseUrl.chop(1);
    const QUrl url(out->baseUrl);
    if (!url.isValid() || url.host().isEmpty() || (url.scheme() != u"http" && url.scheme() != u"https")) {
        *error = u"the baseUrl \""_s + Redaction::redact(out->baseUrl) + u"\" is not a valid http(s) URL"_s;
        return false;
    }
    out->host = url.host() + (url.port() >= 0 ? u":"_s + QString::number(url.port()) : QString());

    const QString problem = out->dialect->configProblem(engine);
    if (!problem.isEmpty()) {
        *error = problem;
        return false;
    }

    out->keyVariable = engine.apiKeyEnv.isEmpty() ? out->preset->keyVariable : engine.apiKeyEnv;
    if (!out->keyVariable.isEmpty()) {
        out->key = keys.key(out->keyVariable);
        out->keyDescription = keys.describe(out->keyVariable);
    }
    // Local servers accept anonymous calls, so only the clouds need a key up front.
    if (out->preset->keyRequired && out->key.isEmpty()) {
        *error = (out->keyDescription.isEmpty() ? u"no API key variable"_s : out->keyDescription)
                 + u" is not set (needed for "_s + out->baseUrl + u")"_s;
        return false;
    }
    return true;
}
