#pragma once

#include <QJsonObject>
#include <QString>

class RunStore;

// The document `optimize --json` prints and `show --json` rebuilds from the store: scores,
// every step with its candidate values, the final parameters, call counts by purpose (every
// request sent, retries included) and tokens. Built from the store alone, so both commands
// report the same thing.
namespace RunSummary {

QJsonObject build(const RunStore &store, const QString &runId);
// A short human-readable version for the terminal.
QString toText(const QJsonObject &summary);

} // namespace RunSummary
