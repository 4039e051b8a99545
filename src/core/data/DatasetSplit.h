#pragma once

#include "data/Dataset.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>
#include <optional>

// Which part of the data a row belongs to. None marks a row that a split column could not place.
enum class DataSplit : qint8 { None = -1, Train = 0, Validation = 1, Test = 2 };

struct SplitRatios
{
    double train = 0.6;
    double validation = 0.2;
    double test = 0.2;
};

// How a dataset is divided; stored with the dataset in the project file.
struct SplitSettings
{
    enum class Mode { Ratios, Column };
    Mode mode = Mode::Ratios;
    SplitRatios ratios;
    quint64 seed = 0;
    QString column;   // Mode::Column: the column whose values name the split

    QJsonObject toJson() const;
    static SplitSettings fromJson(const QJsonObject &json);
    bool operator==(const SplitSettings &other) const;
};

struct SplitResult
{
    Dataset train;
    Dataset validation;
    Dataset test;
    QVector<DataSplit> rowSplits;   // one per row of the source dataset, in file order
    QStringList errors;             // "file:line: message"; rows named here are in no split
    bool ok = true;                 // false when the settings themselves are unusable

    int count(DataSplit split) const;
};

// Dividing a dataset into train / validation / test, either by ratios with a seed (the same
// seed and data always give the same split, on every platform) or by a column that names each
// row's split. Rows keep their source lines, so every later error can still point at the file.
namespace DatasetSplit {

// Split sizes for n rows: they add up to n, follow the ratios by largest remainder, and give
// every split whose ratio is above zero at least one row when n allows it. Ratios need not sum
// to 1 exactly (spin boxes rarely do); they are normalised. Empty when a ratio is negative or
// all are zero.
QVector<int> sizesFor(int n, const SplitRatios &ratios);

SplitResult byRatios(const Dataset &data, const SplitRatios &ratios, quint64 seed);
// Values (trimmed, any case): train/training, validation/val/valid/dev, test/testing.
SplitResult byColumn(const Dataset &data, const QString &column);
SplitResult apply(const Dataset &data, const SplitSettings &settings);

std::optional<DataSplit> splitFromName(const QString &value);
// The inverse of a split: the three parts as one dataset whose `column` names each row's part
// ("train", "validation", "test"), columns in first-seen order with `column` last (none when no
// part has rows). *settings, if given, becomes the Mode::Column settings that divide it back
// exactly. Rows keep their lines; the caller names the result (sourcePath).
Dataset joined(const Dataset &train, const Dataset &validation, const Dataset &test,
    const QString &column, SplitSettings *settings = nullptr);
QString splitName(DataSplit split);   // "train", "validation", "test", "" for None

} // namespace DatasetSplit
