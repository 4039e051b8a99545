#include "Clipboard.h"

#include "graph/PipelineJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMimeData>

using namespace Qt::StringLiterals;

namespace Clipboard {

QString toJsonText(const Pipeline &pipeline, const QStringList &ids)
{
    Pipeline selection;
    for (const PipelineNode &n : pipeline.nodes) {
        if (!ids.contains(n.id))
            continue;
        PipelineNode copy = n;
        for (auto it = copy.inputs.begin(); it != copy.inputs.end();) {
            if (ids.contains(it.value()))
                ++it;
            else
                it = copy.inputs.erase(it);
        }
        selection.nodes.append(copy);
    }
    const QJsonObject full = PipelineJson::toJson(selection);
    // Only what a paste uses: the settings of an empty pipeline would be noise in a text editor.
    QJsonObject o;
    for (const QString &key : { u"format"_s, u"formatVersion"_s, u"nodes"_s })
        o.insert(key, full.value(key));
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}

QVector<PipelineNode> fromJsonText(const QString &text, QString *error)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return QVector<PipelineNode>();
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return fail(u"the clipboard holds no pipeline nodes"_s);
    Pipeline p;
    QVector<PipelineIssue> issues;
    if (!PipelineJson::fromJson(doc.object(), &p, &issues)) {
        QStringList messages;
        for (const PipelineIssue &issue : std::as_const(issues))
            messages << issue.toString();
        return fail(messages.join(u'\n'));
    }
    return p.nodes;
}

QMimeData *toMimeData(const Pipeline &pipeline, const QStringList &ids)
{
    const QString text = toJsonText(pipeline, ids);
    auto *mime = new QMimeData;
    mime->setData(QString::fromLatin1(kMimeType), text.toUtf8());
    mime->setText(text);
    return mime;
}

bool canPaste(const QMimeData *mime)
{
    if (!mime)
        return false;
    if (mime->hasFormat(QString::fromLatin1(kMimeType)))
        return true;
    // Plain text qualifies only if it reads as nodes; cheap enough for a menu update.
    return mime->hasText() && !fromJsonText(mime->text()).isEmpty();
}

QVector<PipelineNode> fromMimeData(const QMimeData *mime, QString *error)
{
    if (!mime) {
        if (error)
            *error = u"nothing to paste"_s;
        return {};
    }
    if (mime->hasFormat(QString::fromLatin1(kMimeType)))
        return fromJsonText(QString::fromUtf8(mime->data(QString::fromLatin1(kMimeType))), error);
    return fromJsonText(mime->text(), error);
}

} // namespace Clipboard
