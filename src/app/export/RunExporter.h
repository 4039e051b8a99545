#pragma once

#include <QFutureWatcher>
#include <QImage>
#include <QObject>
#include <functional>

// Writes what a run produced to files: the optimized prompts (text, JSON, Markdown; the same
// documents as `textgrad-cli export`), the pipeline with the optimized values filled in, the run
// report (HTML, or PDF through Qt's printing) and the per-sample results as CSV.
//
// Reading the project and writing the file happen on a worker thread with its own connection;
// only the PDF's layout and printing run on the GUI thread (QTextDocument), from HTML the worker
// prepared. One export at a time.
//
// Wiring in the main window:
//   exporter->setStorePath(projectPath); exporter->setRun(runId);
//   exporter->setCurvesProvider([curves] { return curves->grab().toImage(); });  // for reports
//   connect(exporter, &RunExporter::finished, statusBar, <show the path or the error>);
// and ExportDialog for the choices, or exportTo() from menu actions.
class RunExporter : public QObject {
    Q_OBJECT

public:
    enum class Kind {
        PromptsText,
        PromptsJson,
        PromptsMarkdown,
        OptimizedPipeline,
        ReportHtml,
        ReportPdf,
        ResultsCsv
    };
    Q_ENUM(Kind)

    // The figure for reports, asked for on the GUI thread when a report is exported; a null
    // image leaves the figure out.
    using CurvesProvider = std::function<QImage()>;

    explicit RunExporter(QObject *parent = nullptr);
    ~RunExporter() override;

    void setStorePath(const QString &path) { m_storePath = path; }
    QString storePath() const { return m_storePath; }
    void setRun(const QString &runId) { m_runId = runId; }
    QString runId() const { return m_runId; }
    void setCurvesProvider(CurvesProvider provider) { m_curves = std::move(provider); }

    bool isBusy() const { return m_busy; }
    // Starts writing `path`; finished() tells how it went. False, with nothing started, while
    // another export runs or when no project or run is set.
    bool exportTo(Kind kind, const QString &path);

    static QList<Kind> kinds();
    static QString title(Kind kind); // "Report (PDF)"
    static QString description(Kind kind); // one sentence for the dialog
    static QString suffix(Kind kind); // "pdf"
    static QString filter(Kind kind); // "PDF documents (*.pdf)"
    static QString suggestedFileName(Kind kind, const QString &pipelineName, const QString &runId);

signals:
    void finished(RunExporter::Kind kind, const QString &path, bool ok, const QString &error);

private:
    struct Rendered {
        bool ok = false;
        QString html; // the report, for the PDF
        QString error;
    };
    static Rendered renderAndWrite(const QString &storePath, const QString &runId, Kind kind,
        const QString &path, const QByteArray &curvesPng);
    void onRendered();
    bool printPdf(const QString &html, const QString &path, QString *error) const;

    QString m_storePath;
    QString m_runId;
    CurvesProvider m_curves;
    bool m_busy = false;
    Kind m_kind = Kind::PromptsText;
    QString m_path;
    QImage m_curvesImage;
    QFutureWatcher<Rendered> m_watcher;
};
