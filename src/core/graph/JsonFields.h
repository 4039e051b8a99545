#pragma once

#include "graph/PipelineIssue.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

// Typed reads of JSON object keys for the pipeline loader. A key that is absent (or null) keeps
// the caller's default; a key of the wrong type becomes an issue naming the key, so that every
// message reads like: node "answer": "inputs" must be an object.
namespace JsonFields {

// Where a problem was found: issues carry the node id, and the prefix names the enclosing
// object for problems outside nodes ("engine \"student\": ", "optimizer: ").
struct Context
{
    QVector<PipelineIssue> *issues = nullptr;
    QString nodeId;
    QString prefix;
    bool failed = false;

    void report(PipelineIssue::Severity severity, const QString &message);
    void error(const QString &message) { report(PipelineIssue::Severity::Error, message); }
    void warning(const QString &message) { report(PipelineIssue::Severity::Warning, message); }
};

QString quoted(const QString &s);
bool isIntegral(double d, double lo, double hi);

bool readString(const QJsonObject &o, const QString &key, QString *out, Context &ctx);
bool readBool(const QJsonObject &o, const QString &key, bool *out, Context &ctx);
bool readDouble(const QJsonObject &o, const QString &key, double *out, Context &ctx);
bool readInt(const QJsonObject &o, const QString &key, int *out, Context &ctx);
bool readSeed(const QJsonObject &o, const QString &key, quint64 *out, Context &ctx);
// allowSingleString accepts "x" for ["x"] (e.g. an engine's "stop").
bool readStringList(const QJsonObject &o, const QString &key, QStringList *out, Context &ctx,
                    bool allowSingleString = false);

// The keys of o not in known, for the lossless round trip.
QJsonObject unknownKeys(const QJsonObject &o, const QStringList &known);
// For nested objects without an "extra" member: unknown keys are reported, not silently lost.
void warnUnknownKeys(const QJsonObject &o, const QStringList &known, const QString &where,
                     Context &ctx);

} // namespace JsonFields
