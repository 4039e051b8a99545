#pragma once

#include <QStringList>
#include <QVector>
#include <QWidget>

class InputSection;
class InspectorSection;
class PipelineDocument;
class PipelinePage;
class QLabel;
class QScrollArea;
class QUndoStack;

// The Inspector dock's content: the fields of the selected node, or of the pipeline when no
// node is selected. It lives on the GUI thread.
//
// The document is the only truth. Every user edit is one command pushed on the undo stack
// (typing in a field merges into one step per burst); the panel then follows the document's
// signals like for an edit made anywhere else (canvas, undo, redo, paste), so what it shows is
// always current without overwriting the field being typed in.
//
// Wiring in the main window:
//     auto *inspector = new InspectorPanel(document, undoStack, dock);
//     connect(scene, &QGraphicsScene::selectionChanged, inspector, [=] {
//         const QStringList ids = scene->selectedNodeIds();
//         inspector->showNode(ids.size() == 1 ? ids.first() : QString());
//     });
//     // when a dataset is opened or its mapping changes:
//     inspector->setDatasetColumns(dataset.columns);
//     connect(inspector, &InspectorPanel::rubricEditorRequested, ...raise the Rubric dock...);
// and give the window Undo/Redo actions on the same stack (QUndoStack::createUndoAction):
// Ctrl+Z in an inspector field is routed to them.
class InspectorPanel : public QWidget {
    Q_OBJECT

public:
    InspectorPanel(PipelineDocument *document, QUndoStack *undoStack, QWidget *parent = nullptr);

    // The node to show; an empty or unknown id shows the pipeline's settings.
    void showNode(const QString &id);
    QString nodeId() const { return m_nodeId; }
    // Columns of the open dataset, offered for input nodes' field (empty: none open).
    void setDatasetColumns(const QStringList &columns);

    QSize sizeHint() const override;

protected:
    void changeEvent(QEvent *event) override;

signals:
    // The user asked to edit the rubric of this judge (the Rubric panel should come forward).
    void rubricEditorRequested(const QString &judgeId);

private:
    void refresh();
    void alignLabelColumns();
    void onNodeRenamed(const QString &oldId, const QString &newId);
    void onNodeRemoved(const QString &id);

    PipelineDocument *m_document;
    QScrollArea *m_scroll = nullptr;
    PipelinePage *m_pipelinePage = nullptr;
    InputSection *m_inputSection = nullptr;
    QVector<InspectorSection *> m_sections; // in display order, the common one first
    QString m_nodeId;
};
