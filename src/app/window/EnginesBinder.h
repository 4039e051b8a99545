#pragma once

#include <QObject>
#include <QString>

class EnginesPanel;
class PipelineDocument;
class QUndoStack;

// Keeps the engines panel and the document in step. The panel edits a copy of the engine map;
// each change it announces becomes undo commands (one macro per change), and a rename also
// re-points the nodes and the backward engine that named the old engine, in the same step.
// Changes from elsewhere (undo, open) are shown in the panel. Lives on the GUI thread.
class EnginesBinder : public QObject
{
    Q_OBJECT

public:
    EnginesBinder(PipelineDocument *document, QUndoStack *undoStack, EnginesPanel *panel,
        QObject *parent = nullptr);

private:
    void onPanelRenamed(const QString &from, const QString &to);
    void onPanelChanged();
    void followRename(const QString &from, const QString &to);
    void showDocumentEngines();

    PipelineDocument *m_document;
    QUndoStack *m_undoStack;
    EnginesPanel *m_panel;
    QString m_renameFrom; // a rename announced just before the map that contains it
    QString m_renameTo;
    bool m_applying = false;
};
