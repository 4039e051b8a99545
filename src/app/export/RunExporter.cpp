#include "export/RunExporter.h"

#include "report/PromptExport.h"
#include "report/ResultsCsv.h"
#include "report/RunReport.h"
#include "store/RunStore.h"

#include <QBuffer>
#include <QFileInfo>
#include <QPageLayout>
#include <QPrinter>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTextDocument>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace {

// The name the PDF's QTextDocument knows the curves image by.
const QString kCurvesResource = u"textgrad-curves.png"_s;

bool isReport(RunExporter::Kind kind)
{
    return kind == RunExporter::Kind::ReportHtml || kind == RunExporter::Kind::ReportPdf;
}

bool writeFile(const QString &path, const QByteArray &bytes, QString *error)
{
    // QSaveFile: a failed write leaves any earlier file at that path as it was.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = u"could not write %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

RunExporter::RunExporter(QObject *parent)
    : QObject(parent)
{
    connect(&m_watcher, &QFutureWatcher<Rendered>::finished, this, &RunExporter::onRendered);
}

RunExporter::~RunExporter()
{
    m_watcher.disconnect(this);
    m_watcher.waitForFinished();
}

QList<RunExporter::Kind> RunExporter::kinds()
{
    return { Kind::PromptsText, Kind::PromptsJson, Kind::PromptsMarkdown, Kind::OptimizedPipeline,
        Kind::ReportHtml, Kind::ReportPdf, Kind::ResultsCsv };
}

QString RunExporter::title(Kind kind)
{
    switch (kind) {
    case Kind::PromptsText:
        return tr("Optimized prompts (text)");
    case Kind::PromptsJson:
        return tr("Optimized prompts (JSON)");
    case Kind::PromptsMarkdown:
        return tr("Optimized prompts (Markdown)");
    case Kind::OptimizedPipeline:
        return tr("Pipeline with optimized values");
    case Kind::ReportHtml:
        return tr("Run report (HTML)");
    case Kind::ReportPdf:
        return tr("Run report (PDF)");
    case Kind::ResultsCsv:
        return tr("Per-sample results (CSV)");
    }
    return {};
}

QString RunExporter::description(Kind kind)
{
    switch (kind) {
    case Kind::PromptsText:
        return tr("The final prompt text, ready to paste into your application.");
    case Kind::PromptsJson:
        return tr("Every optimized parameter with the scores, for scripts and CI.");
    case Kind::PromptsMarkdown:
        return tr("The prompts with the scores, for a review or a pull request.");
    case Kind::OptimizedPipeline:
        return tr("A pipeline file with the optimized prompts in place, ready to run.");
    case Kind::ReportHtml:
        return tr("One page: scores, curves, final prompts, key critiques and cost.");
    case Kind::ReportPdf:
        return tr("The same report, printed to PDF.");
    case Kind::ResultsCsv:
        return tr("A row per sample and evaluation: inputs, outputs, score, tokens, cost.");
    }
    return {};
}

QString RunExporter::suffix(Kind kind)
{
    switch (kind) {
    case Kind::PromptsText:
        return u"txt"_s;
    case Kind::PromptsJson:
        return u"json"_s;
    case Kind::PromptsMarkdown:
        return u"md"_s;
    case Kind::OptimizedPipeline:
        return u"json"_s;
    case Kind::ReportHtml:
        return u"html"_s;
    case Kind::ReportPdf:
        return u"pdf"_s;
    case Kind::ResultsCsv:
        return u"csv"_s;
    }
    return {};
}

QString RunExporter::filter(Kind kind)
{
    switch (kind) {
    case Kind::PromptsText:
        return tr("Text files (*.txt)");
    case Kind::PromptsJson:
    case Kind::OptimizedPipeline:
        return tr("JSON files (*.json)");
    case Kind::PromptsMarkdown:
        return tr("Markdown files (*.md)");
    case Kind::ReportHtml:
        return tr("HTML pages (*.html *.htm)");
    case Kind::ReportPdf:
        return tr("PDF documents (*.pdf)");
    case Kind::ResultsCsv:
        return tr("CSV files (*.csv)");
    }
    return {};
}

QString RunExporter::suggestedFileName(Kind kind, const QString &pipelineName, const QString &runId)
{
    static const QRegularExpression unsafe(u"[^A-Za-z0-9._-]+"_s);
    QString base = pipelineName.trimmed().toLower().replace(unsafe, u"-"_s);
    base.remove(QRegularExpression(u"^-+|-+$"_s));
    if (base.isEmpty())
        base = u"run"_s;
    const QString shortId = runId.left(8);
    QString what;
    switch (kind) {
    case Kind::PromptsText:
    case Kind::PromptsJson:
    case Kind::PromptsMarkdown:
        what = u"prompts"_s;
        break;
    case Kind::OptimizedPipeline:
        what = u"optimized.pipeline"_s;
        break;
    case Kind::ReportHtml:
    case Kind::ReportPdf:
        what = u"report"_s;
        break;
    case Kind::ResultsCsv:
        what = u"results"_s;
        break;
    }
    return base + u'-' + shortId + u'-' + what + u'.' + suffix(kind);
}

bool RunExporter::exportTo(Kind kind, const QString &path)
{
    if (m_busy || m_storePath.isEmpty() || m_runId.isEmpty() || path.isEmpty())
        return false;
    m_busy = true;
    m_kind = kind;
    m_path = path;
    m_curvesImage = isReport(kind) && m_curves ? m_curves() : QImage();
    QByteArray png;
    if (!m_curvesImage.isNull()) {
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        m_curvesImage.save(&buffer, "PNG");
    }
    m_watcher.setFuture(
        QtConcurrent::run(&RunExporter::renderAndWrite, m_storePath, m_runId, kind, path, png));
    return true;
}

RunExporter::Rendered RunExporter::renderAndWrite(const QString &storePath, const QString &runId,
    Kind kind, const QString &path, const QByteArray &curvesPng)
{
    Rendered r;
    RunStore store;
    if (!store.open(storePath, &r.error))
        return r;
    QByteArray bytes;
    switch (kind) {
    case Kind::PromptsText:
        r.ok = PromptExport::render(store, runId, u"txt"_s, &bytes, &r.error);
        break;
    case Kind::PromptsJson:
        r.ok = PromptExport::render(store, runId, u"json"_s, &bytes, &r.error);
        break;
    case Kind::PromptsMarkdown:
        r.ok = PromptExport::render(store, runId, u"md"_s, &bytes, &r.error);
        break;
    case Kind::OptimizedPipeline:
        r.ok = PromptExport::renderPipeline(store, runId, &bytes, &r.error);
        break;
    case Kind::ReportHtml:
    case Kind::ReportPdf: {
        RunReport::Options options;
        options.curvesPng = curvesPng;
        if (kind == Kind::ReportPdf)
            options.curvesSource = kCurvesResource;
        r.ok = RunReport::render(store, runId, options, &r.html, &r.error);
        bytes = r.html.toUtf8();
        // The PDF is laid out on the GUI thread, from the HTML.
        if (kind == Kind::ReportPdf)
            return r;
        break;
    }
    case Kind::ResultsCsv:
        r.ok = ResultsCsv::render(store, runId, &bytes, &r.error);
        break;
    }
    if (r.ok)
        r.ok = writeFile(path, bytes, &r.error);
    return r;
}

void RunExporter::onRendered()
{
    if (m_watcher.future().resultCount() == 0)
        return;
    Rendered r = m_watcher.result();
    if (r.ok && m_kind == Kind::ReportPdf)
        r.ok = printPdf(r.html, m_path, &r.error);
    m_busy = false;
    m_curvesImage = QImage();
    emit finished(m_kind, m_path, r.ok, r.error);
}

bool RunExporter::printPdf(const QString &html, const QString &path, QString *error) const
{
    QTextDocument document;
    if (!m_curvesImage.isNull())
        document.addResource(QTextDocument::ImageResource, QUrl(kCurvesResource), m_curvesImage);
    document.setHtml(html);
    QPrinter printer(QPrinter::HighResolution);
    printer.setOutputFormat(QPrinter::PdfFormat);
    printer.setOutputFileName(path);
    printer.setPageSize(QPageSize(QPageSize::A4));
    printer.setPageMargins(QMarginsF(18, 16, 18, 16), QPageLayout::Millimeter);
    printer.setDocName(document.metaInformation(QTextDocument::DocumentTitle));
    printer.setCreator(u"TextGrad Workbench"_s);
    document.print(&printer);
    if (printer.printerState() == QPrinter::Error || QFileInfo(path).size() <= 0) {
        *error = u"could not write the PDF %1"_s.arg(path);
        return false;
    }
    return true;
}
