#include "report/PromptExport.h"

#include "graph/PipelineJsonWriter.h"

#include "store/RunStore.h"
#include "training/RunSummary.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

QString scoreText(const QJsonValue &v)
{
    return v.isDouble() ? QString::number(v.toDouble(), 'f', 3) : u"n/a"_s;
}

// The pipeline snapshot with every optimized parameter's value replaced.
QJsonObject optimizedPipeline(QJsonObject pipeline, const QJsonObject &params)
{
    QJsonArray nodes = pipeline.value(u"nodes"_s).toArray();
    for (int i = 0; i < nodes.size(); ++i) {
        QJsonObject node = nodes.at(i).toObject();
        const QString id = node.value(u"id"_s).toString();
        if (params.contains(id))
            node.insert(u"value"_s, params.value(id));
        nodes.replace(i, node);
    }
    pipeline.insert(u"nodes"_s, nodes);
    return pipeline;
}

QString roleOf(const QJsonObject &pipeline, const QString &id)
{
    for (const QJsonValue &n : pipeline.value(u"nodes"_s).toArray()) {
        if (n.toObject().value(u"id"_s).toString() == id)
            return n.toObject().value(u"role"_s).toString();
    }
    return {};
}

} // namespace

QStringList PromptExport::formats()
{
    return {u"txt"_s, u"json"_s, u"md"_s};
}

QString PromptExport::formatFromPath(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"txt"_s || suffix == u"text"_s)
        return u"txt"_s;
    if (suffix == u"json"_s)
        return u"json"_s;
    if (suffix == u"md"_s || suffix == u"markdown"_s)
        return u"md"_s;
    return {};
}

bool PromptExport::render(const RunStore &store, const QString &runId, const QString &format,
                          QByteArray *out, QString *error)
{
    if (!formats().contains(format)) {
        *error = u"unknown export format \"%1\" (use txt, json or md)"_s.arg(format);
        return false;
    }
    const RunInfo run = store.run(runId);
    const QJsonObject summary = RunSummary::build(store, runId);
    const QJsonObject params = summary.value(u"finalParameters"_s).toObject();
    if (params.isEmpty()) {
        *error = u"run %1 has no optimized parameters to export"_s.arg(runId);
        return false;
    }
    if (format == u"txt"_s) {
        QString text;
        if (params.size() == 1) {
            text = params.begin().value().toString() + u'\n';
        } else {
            for (auto it = params.constBegin(); it != params.constEnd(); ++it)
                text += u"=== "_s + it.key() + u" ===\n"_s + it.value().toString() + u"\n\n"_s;
        }
        *out = text.toUtf8();
        return true;
    }
    if (format == u"json"_s) {
        const QJsonObject doc{
            {u"runId"_s, runId},
            {u"pipelineName"_s, run.pipelineName},
            {u"status"_s, run.status},
            {u"initialValScore"_s, summary.value(u"initialValScore"_s)},
            {u"finalValScore"_s, summary.value(u"finalValScore"_s)},
            {u"testScore"_s, summary.value(u"testScore"_s)},
            {u"parameters"_s, params},
            {u"pipeline"_s, optimizedPipeline(run.pipeline, params)},
        };
        *out = QJsonDocument(doc).toJson(QJsonDocument::Indented);
        return true;
    }
    QString md = u"# Optimized prompts: %1\n\n"_s.arg(run.pipelineName);
    md += u"Run `%1` (%2). Validation %3 → %4"_s.arg(runId, run.status,
                                                     scoreText(summary.value(u"initialValScore"_s)),
                                                     scoreText(summary.value(u"finalValScore"_s)));
    if (summary.value(u"testScore"_s).isDouble())
        md += u", test "_s + scoreText(summary.value(u"testScore"_s));
    const QJsonArray steps = summary.value(u"steps"_s).toArray();
    int accepted = 0;
    for (const QJsonValue &s : steps)
        accepted += s.toObject().value(u"accepted"_s).toBool() ? 1 : 0;
    md += u"; %1 steps, %2 accepted.\n\n"_s.arg(steps.size()).arg(accepted);
    for (auto it = params.constBegin(); it != params.constEnd(); ++it) {
        md += u"## "_s + it.key() + u"\n\n"_s;
        const QString role = roleOf(run.pipeline, it.key());
        if (!role.isEmpty())
            md += u"*"_s + role + u"*\n\n"_s;
        // A fence longer than any backtick run in the value keeps the block intact.
        QString fence = u"```"_s;
        while (it.value().toString().contains(fence))
            fence += u'`';
        md += fence + u"text\n"_s + it.value().toString() + u'\n' + fence + u"\n\n"_s;
    }
    *out = md.toUtf8();
    return true;
}

bool PromptExport::renderPipeline(const RunStore &store, const QString &runId, QByteArray *out,
                                  QString *error)
{
    const RunInfo run = store.run(runId);
    if (run.id.isEmpty()) {
        *error = u"there is no run %1 in this project"_s.arg(runId);
        return false;
    }
    const QJsonObject params
        = RunSummary::build(store, runId).value(u"finalParameters"_s).toObject();
    if (params.isEmpty()) {
        *error = u"run %1 has no optimized parameters to export"_s.arg(runId);
        return false;
    }
    *out = PipelineJsonWriter::write(optimizedPipeline(run.pipeline, params));
    return true;
}
