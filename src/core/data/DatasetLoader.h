#pragma once

#include "data/Dataset.h"

#include <QString>
#include <QStringList>
#include <QVector>

// Reads CSV (RFC 4180: header row, quoted fields with embedded commas, quotes and newlines)
// and JSONL (one object per line; blank lines skipped; non-string values converted to text:
// numbers as written, booleans as true/false, arrays and objects as compact JSON).
// Errors name the file and the line: "data.csv:14: row has 3 fields, the header has 2".
namespace DatasetLoader {

bool load(const QString &path, Dataset *out, QString *error);   // by extension: .csv .jsonl .json
bool parseCsv(const QByteArray &bytes, const QString &sourceName, Dataset *out, QString *error);
bool parseJsonl(const QByteArray &bytes, const QString &sourceName, Dataset *out, QString *error);

// Every field the pipeline reads must be present in every row; the error names the field,
// the file and the first line that lacks it.
bool checkFields(const Dataset &data, const QStringList &fields, QString *error);

} // namespace DatasetLoader

// A permutation of 0..n-1 that depends only on n and seed (a fixed PRNG, not std::shuffle,
// so that it is the same with every standard library).
QVector<int> seededShuffle(int n, quint64 seed);
