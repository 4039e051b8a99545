#include "training/TrainingData.h"

using namespace Qt::StringLiterals;

QJsonArray TrainingDataJson::rowsToJson(const Dataset &data)
{
    QJsonArray rows;
    for (const DataRow &row : data.rows) {
        QJsonObject fields;
        for (auto it = row.fields.cbegin(); it != row.fields.cend(); ++it)
            fields.insert(it.key(), it.value());
        rows.append(QJsonObject{{u"line"_s, row.line}, {u"fields"_s, fields}});
    }
    return rows;
}

Dataset TrainingDataJson::rowsFromJson(const QJsonArray &rows, const QString &sourcePath)
{
    Dataset data;
    data.sourcePath = sourcePath;
    for (const QJsonValue &value : rows) {
        const QJsonObject obj = value.toObject();
        DataRow row;
        row.line = obj.value(u"line"_s).toInt();
        const QJsonObject fields = obj.value(u"fields"_s).toObject();
        for (auto it = fields.constBegin(); it != fields.constEnd(); ++it) {
            row.fields.insert(it.key(), it.value().toString());
            if (!data.columns.contains(it.key()))
                data.columns.append(it.key());
        }
        data.rows.append(row);
    }
    return data;
}

QJsonObject TrainingDataJson::toJson(const TrainingData &data)
{
    return QJsonObject{
        {u"train"_s, rowsToJson(data.train)},
        {u"trainFile"_s, data.train.sourcePath},
        {u"validation"_s, rowsToJson(data.validation)},
        {u"validationFile"_s, data.validation.sourcePath},
        {u"test"_s, rowsToJson(data.test)},
        {u"testFile"_s, data.test.sourcePath},
    };
}

TrainingData TrainingDataJson::fromJson(const QJsonObject &json)
{
    TrainingData data;
    data.train = rowsFromJson(json.value(u"train"_s).toArray(), json.value(u"trainFile"_s).toString());
    data.validation = rowsFromJson(json.value(u"validation"_s).toArray(), json.value(u"validationFile"_s).toString());
    data.test = rowsFromJson(json.value(u"test"_s).toArray(), json.value(u"testFile"_s).toString());
    return data;
}
