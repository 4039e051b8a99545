#include "runs/RunSetupDialog.h"

#include "KeychainKeySource.h"
#include "graph/PipelineValidator.h"
#include "providers/ProviderPresets.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QShortcut>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace {

QColor errorColor(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128 ? QColor(0xFF, 0x7A, 0x7A) : QColor(0xC0, 0x1C, 0x28);
}

RunSetupDialog::KeyStatus defaultProbe(const QString &variable)
{
    if (!qEnvironmentVariable(variable.toUtf8().constData()).trimmed().isEmpty())
        return RunSetupDialog::KeyStatus::Environment;
    // Only whether an entry exists is kept; the value goes out of scope at once.
    static KeychainKeySource keychain;
    return keychain.key(variable).isEmpty() ? RunSetupDialog::KeyStatus::Missing
                                            : RunSetupDialog::KeyStatus::Keychain;
}

QString count(qint64 n)
{
    return QLocale().toString(n);
}

// Examples are separated by a line holding only "---": an example may span several lines.
QStringList splitExamples(const QString &text)
{
    static const QRegularExpression separator(u"^\\s*---\\s*$"_s, QRegularExpression::MultilineOption);
    QStringList out;
    for (const QString &part : text.split(separator)) {
        if (!part.trimmed().isEmpty())
            out.append(part.trimmed());
    }
    return out;
}

QStringList lines(const QString &text)
{
    QStringList out;
    for (const QString &line : text.split(u'\n')) {
        if (!line.trimmed().isEmpty())
            out.append(line.trimmed());
    }
    return out;
}

} // namespace

RunSetupDialog::RunSetupDialog(QWidget *parent)
    : QDialog(parent)
    , m_prices(PriceTable::active())
    , m_probe(defaultProbe)
{
    setWindowTitle(tr("Run the pipeline"));
    buildForm();
    m_estimateTimer = new QTimer(this);
    m_estimateTimer->setSingleShot(true);
    m_estimateTimer->setInterval(120);
    connect(m_estimateTimer, &QTimer::timeout, this, &RunSetupDialog::updateEstimate);
}

RunSetupDialog::~RunSetupDialog() = default;

