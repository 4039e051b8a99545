#include "window/EnginesBinder.h"

#include "commands/SetEngineCommand.h"
#include "commands/SetNodeCommand.h"
#include "commands/SetOptimizerCommand.h"
#include "commands/SetPipelineSettingsCommand.h"
#include "editors/EnginesPanel.h"
#include "graph/PipelineDocument.h"

#include <QUndoStack>

EnginesBinder::EnginesBinder(
    PipelineDocument *document, QUndoStack *undoStack, EnginesPanel *panel, QObject *parent)
    : QObject(parent)
    , m_document(document)
    , m_undoStack(undoStack)
    , m_panel(panel)
{
    connect(m_panel, &EnginesPanel::engineRenamed, this, &EnginesBinder::onPanelRenamed);
    connect(m_panel, &EnginesPanel::enginesChanged, this, &EnginesBinder::onPanelChanged);
    connect(m_document, &PipelineDocument::enginesChanged, this, &EnginesBinder::showDocumentEngines);
    connect(m_document, &PipelineDocument::pipelineReset, this, &EnginesBinder::showDocumentEngines);
    showDocumentEngines();
}

void EnginesBinder::showDocumentEngines()
{
    if (m_applying || m_panel->engines() == m_document->pipeline().engines)
        return;
    const QString current = m_panel->currentEngine();
    m_panel->setEngines(m_document->pipeline().engines);
    if (m_document->pipeline().engines.contains(current))
        m_panel->selectEngine(current);
}

void EnginesBinder::onPanelRenamed(const QString &from, const QString &to)
{
    m_renameFrom = from;
    m_renameTo = to;
}

void EnginesBinder::onPanelChanged()
{
    const QMap<QString, EngineConfig> after = m_panel->engines();
    const QMap<QString, EngineConfig> &before = m_document->pipeline().engines;
    const QString from = std::exchange(m_renameFrom, QString());
    const QString to = std::exchange(m_renameTo, QString());
    if (after == before)
        return;

    QVector<QUndoCommand *> commands;
    for (auto it = before.constBegin(); it != before.constEnd(); ++it) {
        if (!after.contains(it.key()))
            commands << new SetEngineCommand(m_document, it.key(), std::nullopt);
    }
    for (auto it = after.constBegin(); it != after.constEnd(); ++it) {
        const auto old = before.constFind(it.key());
        if (old == before.constEnd() || !(*old == it.value()))
            commands << new SetEngineCommand(m_document, it.key(), it.value());
    }
    const bool rename = !from.isEmpty() && !to.isEmpty();
    m_applying = true;
    if (commands.size() == 1 && !rename) {
        // Alone on the stack, so that typing in one field merges into one step.
        m_undoStack->push(commands.constFirst());
    } else {
        m_undoStack->beginMacro(rename ? tr("Rename engine %1 to %2").arg(from, to)
                                       : tr("Edit engines"));
        for (QUndoCommand *command : std::as_const(commands))
            m_undoStack->push(command);
        if (rename)
            followRename(from, to);
        m_undoStack->endMacro();
    }
    m_applying = false;
}

// Nodes, the backward engine and the optimizer name engines by key: follow a rename so that
// nothing is left pointing at an engine that no longer exists.
void EnginesBinder::followRename(const QString &from, const QString &to)
{
    for (const PipelineNode &node : m_document->pipeline().nodes) {
        if (node.engine == from) {
            PipelineNode changed = node;
            changed.engine = to;
            m_undoStack->push(new SetNodeCommand(m_document, changed));
        }
    }
    if (m_document->pipeline().backwardEngine == from) {
        m_undoStack->push(new SetPipelineSettingsCommand(
            m_document, SetPipelineSettingsCommand::Setting::BackwardEngine, to));
    }
    OptimizerSettings optimizer = m_document->pipeline().optimizer;
    if (optimizer.engine == from) {
        optimizer.engine = to;
        m_undoStack->push(new SetOptimizerCommand(m_document, optimizer));
    }
}
