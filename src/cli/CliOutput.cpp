#include "CliOutput.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

#include <cstdio>

using namespace Qt::StringLiterals;

void CliOutput::raw(const QByteArray &bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

void CliOutput::out(const QString &text)
{
    raw(text.toUtf8());
}

void CliOutput::error(const QString &line)
{
    const QByteArray bytes = (line.endsWith(u'\n') ? line : line + u'\n').toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

void CliOutput::json(const QJsonObject &doc)
{
    raw(QJsonDocument(doc).toJson(QJsonDocument::Indented));
}

void CliOutput::json(const QJsonArray &doc)
{
    raw(QJsonDocument(doc).toJson(QJsonDocument::Indented));
}

bool CliOutput::writeFile(const QString &path, const QByteArray &bytes, QString *error)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    // QSaveFile: a crash mid-write never leaves a half-written export behind.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = u"cannot write %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    return true;
}
