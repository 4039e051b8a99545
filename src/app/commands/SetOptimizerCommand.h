#pragma once

#include "graph/OptimizerSettings.h"

#include <QUndoCommand>

class PipelineDocument;

// Replaces the optimizer section as a whole.
class SetOptimizerCommand : public QUndoCommand {
public:
    SetOptimizerCommand(
        PipelineDocument *document, const OptimizerSettings &after, QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;

private:
    PipelineDocument *m_document;
    OptimizerSettings m_before;
    OptimizerSettings m_after;
};
