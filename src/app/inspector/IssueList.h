#pragma once

#include "graph/PipelineIssue.h"

#include <QVector>
#include <QWidget>

class QLabel;
class QVBoxLayout;

// The validation issues of one node (or of the pipeline), one label per issue, worded exactly as
// the canvas hover (PipelineDocument::issueText): "Error: ..." / "Warning: ...".
class IssueList : public QWidget {
    Q_OBJECT

public:
    explicit IssueList(QWidget *parent = nullptr);

    // Rebuilds only if the issues changed.
    void setIssues(const QVector<PipelineIssue> &issues);
    QStringList lines() const; // as shown

protected:
    void changeEvent(QEvent *event) override;

private:
    void rebuild();

    QVector<PipelineIssue> m_issues;
    QVBoxLayout *m_layout = nullptr;
    QLabel *m_empty = nullptr;
    QVector<QLabel *> m_labels;
};
