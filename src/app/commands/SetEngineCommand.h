#pragma once

#include "graph/EngineConfig.h"

#include <QUndoCommand>
#include <optional>

class PipelineDocument;

// Adds, changes (after set) or removes (after nullopt) one named engine.
class SetEngineCommand : public QUndoCommand {
public:
    SetEngineCommand(PipelineDocument *document, const QString &name,
        const std::optional<EngineConfig> &after, QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;

private:
    void apply(const std::optional<EngineConfig> &engine);

    PipelineDocument *m_document;
    QString m_name;
    std::optional<EngineConfig> m_before;
    std::optional<EngineConfig> m_after;
};
