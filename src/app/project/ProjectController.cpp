#include "project/ProjectController.h"

#include "graph/PipelineDocument.h"
#include "graph/PipelineJson.h"
#include "project/ExampleCatalog.h"
#include "project/ProjectDialogs.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QUndoStack>
#include <QWidget>

using namespace Qt::StringLiterals;

namespace {

QString issuesText(const QVector<PipelineIssue> &issues, const QString &source)
{
    QStringList lines;
    for (const PipelineIssue &issue : issues) {
        if (issue.severity == PipelineIssue::Severity::Error)
            lines << issue.toString(source);
    }
    return lines.join(u'\n');
}

// Per project file: which pipeline and dataset were open, so a reopen shows the same ones.
QString selectionKey(const QString &path, const QString &what)
{
    const QString id = QString::fromLatin1(QFileInfo(path).absoluteFilePath().toUtf8().toBase64(
        QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    return u"projects/"_s + id + u'/' + what;
}

// "Support ticket summary" -> "Support ticket summary.tgdb", without characters file systems
// refuse.
QString fileNameFor(const QString &name)
{
    QString base = name.trimmed();
    static const QString forbidden = u"/\\:*?\"<>|"_s;
    for (QChar &c : base) {
        if (forbidden.contains(c) || c.unicode() < 32)
            c = u'-';
    }
    if (base.isEmpty())
        base = u"project"_s;
    return base + u'.' + ProjectFile::suffix();
}

} // namespace

ProjectController::ProjectController(
    PipelineDocument *document, QUndoStack *undoStack, ProjectDialogs *dialogs, QObject *parent)
    : QObject(parent)
    , m_document(document)
    , m_undoStack(undoStack)
    , m_dialogs(dialogs)
{
    // The undo stack knows best whether the document differs from what was saved: undoing back
    // to the saved state clears the mark.
    connect(m_undoStack, &QUndoStack::cleanChanged, m_document,
        [this](bool clean) { m_document->setModified(!clean); });
    connect(m_document, &PipelineDocument::modifiedChanged, this, &ProjectController::stateChanged);
}

QString ProjectController::displayName() const
{
    return isUntitled() ? tr("Untitled") : QFileInfo(m_path).fileName();
}

bool ProjectController::isModified() const
{
    return m_open && (m_document->isModified() || m_datasetDirty || m_contentUnsaved);
}

QString ProjectController::pipelineName() const
{
    const QString name = m_document->pipeline().name.trimmed();
    return name.isEmpty() ? tr("Untitled pipeline") : name;
}

// ---- dataset -----------------------------------------------------------------------------------

void ProjectController::setDatasetRows(const Dataset &data, const QJsonObject &split,
    const QJsonObject &mapping)
{
    StoredDataset next;
    next.id = m_dataset.id;
    next.name = data.sourcePath.isEmpty() ? tr("Dataset") : QFileInfo(data.sourcePath).fileName();
    next.rowCount = data.size();
    next.split = split;
    next.mapping = mapping;
    next.data = data;
    m_dataset = next;
    m_datasetDirty = true;
    Q_EMIT stateChanged();
}

void ProjectController::setDatasetSettings(const QJsonObject &split, const QJsonObject &mapping)
{
    // The editor re-announces its settings after every load and field change; only a real
    // difference from what is stored is an edit.
    if (!hasDataset() || (m_dataset.split == split && m_dataset.mapping == mapping))
        return;
    m_dataset.split = split;
    m_dataset.mapping = mapping;
    m_datasetDirty = true;
    Q_EMIT stateChanged();
}

void ProjectController::clearDataset()
{
    if (!hasDataset())
        return;
    if (m_dataset.id > 0)
        m_removedDatasetId = m_dataset.id;
    m_dataset = StoredDataset();
    m_datasetDirty = true;
    Q_EMIT stateChanged();
}

// ---- new / open ----------------------------------------------------------------------------------

void ProjectController::showPipeline(const Pipeline &pipeline)
{
    m_document->setPipeline(pipeline);
    m_undoStack->clear();
    m_document->setModified(false);
}

// The project state as a whole, after new / open / example / close: nothing is unsaved yet.
void ProjectController::adopt(bool open, const QString &path, qint64 pipelineId,
    const QVector<QPair<qint64, QString>> &pipelines, const StoredDataset &dataset)
{
    m_open = open;
    m_path = path;
    m_pipelineId = pipelineId;
    m_pipelines = pipelines;
    m_dataset = dataset;
    m_datasetDirty = false;
    m_removedDatasetId = 0;
    m_contentUnsaved = false;
    Q_EMIT datasetReplaced(m_dataset);
    Q_EMIT projectChanged();
    Q_EMIT stateChanged();
}

bool ProjectController::newProject()
{
    if (!maybeSave())
        return false;
    Pipeline pipeline;
    pipeline.name = tr("Untitled pipeline");
    showPipeline(pipeline);
    adopt(true, QString(), 0, {}, StoredDataset());
    Q_EMIT statusMessage(tr("New project. Double-click the canvas to add a node."));
    return true;
}

bool ProjectController::newFromExample(const ExampleInfo &example)
{
    if (!maybeSave())
        return false;
    Pipeline pipeline;
    QVector<PipelineIssue> issues;
    if (!PipelineJson::loadFile(example.pipelinePath, &pipeline, &issues)) {
        error(tr("Cannot Open Example"), issuesText(issues, example.pipelinePath));
        return false;
    }
    pipeline.sourcePath.clear(); // messages should not point into the application's resources
    StoredDataset dataset;
    if (!example.dataPaths.isEmpty()) {
        SplitSettings split;
        QString message;
        if (!ExampleCatalog::loadData(example, &dataset.data, &split, &message)) {
            error(tr("Cannot Open Example"), message);
            return false;
        }
        dataset.name = example.title;
        dataset.rowCount = dataset.data.size();
        dataset.split = split.toJson();
    }
    showPipeline(pipeline);
    adopt(true, QString(), 0, {}, dataset);
    Q_EMIT statusMessage(tr("Example \"%1\" opened as a new, untitled project.").arg(example.title));
    return true;
}

bool ProjectController::open()
{
    if (!maybeSave())
        return false;
    const QString path = m_dialogs->openProjectPath(m_dialogParent);
    return !path.isEmpty() && openPipeline(path, 0, /*asked=*/true);
}

bool ProjectController::openPath(const QString &path)
{
    return openPipeline(path, 0, /*asked=*/false);
}

bool ProjectController::openStoredPipeline(qint64 pipelineId)
{
    if (!m_open || isUntitled() || pipelineId == m_pipelineId)
        return false;
    return openPipeline(m_path, pipelineId, /*asked=*/false);
}

bool ProjectController::openPipeline(const QString &path, qint64 pipelineId, bool asked)
{
    if (!asked && !maybeSave())
        return false;
    const QSettings settings;
    const qint64 preferredPipeline = pipelineId > 0
        ? pipelineId
        : settings.value(selectionKey(path, u"pipeline"_s)).toLongLong();
    const qint64 preferredDataset = settings.value(selectionKey(path, u"dataset"_s)).toLongLong();
    ProjectContents contents;
    QString message;
    if (!ProjectFile::read(path, preferredPipeline, preferredDataset, &contents, &message)) {
        error(tr("Cannot Open Project"), message);
        return false;
    }
    Pipeline pipeline;
    if (contents.pipeline.isEmpty()) {
        pipeline.name = QFileInfo(path).completeBaseName();
    } else {
        QVector<PipelineIssue> issues;
        const QString source = u"%1 (pipeline \"%2\")"_s.arg(path, contents.pipelineName);
        if (!PipelineJson::fromJson(
                contents.pipeline, &pipeline, &issues, QFileInfo(path).absolutePath())) {
            error(tr("Cannot Open Project"), issuesText(issues, source));
            return false;
        }
    }
    showPipeline(pipeline);
    const bool useRunData = contents.dataset.id == 0 && !contents.runData.data.rows.isEmpty();
    adopt(true, path, contents.pipelineId, contents.pipelines,
        useRunData ? contents.runData : contents.dataset);
    if (!contents.pipelineFromRun.isEmpty()) {
        // Saving turns the run's pipeline (and the data it ran on) into documents of their own.
        m_datasetDirty = useRunData;
        setContentUnsaved(true);
        Q_EMIT statusMessage(
            tr("This project had no saved pipeline; showing the pipeline of run %1.")
                .arg(contents.pipelineFromRun));
    } else {
        Q_EMIT statusMessage(tr("Opened %1.").arg(QDir::toNativeSeparators(path)));
    }
    rememberSelection();
    Q_EMIT projectFileUsed(path);
    return true;
}

// ---- save ----------------------------------------------------------------------------------------

bool ProjectController::save()
{
    if (!m_open)
        return false;
    if (isUntitled())
        return saveAs();
    return saveTo(m_path);
}

bool ProjectController::saveAs()
{
    if (!m_open)
        return false;
    const QString suggestion = isUntitled() ? fileNameFor(pipelineName()) : m_path;
    const QString path = m_dialogs->saveProjectPath(m_dialogParent, suggestion);
    return !path.isEmpty() && saveTo(path);
}

bool ProjectController::saveTo(const QString &path)
{
    ProjectSaveRequest request;
    // An existing project is copied first, so Save As keeps its runs; the first save of an
    // untitled project starts a new file.
    request.copyFrom = m_path;
    request.pipelineId = m_pipelineId;
    request.pipelineName = pipelineName();
    request.pipeline = m_document->toJson();
    request.writeDataset = hasDataset() && (m_datasetDirty || isUntitled());
    request.dataset = m_dataset;
    request.removeDatasetId = m_removedDatasetId;
    ProjectSaveResult result;
    QString message;
    if (!ProjectFile::write(path, request, &result, &message)) {
        error(tr("Cannot Save Project"), message);
        return false;
    }
    m_path = path;
    m_pipelineId = result.pipelineId;
    m_pipelines = result.pipelines;
    m_dataset.id = hasDataset() ? result.datasetId : 0;
    m_datasetDirty = false;
    m_removedDatasetId = 0;
    m_contentUnsaved = false;
    m_undoStack->setClean();
    m_document->setModified(false);
    rememberSelection();
    Q_EMIT projectFileUsed(path);
    Q_EMIT stateChanged();
    Q_EMIT statusMessage(tr("Saved %1.").arg(QDir::toNativeSeparators(path)));
    return true;
}

void ProjectController::rememberSelection() const
{
    if (isUntitled())
        return;
    QSettings settings;
    settings.setValue(selectionKey(m_path, u"pipeline"_s), m_pipelineId);
    settings.setValue(selectionKey(m_path, u"dataset"_s), m_dataset.id);
}

// ---- close ---------------------------------------------------------------------------------------

bool ProjectController::maybeSave()
{
    if (!isModified())
        return true;
    const QString what = isUntitled() ? tr("the untitled project")
                                      : tr("the project \"%1\"").arg(displayName());
    switch (m_dialogs->askToSave(m_dialogParent, what)) {
    case ProjectDialogs::SaveChoice::Save:
        return save();
    case ProjectDialogs::SaveChoice::Discard:
        return true;
    case ProjectDialogs::SaveChoice::Cancel:
        break;
    }
    return false;
}

bool ProjectController::closeProject()
{
    if (!m_open)
        return true;
    if (!maybeSave())
        return false;
    showPipeline(Pipeline());
    adopt(false, QString(), 0, {}, StoredDataset());
    return true;
}

// ---- pipeline files ------------------------------------------------------------------------------

bool ProjectController::importPipeline()
{
    if (!maybeSave())
        return false;
    const QString path = m_dialogs->importPipelinePath(m_dialogParent);
    return !path.isEmpty() && importPipelineFile(path, /*asked=*/true);
}

bool ProjectController::importPipelinePath(const QString &path)
{
    return importPipelineFile(path, /*asked=*/false);
}

bool ProjectController::importPipelineFile(const QString &path, bool asked)
{
    if (!asked && !maybeSave())
        return false;
    Pipeline pipeline;
    QVector<PipelineIssue> issues;
    if (!PipelineJson::loadFile(path, &pipeline, &issues)) {
        error(tr("Cannot Import Pipeline"), issuesText(issues, path));
        return false;
    }
    showPipeline(pipeline);
    if (!m_open) {
        adopt(true, QString(), 0, {}, StoredDataset());
    } else {
        // The imported pipeline joins the project as a new document; the one shown before stays
        // in the file.
        m_pipelineId = 0;
        Q_EMIT projectChanged();
    }
    setContentUnsaved(true);
    Q_EMIT statusMessage(tr("Imported %1. Save to keep it in the project.")
                             .arg(QDir::toNativeSeparators(path)));
    return true;
}

bool ProjectController::exportPipeline()
{
    if (!m_open)
        return false;
    const QString path = m_dialogs->exportPipelinePath(
        m_dialogParent, fileNameFor(pipelineName()).section(u'.', 0, -2) + u".tgpipe.json"_s);
    return !path.isEmpty() && exportPipelinePath(path);
}

bool ProjectController::exportPipelinePath(const QString &path)
{
    QString message;
    if (!PipelineJson::saveFile(path, m_document->pipeline(), &message)) {
        error(tr("Cannot Export Pipeline"), message);
        return false;
    }
    Q_EMIT statusMessage(tr("Exported the pipeline to %1.").arg(QDir::toNativeSeparators(path)));
    return true;
}

// ---- helpers -------------------------------------------------------------------------------------

void ProjectController::setContentUnsaved(bool unsaved)
{
    m_contentUnsaved = unsaved;
    Q_EMIT stateChanged();
}

void ProjectController::error(const QString &title, const QString &text)
{
    m_dialogs->showError(m_dialogParent, title, text);
    Q_EMIT statusMessage(title);
}