void RunSetupDialog::buildForm()
{
    auto *layout = new QVBoxLayout(this);
    m_pipelineLabel = new QLabel;
    QFont bold = m_pipelineLabel->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_pipelineLabel->setFont(bold);
    layout->addWidget(m_pipelineLabel);
    m_dataLabel = new QLabel;
    m_dataLabel->setWordWrap(true);
    layout->addWidget(m_dataLabel);

    auto *columns = new QHBoxLayout;
    layout->addLayout(columns, 1);
    auto *left = new QVBoxLayout;
    auto *right = new QVBoxLayout;
    columns->addLayout(left, 1);
    columns->addLayout(right, 1);

    auto *engines = new QGroupBox(tr("Engines"));
    m_engineForm = new QFormLayout(engines);
    left->addWidget(engines);

    auto *opt = new QGroupBox(tr("Optimizer"));
    auto *form = new QFormLayout(opt);
    m_kind = new QComboBox;
    m_kind->addItem(tr("TGD"), u"tgd"_s);
    m_kind->addItem(tr("TGD with momentum (sees its last steps)"), u"tgd-momentum"_s);
    form->addRow(tr("Method"), m_kind);
    m_batch = new QSpinBox;
    m_batch->setRange(1, 1000);
    form->addRow(tr("Batch size"), m_batch);
    m_steps = new QSpinBox;
    m_steps->setRange(1, 100000);
    form->addRow(tr("Steps at most"), m_steps);
    m_epochs = new QSpinBox;
    m_epochs->setRange(1, 1000);
    form->addRow(tr("Epochs"), m_epochs);
    m_gating = new QComboBox;
    m_gating->addItem(tr("Revert a step that lowers the validation score"), u"revert-if-worse"_s);
    m_gating->addItem(tr("Keep every step"), u"none"_s);
    form->addRow(tr("Validation"), m_gating);
    m_concurrency = new QSpinBox;
    m_concurrency->setRange(1, 64);
    m_concurrency->setToolTip(tr("Provider calls in flight at once (lowered automatically on rate limits)."));
    form->addRow(tr("Concurrency"), m_concurrency);
    left->addWidget(opt);

    auto *guidance = new QGroupBox(tr("Guidance for the optimizer"));
    auto *gform = new QVBoxLayout(guidance);
    gform->addWidget(new QLabel(tr("Constraints, one per line:")));
    m_constraints = new QPlainTextEdit;
    m_constraints->setPlaceholderText(tr("e.g. Keep the prompt under 100 words."));
    m_constraints->setTabChangesFocus(true);
    gform->addWidget(m_constraints);
    gform->addWidget(new QLabel(tr("Examples of good values, separated by a line with ---:")));
    m_examples = new QPlainTextEdit;
    m_examples->setPlaceholderText(tr("An example prompt that works well\n---\nAnother one"));
    m_examples->setTabChangesFocus(true);
    gform->addWidget(m_examples);
    right->addWidget(guidance, 1);

    auto *budget = new QGroupBox(tr("Budget and cache"));
    auto *bform = new QFormLayout(budget);
    m_budgetCalls = new QSpinBox;
    m_budgetCalls->setRange(0, 10000000);
    m_budgetCalls->setSpecialValueText(tr("no limit"));
    m_budgetCalls->setSuffix(tr(" calls"));
    bform->addRow(tr("Stop after"), m_budgetCalls);
    m_budgetUsd = new QDoubleSpinBox;
    m_budgetUsd->setRange(0.0, 100000.0);
    m_budgetUsd->setDecimals(2);
    m_budgetUsd->setSingleStep(0.5);
    m_budgetUsd->setPrefix(u"$"_s);
    m_budgetUsd->setSpecialValueText(tr("no limit"));
    bform->addRow(tr("or after spending"), m_budgetUsd);
    m_noCache = new QCheckBox(tr("Send every request (ignore cached replies)"));
    bform->addRow(QString(), m_noCache);
    left->addWidget(budget);
    left->addStretch();

    auto *estimate = new QGroupBox(tr("Estimate"));
    auto *eLayout = new QVBoxLayout(estimate);
    m_estimateLabel = new QLabel;
    m_estimateLabel->setWordWrap(true);
    m_estimateLabel->setTextFormat(Qt::RichText);
    eLayout->addWidget(m_estimateLabel);
    layout->addWidget(estimate);

    m_blocking = new QLabel;
    m_blocking->setWordWrap(true);
    m_blocking->setVisible(false);
    layout->addWidget(m_blocking);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_run = buttons->addButton(tr("Run"), QDialogButtonBox::AcceptRole);
    m_run->setDefault(true);
    m_run->setToolTip(tr("Start the run (Ctrl+Enter). It runs in the background; if another run is in progress, it waits in the queue."));
    connect(buttons, &QDialogButtonBox::accepted, this, &RunSetupDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &RunSetupDialog::reject);
    layout->addWidget(buttons);
    // Both Enter keys: Return on the main block, Enter on the keypad.
    for (const QKeySequence &seq : {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto *shortcut = new QShortcut(seq, this);
        connect(shortcut, &QShortcut::activated, this, &RunSetupDialog::accept);
    }

    for (QSpinBox *spin : {m_batch, m_steps, m_epochs, m_concurrency, m_budgetCalls})
        connect(spin, &QSpinBox::valueChanged, this, &RunSetupDialog::scheduleEstimate);
    connect(m_budgetUsd, &QDoubleSpinBox::valueChanged, this, &RunSetupDialog::scheduleEstimate);
    for (QComboBox *combo : {m_kind, m_gating})
        connect(combo, &QComboBox::currentIndexChanged, this, &RunSetupDialog::scheduleEstimate);
    connect(m_constraints, &QPlainTextEdit::textChanged, this, &RunSetupDialog::scheduleEstimate);
    connect(m_examples, &QPlainTextEdit::textChanged, this, &RunSetupDialog::scheduleEstimate);
}

void RunSetupDialog::setPipeline(const Pipeline &pipeline)
{
    m_pipeline = pipeline;
    m_pipelineLabel->setText(pipeline.name.isEmpty() ? tr("Unnamed pipeline") : pipeline.name);
    const OptimizerSettings &o = pipeline.optimizer;
    m_kind->setCurrentIndex(qMax(0, m_kind->findData(o.kind)));
    m_batch->setValue(o.batchSize);
    m_steps->setValue(o.maxSteps);
    m_epochs->setValue(o.epochs);
    m_gating->setCurrentIndex(qMax(0, m_gating->findData(o.validation)));
    m_concurrency->setValue(o.concurrency);
    m_constraints->setPlainText(o.constraints.join(u'\n'));
    m_examples->setPlainText(o.examples.join(u"\n---\n"_s));
    const bool testTime = pipeline.isTestTime();
    m_batch->setEnabled(!testTime);
    m_epochs->setEnabled(!testTime);
    m_keys.clear();
    fillEngines();
    setData(m_data, m_datasetName);
}

void RunSetupDialog::setData(const TrainingData &data, const QString &datasetName)
{
    m_data = data;
    m_datasetName = datasetName;
    if (m_pipeline.isTestTime()) {
        m_dataLabel->setText(tr("No dataset: this pipeline has no inputs, so it refines one value at "
                                "test time, one iteration per step."));
    } else {
        const QString name = datasetName.isEmpty() ? tr("Data") : tr("Dataset \u201c%1\u201d").arg(datasetName);
        m_dataLabel->setText(tr("%1: %2 training rows, %3 validation rows, %4 test rows.")
                                 .arg(name)
                                 .arg(data.train.size())
                                 .arg(data.validation.size())
                                 .arg(data.test.size()));
    }
    updateEstimate();   // at once: the box is never empty when the dialog shows
}

void RunSetupDialog::setPriceTable(std::shared_ptr<const PriceTable> prices)
{
    m_prices = std::move(prices);
    scheduleEstimate();
}

void RunSetupDialog::setKeyProbe(KeyProbe probe)
{
    m_probe = std::move(probe);
    m_keys.clear();
    probeKeys();
}

QStringList RunSetupDialog::enginesUsed(const Pipeline &p) const
{
    QStringList used;
    for (const QString &id : PipelineValidator::objectiveClosure(p)) {
        const PipelineNode *n = p.node(id);
        if (n && (n->type == NodeType::Llm || n->type == NodeType::Judge) && !used.contains(n->engine))
            used.append(n->engine);
    }
    for (const QString &e : {p.backwardEngine, p.optimizerEngine()}) {
        if (!e.isEmpty() && !used.contains(e))
            used.append(e);
    }
    return used;
}

QString RunSetupDialog::keyVariable(const QString &engine) const
{
    const EngineConfig cfg = m_pipeline.engines.value(engine);
    if (!cfg.apiKeyEnv.isEmpty())
        return cfg.apiKeyEnv;
    const ProviderPreset *preset = ProviderPresets::find(cfg.provider);
    return preset ? preset->keyVariable : QString();
}

RunSetupDialog::KeyStatus RunSetupDialog::keyStatus(const QString &engine) const
{
    return m_keys.value(engine, keyVariable(engine).isEmpty() ? KeyStatus::NotNeeded : KeyStatus::Checking);
}

void RunSetupDialog::fillEngines()
{
    while (m_engineForm->rowCount() > 0)
        m_engineForm->removeRow(0);   // deletes the row's widgets; the combos are re-created below
    m_keyLabels.clear();
    m_backwardEngine = nullptr;
    m_optimizerEngine = nullptr;

    const Pipeline p = pipeline();
    // Which role each engine plays in this run, in words.
    QHash<QString, QStringList> roles;
    for (const QString &id : PipelineValidator::objectiveClosure(p)) {
        const PipelineNode *n = p.node(id);
        if (n && n->type == NodeType::Llm)
            roles[n->engine].append(tr("runs %1").arg(id));
        else if (n && n->type == NodeType::Judge)
            roles[n->engine].append(tr("judges in %1").arg(id));
    }
    roles[p.backwardEngine].append(tr("critiques"));
    roles[p.optimizerEngine()].append(tr("rewrites"));
    for (const QString &name : enginesUsed(p)) {
        const EngineConfig cfg = p.engines.value(name);
        // Short lines without wrapping: wrapped labels in form rows get clipped.
        auto *label = new QLabel;
        label->setTextFormat(Qt::PlainText);
        label->setText(u"%1 · %2 · %3"_s.arg(cfg.provider, cfg.model, roles.value(name).join(u", "_s)));
        label->setToolTip(label->text());
        auto *key = new QLabel;
        m_keyLabels.insert(name, key);
        auto *box = new QWidget;
        auto *v = new QVBoxLayout(box);
        v->setContentsMargins(0, 0, 0, 0);
        v->setSpacing(1);
        v->addWidget(label);
        v->addWidget(key);
        m_engineForm->addRow(u"<b>%1</b>"_s.arg(name.toHtmlEscaped()), box);
    }

    // The role pickers, rebuilt with the rows so that they sit under the engines.
    m_backwardEngine = new QComboBox;
    m_optimizerEngine = new QComboBox;
    m_optimizerEngine->addItem(tr("same as critiques"), QString());
    for (auto it = m_pipeline.engines.cbegin(); it != m_pipeline.engines.cend(); ++it) {
        const QString label = u"%1 (%2)"_s.arg(it.key(), it->model);
        m_backwardEngine->addItem(label, it.key());
        m_optimizerEngine->addItem(label, it.key());
    }
    m_backwardEngine->setCurrentIndex(qMax(0, m_backwardEngine->findData(p.backwardEngine)));
    m_optimizerEngine->setCurrentIndex(qMax(0, m_optimizerEngine->findData(p.optimizer.engine)));
    m_backwardEngine->setToolTip(tr("Writes the critiques (textual gradients). Usually the strongest model."));
    m_optimizerEngine->setToolTip(tr("Rewrites the trainable prompts from the critiques."));
    m_engineForm->addRow(tr("Critiques by"), m_backwardEngine);
    m_engineForm->addRow(tr("Rewrites by"), m_optimizerEngine);
    connect(m_backwardEngine, &QComboBox::currentIndexChanged, this, [this] {
        m_pipeline.backwardEngine = m_backwardEngine->currentData().toString();
        QTimer::singleShot(0, this, &RunSetupDialog::fillEngines);   // not from inside the combo's signal
        scheduleEstimate();
    });
    connect(m_optimizerEngine, &QComboBox::currentIndexChanged, this, [this] {
        m_pipeline.optimizer.engine = m_optimizerEngine->currentData().toString();
        QTimer::singleShot(0, this, &RunSetupDialog::fillEngines);
        scheduleEstimate();
    });
    probeKeys();
    updateBlocking();
}

void RunSetupDialog::probeKeys()
{
    const int generation = ++m_probeGeneration;
    for (auto it = m_keyLabels.cbegin(); it != m_keyLabels.cend(); ++it) {
        const QString engine = it.key();
        const QString variable = keyVariable(engine);
        if (variable.isEmpty()) {
            m_keys.insert(engine, KeyStatus::NotNeeded);
            continue;
        }
        if (m_keys.contains(engine) && m_keys.value(engine) != KeyStatus::Checking)
            continue;
        m_keys.insert(engine, KeyStatus::Checking);
        auto *watcher = new QFutureWatcher<KeyStatus>(this);
        connect(watcher, &QFutureWatcher<KeyStatus>::finished, this, [this, watcher, engine, generation] {
            watcher->deleteLater();
            // A newer pipeline may have replaced the engines meanwhile.
            if (generation != m_probeGeneration && !m_keyLabels.contains(engine))
                return;
            m_keys.insert(engine, watcher->result());
            updateBlocking();
        });
        watcher->setFuture(QtConcurrent::run([probe = m_probe, variable] { return probe(variable); }));
    }
    updateBlocking();
}

Pipeline RunSetupDialog::pipeline() const
{
    Pipeline p = m_pipeline;
    OptimizerSettings &o = p.optimizer;
    o.kind = m_kind->currentData().toString();
    o.batchSize = m_batch->value();
    o.maxSteps = m_steps->value();
    o.epochs = m_epochs->value();
    o.validation = m_gating->currentData().toString();
    o.concurrency = m_concurrency->value();
    o.constraints = lines(m_constraints->toPlainText());
    o.examples = splitExamples(m_examples->toPlainText());
    return p;
}

QJsonObject RunSetupDialog::settings() const
{
    QJsonObject s{{u"command"_s, u"workbench"_s}, {u"noCache"_s, m_noCache->isChecked()}};
    if (m_budgetCalls->value() > 0)
        s.insert(u"budgetCalls"_s, m_budgetCalls->value());
    if (m_budgetUsd->value() > 0.0)
        s.insert(u"budgetUsd"_s, m_budgetUsd->value());
    if (!m_datasetName.isEmpty())
        s.insert(u"dataset"_s, m_datasetName);
    return s;
}

void RunSetupDialog::scheduleEstimate()
{
    m_estimateTimer->start();
}

void RunSetupDialog::updateEstimate()
{
    const Pipeline p = pipeline();
    m_estimate = RunEstimate::compute(p, m_data, m_prices ? *m_prices : PriceTable::builtin());
    const RunEstimate &e = m_estimate;
    QStringList parts;
    for (const QString &purpose : {u"forward"_s, u"loss"_s, u"backward"_s, u"optimizer"_s, u"validation"_s, u"test"_s}) {
        if (e.callsByPurpose.value(purpose) > 0)
            parts.append(u"%1 %2"_s.arg(purpose).arg(count(e.callsByPurpose.value(purpose))));
    }
    QString html = tr("<b>Up to %1 calls</b> over %2 steps (%3)<br>About %4 tokens sent and %5 received · cost <b>%6</b>")
                       .arg(count(e.calls))
                       .arg(e.steps)
                       .arg(parts.join(u", "_s))
                       .arg(count(e.promptTokens), count(e.completionTokens), e.costText().toHtmlEscaped());
    if (m_budgetCalls->value() > 0 && e.calls > m_budgetCalls->value())
        html += tr("<br>The budget stops the run after %1 of these calls; it can be resumed with a higher budget.")
                    .arg(count(m_budgetCalls->value()));
    if (m_budgetUsd->value() > 0.0 && e.costUsd && *e.costUsd > m_budgetUsd->value())
        html += tr("<br>The estimated cost is above the budget of $%1: the run will stop early.").arg(m_budgetUsd->value(), 0, 'f', 2);
    html += tr("<br><small>An upper bound (no early stop, every step validated); tokens are estimated at 4 characters each.</small>");
    m_estimateLabel->setText(html);
    updateBlocking();
}

QString RunSetupDialog::blockingReason() const
{
    const Pipeline p = pipeline();
    if (!p.isTestTime() && m_data.train.size() == 0)
        return tr("There is no training data. Import a dataset and give the training split some rows.");
    if (!p.isTestTime() && p.optimizer.validation == u"revert-if-worse"_s && m_data.validation.size() == 0)
        return tr("Reverting worse steps needs validation rows: give the validation split some rows, or choose \u201cKeep every step\u201d.");
    for (const QString &engine : enginesUsed(p)) {
        const ProviderPreset *preset = ProviderPresets::find(p.engines.value(engine).provider);
        const bool required = preset && preset->keyRequired;
        if (required && keyStatus(engine) == KeyStatus::Missing)
            return tr("Engine \u201c%1\u201d (%2) needs an API key: set %3 in the environment or store it in the "
                      "system keychain under that name, then open this dialog again.")
                .arg(engine, preset->displayName, keyVariable(engine));
    }
    return QString();
}

void RunSetupDialog::updateBlocking()
{
    for (auto it = m_keyLabels.cbegin(); it != m_keyLabels.cend(); ++it) {
        const QString variable = keyVariable(it.key());
        QString text;
        switch (keyStatus(it.key())) {
        case KeyStatus::NotNeeded:
            text = tr("no key needed");
            break;
        case KeyStatus::Checking:
            text = tr("looking for the key %1…").arg(variable);
            break;
        case KeyStatus::Environment:
            text = tr("key: %1 is set in the environment").arg(variable);
            break;
        case KeyStatus::Keychain:
            text = tr("key: %1 in the system keychain").arg(variable);
            break;
        case KeyStatus::Missing:
            text = tr("key missing: %1").arg(variable);
            break;
        }
        it.value()->setText(text);
        const bool missing = keyStatus(it.key()) == KeyStatus::Missing;
        it.value()->setStyleSheet(missing ? u"color: %1;"_s.arg(errorColor(palette()).name()) : QString());
    }
    const QString why = blockingReason();
    m_blocking->setText(why);
    m_blocking->setStyleSheet(u"color: %1; font-weight: bold;"_s.arg(errorColor(palette()).name()));
    m_blocking->setVisible(!why.isEmpty());
    m_run->setEnabled(why.isEmpty());
}

void RunSetupDialog::accept()
{
    if (!blockingReason().isEmpty())
        return;
    QDialog::accept();
}
