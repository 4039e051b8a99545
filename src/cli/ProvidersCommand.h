#pragma once

#include <QStringList>

// `textgrad-cli providers`: the providers this build speaks, and "test connection" for the
// engines of a pipeline (or one endpoint): which models the server offers, and how fast it
// answers. Returns the process exit status.
namespace ProvidersCommand {

int run(const QStringList &args);

} // namespace ProvidersCommand
