#include "providers/RetryPolicy.h"

#include <QDateTime>
#include <QLocale>
#include <QRandomGenerator>
#include <QString>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

// Retry-After is either delta-seconds or an IMF-fixdate (RFC 9110 10.2.3); -1 if neither.
qint64 parseRetryAfterMs(const QByteArray &header)
{
    const QByteArray value = header.trimmed();
    if (value.isEmpty())
        return -1;
    bool ok = false;
    const double seconds = value.toDouble(&ok);
    if (ok)
        return seconds < 0 ? -1 : qint64(std::ceil(seconds * 1000.0));

    const QString text = QString::fromLatin1(value);
    // HTTP dates are always English and GMT, so the C locale parses them regardless of the user's.
    const QLocale c = QLocale::c();
    QDateTime when = c.toDateTime(text, u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s);
    if (!when.isValid())
        when = QDateTime::fromString(text, Qt::RFC2822Date);
    if (!when.isValid())
        return -1;
    when.setTimeSpec(Qt::UTC);
    const qint64 ms = QDateTime::currentDateTimeUtc().msecsTo(when);
    return std::max<qint64>(0, ms);
}

} // namespace

bool RetryPolicy::isRetryable(int httpStatus)
{
    if (httpStatus == 0 || httpStatus == 408 || httpStatus == 429)
        return true;
    // 501 Not Implemented and 505 HTTP Version Not Supported will not change on a retry.
    return httpStatus >= 500 && httpStatus <= 599 && httpStatus != 501 && httpStatus != 505;
}

int RetryPolicy::delayMs(int nextAttempt, const QByteArray &retryAfterHeader, quint32 randomSeed) const
{
    const qint64 cap = std::max(0, maxDelayMs);
    const qint64 retryAfter = parseRetryAfterMs(retryAfterHeader);
    if (retryAfter >= 0)
        return int(std::min(retryAfter, cap));

    const int exponent = std::clamp(nextAttempt - 2, 0, 30);
    double delay = double(std::max(0, baseDelayMs)) * std::pow(2.0, exponent);
    if (jitter > 0.0) {
        QRandomGenerator rng(randomSeed);
        const double factor = 1.0 + jitter * (2.0 * rng.generateDouble() - 1.0);
        delay *= std::max(0.0, factor);
    }
    return int(std::min<double>(std::llround(delay), double(cap)));
}
