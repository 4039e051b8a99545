#include "store/RunStore.h"

#include "store/StoreQuery.h"
#include "store/StoreRows.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;
using namespace StoreQuery;
using namespace StoreRows;

namespace {

// zlib level 6: 100,000 short rows shrink about tenfold in a fraction of a second; level 9
// costs several times longer for a few percent.
constexpr int kCompressionLevel = 6;

QByteArray packRows(const Dataset &data)
{
    QJsonArray rows;
    for (const DataRow &row : data.rows) {
        QJsonArray packed{ row.line };
        for (const QString &column : data.columns) {
            const auto it = row.fields.constFind(column);
            packed.append(it == row.fields.cend() ? QJsonValue() : QJsonValue(*it));
        }
        rows.append(packed);
    }
    return qCompress(QJsonDocument(rows).toJson(QJsonDocument::Compact), kCompressionLevel);
}

bool unpackRows(const QByteArray &blob, Dataset *data)
{
    if (blob.isEmpty())
        return true;
    const QJsonDocument doc = QJsonDocument::fromJson(qUncompress(blob));
    if (!doc.isArray())
        return false;
    const QJsonArray rows = doc.array();
    data->rows.reserve(rows.size());
    for (const QJsonValue &value : rows) {
        const QJsonArray packed = value.toArray();
        DataRow row;
        row.line = packed.at(0).toInt();
        for (int c = 0; c < data->columns.size() && c + 1 < packed.size(); ++c) {
            const QJsonValue v = packed.at(c + 1);
            if (!v.isNull())
                row.fields.insert(data->columns.at(c), v.toString());
        }
        data->rows << row;
    }
    return true;
}

QString columnsText(const QStringList &columns)
{
    return jsonText(QJsonArray::fromStringList(columns));
}

QStringList columnsFromText(const QString &text)
{
    QStringList out;
    const QJsonArray array = QJsonDocument::fromJson(text.toUtf8()).array();
    for (const QJsonValue &v : array)
        out << v.toString();
    return out;
}

QJsonObject objectFromText(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

const QString kListColumns = u"id, name, source_path, row_count, columns_json, split_json, "
                             "mapping_json"_s;

StoredDataset readListed(const QSqlQuery &q)
{
    Cursor c(q);
    StoredDataset d;
    d.id = c.int64();
    d.name = c.text();
    d.data.sourcePath = c.text();
    d.rowCount = c.integer();
    d.data.columns = columnsFromText(c.text());
    d.split = objectFromText(c.text());
    d.mapping = objectFromText(c.text());
    return d;
}

} // namespace

qint64 RunStore::saveDataset(const StoredDataset &dataset)
{
    const QString what = u"saving dataset \"%1\""_s.arg(dataset.name);
    // Packed before the transaction: compressing 100,000 rows should not hold the write lock.
    const QByteArray blob = packRows(dataset.data);
    const QString now = nowText();
    QSqlDatabase db = connectionNamed(m_connection);
    WriteTransaction transaction(db);
    if (!transaction.begin(what, m_lastError))
        return 0;
    QSqlQuery q(db);
    if (dataset.id > 0) {
        // An upsert keeps the id stable, so whatever refers to the dataset stays bound to it.
        if (!prepare(q,
                u"INSERT INTO datasets (id, name, source_path, created_at, updated_at, row_count, "
                "columns_json, split_json, mapping_json, rows_blob) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "name = excluded.name, source_path = excluded.source_path, "
                "updated_at = excluded.updated_at, row_count = excluded.row_count, "
                "columns_json = excluded.columns_json, split_json = excluded.split_json, "
                "mapping_json = excluded.mapping_json, rows_blob = excluded.rows_blob"_s,
                what, m_lastError))
            return 0;
        Binder(q) << dataset.id << dataset.name << dataset.data.sourcePath << now << now
                  << dataset.data.size() << columnsText(dataset.data.columns)
                  << jsonText(dataset.split) << jsonText(dataset.mapping) << QVariant(blob);
    } else {
        if (!prepare(q,
                insertSql(u"datasets"_s,
                    { u"name"_s, u"source_path"_s, u"created_at"_s, u"updated_at"_s,
                        u"row_count"_s, u"columns_json"_s, u"split_json"_s, u"mapping_json"_s,
                        u"rows_blob"_s }),
                what, m_lastError))
            return 0;
        Binder(q) << dataset.name << dataset.data.sourcePath << now << now << dataset.data.size()
                  << columnsText(dataset.data.columns) << jsonText(dataset.split)
                  << jsonText(dataset.mapping) << QVariant(blob);
    }
    if (!exec(q, what, m_lastError))
        return 0;
    const qint64 id = dataset.id > 0 ? dataset.id : q.lastInsertId().toLongLong();
    if (!transaction.commit(what, m_lastError))
        return 0;
    return id;
}

StoredDataset RunStore::dataset(qint64 id) const
{
    const QString what = u"reading dataset %1"_s.arg(id);
    QSqlQuery q(connectionNamed(m_connection));
    if (!prepare(q, u"SELECT "_s + kListColumns + u", rows_blob FROM datasets WHERE id = ?"_s,
            what, m_lastError))
        return {};
    q.addBindValue(id);
    if (!exec(q, what, m_lastError) || !q.next())
        return {};
    StoredDataset d = readListed(q);
    if (!unpackRows(q.value(7).toByteArray(), &d.data)) {
        m_lastError = what + u": the stored rows are damaged"_s;
        return {};
    }
    return d;
}

QVector<StoredDataset> RunStore::datasets() const
{
    const QString what = u"listing datasets"_s;
    QVector<StoredDataset> out;
    QSqlQuery q(connectionNamed(m_connection));
    if (!prepare(q, u"SELECT "_s + kListColumns + u" FROM datasets ORDER BY name, id"_s, what,
            m_lastError)
        || !exec(q, what, m_lastError))
        return out;
    while (q.next())
        out << readListed(q);
    return out;
}

bool RunStore::removeDataset(qint64 id)
{
    const QString what = u"removing dataset %1"_s.arg(id);
    QSqlQuery q(connectionNamed(m_connection));
    if (!prepare(q, u"DELETE FROM datasets WHERE id = ?"_s, what, m_lastError))
        return false;
    q.addBindValue(id);
    if (!exec(q, what, m_lastError))
        return false;
    return q.numRowsAffected() > 0;
}
