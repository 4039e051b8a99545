#include "providers/ModelCatalog.h"

#include "providers/HttpAttempt.h"
#include "providers/ProviderEndpoint.h"
#include "providers/Redaction.h"
#include "providers/dialects/ProviderDialect.h"

using namespace Qt::StringLiterals;

namespace ModelCatalog {

ModelListing list(const EngineConfig &engine, const KeySource &keys, const CancelFlag &cancel, int timeoutMs)
{
    ModelListing listing;
    const QString prefix = u"engine \""_s + engine.name + u"\": "_s;
    ProviderEndpoint endpoint;
    QString problem;
    if (!ProviderEndpoint::resolve(engine, keys, &endpoint, &problem)) {
        listing.error = prefix + problem;
        return listing;
    }
    const QStringList secrets = endpoint.key.isEmpty() ? QStringList() : QStringList{endpoint.key};
    const HttpRequestSpec spec = endpoint.dialect->modelsRequest(engine, endpoint.baseUrl, endpoint.key);
    const double seconds = timeoutMs / 1000.0;
    const HttpAttempt attempt = HttpAttempt::run(spec, seconds, seconds, cancel);
    listing.latencyMs = attempt.latencyMs;
    listing.httpStatus = attempt.httpStatus;
    const QString host = endpoint.host;

    QString error;
    if (attempt.abort == HttpAttempt::Abort::Cancelled) {
        error = u"cancelled"_s;
    } else if (attempt.abort != HttpAttempt::Abort::None) {
        error = u"no answer from "_s + host + u" within "_s + QString::number(seconds, 'g', 4) + u"s"_s;
    } else if (attempt.httpStatus == 0) {
        error = u"could not reach "_s + host + u": "_s + attempt.networkErrorText;
    } else if (attempt.httpStatus == 401 || attempt.httpStatus == 403) {
        error = u"the server at "_s + host
                + (endpoint.key.isEmpty() ? u" requires a key"_s : u" refused the key from "_s + endpoint.keyDescription)
                + u" (HTTP "_s + QString::number(attempt.httpStatus) + u")"_s;
    } else if (attempt.httpStatus < 200 || attempt.httpStatus >= 300) {
        const QString message = endpoint.dialect->errorMessage(attempt.body);
        error = u"listing models at "_s + host + u" failed (HTTP "_s + QString::number(attempt.httpStatus) + u")"_s
                + (message.isEmpty() ? QString() : u": "_s + message.simplified().left(300));
    } else {
        bool ok = false;
        QStringList models = endpoint.dialect->parseModels(attempt.body, &ok);
        if (!ok) {
            error = u"the model list from "_s + host + u" is not in the expected form: "_s
                    + QString::fromUtf8(attempt.body).simplified().left(300);
        } else {
            models.sort();
            models.removeDuplicates();
            listing.ok = true;
            listing.models = models;
            return listing;
        }
    }
    listing.error = Redaction::redact(prefix + error, secrets);
    return listing;
}

} // namespace ModelCatalog
