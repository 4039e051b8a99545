#include "compare/RunCompareView.h"

#include "compare/PromptDiffHtml.h"
#include "compare/SampleComparisonModel.h"
#include "plots/ScoreCurvesView.h"
#include "store/RunStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QtConcurrent>

using namespace Qt::StringLiterals;

namespace {

QString money(double usd)
{
    return u"$"_s + (usd >= 1.0 ? QString::number(usd, 'f', 2) : QString::number(usd, 'g', 3));
}

QString runTitle(const RunInfo &run)
{
    QString title = run.pipelineName.isEmpty() ? run.id : QString(run.pipelineName % u" · "_s % run.id);
    if (run.status != RunStatus::Completed)
        title += u" ("_s % run.status % u')';
    return title;
}

// "0.500 → 0.750" with the change, for the summary.
QString change(double a, double b)
{
    if (!hasScore(a) && !hasScore(b))
        return u"–"_s;
    QString text = formatScore(a) % u" → "_s % formatScore(b);
    if (hasScore(a) && hasScore(b) && a != b)
        text += u" (%1%2)"_s.arg(b > a ? u"+"_s : QString()).arg(b - a, 0, 'f', 3);
    return text;
}

} // namespace

RunCompareView::RunCompareView(QWidget *parent)
    : QWidget(parent)
{
    m_baselineBox = new QComboBox(this);
    m_candidateBox = new QComboBox(this);
    for (QComboBox *box : { m_baselineBox, m_candidateBox }) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(28);
    }
    m_swapButton = new QPushButton(tr("Swap"), this);
    m_swapButton->setToolTip(tr("Make B the baseline"));

    auto *pick = new QHBoxLayout;
    pick->addWidget(new QLabel(tr("A (baseline):"), this));
    pick->addWidget(m_baselineBox, 1);
    pick->addWidget(m_swapButton);
    pick->addWidget(new QLabel(tr("B (candidate):"), this));
    pick->addWidget(m_candidateBox, 1);

    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);

    m_prompts = new QTextBrowser(this);
    m_prompts->setOpenLinks(false);
    m_curves = new ScoreCurvesView(this);

    m_differencesOnly = new QCheckBox(tr("Differences only"), this);
    m_differencesOnly->setToolTip(tr("Hide the samples both runs scored the same"));
    m_model = new SampleComparisonModel(this);
    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(SampleComparisonModel::InputColumn,
                                                      QHeaderView::Stretch);
    m_table->setWordWrap(false);
    m_sampleDetail = new QTextBrowser(this);
    m_sampleDetail->setPlaceholderText(tr("Select a sample to see both outputs and evaluations."));

    auto *tablePane = new QWidget(this);
    auto *tableLayout = new QVBoxLayout(tablePane);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_differencesOnly);
    tableLayout->addWidget(m_table, 1);

    auto *top = new QSplitter(Qt::Horizontal, this);
    top->addWidget(m_prompts);
    top->addWidget(m_curves);
    top->setStretchFactor(0, 1);
    top->setStretchFactor(1, 1);
    auto *bottom = new QSplitter(Qt::Horizontal, this);
    bottom->addWidget(tablePane);
    bottom->addWidget(m_sampleDetail);
    bottom->setStretchFactor(0, 3);
    bottom->setStretchFactor(1, 2);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(top);
    split->addWidget(bottom);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    m_emptyLabel = new QLabel(this);
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setMargin(24);
    m_emptyLabel->setForegroundRole(QPalette::PlaceholderText);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_emptyLabel);
    auto *content = new QWidget(this);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addWidget(m_summary);
    contentLayout->addWidget(split, 1);
    m_stack->addWidget(content);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(pick);
    layout->addWidget(m_stack, 1);

    m_listWatcher = new QFutureWatcher<RunList>(this);
    m_compareWatcher = new QFutureWatcher<Loaded>(this);
    connect(m_listWatcher, &QFutureWatcher<RunList>::finished, this, &RunCompareView::listFinished);
    connect(m_compareWatcher, &QFutureWatcher<Loaded>::finished, this,
            &RunCompareView::compareFinished);
    connect(m_baselineBox, &QComboBox::currentIndexChanged, this, &RunCompareView::startCompare);
    connect(m_candidateBox, &QComboBox::currentIndexChanged, this, &RunCompareView::startCompare);
    connect(m_swapButton, &QPushButton::clicked, this, &RunCompareView::swapRuns);
    connect(m_differencesOnly, &QCheckBox::toggled, m_model,
            &SampleComparisonModel::setDifferencesOnly);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RunCompareView::showSample);
    connect(m_model, &QAbstractItemModel::modelReset, this, &RunCompareView::showSample);

    showEmpty(tr("No project is open."));
}

