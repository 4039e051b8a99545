#include "project/ExampleCatalog.h"

#include "data/DatasetLoader.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

const QString kRoot = u":/examples"_s;
const QString kSplitColumn = u"split"_s;

// Data files sit next to the pipeline: train.*, val.*, test.* (CSV or JSONL).
QStringList dataFiles(const QDir &dir)
{
    QStringList paths;
    for (const QString &part : { u"train"_s, u"val"_s, u"test"_s }) {
        const QStringList found
            = dir.entryList({ part + u".csv"_s, part + u".jsonl"_s }, QDir::Files, QDir::Name);
        if (!found.isEmpty())
            paths << dir.filePath(found.constFirst());
    }
    return paths;
}

} // namespace

namespace ExampleCatalog {

QVector<ExampleInfo> all()
{
    QVector<ExampleInfo> examples;
    QDirIterator it(kRoot, { u"*.tgpipe.json"_s }, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        const QFileInfo info(path);
        ExampleInfo example;
        example.id = info.dir().dirName() + u'/' + info.fileName().section(u'.', 0, 0);
        example.title = json.value(u"name"_s).toString(example.id);
        example.description = json.value(u"description"_s).toString();
        example.pipelinePath = path;
        example.dataPaths = dataFiles(info.dir());
        examples << example;
    }
    std::sort(examples.begin(), examples.end(), [](const ExampleInfo &a, const ExampleInfo &b) {
        return a.title.localeAwareCompare(b.title) < 0;
    });
    return examples;
}

bool loadData(const ExampleInfo &example, Dataset *data, SplitSettings *split, QString *error)
{
    Dataset parts[3]; // train, validation, test, in the order dataFiles() found them
    for (int i = 0; i < example.dataPaths.size() && i < 3; ++i) {
        if (!DatasetLoader::load(example.dataPaths.at(i), &parts[i], error))
            return false;
    }
    *data = DatasetSplit::joined(parts[0], parts[1], parts[2], kSplitColumn, split);
    // Shown as the dataset's name: say where the rows came from.
    QStringList names;
    for (const QString &path : example.dataPaths)
        names << QFileInfo(path).fileName();
    data->sourcePath = u"%1 (%2)"_s.arg(example.id.section(u'/', 0, 0), names.join(u" + "_s));
    return true;
}

} // namespace ExampleCatalog
