#include "data/DatasetLoader.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSet>
#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace {

struct CsvRecord
{
    int line = 0;
    QStringList fields;
};

QString located(const QString &source, int line, const QString &message)
{
    return source + u":"_s + QString::number(line) + u": "_s + message;
}

bool decodeUtf8(QByteArray bytes, const QString &source, QString *text, QString *error)
{
    if (bytes.startsWith("\xEF\xBB\xBF"))
        bytes.remove(0, 3);
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    *text = decoder.decode(bytes);
    if (decoder.hasError()) {
        *error = source + u": the file is not valid UTF-8 text"_s;
        return false;
    }
    return true;
}

// RFC 4180 with the usual tolerances: LF, CRLF or CR line ends, blank lines skipped, a quote
// inside an unquoted field taken literally. Line numbers count physical lines, so that a record
// with quoted newlines is reported where it starts and the ones after it stay right.
bool splitCsv(const QString &text, const QString &source, QVector<CsvRecord> *records,
              QString *error)
{
    const qsizetype n = text.size();
    qsizetype i = 0;
    int line = 1;
    CsvRecord record;
    QString field;
    // Whether the current field has begun; with record.fields it tells a blank line (skipped)
    // from a line holding one empty field ("").
    bool fieldStarted = false;

    auto endField = [&] {
        record.fields << field;
        field.clear();
        fieldStarted = false;
    };
    auto endRecord = [&] {
        if (fieldStarted || !record.fields.isEmpty()) {
            endField();
            records->append(record);
        }
        record = CsvRecord();
        field.clear();
        fieldStarted = false;
    };
    // Consumes one line end at i (CRLF, LF or CR) if there is one.
    auto takeNewline = [&]() -> bool {
        if (i < n && text.at(i) == u'\r') {
            ++i;
            if (i < n && text.at(i) == u'\n')
                ++i;
            ++line;
            return true;
        }
        if (i < n && text.at(i) == u'\n') {
            ++i;
            ++line;
            return true;
        }
        return false;
    };

    while (i < n) {
        if (!fieldStarted && record.fields.isEmpty())
            record.line = line;
        const QChar c = text.at(i);
        if (c == u'"' && !fieldStarted) {
            const int quoteLine = line;
            fieldStarted = true;
            ++i;
            bool closed = false;
            while (i < n) {
                const QChar q = text.at(i);
                if (q == u'"') {
                    if (i + 1 < n && text.at(i + 1) == u'"') {
                        field += u'"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    closed = true;
                    break;
                }
                if (q == u'\r' || q == u'\n') {
                    takeNewline();
                    field += u'\n';
                    continue;
                }
                field += q;
                ++i;
            }
            if (!closed) {
                *error = located(source, quoteLine,
                                 u"unterminated quoted field (the quote opened on this line is "
                                 "never closed)"_s);
                return false;
            }
            if (i < n && text.at(i) != u',' && text.at(i) != u'\r' && text.at(i) != u'\n') {
                *error = located(source, line,
                                 u"unexpected text after a closing quote in field "_s
                                     + QString::number(record.fields.size() + 1)
                                     + u" (a quote inside a quoted field is written \"\")"_s);
                return false;
            }
            continue;
        }
        if (c == u',') {
            endField();
            ++i;
            continue;
        }
        if (takeNewline()) {
            endRecord();
            continue;
        }
        field += c;
        fieldStarted = true;
        ++i;
    }
    endRecord();
    return true;
}

QString jsonValueText(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::String:
        return v.toString();
    case QJsonValue::Bool:
        return v.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QString();
    case QJsonValue::Double: {
        // Qt's serializer writes the shortest text that reads back the same number, which is
        // what the file most likely said ("0.1", not "0.10000000000000001").
        const QByteArray json = QJsonDocument(QJsonArray{ v }).toJson(QJsonDocument::Compact);
        return QString::fromUtf8(json.mid(1, json.size() - 2));
    }
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    }
    return QString();
}

void addObjectRow(const QJsonObject &o, int line, Dataset *out)
{
    DataRow row;
    row.line = line;
    for (auto it = o.begin(); it != o.end(); ++it) {
        row.fields.insert(it.key(), jsonValueText(it.value()));
        if (!out->columns.contains(it.key()))
            out->columns << it.key();
    }
    out->rows << row;
}

QString jsonKindName(const QJsonDocument &doc)
{
    return doc.isArray() ? u"found an array"_s : u"found a plain value"_s;
}

// A .json dataset holding one array of objects; rows are numbered by item, since the parser
// does not report where each item starts.
bool parseJsonArray(const QByteArray &bytes, const QString &source, Dataset *out, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const int line = int(bytes.left(parseError.offset).count('\n')) + 1;
        *error = located(source, line, u"invalid JSON: "_s + parseError.errorString());
        return false;
    }
    const QJsonArray items = doc.array();
    for (int i = 0; i < items.size(); ++i) {
        if (!items.at(i).isObject()) {
            *error = source + u": item "_s + QString::number(i + 1) + u" is not a JSON object"_s;
            return false;
        }
        addObjectRow(items.at(i).toObject(), i + 1, out);
    }
    return true;
}

} // namespace

