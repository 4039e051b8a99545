#pragma once

#include "export/RunExporter.h"

#include <QDialog>
#include <QMap>
#include <functional>

class QButtonGroup;
class QLabel;
class QPushButton;
class QRadioButton;

// Lets the user pick what to export from a run, then where. The file dialog opens without a
// nested event loop (QFileDialog::open), behind a seam so tests choose the path themselves.
//
// Wiring in the main window (show it with open() or show(), not exec()):
//   auto *dialog = new ExportDialog(exporter, this);
//   dialog->setRun(runId, pipelineName);
//   dialog->setDefaultDirectory(projectFolder);
//   dialog->open();
class ExportDialog : public QDialog {
    Q_OBJECT

public:
    // Asks for a path to save to and calls done with it (an empty path: the user cancelled).
    using FileChooser
        = std::function<void(QWidget *parent, const QString &caption, const QString &suggestedPath,
            const QString &filter, const std::function<void(const QString &)> &done)>;

    explicit ExportDialog(RunExporter *exporter, QWidget *parent = nullptr);

    void setRun(const QString &runId, const QString &pipelineName);
    void setDefaultDirectory(const QString &dir) { m_directory = dir; }
    void setFileChooser(FileChooser chooser) { m_chooser = std::move(chooser); }
    void setKind(RunExporter::Kind kind);
    RunExporter::Kind kind() const;
    QString statusText() const;

public slots:
    // Asks where to save the selected export, then writes it.
    void exportSelected();

private:
    void onFinished(RunExporter::Kind kind, const QString &path, bool ok, const QString &error);
    void updateButtons();

    RunExporter *m_exporter;
    QString m_runId;
    QString m_pipelineName;
    QString m_directory;
    FileChooser m_chooser;
    QLabel *m_heading = nullptr;
    QButtonGroup *m_group = nullptr;
    QMap<RunExporter::Kind, QRadioButton *> m_buttons;
    QLabel *m_status = nullptr;
    QPushButton *m_export = nullptr;
};