RunCompareView::~RunCompareView()
{
    m_listWatcher->waitForFinished();
    m_compareWatcher->waitForFinished();
}

void RunCompareView::setStorePath(const QString &path)
{
    m_storePath = path;
    m_runs.clear();
    refresh();
}

void RunCompareView::setRuns(const QString &baselineRunId, const QString &candidateRunId)
{
    m_wantBaseline = baselineRunId;
    m_wantCandidate = candidateRunId;
    if (m_listWatcher->isRunning() || m_runs.isEmpty())
        return;   // applied when the list arrives
    m_wantBaseline.clear();
    m_wantCandidate.clear();
    {
        const QSignalBlocker blockA(m_baselineBox);
        const QSignalBlocker blockB(m_candidateBox);
        m_baselineBox->setCurrentIndex(m_baselineBox->findData(baselineRunId));
        m_candidateBox->setCurrentIndex(m_candidateBox->findData(candidateRunId));
    }
    startCompare();
}

QString RunCompareView::baselineRun() const
{
    return m_baselineBox->currentData().toString();
}

QString RunCompareView::candidateRun() const
{
    return m_candidateBox->currentData().toString();
}

bool RunCompareView::isLoading() const
{
    return m_listWatcher->isRunning() || m_compareWatcher->isRunning();
}

void RunCompareView::refresh()
{
    if (m_storePath.isEmpty()) {
        showEmpty(tr("No project is open."));
        return;
    }
    if (m_listWatcher->isRunning())
        return;
    if (m_wantBaseline.isEmpty() && m_baselineBox->count() > 0) {
        m_wantBaseline = baselineRun();
        m_wantCandidate = candidateRun();
    }
    const QString path = m_storePath;
    m_listWatcher->setFuture(QtConcurrent::run([path] {
        RunList list;
        RunStore store;
        if (store.open(path, &list.error))
            list.runs = store.runs();
        return list;
    }));
}

void RunCompareView::fillCombo(QComboBox *box, const QString &select)
{
    const QSignalBlocker block(box);
    box->clear();
    for (const RunInfo &run : std::as_const(m_runs))
        box->addItem(runTitle(run), run.id);
    box->setCurrentIndex(std::max(0, box->findData(select)));
}

void RunCompareView::listFinished()
{
    const RunList list = m_listWatcher->result();
    if (!list.error.isEmpty()) {
        emit loadFailed(list.error);
        showEmpty(tr("The runs could not be read: %1").arg(list.error));
        return;
    }
    m_runs = list.runs;
    // Newest first: by default the newest run is compared against the one before it.
    const QString a = !m_wantBaseline.isEmpty() ? m_wantBaseline : m_runs.value(1).id;
    const QString b = !m_wantCandidate.isEmpty() ? m_wantCandidate : m_runs.value(0).id;
    m_wantBaseline.clear();
    m_wantCandidate.clear();
    fillCombo(m_baselineBox, a);
    fillCombo(m_candidateBox, b);
    emit runsListed();
    startCompare();
}

void RunCompareView::swapRuns()
{
    const QString a = baselineRun();
    const QString b = candidateRun();
    setRuns(b, a);
}

void RunCompareView::startCompare()
{
    if (m_runs.size() < 2) {
        showEmpty(m_runs.isEmpty()
                ? tr("This project has no runs yet.\nRun the pipeline twice (for example with "
                     "other settings or another optimizer engine), then compare the runs here.")
                : tr("Comparing needs two runs and this project has one.\nRun the pipeline "
                     "again, for example with other settings, then compare the runs here."));
        return;
    }
    const QString a = baselineRun();
    const QString b = candidateRun();
    if (a == b) {
        showEmpty(tr("A and B are the same run. Pick another run on either side."));
        return;
    }
    if (m_compareWatcher->isRunning()) {
        m_compareAgain = true;
        return;
    }
    const QString path = m_storePath;
    m_compareWatcher->setFuture(QtConcurrent::run([path, a, b] {
        Loaded loaded;
        loaded.baseline = a;
        loaded.candidate = b;
        RunStore store;
        if (!store.open(path, &loaded.error))
            return loaded;
        loaded.comparison = RunComparison::compare(store, a, b);
        CurveData curveA = CurveData::load(store, a);
        CurveData curveB = CurveData::load(store, b);
        // The pickers above name the runs; the legend only needs to say which is which.
        curveA.setLabel(QCoreApplication::translate("RunCompareView", "A (baseline)"));
        curveB.setLabel(QCoreApplication::translate("RunCompareView", "B (candidate)"));
        loaded.curves = { curveA, curveB };
        return loaded;
    }));
}

