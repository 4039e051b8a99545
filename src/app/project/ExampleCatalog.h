#pragma once

#include "data/Dataset.h"
#include "data/DatasetSplit.h"

#include <QString>
#include <QVector>

// One bundled example: a pipeline and, when it learns from data, its train / validation / test
// files. Examples are compiled into the application (resources/examples), so an installed
// workbench offers them without a source tree.
struct ExampleInfo
{
    QString id;            // "object-counting/ollama"
    QString title;         // the pipeline's name
    QString description;   // the pipeline's description
    QString pipelinePath;  // ":/examples/object-counting/ollama.tgpipe.json"
    QStringList dataPaths; // train, validation, test files in that order; empty for test-time
};

namespace ExampleCatalog {

// Every example pipeline found in the resources, sorted by title.
QVector<ExampleInfo> all();

// The example's files joined into one dataset with a "split" column naming each row's part,
// and the split settings that read that column: the dataset editor then shows exactly the
// example's train / validation / test division. False with an error naming the file.
bool loadData(const ExampleInfo &example, Dataset *data, SplitSettings *split, QString *error);

} // namespace ExampleCatalog
