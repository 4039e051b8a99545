#pragma once

#include "graph/EngineConfig.h"
#include "graph/OptimizerSettings.h"
#include "graph/PipelineNode.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QVector>

// A pipeline as described by a .tgpipe.json file. Plain data; loading, saving and validation
// live in PipelineJson and PipelineValidator.
struct Pipeline
{
    static constexpr int kFormatVersion = 1;

    int formatVersion = kFormatVersion;
    QString name;
    QString description;
    QMap<QString, EngineConfig> engines;
    QString backwardEngine;
    QVector<PipelineNode> nodes;
    QString objective;
    OptimizerSettings optimizer;
    // Overrides of the built-in prompts, by name ("backward_base", "optimizer_system", ...):
    // the text itself. A pipeline file may give {"file": "path"}; the loader reads the file.
    QMap<QString, QString> prompts;
    // Overrides that came from {"file": path}: the path as written, so that saving keeps the
    // reference instead of inlining the text. An editor that changes such a prompt's text
    // removes its entry here (or writes the file itself).
    QMap<QString, QString> promptFiles;
    QJsonObject extra;        // unknown top-level keys, kept for a lossless round trip
    QString sourcePath;       // file it was loaded from, for messages; not saved

    const PipelineNode *node(const QString &id) const;
    PipelineNode *node(const QString &id);
    int indexOf(const QString &id) const;
    QStringList trainableIds() const;       // in file order
    QStringList inputFields() const;        // dataset columns the pipeline reads
    // A pipeline with no input nodes optimizes one value at test time instead of over a dataset.
    bool isTestTime() const;
    // The engine for backward and optimizer calls: optimizer.engine, else backwardEngine.
    QString optimizerEngine() const;
};
