#pragma once

#include <QStringList>

// textgrad-cli: the headless front end. Each command returns the process exit status:
// 0 success, 1 the run failed (provider error, cancelled), 2 bad usage or invalid input.
namespace Cli {

enum ExitCode { Success = 0, RunFailed = 1, BadInput = 2 };

// arguments as QCoreApplication::arguments() gives them (program name first).
int run(const QStringList &arguments);
QString helpText();
// The project file used when --db is not given: $TEXTGRAD_DB, else a per-user data location.
QString defaultDatabasePath();

} // namespace Cli
