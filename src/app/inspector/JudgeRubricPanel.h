#pragma once

#include "graph/EngineConfig.h"

#include <QMap>
#include <QString>
#include <QWidget>

class PipelineDocument;
class QLabel;
class QStackedWidget;
class QUndoStack;
class RubricEditor;

// The Rubric dock's content: the RubricEditor bound to the selected judge node, or a note saying
// to select one. Edits in the editor become SetNodeCommand(..., "rubric") steps (typing merges);
// undo, redo and edits made elsewhere reload the editor. The editor is given the pipeline's
// engines and prompt overrides and the judge's input ports, so its preview and "try it" match
// what a run sends. It lives on the GUI thread.
//
// Wiring in the main window:
//     auto *rubric = new JudgeRubricPanel(document, undoStack, dock);
//     connect(scene, &QGraphicsScene::selectionChanged, rubric, [=] {
//         const QStringList ids = scene->selectedNodeIds();
//         rubric->setNode(ids.size() == 1 ? ids.first() : QString());
//     });
//     connect(inspector, &InspectorPanel::rubricEditorRequested, dock, &QWidget::raise);
// rubricEditor() gives access to the editor itself (e.g. setKeySource in tests).
class JudgeRubricPanel : public QWidget {
    Q_OBJECT

public:
    JudgeRubricPanel(PipelineDocument *document, QUndoStack *undoStack, QWidget *parent = nullptr);

    // The node whose rubric to edit; anything but an existing judge shows the empty state.
    void setNode(const QString &id);
    QString nodeId() const { return m_nodeId; }
    bool isEditing() const; // a judge is shown
    RubricEditor *rubricEditor() const { return m_editor; }

private:
    void refresh();
    void onRubricEdited();
    void onNodeRenamed(const QString &oldId, const QString &newId);

    PipelineDocument *m_document;
    QUndoStack *m_undoStack;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_empty = nullptr;
    QLabel *m_title = nullptr;
    RubricEditor *m_editor = nullptr;
    QString m_triedNode;   // the judge, and its engine, the trial engine was last set for
    QString m_triedEngine;
    QString m_nodeId;
    // What the editor was last given: it rebuilds its engine list and preview on every call.
    QStringList m_ports;
    QMap<QString, EngineConfig> m_engines;
    QMap<QString, QString> m_prompts;
    bool m_bound = false;
    bool m_loading = false;
};
