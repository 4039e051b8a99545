#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

// stdout carries results only (one JSON document with --json); everything else goes to stderr.
namespace CliOutput {

void out(const QString &text);
void raw(const QByteArray &bytes);
void error(const QString &line);     // one line on stderr
void json(const QJsonObject &doc);
void json(const QJsonArray &doc);
bool writeFile(const QString &path, const QByteArray &bytes, QString *error);

} // namespace CliOutput
