#include "project/ProjectFile.h"

#include "data/DatasetSplit.h"
#include "training/TrainingData.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace ProjectFile {

QString suffix()
{
    return u"tgdb"_s;
}

QString fileFilter()
{
    return u"TextGrad projects (*.tgdb);;All files (*)"_s;
}

namespace {

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

// A SQLite file comes with its WAL and shared-memory companions; replacing a project means
// removing all three, or the new file would pick up the old one's log.
bool removeProjectFiles(const QString &path, QString *error)
{
    for (const QString &name : QStringList { path, path + u"-wal"_s, path + u"-shm"_s }) {
        if (QFileInfo::exists(name) && !QFile::remove(name))
            return fail(error, u"cannot replace %1: the file cannot be removed"_s.arg(name));
    }
    return true;
}

// The rows a run kept as one dataset whose "split" column says where each row was used, so the
// dataset editor shows the run's exact division.
StoredDataset datasetOfRun(const RunInfo &run)
{
    const TrainingData parts = TrainingDataJson::fromJson(run.data);
    SplitSettings split;
    StoredDataset dataset;
    dataset.data = DatasetSplit::joined(parts.train, parts.validation, parts.test, u"split"_s, &split);
    if (dataset.data.rows.isEmpty())
        return StoredDataset();
    dataset.data.sourcePath = u"run %1"_s.arg(run.id);
    dataset.name = u"Data of run %1"_s.arg(run.id);
    dataset.rowCount = dataset.data.size();
    dataset.split = split.toJson();
    return dataset;
}

bool samePath(const QString &a, const QString &b)
{
    const QFileInfo ia(a), ib(b);
    const QString ca = ia.canonicalFilePath(), cb = ib.canonicalFilePath();
    if (!ca.isEmpty() && !cb.isEmpty())
        return ca == cb;
    return ia.absoluteFilePath() == ib.absoluteFilePath();
}

} // namespace

bool read(const QString &path, qint64 preferredPipeline, qint64 preferredDataset,
    ProjectContents *out, QString *error)
{
    if (!QFileInfo(path).isFile())
        return fail(error, u"cannot open project %1: there is no such file"_s.arg(path));
    RunStore store;
    if (!store.open(path, error))
        return false;

    ProjectContents contents;
    contents.path = path;
    contents.pipelines = store.pipelines();
    qint64 pipelineId = 0;
    for (const auto &entry : std::as_const(contents.pipelines)) {
        if (entry.first == preferredPipeline)
            pipelineId = preferredPipeline;
    }
    if (pipelineId == 0)
        pipelineId = store.latestPipelineId();
    if (pipelineId > 0) {
        contents.pipelineId = pipelineId;
        contents.pipeline = store.pipeline(pipelineId);
        for (const auto &entry : std::as_const(contents.pipelines)) {
            if (entry.first == pipelineId)
                contents.pipelineName = entry.second;
        }
        if (contents.pipeline.isEmpty())
            return fail(error, u"%1: pipeline \"%2\" cannot be read: %3"_s.arg(
                path, contents.pipelineName, store.lastError()));
    } else {
        // A file the CLI made: its runs carry the pipeline as it was run.
        const QVector<RunInfo> runs = store.runs();
        if (!runs.isEmpty()) {
            const RunInfo run = store.run(runs.first().id);
            contents.pipeline = run.pipeline;
            contents.pipelineName = run.pipelineName;
            contents.pipelineFromRun = run.id;
            contents.runData = datasetOfRun(run);
        }
    }

    qint64 datasetId = 0;
    const QVector<StoredDataset> datasets = store.datasets();
    for (const StoredDataset &d : datasets) {
        if (d.id == preferredDataset)
            datasetId = preferredDataset;
    }
    if (datasetId == 0)
        datasetId = store.latestDatasetId();
    if (datasetId > 0) {
        contents.dataset = store.dataset(datasetId);
        if (contents.dataset.id == 0)
            return fail(error, u"%1: dataset %2 cannot be read: %3"_s.arg(
                path, QString::number(datasetId), store.lastError()));
    }
    *out = contents;
    return true;
}

bool write(const QString &path, const ProjectSaveRequest &request, ProjectSaveResult *result,
    QString *error)
{
    if (path.isEmpty())
        return fail(error, u"cannot save: no file name was given"_s);
    const bool copying = !request.copyFrom.isEmpty() && !samePath(request.copyFrom, path);
    if (copying) {
        if (!QFileInfo(request.copyFrom).isFile())
            return fail(error, u"cannot save a copy of %1: the file is gone"_s.arg(request.copyFrom));
        RunStore source;
        if (!source.open(request.copyFrom, error))
            return false;
        // Copy to a temporary name first: a failed copy must not cost the user the old target.
        const QString temp = path + u".saving"_s;
        if (!removeProjectFiles(temp, error) || !source.copyTo(temp, error))
            return false;
        source.close();
        if (!removeProjectFiles(path, error))
            return false;
        if (!QFile::rename(temp, path))
            return fail(error, u"cannot save %1: renaming the copy failed"_s.arg(path));
    } else if (request.copyFrom.isEmpty()) {
        // A project saved for the first time replaces whatever file the user chose to overwrite.
        if (!removeProjectFiles(path, error))
            return false;
    }

    RunStore store;
    if (!store.open(path, error))
        return false;
    ProjectSaveResult saved;
    saved.pipelineId = store.savePipeline(request.pipelineName, request.pipeline, request.pipelineId);
    if (saved.pipelineId == 0)
        return fail(error, u"%1: %2"_s.arg(path, store.lastError()));
    saved.datasetId = request.dataset.id;
    if (request.writeDataset) {
        saved.datasetId = store.saveDataset(request.dataset);
        if (saved.datasetId == 0)
            return fail(error, u"%1: %2"_s.arg(path, store.lastError()));
    }
    if (request.removeDatasetId > 0 && request.removeDatasetId != saved.datasetId
        && !store.removeDataset(request.removeDatasetId))
        return fail(error, u"%1: %2"_s.arg(path, store.lastError()));
    saved.pipelines = store.pipelines();
    if (result)
        *result = saved;
    return true;
}

} // namespace ProjectFile
