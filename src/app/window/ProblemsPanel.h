#pragma once

#include <QWidget>

class PipelineDocument;
class QLabel;
class QListWidget;
class QListWidgetItem;

// Every problem of the pipeline in one list: errors first, each naming its node. Activating a
// row asks the window to show that node. With no problems it says the pipeline is ready.
class ProblemsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ProblemsPanel(PipelineDocument *document, QWidget *parent = nullptr);

    QListWidget *list() const { return m_list; }
    // "2 errors, 1 warning", "No problems": for the status bar.
    QString summary() const;

signals:
    void nodeActivated(const QString &nodeId);
    void summaryChanged(const QString &summary);

private:
    void refresh();
    void activate(QListWidgetItem *item);

    PipelineDocument *m_document;
    QLabel *m_empty = nullptr;
    QListWidget *m_list = nullptr;
    int m_errors = 0;
    int m_warnings = 0;
};