namespace DatasetLoader {

bool load(const QString &path, Dataset *out, QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + u": cannot read: "_s + file.errorString();
        return false;
    }
    const QByteArray bytes = file.readAll();
    const QString suffix = QFileInfo(path).suffix().toLower();
    bool ok = false;
    Dataset data;
    if (suffix == u"csv") {
        ok = parseCsv(bytes, path, &data, error);
    } else if (suffix == u"jsonl" || suffix == u"ndjson") {
        ok = parseJsonl(bytes, path, &data, error);
    } else if (suffix == u"json") {
        if (bytes.trimmed().startsWith('[')) {
            data.sourcePath = path;
            ok = parseJsonArray(bytes, path, &data, error);
        } else {
            ok = parseJsonl(bytes, path, &data, error);
        }
    } else {
        *error = path + u": unknown dataset format (use .csv, .jsonl or .json)"_s;
        return false;
    }
    if (!ok)
        return false;
    data.sourcePath = path;
    *out = data;
    return true;
}

bool parseCsv(const QByteArray &bytes, const QString &sourceName, Dataset *out, QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    QString text;
    if (!decodeUtf8(bytes, sourceName, &text, error))
        return false;
    QVector<CsvRecord> records;
    if (!splitCsv(text, sourceName, &records, error))
        return false;
    if (records.isEmpty()) {
        *error = sourceName + u": the file is empty (a CSV dataset needs a header row)"_s;
        return false;
    }

    Dataset data;
    data.sourcePath = sourceName;
    const CsvRecord &header = records.first();
    for (int c = 0; c < header.fields.size(); ++c) {
        const QString name = header.fields[c].trimmed();
        if (name.isEmpty()) {
            *error = located(sourceName, header.line,
                             u"column "_s + QString::number(c + 1) + u" of the header has no name"_s);
            return false;
        }
        if (data.columns.contains(name)) {
            *error = located(sourceName, header.line,
                             u"column \""_s + name + u"\" appears twice in the header"_s);
            return false;
        }
        data.columns << name;
    }
    for (int r = 1; r < records.size(); ++r) {
        const CsvRecord &rec = records[r];
        if (rec.fields.size() != data.columns.size()) {
            *error = located(sourceName, rec.line,
                             u"row has "_s + QString::number(rec.fields.size())
                                 + u" fields, the header has "_s
                                 + QString::number(data.columns.size()));
            return false;
        }
        DataRow row;
        row.line = rec.line;
        for (int c = 0; c < rec.fields.size(); ++c)
            row.fields.insert(data.columns[c], rec.fields[c]);
        data.rows << row;
    }
    *out = data;
    return true;
}

bool parseJsonl(const QByteArray &bytes, const QString &sourceName, Dataset *out, QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    Dataset data;
    data.sourcePath = sourceName;
    const QList<QByteArray> lines = bytes.split('\n');
    bool any = false;
    for (int i = 0; i < lines.size(); ++i) {
        QByteArray line = lines[i];
        if (i == 0 && line.startsWith("\xEF\xBB\xBF"))
            line.remove(0, 3);
        if (line.trimmed().isEmpty())
            continue;
        any = true;
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            *error = located(sourceName, i + 1, u"not a JSON object: "_s + parseError.errorString()
                                                    + u" at column "_s
                                                    + QString::number(parseError.offset + 1));
            return false;
        }
        if (!doc.isObject()) {
            *error = located(sourceName, i + 1, u"not a JSON object: "_s + jsonKindName(doc));
            return false;
        }
        addObjectRow(doc.object(), i + 1, &data);
    }
    if (!any) {
        *error = sourceName + u": the file is empty"_s;
        return false;
    }
    *out = data;
    return true;
}

bool checkFields(const Dataset &data, const QStringList &fields, QString *error)
{
    for (const QString &field : fields) {
        if (data.rows.isEmpty() && !data.columns.contains(field)) {
            if (error)
                *error = data.sourcePath + u": no field \""_s + field + u"\" (the file has: "_s
                    + data.columns.join(u", "_s) + u")"_s;
            return false;
        }
        for (const DataRow &row : data.rows) {
            if (!row.fields.contains(field)) {
                if (error)
                    *error = located(data.sourcePath, row.line,
                                     u"row has no field \""_s + field
                                         + u"\", which the pipeline reads (the file has: "_s
                                         + data.columns.join(u", "_s) + u")"_s);
                return false;
            }
        }
    }
    return true;
}

} // namespace DatasetLoader

QVector<int> seededShuffle(int n, quint64 seed)
{
    QVector<int> order(qMax(0, n));
    for (int i = 0; i < order.size(); ++i)
        order[i] = i;
    // splitmix64: tiny, well mixed even for seeds 0, 1, 2, ..., and fully specified.
    quint64 state = seed;
    auto next = [&state]() -> quint64 {
        state += 0x9E3779B97F4A7C15ULL;
        quint64 z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    };
    // Fisher-Yates; the modulo bias is below 2^-32 for any dataset that fits in memory.
    for (int i = order.size() - 1; i > 0; --i) {
        const int j = int(next() % quint64(i + 1));
        std::swap(order[i], order[j]);
    }
    return order;
}
