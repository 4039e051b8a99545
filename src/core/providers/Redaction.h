#pragma once

#include <QString>
#include <QStringList>

// Removes secrets from anything that is stored, logged or shown: the given key values wherever
// they appear, Authorization / x-api-key / x-goog-api-key / api-key (Azure) header values, "Bearer ..." tokens and
// key= query parameters.
namespace Redaction {

QString redact(const QString &text, const QStringList &secrets = {});

} // namespace Redaction
