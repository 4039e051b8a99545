// Exporting a real (scripted) run from the dialog: every kind written to the path the (seamed)
// file chooser gives, with contents checked (prompts, loadable pipeline, report with and without
// the curves, a real PDF, the CSV); one export at a time; errors shown; screenshots of the dialog
// and of the report's first page (TEXTGRAD_SCREENSHOT_DIR) for review.

#include "ScriptedRuns.h"
#include "export/ExportDialog.h"
#include "export/RunExporter.h"
#include "graph/PipelineJson.h"
#include "store/RunStore.h"

#include <QAbstractTextDocumentLayout>
#include <QFile>
#include <QJsonDocument>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextDocument>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A small chart drawn here so the report has a figure to embed: two score lines on a grid.
QImage chart()
{
    QImage image(640, 280, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QColor(0xDD, 0xDD, 0xDD));
    for (int y = 20; y <= 260; y += 60)
        p.drawLine(40, y, 620, y);
    p.setPen(QPen(QColor(0x1F, 0x77, 0xB4), 2));
    p.drawPolyline(
        QPolygon({ QPoint(40, 164), QPoint(233, 212), QPoint(426, 68), QPoint(620, 68) }));
    p.setPen(QPen(QColor(0xFF, 0x7F, 0x0E), 2));
    p.drawPolyline(
        QPolygon({ QPoint(40, 260), QPoint(233, 116), QPoint(426, 68), QPoint(620, 20) }));
    p.setPen(Qt::black);
    p.drawText(QRect(40, 0, 580, 18), Qt::AlignCenter,
        u"validation (blue) and training batch (orange) by step"_s);
    return image;
}

} // namespace

