#pragma once

#include "graph/EngineConfig.h"
#include "providers/ChatTypes.h"
#include "providers/KeySource.h"

#include <QStringList>

// "Test connection": which models an endpoint offers, and how long it takes to answer.
// Used by `textgrad-cli providers test`, by the workbench's engine editor, and by error
// messages ("model x is not offered here; the server has: ..."). Blocking; call it from a
// worker thread (or the CLI's main thread), never from the GUI thread.
struct ModelListing
{
    bool ok = false;
    QStringList models;       // sorted
    qint64 latencyMs = 0;     // time to the complete answer
    int httpStatus = 0;
    QString error;            // names the engine, host and what happened; never a key
};

namespace ModelCatalog {

ModelListing list(const EngineConfig &engine, const KeySource &keys, const CancelFlag &cancel,
                  int timeoutMs = 15000);

} // namespace ModelCatalog
