#pragma once

#include "project/ExampleCatalog.h"

#include <QWidget>

#include <memory>

namespace Ui {
class WelcomePage;
}
class QListWidgetItem;

// What the window shows while no project is open: New, Open, Import, the bundled examples with
// what each teaches, and the recent projects. A plain view: the window connects its signals.
class WelcomePage : public QWidget
{
    Q_OBJECT

public:
    explicit WelcomePage(QWidget *parent = nullptr);
    ~WelcomePage() override;

    void setExamples(const QVector<ExampleInfo> &examples);
    void setRecentProjects(const QStringList &paths);

signals:
    void newRequested();
    void openRequested();
    void importRequested();
    void exampleChosen(const ExampleInfo &example);
    void recentChosen(const QString &path);

private:
    void chooseExample(QListWidgetItem *item);
    void chooseRecent(QListWidgetItem *item);

    std::unique_ptr<Ui::WelcomePage> m_ui;
    QVector<ExampleInfo> m_examples;
};
