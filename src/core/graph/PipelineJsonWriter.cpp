#include "graph/PipelineJsonWriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace {

// Where an object sits in the file decides the order of its keys.
enum class Context { Other, Top, Engine, Node, Rubric, Criterion, Optimizer };

QStringList keyOrder(Context context)
{
    switch (context) {
    case Context::Top:
        return { u"format"_s, u"formatVersion"_s, u"name"_s, u"description"_s, u"engines"_s,
            u"backwardEngine"_s, u"prompts"_s, u"nodes"_s, u"objective"_s, u"optimizer"_s };
    case Context::Engine:
        return { u"provider"_s, u"baseUrl"_s, u"deployment"_s, u"apiVersion"_s, u"model"_s,
            u"apiKeyEnv"_s, u"temperature"_s, u"topP"_s, u"maxTokens"_s, u"stop"_s, u"stream"_s };
    case Context::Node:
        return { u"id"_s, u"type"_s, u"role"_s, u"field"_s, u"trainable"_s, u"value"_s,
            u"constraints"_s, u"engine"_s, u"metric"_s, u"pattern"_s, u"tolerance"_s,
            u"options"_s, u"template"_s, u"inputs"_s, u"purpose"_s, u"rubric"_s, u"position"_s };
    case Context::Rubric:
        return { u"instructions"_s, u"scale"_s, u"criteria"_s, u"anchors"_s };
    case Context::Criterion:
        return { u"name"_s, u"description"_s, u"weight"_s };
    case Context::Optimizer:
        return { u"kind"_s, u"engine"_s, u"batchSize"_s, u"epochs"_s, u"maxSteps"_s,
            u"validation"_s, u"constraints"_s, u"examples"_s, u"seed"_s, u"concurrency"_s };
    case Context::Other:
        break;
    }
    return {};
}

Context childContext(Context parent, const QString &key)
{
    switch (parent) {
    case Context::Top:
        if (key == u"nodes"_s)
            return Context::Node;        // applies to the array's elements
        if (key == u"engines"_s)
            return Context::Other;       // a map of names; its values are engines
        if (key == u"optimizer"_s)
            return Context::Optimizer;
        break;
    case Context::Node:
        if (key == u"rubric"_s)
            return Context::Rubric;
        break;
    case Context::Rubric:
        if (key == u"criteria"_s)
            return Context::Criterion;
        break;
    default:
        break;
    }
    return Context::Other;
}

QByteArray scalar(const QJsonValue &value)
{
    // QJsonDocument knows how to escape strings and print numbers; borrow it for one value.
    QByteArray text = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    return text.mid(1, text.size() - 2);
}

bool isScalar(const QJsonValue &value)
{
    return !value.isArray() && !value.isObject();
}

void writeValue(QByteArray &out, const QJsonValue &value, int indent, Context context,
    bool enginesMap = false);

void writeObject(QByteArray &out, const QJsonObject &object, int indent, Context context,
    bool enginesMap)
{
    if (object.isEmpty()) {
        out += "{}";
        return;
    }
    QStringList keys;
    for (const QString &key : keyOrder(context)) {
        if (object.contains(key))
            keys << key;
    }
    for (auto it = object.begin(); it != object.end(); ++it) { // the rest, sorted
        if (!keys.contains(it.key()))
            keys << it.key();
    }
    const QByteArray pad(indent + 2, ' ');
    out += "{\n";
    for (int i = 0; i < keys.size(); ++i) {
        const QString &key = keys.at(i);
        out += pad + scalar(key) + ": ";
        const Context child = enginesMap ? Context::Engine : childContext(context, key);
        writeValue(out, object.value(key), indent + 2, child,
            context == Context::Top && key == u"engines"_s);
        out += i + 1 < keys.size() ? ",\n" : "\n";
    }
    out += QByteArray(indent, ' ') + '}';
}

void writeArray(QByteArray &out, const QJsonArray &array, int indent, Context context)
{
    if (array.isEmpty()) {
        out += "[]";
        return;
    }
    bool plain = true;
    int width = 0;
    for (const QJsonValue &v : array) {
        plain = plain && isScalar(v);
        width += plain ? int(scalar(v).size()) + 2 : 0;
    }
    if (plain && width <= 60) {
        out += '[';
        for (int i = 0; i < array.size(); ++i)
            out += (i > 0 ? ", " : "") + scalar(array.at(i));
        out += ']';
        return;
    }
    const QByteArray pad(indent + 2, ' ');
    out += "[\n";
    for (int i = 0; i < array.size(); ++i) {
        out += pad;
        writeValue(out, array.at(i), indent + 2, context);
        out += i + 1 < array.size() ? ",\n" : "\n";
    }
    out += QByteArray(indent, ' ') + ']';
}

void writeValue(QByteArray &out, const QJsonValue &value, int indent, Context context, bool enginesMap)
{
    if (value.isObject())
        writeObject(out, value.toObject(), indent, context, enginesMap);
    else if (value.isArray())
        writeArray(out, value.toArray(), indent, context);
    else
        out += scalar(value);
}

} // namespace

namespace PipelineJsonWriter {

QByteArray write(const QJsonObject &pipeline)
{
    QByteArray out;
    writeObject(out, pipeline, 0, Context::Top, false);
    out += '\n';
    return out;
}

} // namespace PipelineJsonWriter
