#pragma once

#include <QString>

class QWidget;

// The questions the project controller asks the user: where to open or save, whether to save
// changes, and errors to show. A small service so that tests drive New / Open / Save / close
// without modal dialogs; the window uses WidgetProjectDialogs.
class ProjectDialogs
{
public:
    enum class SaveChoice { Save, Discard, Cancel };

    virtual ~ProjectDialogs() = default;
    virtual QString openProjectPath(QWidget *parent) = 0;
    virtual QString saveProjectPath(QWidget *parent, const QString &suggestion) = 0;
    virtual QString importPipelinePath(QWidget *parent) = 0;
    virtual QString exportPipelinePath(QWidget *parent, const QString &suggestion) = 0;
    // what: "the project \"support.tgdb\"", for "Save the changes to ...?"
    virtual SaveChoice askToSave(QWidget *parent, const QString &what) = 0;
    virtual void showError(QWidget *parent, const QString &title, const QString &text) = 0;
};

// File dialogs and message boxes. Remembers the folder last used for each kind of file.
class WidgetProjectDialogs : public ProjectDialogs
{
public:
    QString openProjectPath(QWidget *parent) override;
    QString saveProjectPath(QWidget *parent, const QString &suggestion) override;
    QString importPipelinePath(QWidget *parent) override;
    QString exportPipelinePath(QWidget *parent, const QString &suggestion) override;
    SaveChoice askToSave(QWidget *parent, const QString &what) override;
    void showError(QWidget *parent, const QString &title, const QString &text) override;
};
