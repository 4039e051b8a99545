#include "providers/dialects/ProviderDialect.h"

#include "providers/dialects/AnthropicDialect.h"
#include "providers/dialects/AzureOpenAiDialect.h"
#include "providers/dialects/GeminiDialect.h"
#include "providers/dialects/OpenAiDialect.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

const ProviderDialect &ProviderDialect::forKind(DialectKind kind)
{
    static const OpenAiDialect openAi;
    static const AzureOpenAiDialect azure;
    static const AnthropicDialect anthropic;
    static const GeminiDialect gemini;
    switch (kind) {
    case DialectKind::OpenAi: return openAi;
    case DialectKind::AzureOpenAi: return azure;
    case DialectKind::Anthropic: return anthropic;
    case DialectKind::Gemini: return gemini;
    }
    return openAi;
}

QString ProviderDialect::configProblem(const EngineConfig &) const
{
    return QString();
}

QString ProviderDialect::streamEvent(const SseEvent &, StreamState *) const
{
    return QString();
}

QString ProviderDialect::errorMessage(const QByteArray &body) const
{
    // OpenAI, Azure, Anthropic and Gemini all wrap it as {"error": {"message": ...}}; some
    // OpenAI-compatible servers send {"error": "..."} or {"detail": "..."}.
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    const QJsonValue error = root.value(u"error"_s);
    if (error.isObject())
        return error.toObject().value(u"message"_s).toString();
    if (error.isString())
        return error.toString();
    if (root.value(u"detail"_s).isString())
        return root.value(u"detail"_s).toString();
    return QString();
}

bool ProviderDialect::isContextLengthError(int status, const QByteArray &body) const
{
    if (status != 400 && status != 413)
        return false;
    const QByteArray lower = body.toLower();
    return lower.contains("context_length_exceeded") || lower.contains("maximum context length")
        || lower.contains("prompt is too long") || lower.contains("exceeds the maximum number of tokens");
}

bool ProviderDialect::isUnknownModelError(int status, const QByteArray &body) const
{
    const QByteArray lower = body.toLower();
    if (lower.contains("model_not_found"))
        return true;
    if (status == 404)
        return true;
    return status == 400 && lower.contains("model") && lower.contains("does not exist");
}

QStringList ProviderDialect::parseModels(const QByteArray &body, bool *ok) const
{
    // {"data": [{"id": ...}]}: OpenAI, OpenAI-compatible servers and Anthropic.
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QJsonValue data = doc.object().value(u"data"_s);
    *ok = data.isArray();
    QStringList names;
    for (const QJsonValue &entry : data.toArray()) {
        const QString id = entry.toObject().value(u"id"_s).toString();
        if (!id.isEmpty())
            names.append(id);
    }
    return names;
}