void RunCompareView::compareFinished()
{
    const Loaded loaded = m_compareWatcher->result();
    if (m_compareAgain) {
        m_compareAgain = false;
        startCompare();
        return;
    }
    if (!loaded.error.isEmpty()) {
        emit loadFailed(loaded.error);
        showEmpty(tr("The runs could not be read: %1").arg(loaded.error));
        return;
    }
    if (loaded.baseline != baselineRun() || loaded.candidate != candidateRun())
        return;   // the pick changed meanwhile; its own comparison is on its way
    m_comparison = loaded.comparison;
    m_curves->setCurves(loaded.curves);
    showComparison();
    emit compared();
}

void RunCompareView::showEmpty(const QString &text)
{
    m_emptyLabel->setText(text);
    m_stack->setCurrentWidget(m_emptyLabel);
}

QString RunCompareView::summaryText() const
{
    const RunComparison &c = m_comparison;
    QStringList parts;
    if (!c.split.isEmpty()) {
        const int matched = c.wins + c.losses + c.ties;
        parts.append(tr("On %1 (%2 %3): <b style=\"color:#1a7f2a\">%4 better</b>, "
                        "<b style=\"color:#b3261e\">%5 worse</b>, %6 the same")
                         .arg(c.split)
                         .arg(matched)
                         .arg(matched == 1 ? tr("sample") : tr("samples"))
                         .arg(c.wins)
                         .arg(c.losses)
                         .arg(c.ties)
            + (c.unmatched > 0 ? tr("; %1 in one run only").arg(c.unmatched) : QString())
            + u"; mean "_s + change(c.baseline.splitMean, c.candidate.splitMean) + u'.');
    } else {
        parts.append(c.note.toHtmlEscaped());
    }
    if (!c.sameInputs)
        parts.append(tr("<b>Caution:</b> the runs used different data, so samples with the same "
                        "number are not the same question."));
    parts.append(tr("Validation %1 · test %2 · cost %3 → %4 · calls %5 → %6")
                     .arg(change(c.baseline.finalValScore, c.candidate.finalValScore),
                          change(c.baseline.testScore, c.candidate.testScore),
                          money(c.baseline.costUsd), money(c.candidate.costUsd))
                     .arg(c.baseline.calls)
                     .arg(c.candidate.calls));
    return parts.join(u"<br>"_s);
}

QString RunCompareView::promptDiffHtml() const
{
    QString html = tr("<p><b>Final prompts</b>: <span style=\"background-color:#f8d0d0; "
                      "color:#8a1010; text-decoration:line-through;\">only in A</span> "
                      "<span style=\"background-color:#c9efcf; color:#0b5a17;\">only in "
                      "B</span></p>");
    if (m_comparison.prompts.isEmpty())
        return tr("<p>Neither run has a trainable parameter.</p>");
    for (const PromptPair &p : m_comparison.prompts) {
        html += u"<h4>"_s % p.nodeId.toHtmlEscaped();
        if (p.same())
            html += tr(" <span style=\"font-weight:normal\">(the same in both runs)</span>");
        html += u"</h4>"_s;
        html += PromptDiffHtml::render(p.baseline, p.candidate);
    }
    return html;
}

void RunCompareView::showComparison()
{
    m_summary->setText(summaryText());
    m_prompts->setHtml(promptDiffHtml());
    m_model->setSamples(m_comparison.samples);
    m_table->setEnabled(!m_comparison.samples.isEmpty());
    m_stack->setCurrentIndex(1);
}

void RunCompareView::showSample()
{
    const SampleComparison *s = m_model->sampleAt(m_table->currentIndex().row());
    if (!s) {
        m_sampleDetail->clear();
        return;
    }
    const auto block = [](const QString &title, double value, const QString &output,
                          const QString &evaluation) -> QString {
        return u"<h4>"_s % title.toHtmlEscaped() % u" — "_s % formatScore(value) % u"</h4>"_s
            % u"<pre style=\"white-space: pre-wrap\">"_s % output.toHtmlEscaped() % u"</pre>"_s
            % (evaluation.isEmpty() ? QString()
                                    : u"<p><i>"_s % evaluation.toHtmlEscaped() % u"</i></p>"_s);
    };
    QString html = u"<h4>"_s % tr("Line %1").arg(s->line) % u"</h4><pre style=\"white-space: "
                   "pre-wrap\">"_s % s->input.toHtmlEscaped() % u"</pre>"_s;
    html += block(tr("A (baseline)"), s->baselineScore, s->baselineOutput, s->baselineEvaluation);
    html += block(tr("B (candidate)"), s->candidateScore, s->candidateOutput,
                  s->candidateEvaluation);
    m_sampleDetail->setHtml(html);
}
