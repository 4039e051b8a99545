#pragma once

#include "data/Dataset.h"

#include <QJsonArray>
#include <QJsonObject>

// The splits a run uses. A test-time run has none: it optimizes one value with no dataset.
struct TrainingData
{
    Dataset train;
    Dataset validation;
    Dataset test;
};

// Runs keep their data in the store so that a resume needs none of the original files.
namespace TrainingDataJson {
QJsonObject toJson(const TrainingData &data);
TrainingData fromJson(const QJsonObject &json);
QJsonArray rowsToJson(const Dataset &data);
Dataset rowsFromJson(const QJsonArray &rows, const QString &sourcePath);
} // namespace TrainingDataJson
