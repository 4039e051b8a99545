#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

class RunStore;

// Every per-sample result of a run as CSV (RFC 4180: comma-separated, CRLF line ends, fields
// with a comma, quote or line break quoted, quotes doubled), one row per sample per
// evaluation: split, step, sample, line, the dataset fields (input.<name>), every node's output
// (output.<node>), score, passed (score >= the objective's pass threshold, see
// ResultsMatrix::defaultThreshold), error, evaluation, and what its calls used (calls, tokens,
// latency, cost; cost is empty when a call's price is unknown).
namespace ResultsCsv {

// False with *error when the run does not exist.
bool render(const RunStore &store, const QString &runId, QByteArray *out, QString *error);

// One field, quoted when it must be.
QString field(const QString &text);
// One record, CRLF-terminated.
QString record(const QStringList &fields);

} // namespace ResultsCsv
