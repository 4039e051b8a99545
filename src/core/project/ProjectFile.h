#pragma once

#include "store/RunStore.h"

#include <QJsonObject>
#include <QPair>
#include <QString>
#include <QVector>

// What the workbench opens from a project file: one pipeline to edit and the dataset that goes
// with it, plus the list of every pipeline the file holds.
struct ProjectContents
{
    QString path;
    qint64 pipelineId = 0;            // 0: the pipeline is not stored as a document (yet)
    QString pipelineName;
    QJsonObject pipeline;             // empty: the project has no pipeline at all
    QString pipelineFromRun;          // the run whose snapshot was taken, when no document exists
    QVector<QPair<qint64, QString>> pipelines;
    StoredDataset dataset;            // id 0: no dataset
};

// What a save writes. Ids of 0 insert new rows; other ids replace those rows in place, so a
// document stays bound to its row across saves.
struct ProjectSaveRequest
{
    QString copyFrom;                 // Save As from an existing file: copy it (runs and all) first
    qint64 pipelineId = 0;
    QString pipelineName;
    QJsonObject pipeline;
    bool writeDataset = false;        // false: the stored dataset is already up to date
    StoredDataset dataset;
    qint64 removeDatasetId = 0;       // a dataset the user took out of the project
};

struct ProjectSaveResult
{
    qint64 pipelineId = 0;
    qint64 datasetId = 0;
    QVector<QPair<qint64, QString>> pipelines;   // every pipeline in the file after the save
};

// Reading and writing the workbench's documents in a project file: the same SQLite file the CLI
// fills with runs (RunStore). Each call opens the file, does its work and closes it again, so
// nothing stays locked while the user edits and run threads can open it freely.
namespace ProjectFile {

// The suffix the file dialogs offer; any name works.
QString suffix();
QString fileFilter();

// Opens path (which must exist) and picks the pipeline and dataset to show: the preferred ids
// when they still exist, else the most recently saved. A file written only by the CLI has no
// pipeline documents; then the newest run's pipeline snapshot is offered instead.
bool read(const QString &path, qint64 preferredPipeline, qint64 preferredDataset,
    ProjectContents *out, QString *error);

// Writes the request into path, creating the file (and, with copyFrom, first copying that file
// to path, replacing whatever path held). Errors name the file and the step that failed.
bool write(const QString &path, const ProjectSaveRequest &request, ProjectSaveResult *result,
    QString *error);

} // namespace ProjectFile
