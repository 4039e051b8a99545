#pragma once

#include "graph/EngineConfig.h"

#include <QUndoCommand>
#include <optional>

class PipelineDocument;

// Adds, changes (after set) or removes (after nullopt) one named engine. Changes to the same
// engine that follow each other within a typing burst (a base URL typed key by key) merge into
// one step.
class SetEngineCommand : public QUndoCommand {
public:
    static constexpr qint64 kMergeWindowMs = 1500;

    // nowMs is the edit time (a clock seam for tests; default now).
    SetEngineCommand(PipelineDocument *document, const QString &name,
        const std::optional<EngineConfig> &after, QUndoCommand *parent = nullptr,
        qint64 nowMs = -1);

    void redo() override;
    void undo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    void apply(const std::optional<EngineConfig> &engine);

    PipelineDocument *m_document;
    QString m_name;
    std::optional<EngineConfig> m_before;
    std::optional<EngineConfig> m_after;
    qint64 m_lastEditMs;
};
