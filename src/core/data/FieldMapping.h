#pragma once

#include "data/Dataset.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

// Which dataset column feeds each input field of a pipeline (Pipeline::inputFields()).
// Automatic matching takes an exact name first, then a case-insensitive one ("Question" feeds
// "question"); the user can override any field. Applying the mapping renames the columns so
// the pipeline finds every field it reads; columns that feed nothing are kept as they are.
class FieldMapping
{
public:
    FieldMapping() = default;
    static FieldMapping automatic(const QStringList &fields, const QStringList &columns);

    QStringList fields() const { return m_fields; }
    QStringList columns() const { return m_columns; }
    // The column that feeds `field`, or an empty string when none does.
    QString column(const QString &field) const { return m_map.value(field); }
    // A manual choice; an empty column unmaps the field. Manual choices survive
    // rematch() when the column still exists.
    void setColumn(const QString &field, const QString &column);
    bool isManual(const QString &field) const { return m_manual.contains(field); }
    // Matches again after the dataset's columns changed, keeping manual choices that still fit.
    void rematch(const QStringList &columns);

    QStringList unmappedFields() const;
    bool isComplete() const { return unmappedFields().isEmpty(); }

    // A copy of `data` whose rows carry every mapped field under the pipeline's name, lines kept.
    Dataset apply(const Dataset &data) const;

    QJsonObject toJson() const;   // {"field": "column", ...} for manual choices only
    static FieldMapping fromJson(const QJsonObject &json, const QStringList &fields,
                                 const QStringList &columns);

private:
    QStringList m_fields;
    QStringList m_columns;
    QMap<QString, QString> m_map;      // field -> column ("" when unmapped)
    QMap<QString, QString> m_manual;   // field -> column the user chose
};
