#include "providers/Redaction.h"

#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

const QString kRedacted = u"[redacted]"_s;

// The patterns avoid nested quantifiers so PCRE stays linear on multi-megabyte bodies.
const QRegularExpression &headerPattern()
{
    // A header name, optionally quoted (JSON dumps of headers), then its value: a quoted
    // string, or the rest of the line up to a separator that ends query/JSON values.
    static const QRegularExpression re(
        uR"re((\b(?:authorization|x-api-key|x-goog-api-key|api-key)"?[ \t]*[:=][ \t]*)(?:(")(?:[^"\\\r\n]|\\.)*"|[^\r\n&,}"]*))re"_s,
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

const QRegularExpression &bearerPattern()
{
    static const QRegularExpression re(uR"re(\bBearer[ \t]+[A-Za-z0-9._~+/=\-]+)re"_s,
                                       QRegularExpression::CaseInsensitiveOption);
    return re;
}

const QRegularExpression &queryKeyPattern()
{
    static const QRegularExpression re(uR"re(([?&](?:key|api_key|apikey|api-key|access_token)=)[^&#\s"'<>]*)re"_s,
                                       QRegularExpression::CaseInsensitiveOption);
    return re;
}

const QRegularExpression &jsonKeyPattern()
{
    static const QRegularExpression re(uR"re(("(?:api_key|apikey|key)"[ \t\r\n]*:[ \t\r\n]*")(?:[^"\\]|\\.)*")re"_s,
                                       QRegularExpression::CaseInsensitiveOption);
    return re;
}

bool containsAny(const QString &text, std::initializer_list<QStringView> needles)
{
    for (QStringView needle : needles) {
        if (text.contains(needle, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace

namespace Redaction {

QString redact(const QString &text, const QStringList &secrets)
{
    if (text.isEmpty())
        return text;
    QString out = text;

    // Longest first, so a key that contains another key is removed whole.
    QStringList sorted;
    for (const QString &secret : secrets) {
        if (!secret.trimmed().isEmpty())
            sorted.append(secret);
    }
    std::sort(sorted.begin(), sorted.end(),
              [](const QString &a, const QString &b) { return a.size() > b.size(); });
    for (const QString &secret : std::as_const(sorted))
        out.replace(secret, kRedacted);

    // Cheap substring checks first: most bodies contain none of these and skip the regexes.
    if (containsAny(out, {u"authorization", u"api-key"}))
        out.replace(headerPattern(), u"\\1\\2"_s + kRedacted + u"\\2"_s);
    if (out.contains(u"bearer", Qt::CaseInsensitive))
        out.replace(bearerPattern(), u"Bearer "_s + kRedacted);
    if (containsAny(out, {u"key=", u"access_token="}))
        out.replace(queryKeyPattern(), u"\\1"_s + kRedacted);
    if (out.contains(u"key\"", Qt::CaseInsensitive))
        out.replace(jsonKeyPattern(), u"\\1"_s + kRedacted + u"\""_s);
    return out;
}

} // namespace Redaction
