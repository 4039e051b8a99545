#include "graph/JsonFields.h"

#include <QJsonArray>

#include <cmath>

using namespace Qt::StringLiterals;

namespace JsonFields {

void Context::report(PipelineIssue::Severity severity, const QString &message)
{
    failed = failed || severity == PipelineIssue::Severity::Error;
    if (!issues)
        return;
    PipelineIssue issue;
    issue.severity = severity;
    issue.nodeId = nodeId;
    issue.message = prefix + message;
    issues->append(issue);
}

QString quoted(const QString &s)
{
    return u"\""_s + s + u"\""_s;
}

bool readString(const QJsonObject &o, const QString &key, QString *out, Context &ctx)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull())
        return false;
    if (!v.isString()) {
        ctx.error(quoted(key) + u" must be a string"_s);
        return false;
    }
    *out = v.toString();
    return true;
}

bool readBool(const QJsonObject &o, const QString &key, bool *out, Context &ctx)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull())
        return false;
    if (!v.isBool()) {
        ctx.error(quoted(key) + u" must be true or false"_s);
        return false;
    }
    *out = v.toBool();
    return true;
}

bool readDouble(const QJsonObject &o, const QString &key, double *out, Context &ctx)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull())
        return false;
    if (!v.isDouble()) {
        ctx.error(quoted(key) + u" must be a number"_s);
        return false;
    }
    *out = v.toDouble();
    return true;
}

bool isIntegral(double d, double lo, double hi)
{
    return std::isfinite(d) && std::floor(d) == d && d >= lo && d <= hi;
}

bool readInt(const QJsonObject &o, const QString &key, int *out, Context &ctx)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull())
        return false;
    if (!v.isDouble() || !isIntegral(v.toDouble(), -2147483648.0, 2147483647.0)) {
        ctx.error(quoted(key) + u" must be an integer"_s);
        return false;
    }
    *out = int(v.toDouble());
    return true;
}

bool readSeed(const QJsonObject &o, const QString &key, quint64 *out, Context &ctx)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull())
        return false;
    // 2^53: beyond it a JSON number no longer holds every integer exactly.
    if (!v.isDouble() || !isIntegral(v.toDouble(), 0.0, 9007199254740992.0)) {
        ctx.error(quoted(key) + u" must be a non-negative integer"_s);
        return false;
    }
    *out = quint64(v.toInteger());
    return true;
}

bool readStringList(const QJsonObject &o, const QString &key, QStringList *out, Context &ctx,
                    bool allowSingleString)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull())
        return false;
    if (allowSingleString && v.isString()) {
        *out = QStringList{ v.toString() };
        return true;
    }
    const QString expected = allowSingleString ? u" must be a string or a list of strings"_s
                                               : u" must be a list of strings"_s;
    if (!v.isArray()) {
        ctx.error(quoted(key) + expected);
        return false;
    }
    QStringList list;
    for (const QJsonValue &item : v.toArray()) {
        if (!item.isString()) {
            ctx.error(quoted(key) + expected);
            return false;
        }
        list << item.toString();
    }
    *out = list;
    return true;
}

QJsonObject unknownKeys(const QJsonObject &o, const QStringList &known)
{
    QJsonObject extra;
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key()))
            extra.insert(it.key(), it.value());
    }
    return extra;
}

void warnUnknownKeys(const QJsonObject &o, const QStringList &known, const QString &where,
                     Context &ctx)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key()))
            ctx.warning(where + u": unknown key "_s + quoted(it.key()) + u" ignored"_s);
    }
}

} // namespace JsonFields
