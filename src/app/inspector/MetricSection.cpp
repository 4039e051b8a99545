#include "inspector/MetricSection.h"

#include "graph/PipelineDocument.h"
#include "inspector/ErrorColor.h"
#include "metrics/Metrics.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QStyle>

using namespace Qt::StringLiterals;

namespace {

QString kindDescription(const QString &kind)
{
    if (kind == u"exact_match")
        return MetricSection::tr("Scores 1 when the prediction equals the reference.");
    if (kind == u"contains")
        return MetricSection::tr("Scores 1 when the prediction contains the reference.");
    if (kind == u"regex")
        return MetricSection::tr("Scores 1 when the pattern matches the prediction.");
    if (kind == u"numeric")
        return MetricSection::tr("Reads a number from each text; scores 1 when they differ by "
                                 "at most the tolerance.");
    return MetricSection::tr("Choose how the prediction is compared with the reference.");
}

} // namespace

MetricSection::MetricSection(PipelineDocument *document, QUndoStack *undoStack, QWidget *parent)
    : InspectorSection(document, undoStack, parent)
{
    QFormLayout *form = makeForm(this);

    m_kind = new QComboBox(this);
    m_kind->setObjectName(u"metricKind"_s);
    for (const QString &kind : Metrics::kinds())
        m_kind->addItem(kind, kind);
    form->addRow(tr("&Metric:"), m_kind);
    m_kindNote = makeNote(QString(), this);
    form->addRow(static_cast<QWidget *>(nullptr), m_kindNote);

    m_pattern = new QLineEdit(this);
    m_pattern->setObjectName(u"pattern"_s);
    m_pattern->setPlaceholderText(tr("regular expression"));
    routeUndoKeys(m_pattern);
    m_patternLabel = new QLabel(tr("&Pattern:"), this);
    m_patternLabel->setBuddy(m_pattern);
    form->addRow(m_patternLabel, m_pattern);
    m_patternProblem = makeNote(QString(), this);
    m_patternProblem->setObjectName(u"patternProblem"_s);
    form->addRow(static_cast<QWidget *>(nullptr), m_patternProblem);

    m_tolerance = new QDoubleSpinBox(this);
    m_tolerance->setObjectName(u"tolerance"_s);
    m_tolerance->setRange(0.0, 1e12);
    m_tolerance->setDecimals(6);
    m_tolerance->setToolTip(tr("Largest absolute difference still scored as correct."));
    m_toleranceLabel = new QLabel(tr("T&olerance:"), this);
    m_toleranceLabel->setBuddy(m_tolerance);
    form->addRow(m_toleranceLabel, m_tolerance);

    m_caseSensitive = new QCheckBox(tr("&Case sensitive"), this);
    m_caseSensitive->setObjectName(u"caseSensitive"_s);
    m_whitespace = new QCheckBox(tr("Collapse &white space"), this);
    m_whitespace->setObjectName(u"normalizeWhitespace"_s);
    m_whitespace->setToolTip(tr("Trim both texts and treat any run of spaces and line breaks as "
                                "one space."));
    m_punctuation = new QCheckBox(tr("&Strip punctuation at the ends"), this);
    m_punctuation->setObjectName(u"stripPunctuation"_s);
    form->addRow(tr("Compare:"), m_caseSensitive);
    form->addRow(static_cast<QWidget *>(nullptr), m_whitespace);
    form->addRow(static_cast<QWidget *>(nullptr), m_punctuation);

    m_answerPattern = new QLineEdit(this);
    m_answerPattern->setObjectName(u"answerPattern"_s);
    m_answerPattern->setPlaceholderText(tr("optional regex, e.g. Answer: (.*)"));
    m_answerPattern->setToolTip(tr("Compare only what this pattern captures from the "
                                   "prediction (its first group, or the whole match)."));
    routeUndoKeys(m_answerPattern);
    form->addRow(tr("E&xtract:"), m_answerPattern);
    m_answerProblem = makeNote(QString(), this);
    m_answerProblem->setObjectName(u"answerPatternProblem"_s);
    form->addRow(static_cast<QWidget *>(nullptr), m_answerProblem);

    m_purpose = new QLineEdit(this);
    m_purpose->setObjectName(u"purpose"_s);
    m_purpose->setToolTip(tr("One line telling the feedback engine what this metric checks. "
                             "Empty: a default for the metric kind (shown below)."));
    m_purpose->setPlaceholderText(tr("default for the metric kind"));
    routeUndoKeys(m_purpose);
    form->addRow(tr("P&urpose:"), m_purpose);
    m_purposeNote = makeNote(QString(), this);
    m_purposeNote->setObjectName(u"purposeNote"_s);
    form->addRow(static_cast<QWidget *>(nullptr), m_purposeNote);

    connect(m_kind, &QComboBox::activated, this, [this](int index) {
        const QString kind = m_kind->itemData(index).toString();
        const PipelineNode *current = this->document()->node(nodeId());
        if (current && current->metric == kind)
            return;
        edit(u"metric"_s, [&](PipelineNode &n) { n.metric = kind; });
    });
    connect(m_pattern, &QLineEdit::textEdited, this, [this](const QString &text) {
        edit(u"pattern"_s, [&](PipelineNode &n) { n.pattern = text; });
    });
    connect(m_tolerance, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        edit(u"tolerance"_s, [&](PipelineNode &n) { n.tolerance = value; });
    });
    connect(m_caseSensitive, &QCheckBox::toggled, this, [this](bool on) {
        edit(u"caseSensitive"_s, [&](PipelineNode &n) { n.metricOptions.caseSensitive = on; });
    });
    connect(m_whitespace, &QCheckBox::toggled, this, [this](bool on) {
        edit(u"normalizeWhitespace"_s,
            [&](PipelineNode &n) { n.metricOptions.normalizeWhitespace = on; });
    });
    connect(m_punctuation, &QCheckBox::toggled, this, [this](bool on) {
        edit(
            u"stripPunctuation"_s, [&](PipelineNode &n) { n.metricOptions.stripPunctuation = on; });
    });
    connect(m_answerPattern, &QLineEdit::textEdited, this, [this](const QString &text) {
        edit(u"answerPattern"_s, [&](PipelineNode &n) { n.metricOptions.answerPattern = text; });
    });
    connect(m_purpose, &QLineEdit::textEdited, this, [this](const QString &text) {
        edit(u"purpose"_s, [&](PipelineNode &n) { n.purpose = text; });
    });
}

