#include "data/FieldMapping.h"

#include <QSet>

using namespace Qt::StringLiterals;

FieldMapping FieldMapping::automatic(const QStringList &fields, const QStringList &columns)
{
    FieldMapping m;
    m.m_fields = fields;
    m.rematch(columns);
    return m;
}

void FieldMapping::rematch(const QStringList &columns)
{
    m_columns = columns;
    m_map.clear();
    for (auto it = m_manual.begin(); it != m_manual.end();) {
        if (!it.value().isEmpty() && !columns.contains(it.value()))
            it = m_manual.erase(it);
        else
            ++it;
    }
    for (const QString &field : std::as_const(m_fields)) {
        if (m_manual.contains(field)) {
            m_map.insert(field, m_manual.value(field));
            continue;
        }
        QString match;
        if (columns.contains(field)) {
            match = field;
        } else {
            // Case-insensitive only when it is unambiguous: with both "Answer" and "ANSWER" in
            // the file, guessing would feed the pipeline a column nobody chose.
            QStringList candidates;
            for (const QString &c : columns)
                if (c.compare(field, Qt::CaseInsensitive) == 0)
                    candidates << c;
            if (candidates.size() == 1)
                match = candidates.first();
        }
        m_map.insert(field, match);
    }
}

void FieldMapping::setColumn(const QString &field, const QString &column)
{
    if (!m_fields.contains(field))
        return;
    m_manual.insert(field, column);
    m_map.insert(field, column);
}

QStringList FieldMapping::unmappedFields() const
{
    QStringList out;
    for (const QString &field : m_fields)
        if (m_map.value(field).isEmpty())
            out << field;
    return out;
}

Dataset FieldMapping::apply(const Dataset &data) const
{
    Dataset out;
    out.sourcePath = data.sourcePath;
    QSet<QString> sources;
    for (const QString &field : m_fields) {
        const QString column = m_map.value(field);
        if (!column.isEmpty()) {
            out.columns << field;
            sources.insert(column);
        }
    }
    // Other columns ride along (answers, ids, notes) unless a pipeline field took their name.
    QStringList rest;
    for (const QString &c : data.columns)
        if (!sources.contains(c) && !out.columns.contains(c))
            rest << c;
    out.columns << rest;

    out.rows.reserve(data.rows.size());
    for (const DataRow &row : data.rows) {
        DataRow mapped;
        mapped.line = row.line;
        for (const QString &field : m_fields) {
            const QString column = m_map.value(field);
            // A row without the column (JSONL) stays without the field, so checkFields() can
            // still name the line that lacks it.
            if (!column.isEmpty() && row.fields.contains(column))
                mapped.fields.insert(field, row.fields.value(column));
        }
        for (const QString &c : std::as_const(rest))
            if (row.fields.contains(c))
                mapped.fields.insert(c, row.fields.value(c));
        out.rows << mapped;
    }
    return out;
}

QJsonObject FieldMapping::toJson() const
{
    QJsonObject json;
    for (auto it = m_manual.cbegin(); it != m_manual.cend(); ++it)
        json[it.key()] = it.value();
    return json;
}

FieldMapping FieldMapping::fromJson(const QJsonObject &json, const QStringList &fields,
                                    const QStringList &columns)
{
    FieldMapping m;
    m.m_fields = fields;
    for (auto it = json.begin(); it != json.end(); ++it)
        if (fields.contains(it.key()))
            m.m_manual.insert(it.key(), it.value().toString());
    m.rematch(columns);
    return m;
}
