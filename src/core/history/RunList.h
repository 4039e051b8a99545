#pragma once

#include "store/RunRecords.h"

#include <QDateTime>
#include <QString>
#include <QVector>

// One run as the runs list shows it: what it was, how it ended, what it cost.
struct RunRow
{
    QString id;
    QString pipelineName;
    QString mode;               // optimize | eval | test-time
    QString status;             // RunStatus values
    QString error;
    QDateTime createdAt;
    QDateTime updatedAt;
    int steps = 0;              // completed steps
    double initialValScore = noScore();
    double bestValScore = noScore();
    double testScore = noScore();
    int calls = 0;              // requests sent (cache hits not counted)
    int cachedCalls = 0;
    qint64 tokens = 0;
    double costUsd = 0.0;
    int unknownCostCalls = 0;
};

namespace RunList {

// Every run of a project file, newest first, with its scores and totals. Opens its own
// connection, so it can run on any thread (the runs panel loads it off the GUI thread).
QVector<RunRow> load(const QString &projectPath, QString *error);

} // namespace RunList
