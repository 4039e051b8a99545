#include "inspector/IssueList.h"

#include "datasets/WarningColor.h"
#include "inspector/ErrorColor.h"

#include <QEvent>
#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

bool sameIssues(const QVector<PipelineIssue> &a, const QVector<PipelineIssue> &b)
{
    if (a.size() != b.size())
        return false;
    for (int i = 0; i < a.size(); ++i) {
        if (a[i].severity != b[i].severity || a[i].message != b[i].message)
            return false;
    }
    return true;
}

QString lineFor(const PipelineIssue &issue)
{
    return (issue.severity == PipelineIssue::Severity::Error ? u"Error: "_s : u"Warning: "_s)
        + issue.message;
}

} // namespace

IssueList::IssueList(QWidget *parent)
    : QWidget(parent)
{
    m_layout = new QVBoxLayout(this);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(4);
    m_empty = new QLabel(tr("No problems found."), this);
    m_empty->setObjectName(u"noIssues"_s);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_layout->addWidget(m_empty);
    // A form may give the list more height than its lines need (wrapping is estimated): the
    // lines stay at the top, level with the row's label.
    m_layout->addStretch(1);
}

void IssueList::setIssues(const QVector<PipelineIssue> &issues)
{
    if (sameIssues(issues, m_issues))
        return;
    m_issues = issues;
    rebuild();
}

QStringList IssueList::lines() const
{
    QStringList out;
    for (const QLabel *label : m_labels)
        out << label->text();
    return out;
}

void IssueList::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        rebuild();
}

void IssueList::rebuild()
{
    qDeleteAll(m_labels);
    m_labels.clear();
    for (const PipelineIssue &issue : std::as_const(m_issues)) {
        auto *label = new QLabel(lineFor(issue), this);
        label->setTextFormat(Qt::PlainText);
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        QPalette pal = label->palette();
        pal.setColor(QPalette::WindowText,
            issue.severity == PipelineIssue::Severity::Error ? errorColor(palette())
                                                             : warningColor(palette()));
        label->setPalette(pal);
        m_layout->insertWidget(m_layout->count() - 1, label);
        label->show(); // a child added to a visible widget stays hidden until told otherwise
        m_labels << label;
    }
    m_empty->setVisible(m_issues.isEmpty());
}
