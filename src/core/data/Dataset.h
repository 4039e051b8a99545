#pragma once

#include <QMap>
#include <QString>
#include <QStringList>
#include <QVector>

// One dataset row: its fields by column name and the line of the file it came from
// (1-based; for CSV the line where the record starts).
struct DataRow
{
    int line = 0;
    QMap<QString, QString> fields;
};

struct Dataset
{
    QString sourcePath;
    QStringList columns;   // header order for CSV; first-seen order for JSONL
    QVector<DataRow> rows;

    int size() const { return rows.size(); }
};