void MetricSection::refresh(const PipelineNode &node)
{
    int index = m_kind->findData(node.metric);
    if (index < 0) {
        // A kind this build does not know (or none) stays visible, flagged, until changed.
        for (int i = m_kind->count() - 1; i >= Metrics::kinds().size(); --i)
            m_kind->removeItem(i);
        m_kind->addItem(style()->standardIcon(QStyle::SP_MessageBoxWarning),
            node.metric.isEmpty() ? tr("(none)") : tr("%1 — unknown").arg(node.metric),
            node.metric);
        index = m_kind->count() - 1;
    }
    m_kind->setCurrentIndex(index);
    m_kindNote->setText(kindDescription(node.metric));

    const bool regex = node.metric == u"regex";
    m_patternLabel->setVisible(regex);
    m_pattern->setVisible(regex);
    syncText(m_pattern, node.pattern);
    if (regex)
        showRegexProblem(m_patternProblem, node.pattern);
    else
        m_patternProblem->hide();

    const bool numeric = node.metric == u"numeric";
    m_toleranceLabel->setVisible(numeric);
    m_tolerance->setVisible(numeric);
    if (m_tolerance->value() != node.tolerance)
        m_tolerance->setValue(node.tolerance);

    m_caseSensitive->setChecked(node.metricOptions.caseSensitive);
    m_whitespace->setChecked(node.metricOptions.normalizeWhitespace);
    m_punctuation->setChecked(node.metricOptions.stripPunctuation);
    syncText(m_answerPattern, node.metricOptions.answerPattern);
    showRegexProblem(m_answerProblem, node.metricOptions.answerPattern);

    syncText(m_purpose, node.purpose);
    // The default is a sentence; a placeholder would cut it off in a narrow dock.
    m_purposeNote->setVisible(node.purpose.isEmpty());
    m_purposeNote->setText(tr("Empty: “%1”").arg(Metrics::purpose(node)));
}

void MetricSection::showRegexProblem(QLabel *label, const QString &pattern)
{
    const QRegularExpression re(pattern);
    label->setVisible(!pattern.isEmpty() && !re.isValid());
    if (re.isValid())
        return;
    // Worded like the validator's issue, so the two never seem to disagree.
    label->setText(tr("Not a valid regular expression: %1 at offset %2.")
                       .arg(re.errorString())
                       .arg(re.patternErrorOffset()));
    setNoteColor(label, errorColor(palette()));
}