class TestExportDialog : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    QString m_runId;

    // Exports one kind through the dialog to `file` and waits for it.
    static bool exportKind(ExportDialog &dialog, RunExporter &exporter, RunExporter::Kind kind,
        const QString &file, QString *suggested = nullptr)
    {
        dialog.setKind(kind);
        dialog.setFileChooser(
            [&](QWidget *, const QString &, const QString &proposal, const QString &,
                const std::function<void(const QString &)> &done) {
                if (suggested)
                    *suggested = proposal;
                done(file);
            });
        QSignalSpy finished(&exporter, &RunExporter::finished);
        dialog.exportSelected();
        if (!finished.wait(20000))
            return false;
        return finished.first().at(2).toBool();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        ScriptedRuns::activateTestPrices();
        m_path = m_dir.filePath(u"export.tgdb"_s);
        RunStore store;
        QVERIFY(store.open(m_path, nullptr));
        const RunOutcome out = ScriptedRuns::gatedArithmetic(&store);
        QVERIFY2(out.ok, qPrintable(out.error));
        m_runId = out.runId;
    }

    void withoutARunNothingCanBeExported()
    {
        RunExporter exporter;
        ExportDialog dialog(&exporter);
        dialog.setRun(QString(), QString());
        QVERIFY(!dialog.findChild<QPushButton *>(u"export"_s)->isEnabled());
        QVERIFY(dialog.findChild<QLabel *>(u"heading"_s)->text().contains(u"Choose a run"_s));
        QVERIFY(!exporter.exportTo(RunExporter::Kind::PromptsText, m_dir.filePath(u"x.txt"_s)));
    }

    void everyKind()
    {
        RunExporter exporter;
        exporter.setStorePath(m_path);
        ExportDialog dialog(&exporter);
        dialog.setRun(m_runId, u"Arithmetic QA"_s);
        dialog.setDefaultDirectory(m_dir.path());
        const QString careful = QString::fromUtf8(ScriptedRuns::kCarefulPrompt);

        QString suggested;
        // A name typed without an extension gets the kind's.
        QVERIFY(exportKind(dialog, exporter, RunExporter::Kind::PromptsText,
            m_dir.filePath(u"prompt"_s), &suggested));
        QCOMPARE(suggested, m_dir.filePath(u"arithmetic-qa-%1-prompts.txt"_s.arg(m_runId.left(8))));
        QCOMPARE(QString::fromUtf8(readAll(m_dir.filePath(u"prompt.txt"_s))), careful + u'\n');
        QVERIFY(dialog.statusText().contains(u"Saved Optimized prompts (text)"_s));

        QVERIFY(exportKind(
            dialog, exporter, RunExporter::Kind::PromptsJson, m_dir.filePath(u"p.json"_s)));
        const QJsonObject json
            = QJsonDocument::fromJson(readAll(m_dir.filePath(u"p.json"_s))).object();
        QCOMPARE(
            json.value(u"parameters"_s).toObject().value(u"system_prompt"_s).toString(), careful);

        QVERIFY(exportKind(
            dialog, exporter, RunExporter::Kind::PromptsMarkdown, m_dir.filePath(u"p.md"_s)));
        QVERIFY(
            readAll(m_dir.filePath(u"p.md"_s)).startsWith("# Optimized prompts: Arithmetic QA"));

        QVERIFY(exportKind(
            dialog, exporter, RunExporter::Kind::OptimizedPipeline, m_dir.filePath(u"opt.json"_s)));
        Pipeline pipeline;
        QVector<PipelineIssue> issues;
        QVERIFY(PipelineJson::loadFile(m_dir.filePath(u"opt.json"_s), &pipeline, &issues));
        QCOMPARE(pipeline.node(u"system_prompt"_s)->value, careful);

        // No curves provider: the report has no figure.
        QVERIFY(exportKind(
            dialog, exporter, RunExporter::Kind::ReportHtml, m_dir.filePath(u"plain.html"_s)));
        QByteArray html = readAll(m_dir.filePath(u"plain.html"_s));
        QVERIFY(html.contains(careful.toUtf8()));
        QVERIFY(!html.contains("<img"));

        exporter.setCurvesProvider([] { return chart(); });
        QVERIFY(exportKind(
            dialog, exporter, RunExporter::Kind::ReportHtml, m_dir.filePath(u"report.html"_s)));
        html = readAll(m_dir.filePath(u"report.html"_s));
        QVERIFY(html.contains("<img src=\"data:image/png;base64,iVBOR"));

        QVERIFY(exportKind(
            dialog, exporter, RunExporter::Kind::ReportPdf, m_dir.filePath(u"report.pdf"_s)));
        const QByteArray pdf = readAll(m_dir.filePath(u"report.pdf"_s));
        QVERIFY(pdf.startsWith("%PDF-"));
        QVERIFY(pdf.size() > 20000); // text and the embedded chart
        QVERIFY(dialog.statusText().contains(u"report.pdf"_s));

        QVERIFY(exportKind(
            dialog, exporter, RunExporter::Kind::ResultsCsv, m_dir.filePath(u"r.csv"_s)));
        QVERIFY(
            readAll(m_dir.filePath(u"r.csv"_s)).startsWith("run_id,split,step,sample_index,line,"));
    }

    void oneExportAtATimeAndErrorsAreShown()
    {
        RunExporter exporter;
        exporter.setStorePath(m_path);
        exporter.setRun(m_runId);
        QSignalSpy finished(&exporter, &RunExporter::finished);
        QVERIFY(exporter.exportTo(RunExporter::Kind::ResultsCsv, m_dir.filePath(u"a.csv"_s)));
        QVERIFY(exporter.isBusy());
        QVERIFY(!exporter.exportTo(RunExporter::Kind::ResultsCsv, m_dir.filePath(u"b.csv"_s)));
        QVERIFY(finished.wait(20000));
        QVERIFY(!exporter.isBusy());
        QVERIFY(!QFile::exists(m_dir.filePath(u"b.csv"_s)));

        ExportDialog dialog(&exporter);
        dialog.setRun(u"missing-run"_s, u"Gone"_s);
        QVERIFY(!exportKind(
            dialog, exporter, RunExporter::Kind::ReportHtml, m_dir.filePath(u"gone.html"_s)));
        QVERIFY(dialog.statusText().contains(u"Export failed"_s));
        QVERIFY(dialog.statusText().contains(u"missing-run"_s));
        QVERIFY(!QFile::exists(m_dir.filePath(u"gone.html"_s)));

        // A folder that cannot be written names the file.
        dialog.setRun(m_runId, u"Arithmetic QA"_s);
        QVERIFY(!exportKind(
            dialog, exporter, RunExporter::Kind::PromptsText, u"/proc/no/such/dir/p.txt"_s));
        QVERIFY(dialog.statusText().contains(u"/proc/no/such/dir/p.txt"_s));
    }

    void screenshots()
    {
        const QString dir = qEnvironmentVariable("TEXTGRAD_SCREENSHOT_DIR");
        if (dir.isEmpty())
            QSKIP("screenshots only");
        RunExporter exporter;
        exporter.setStorePath(m_path);
        exporter.setCurvesProvider([] { return chart(); });
        ExportDialog dialog(&exporter);
        dialog.setRun(m_runId, u"Arithmetic QA"_s);
        dialog.setDefaultDirectory(m_dir.path());
        QVERIFY(exportKind(
            dialog, exporter, RunExporter::Kind::ReportHtml, m_dir.filePath(u"shot.html"_s)));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(dialog.grab().save(dir + u"/export-dialog.png"_s));

        // The report's first page as the PDF lays it out: A4 at 96 dpi.
        QTextDocument document;
        document.addResource(QTextDocument::ImageResource, QUrl(u"textgrad-curves.png"_s), chart());
        QString page = QString::fromUtf8(readAll(m_dir.filePath(u"shot.html"_s)));
        page.replace(QRegularExpression(u"data:image/png;base64,[A-Za-z0-9+/=]+"_s),
            u"textgrad-curves.png"_s);
        document.setHtml(page);
        const QSizeF a4(794, 1123);
        document.setPageSize(a4);
        for (int i = 0; i < 2; ++i) {
            QImage image(a4.toSize(), QImage::Format_RGB32);
            image.fill(Qt::white);
            QPainter painter(&image);
            painter.translate(0, -i * a4.height());
            document.drawContents(&painter, QRectF(0, i * a4.height(), a4.width(), a4.height()));
            painter.end();
            QVERIFY(image.save(dir + u"/report-page%1.png"_s.arg(i + 1)));
        }
    }
};

QTEST_MAIN(TestExportDialog)
#include "tst_exportdialog.moc"
