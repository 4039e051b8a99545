#include "export/ExportDialog.h"

#include <QButtonGroup>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

void chooseWithDialog(QWidget *parent, const QString &caption, const QString &suggestedPath,
    const QString &filter, const std::function<void(const QString &)> &done)
{
    auto *dialog = new QFileDialog(parent, caption, suggestedPath, filter);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->selectFile(suggestedPath);
    QObject::connect(dialog, &QFileDialog::fileSelected, parent, done);
    dialog->open();
}

} // namespace

ExportDialog::ExportDialog(RunExporter *exporter, QWidget *parent)
    : QDialog(parent)
    , m_exporter(exporter)
    , m_directory(QDir::homePath())
    , m_chooser(chooseWithDialog)
{
    setWindowTitle(tr("Export run"));
    m_heading = new QLabel;
    m_heading->setObjectName(u"heading"_s);
    m_heading->setWordWrap(true);

    m_group = new QButtonGroup(this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);

    // Grouped as a user thinks of them: the prompt to ship, the report to share, the data.
    const QList<QPair<QString, QList<RunExporter::Kind>>> groups {
        { tr("Optimized prompts"),
            { RunExporter::Kind::PromptsText, RunExporter::Kind::PromptsJson,
                RunExporter::Kind::PromptsMarkdown, RunExporter::Kind::OptimizedPipeline } },
        { tr("Report"), { RunExporter::Kind::ReportHtml, RunExporter::Kind::ReportPdf } },
        { tr("Data"), { RunExporter::Kind::ResultsCsv } },
    };
    for (const auto &group : groups) {
        auto *box = new QGroupBox(group.first);
        auto *column = new QVBoxLayout(box);
        column->setSpacing(2);
        for (RunExporter::Kind kind : group.second) {
            auto *button = new QRadioButton(RunExporter::title(kind));
            button->setObjectName(
                u"kind-"_s + RunExporter::suffix(kind) + u'-' + QString::number(int(kind)));
            auto *note = new QLabel(RunExporter::description(kind));
            // One line each (the dialog is wide enough): wrapped labels in group boxes get
            // squeezed by the layout before it knows their height.
            note->setWordWrap(false);
            note->setIndent(24);
            note->setForegroundRole(QPalette::PlaceholderText);
            m_group->addButton(button, int(kind));
            m_buttons.insert(kind, button);
            column->addWidget(button);
            column->addWidget(note);
            column->addSpacing(4);
        }
        layout->addWidget(box);
    }
    m_buttons.value(RunExporter::Kind::PromptsText)->setChecked(true);

    m_status = new QLabel;
    m_status->setObjectName(u"status"_s);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    m_export = buttons->addButton(tr("Export…"), QDialogButtonBox::ActionRole);
    m_export->setObjectName(u"export"_s);
    m_export->setDefault(true);
    connect(m_export, &QPushButton::clicked, this, &ExportDialog::exportSelected);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    connect(m_exporter, &RunExporter::finished, this, &ExportDialog::onFinished);
    // Wide enough for each description on one line.
    setMinimumWidth(540);
    updateButtons();
}

void ExportDialog::setRun(const QString &runId, const QString &pipelineName)
{
    m_runId = runId;
    m_pipelineName = pipelineName;
    m_exporter->setRun(runId);
    m_heading->setText(runId.isEmpty()
            ? tr("Choose a run first: export works on one run at a time.")
            : tr("Export from run <b>%1</b> of <b>%2</b>.")
                  .arg(runId.toHtmlEscaped(), pipelineName.toHtmlEscaped()));
    m_status->clear();
    updateButtons();
}

void ExportDialog::setKind(RunExporter::Kind kind)
{
    if (QRadioButton *button = m_buttons.value(kind))
        button->setChecked(true);
}

RunExporter::Kind ExportDialog::kind() const
{
    return RunExporter::Kind(m_group->checkedId());
}

QString ExportDialog::statusText() const
{
    return m_status->text();
}

void ExportDialog::exportSelected()
{
    if (m_runId.isEmpty() || m_exporter->isBusy())
        return;
    const RunExporter::Kind k = kind();
    const QString suggested
        = QDir(m_directory).filePath(RunExporter::suggestedFileName(k, m_pipelineName, m_runId));
    m_chooser(this, RunExporter::title(k), suggested, RunExporter::filter(k),
        [this, k](const QString &path) {
            if (path.isEmpty())
                return;
            // A name typed without its extension gets it.
            QString target = path;
            if (QFileInfo(target).suffix().isEmpty())
                target += u'.' + RunExporter::suffix(k);
            m_directory = QFileInfo(target).absolutePath();
            if (m_exporter->exportTo(k, target))
                m_status->setText(tr("Writing %1…").arg(QDir::toNativeSeparators(target)));
            updateButtons();
        });
}

void ExportDialog::onFinished(
    RunExporter::Kind kind, const QString &path, bool ok, const QString &error)
{
    m_status->setText(ok
            ? tr("Saved %1 to %2").arg(RunExporter::title(kind), QDir::toNativeSeparators(path))
            : tr("Export failed: %1").arg(error));
    updateButtons();
}

void ExportDialog::updateButtons()
{
    m_export->setEnabled(!m_runId.isEmpty() && !m_exporter->isBusy());
}
