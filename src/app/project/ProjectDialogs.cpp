#include "project/ProjectDialogs.h"

#include "project/ProjectFile.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace {

const QString kPipelineFilter = u"Pipeline files (*.tgpipe.json *.json);;All files (*)"_s;

QString lastFolder(const QString &kind)
{
    return QSettings().value(u"dialogs/"_s + kind, QDir::homePath()).toString();
}

QString remember(const QString &kind, const QString &path)
{
    if (!path.isEmpty())
        QSettings().setValue(u"dialogs/"_s + kind, QFileInfo(path).absolutePath());
    return path;
}

// A suggestion is a bare file name or a full path; bare names land in the last folder used.
QString suggestedPath(const QString &kind, const QString &suggestion)
{
    if (suggestion.isEmpty() || QFileInfo(suggestion).isAbsolute())
        return suggestion.isEmpty() ? lastFolder(kind) : suggestion;
    return QDir(lastFolder(kind)).filePath(suggestion);
}

} // namespace

QString WidgetProjectDialogs::openProjectPath(QWidget *parent)
{
    return remember(u"projects"_s,
        QFileDialog::getOpenFileName(parent, QObject::tr("Open Project"),
            lastFolder(u"projects"_s), ProjectFile::fileFilter()));
}

QString WidgetProjectDialogs::saveProjectPath(QWidget *parent, const QString &suggestion)
{
    QFileDialog dialog(parent, QObject::tr("Save Project"), suggestedPath(u"projects"_s, suggestion),
        ProjectFile::fileFilter());
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setDefaultSuffix(ProjectFile::suffix());
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return QString();
    return remember(u"projects"_s, dialog.selectedFiles().constFirst());
}

QString WidgetProjectDialogs::importPipelinePath(QWidget *parent)
{
    return remember(u"pipelines"_s,
        QFileDialog::getOpenFileName(parent, QObject::tr("Import Pipeline"),
            lastFolder(u"pipelines"_s), kPipelineFilter));
}

QString WidgetProjectDialogs::exportPipelinePath(QWidget *parent, const QString &suggestion)
{
    QFileDialog dialog(parent, QObject::tr("Export Pipeline"),
        suggestedPath(u"pipelines"_s, suggestion), kPipelineFilter);
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setDefaultSuffix(u"json"_s);
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return QString();
    return remember(u"pipelines"_s, dialog.selectedFiles().constFirst());
}

ProjectDialogs::SaveChoice WidgetProjectDialogs::askToSave(QWidget *parent, const QString &what)
{
    QMessageBox box(QMessageBox::Warning, QObject::tr("Unsaved Changes"),
        QObject::tr("Save the changes to %1?").arg(what),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, parent);
    box.setInformativeText(QObject::tr("Your changes will be lost if you don't save them."));
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save:
        return SaveChoice::Save;
    case QMessageBox::Discard:
        return SaveChoice::Discard;
    default:
        return SaveChoice::Cancel;
    }
}

void WidgetProjectDialogs::showError(QWidget *parent, const QString &title, const QString &text)
{
    QMessageBox::critical(parent, title, text);
}
