#include "window/ProblemsPanel.h"

#include "graph/PipelineDocument.h"

#include <QLabel>
#include <QListWidget>
#include <QStyle>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

ProblemsPanel::ProblemsPanel(PipelineDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_empty = new QLabel;
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_list = new QListWidget;
    m_list->setObjectName(u"problemsList"_s);
    m_list->setWordWrap(true);
    m_list->setUniformItemSizes(false);
    layout->addWidget(m_empty);
    layout->addWidget(m_list);
    connect(m_list, &QListWidget::itemActivated, this, &ProblemsPanel::activate);
    connect(m_list, &QListWidget::itemClicked, this, &ProblemsPanel::activate);
    connect(m_document, &PipelineDocument::issuesChanged, this, &ProblemsPanel::refresh);
    connect(m_document, &PipelineDocument::pipelineReset, this, &ProblemsPanel::refresh);
    refresh();
}

QString ProblemsPanel::summary() const
{
    if (m_errors == 0 && m_warnings == 0)
        return tr("No problems");
    QStringList parts;
    // Written out: without a translation loaded, Qt's %n plurals print "error(s)".
    if (m_errors > 0)
        parts << (m_errors == 1 ? tr("1 error") : tr("%1 errors").arg(m_errors));
    if (m_warnings > 0)
        parts << (m_warnings == 1 ? tr("1 warning") : tr("%1 warnings").arg(m_warnings));
    return parts.join(u", "_s);
}

void ProblemsPanel::refresh()
{
    m_list->clear();
    m_errors = m_warnings = 0;
    QVector<PipelineIssue> issues = m_document->issues();
    std::stable_sort(issues.begin(), issues.end(), [](const PipelineIssue &a, const PipelineIssue &b) {
        return a.severity == PipelineIssue::Severity::Error
            && b.severity != PipelineIssue::Severity::Error;
    });
    const QIcon errorIcon = style()->standardIcon(QStyle::SP_MessageBoxCritical);
    const QIcon warningIcon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (const PipelineIssue &issue : std::as_const(issues)) {
        const bool error = issue.severity == PipelineIssue::Severity::Error;
        (error ? m_errors : m_warnings)++;
        auto *item = new QListWidgetItem(error ? errorIcon : warningIcon, issue.toString());
        item->setData(Qt::UserRole, issue.nodeId);
        item->setToolTip(issue.nodeId.isEmpty()
                ? tr("A problem of the pipeline as a whole")
                : tr("Click to show node \"%1\" on the canvas").arg(issue.nodeId));
        m_list->addItem(item);
    }
    const bool none = issues.isEmpty();
    m_empty->setVisible(none);
    m_list->setVisible(!none);
    m_empty->setText(m_document->pipeline().nodes.isEmpty()
            ? tr("No problems yet: the pipeline is empty.")
            : tr("No problems. The pipeline is ready to run."));
    emit summaryChanged(summary());
}

void ProblemsPanel::activate(QListWidgetItem *item)
{
    const QString id = item ? item->data(Qt::UserRole).toString() : QString();
    if (!id.isEmpty())
        emit nodeActivated(id);
}
