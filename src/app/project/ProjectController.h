#pragma once

#include "graph/Pipeline.h"
#include "project/ProjectFile.h"
#include "store/RunStore.h"

#include <QJsonObject>

#include <QObject>
#include <QPointer>

class PipelineDocument;
class ProjectDialogs;
class QUndoStack;
class QWidget;
struct ExampleInfo;

// The open project: which file it is (or that it is untitled), which pipeline row the document
// is bound to, the dataset that goes with it, and whether anything is unsaved. It implements
// New / Open / Save / Save As / Close and pipeline import / export, asking the user through
// ProjectDialogs, so the window only wires menus to it.
//
// "Modified" is the document's flag (driven by the undo stack's clean state), or a dataset
// change, or content that came from outside the file (an imported pipeline) and is not yet in
// it. Lives on the GUI thread.
class ProjectController : public QObject
{
    Q_OBJECT

public:
    ProjectController(PipelineDocument *document, QUndoStack *undoStack, ProjectDialogs *dialogs,
        QObject *parent = nullptr);

    // The window whose dialogs are parented; may stay null in tests.
    void setDialogParent(QWidget *parent) { m_dialogParent = parent; }

    bool hasProject() const { return m_open; }
    bool isUntitled() const { return m_path.isEmpty(); }
    QString path() const { return m_path; }
    QString displayName() const;            // "support.tgdb", "Untitled"
    bool isModified() const;
    qint64 pipelineId() const { return m_pipelineId; }
    QVector<QPair<qint64, QString>> storedPipelines() const { return m_pipelines; }

    bool hasDataset() const { return !m_dataset.data.rows.isEmpty() || m_dataset.id > 0; }
    const StoredDataset &dataset() const { return m_dataset; }
    // A file was imported in the dataset editor: new rows, to be written on the next save.
    void setDatasetRows(const Dataset &data, const QJsonObject &split, const QJsonObject &mapping);
    // The editor's split and mapping (SplitSettings / FieldMapping JSON); an edit only when they
    // differ from what is stored.
    void setDatasetSettings(const QJsonObject &split, const QJsonObject &mapping);
    // The dataset is taken out of the project (deleted from the file on the next save).
    void clearDataset();

public slots:
    // Each returns false when the user cancelled or an error was shown.
    bool newProject();
    bool newFromExample(const ExampleInfo &example);
    bool open();
    bool openPath(const QString &path);
    // Shows another pipeline stored in the same project file.
    bool openStoredPipeline(qint64 pipelineId);
    bool save();
    bool saveAs();
    bool closeProject();
    // Asks Save / Discard / Cancel when there are unsaved changes; true: go on.
    bool maybeSave();
    bool importPipeline();
    bool importPipelinePath(const QString &path);
    bool exportPipeline();
    bool exportPipelinePath(const QString &path);

signals:
    // A different project (or none) is shown: rebuild everything that depends on it.
    void projectChanged();
    // Title-affecting state: modified flag, file name.
    void stateChanged();
    // The dataset was replaced from outside the editor (opened, example, closed).
    void datasetReplaced(const StoredDataset &dataset);
    // The project was written to a file or opened from one (for the recent list).
    void projectFileUsed(const QString &path);
    void statusMessage(const QString &text);

private:
    bool openPipeline(const QString &path, qint64 pipelineId, bool asked);
    bool importPipelineFile(const QString &path, bool asked);
    bool saveTo(const QString &path);
    void showPipeline(const Pipeline &pipeline);
    void adopt(bool open, const QString &path, qint64 pipelineId,
        const QVector<QPair<qint64, QString>> &pipelines, const StoredDataset &dataset);
    void setContentUnsaved(bool unsaved);
    void rememberSelection() const;
    QString pipelineName() const;
    void error(const QString &title, const QString &text);

    PipelineDocument *m_document;
    QUndoStack *m_undoStack;
    ProjectDialogs *m_dialogs;
    QPointer<QWidget> m_dialogParent;

    bool m_open = false;
    QString m_path;
    qint64 m_pipelineId = 0;
    QVector<QPair<qint64, QString>> m_pipelines;
    StoredDataset m_dataset;
    bool m_datasetDirty = false;
    qint64 m_removedDatasetId = 0;
    bool m_contentUnsaved = false;
};
