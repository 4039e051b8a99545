#include "editors/RubricEditor.h"

#include "graph/RubricCriteriaModel.h"
#include "KeychainKeySource.h"
#include "providers/ProviderClient.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace {

constexpr int kPreviewDelayMs = 150;   // one rebuild per burst of typing

// Runs on a pool thread: one judge call and its parse, nothing shared but values and the flag.
RubricTrialResult judgeSample(std::shared_ptr<const KeySource> keys, ChatRequest request,
                              Rubric rubric, CancelFlag cancel)
{
    RubricTrialResult out;
    ProviderClient client(std::move(keys));
    ChatResult reply = client.complete(request, nullptr, cancel);
    JudgeScore score;
    if (reply.ok) {
        score = JudgeCall::parse(reply.text, rubric);
        // As a run does: a reply without scores earns one reminder, so "try it" judges the
        // rubric the way training will, flaky judges included.
        if (!score.parsed) {
            out.reasked = true;
            request.messages.append(ChatMessage{u"assistant"_s, reply.text});
            request.messages.append(JudgeCall::reminder(rubric));
            reply = client.complete(request, nullptr, cancel);
            if (reply.ok)
                score = JudgeCall::parse(reply.text, rubric);
        }
    }
    if (!reply.ok) {
        out.cancelled = reply.errorKind == CallErrorKind::Cancelled;
        out.error = reply.error;
        return out;
    }
    out.reply = reply.text;
    for (const RubricCriterion &c : rubric.criteria)
        out.criteria.append(c.name);
    out.critique = score.critique;
    out.perCriterion = score.perCriterion;
    out.score = score.score;
    out.problem = score.problem;
    out.ok = score.parsed;
    if (!score.parsed)
        out.error = score.problem + u", even after a reminder; a run would give this sample the lowest score"_s;
    return out;
}

QString placeholderFor(const QString &port)
{
    return u"(the sample's "_s + port + u" goes here)"_s;
}

} // namespace

RubricEditor::RubricEditor(QWidget *parent)
    : QWidget(parent)
    , m_model(new RubricCriteriaModel(this))
    , m_previewTimer(new QTimer(this))
    , m_keys(std::make_shared<KeychainKeySource>())
{
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(kPreviewDelayMs);
    connect(m_previewTimer, &QTimer::timeout, this, &RubricEditor::updatePreview);
    buildUi();
    connect(&m_trialWatcher, &QFutureWatcher<RubricTrialResult>::finished, this, [this] {
        showTrialResult(m_trialWatcher.result());
    });
    setInputPorts({u"answer"_s});
    setRubric(Rubric());
}

RubricEditor::~RubricEditor()
{
    // The pool thread keeps its own copies of everything; let it stop early and be forgotten.
    if (m_cancel)
        m_cancel->store(true);
}

void RubricEditor::buildUi()
{
    m_instructions = new QPlainTextEdit;
    m_instructions->setObjectName(u"instructions"_s);
    m_instructions->setPlaceholderText(u"Evaluate the submission below against the rubric."_s);
    m_instructions->setTabChangesFocus(true);
    m_instructions->setMaximumHeight(m_instructions->fontMetrics().lineSpacing() * 5);

    m_criteriaView = new QTableView;
    m_criteriaView->setObjectName(u"criteriaView"_s);
    m_criteriaView->setModel(m_model);
    m_criteriaView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_criteriaView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_criteriaView->verticalHeader()->setVisible(false);
    m_criteriaView->horizontalHeader()->setSectionResizeMode(RubricCriteriaModel::NameColumn, QHeaderView::ResizeToContents);
    m_criteriaView->horizontalHeader()->setSectionResizeMode(RubricCriteriaModel::DescriptionColumn, QHeaderView::Stretch);
    m_criteriaView->horizontalHeader()->setSectionResizeMode(RubricCriteriaModel::WeightColumn, QHeaderView::ResizeToContents);
    m_criteriaView->setWordWrap(false);

    m_addButton = new QPushButton(u"&Add"_s);
    m_removeButton = new QPushButton(u"&Remove"_s);
    m_upButton = new QPushButton(u"Move &up"_s);
    m_downButton = new QPushButton(u"Move &down"_s);
    m_addButton->setObjectName(u"addCriterion"_s);
    m_removeButton->setObjectName(u"removeCriterion"_s);
    m_upButton->setObjectName(u"moveUp"_s);
    m_downButton->setObjectName(u"moveDown"_s);
    auto *criteriaButtons = new QVBoxLayout;
    for (QPushButton *b : {m_addButton, m_removeButton, m_upButton, m_downButton})
        criteriaButtons->addWidget(b);
    criteriaButtons->addStretch();

    m_scaleMin = new QSpinBox;
    m_scaleMax = new QSpinBox;
    m_scaleMin->setObjectName(u"scaleMin"_s);
    m_scaleMax->setObjectName(u"scaleMax"_s);
    m_scaleMin->setRange(-100, 99);
    m_scaleMax->setRange(-99, 100);
    auto *scaleRow = new QHBoxLayout;
    scaleRow->addWidget(new QLabel(u"Each criterion is scored from"_s));
    scaleRow->addWidget(m_scaleMin);
    scaleRow->addWidget(new QLabel(u"(worst) to"_s));
    scaleRow->addWidget(m_scaleMax);
    scaleRow->addWidget(new QLabel(u"(best)."_s));
    scaleRow->addStretch();

    auto *criteriaBox = new QGroupBox(u"Criteria"_s);
    auto *criteriaLayout = new QVBoxLayout(criteriaBox);
    auto *tableRow = new QHBoxLayout;
    tableRow->addWidget(m_criteriaView, 1);
    tableRow->addLayout(criteriaButtons);
    criteriaLayout->addLayout(tableRow, 1);
    criteriaLayout->addLayout(scaleRow);

    m_anchorsTitle = new QLabel;
    m_anchorsTitle->setWordWrap(true);
    m_anchors = new QTableWidget(0, 1);
    m_anchors->setObjectName(u"anchors"_s);
    m_anchors->setHorizontalHeaderLabels({u"What this level means (optional)"_s});
    m_anchors->horizontalHeader()->setStretchLastSection(true);
    m_anchors->setWordWrap(false);
    auto *anchorsBox = new QGroupBox(u"Anchors"_s);
    auto *anchorsLayout = new QVBoxLayout(anchorsBox);
    anchorsLayout->addWidget(m_anchorsTitle);
    anchorsLayout->addWidget(m_anchors, 1);

    auto *instructionsBox = new QGroupBox(u"Instructions to the judge"_s);
    auto *instructionsLayout = new QVBoxLayout(instructionsBox);
    instructionsLayout->addWidget(m_instructions);

    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(instructionsBox);
    leftLayout->addWidget(criteriaBox, 1);
    leftLayout->addWidget(anchorsBox, 1);

    m_preview = new QPlainTextEdit;
    m_preview->setObjectName(u"preview"_s);
    m_preview->setReadOnly(true);
    m_preview->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    auto *previewBox = new QGroupBox(u"What the judge receives"_s);
    auto *previewLayout = new QVBoxLayout(previewBox);
    previewLayout->addWidget(m_preview);

    m_samplesForm = new QFormLayout;
    m_engineCombo = new QComboBox;
    m_engineCombo->setObjectName(u"trialEngine"_s);
    m_engineCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_engineCombo->setMinimumContentsLength(10);
    m_runButton = new QPushButton(u"&Run judge"_s);
    m_runButton->setObjectName(u"runTrial"_s);
    m_cancelButton = new QPushButton(u"Cancel"_s);
    m_cancelButton->setObjectName(u"cancelTrial"_s);
    m_trialStatus = new QLabel;
    m_trialStatus->setObjectName(u"trialStatus"_s);
    m_trialStatus->setWordWrap(true);
    m_trialStatus->setTextFormat(Qt::RichText);   // every text put here is escaped first
    m_trialStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_trialOutput = new QPlainTextEdit;
    m_trialOutput->setObjectName(u"trialOutput"_s);
    m_trialOutput->setReadOnly(true);
    m_trialOutput->setPlaceholderText(u"The judge's critique and scores appear here."_s);
    // The engine gets a row of its own: "name (model)" is long and was cut off beside the buttons.
    auto *engineForm = new QFormLayout;
    engineForm->addRow(u"&Engine:"_s, m_engineCombo);
    auto *runRow = new QHBoxLayout;
    runRow->addStretch();
    runRow->addWidget(m_runButton);
    runRow->addWidget(m_cancelButton);
    auto *trialBox = new QGroupBox(u"Try it on a sample"_s);
    auto *trialLayout = new QVBoxLayout(trialBox);
    trialLayout->addLayout(m_samplesForm);
    trialLayout->addLayout(engineForm);
    trialLayout->addLayout(runRow);
    trialLayout->addWidget(m_trialStatus);
    trialLayout->addWidget(m_trialOutput, 1);

    auto *right = new QSplitter(Qt::Vertical);
    right->addWidget(previewBox);
    right->addWidget(trialBox);
    // The preview scrolls; the verdict should be readable without scrolling.
    right->setStretchFactor(0, 1);
    right->setStretchFactor(1, 1);
    right->setSizes({400, 500});

    auto *split = new QSplitter(Qt::Horizontal);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({500, 500});   // halves, whatever the size hints of the two sides
    split->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(m_instructions, &QPlainTextEdit::textChanged, this, &RubricEditor::onEdited);
    connect(m_model, &RubricCriteriaModel::criteriaChanged, this, &RubricEditor::onEdited);
    connect(m_model, &QAbstractItemModel::modelReset, this, &RubricEditor::reloadAnchors);
    connect(m_scaleMin, &QSpinBox::valueChanged, this, [this](int value) {
        if (m_scaleMax->value() <= value)
            m_scaleMax->setValue(value + 1);
        reloadAnchors();
        onEdited();
    });
    connect(m_scaleMax, &QSpinBox::valueChanged, this, [this](int value) {
        if (m_scaleMin->value() >= value)
            m_scaleMin->setValue(value - 1);
        reloadAnchors();
        onEdited();
    });
    connect(m_criteriaView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        reloadAnchors();
        updateButtons();
    });
    connect(m_anchors, &QTableWidget::itemChanged, this, &RubricEditor::storeAnchors);
    connect(m_addButton, &QPushButton::clicked, this, &RubricEditor::addCriterion);
    connect(m_removeButton, &QPushButton::clicked, this, &RubricEditor::removeCriterion);
    connect(m_upButton, &QPushButton::clicked, this, [this] { moveCriterion(-1); });
    connect(m_downButton, &QPushButton::clicked, this, [this] { moveCriterion(+1); });
    connect(m_runButton, &QPushButton::clicked, this, &RubricEditor::runTrial);
    connect(m_cancelButton, &QPushButton::clicked, this, &RubricEditor::cancelTrial);
    connect(m_engineCombo, &QComboBox::currentIndexChanged, this, &RubricEditor::updateButtons);
}

void RubricEditor::setRubric(const Rubric &rubric)
{
    m_loading = true;
    m_instructions->setPlainText(rubric.instructions);
    // Max first when raising, min first when lowering, so neither clamps the other.
    m_scaleMin->setValue(std::min(rubric.scaleMin, m_scaleMax->value() - 1));
    m_scaleMax->setValue(rubric.scaleMax);
    m_scaleMin->setValue(rubric.scaleMin);
    m_model->setCriteria(rubric.criteria);
    if (!rubric.criteria.isEmpty())
        m_criteriaView->setCurrentIndex(m_model->index(0, 0));
    m_loading = false;
    reloadAnchors();
    updateButtons();
    updatePreview();
}

Rubric RubricEditor::rubric() const
{
    Rubric r;
    r.instructions = m_instructions->toPlainText();
    r.criteria = m_model->criteria();
    r.scaleMin = m_scaleMin->value();
    r.scaleMax = m_scaleMax->value();
    return r;
}

void RubricEditor::setEngines(const QMap<QString, EngineConfig> &engines)
{
    m_engines = engines;
    const QString current = m_engineCombo->currentData().toString();
    m_engineCombo->clear();
    for (auto it = engines.cbegin(); it != engines.cend(); ++it) {
        const EngineConfig &e = it.value();
        m_engineCombo->addItem(e.model.isEmpty() ? it.key() : it.key() + u" ("_s + e.model + u')', it.key());
    }
    const int keep = m_engineCombo->findData(current);
    if (keep >= 0)
        m_engineCombo->setCurrentIndex(keep);
    updateButtons();
}

void RubricEditor::setCurrentEngine(const QString &name)
{
    const int index = m_engineCombo->findData(name);
    if (index >= 0)
        m_engineCombo->setCurrentIndex(index);
}

void RubricEditor::setInputPorts(const QStringList &ports)
{
    const QStringList names = ports.isEmpty() ? QStringList{u"answer"_s} : ports;
    QMap<QString, QString> kept;
    for (int i = 0; i < m_samples.size(); ++i)
        kept.insert(m_ports.value(i), m_samples.at(i)->toPlainText());
    while (m_samplesForm->rowCount() > 0)
        m_samplesForm->removeRow(0);
    m_samples.clear();
    m_ports = names;
    for (const QString &port : names) {
        auto *box = new QPlainTextEdit(kept.value(port));
        box->setObjectName(u"sample_"_s + port);
        box->setPlaceholderText(u"A sample "_s + port + u" for the judge to score"_s);
        box->setTabChangesFocus(true);
        box->setMaximumHeight(box->fontMetrics().lineSpacing() * 3 + 12);
        m_samplesForm->addRow(port + u':', box);
        // The preview shows the sample once there is one, so what is previewed is what is sent.
        connect(box, &QPlainTextEdit::textChanged, m_previewTimer, qOverload<>(&QTimer::start));
        m_samples.append(box);
    }
    updatePreview();
}

void RubricEditor::setPromptLibrary(const PromptLibrary &prompts)
{
    m_prompts = prompts;
    updatePreview();
}

void RubricEditor::setKeySource(std::shared_ptr<const KeySource> keys)
{
    if (keys)
        m_keys = std::move(keys);
}

QString RubricEditor::previewText() const
{
    return m_preview->toPlainText();
}

bool RubricEditor::isTrialRunning() const
{
    return m_trialWatcher.isRunning();
}

void RubricEditor::onEdited()
{
    if (m_loading)
        return;
    m_previewTimer->start();
    updateButtons();
    emit rubricChanged(rubric());
}

QVector<JudgeInput> RubricEditor::sampleInputs(bool placeholders) const
{
    QVector<JudgeInput> inputs;
    for (int i = 0; i < m_ports.size(); ++i) {
        const QString text = i < m_samples.size() ? m_samples.at(i)->toPlainText() : QString();
        inputs.append(JudgeInput{m_ports.at(i), QString(),
                                 placeholders && text.isEmpty() ? placeholderFor(m_ports.at(i)) : text});
    }
    return inputs;
}

void RubricEditor::updatePreview()
{
    m_previewTimer->stop();
    const QVector<ChatMessage> messages = JudgeCall::buildMessages(rubric(), sampleInputs(true), m_prompts);
    QString text;
    for (const ChatMessage &m : messages) {
        if (!text.isEmpty())
            text += u"\n\n"_s;
        text += u"━━ "_s + m.role.toUpper() + u" ━━\n"_s + m.content;
    }
    // Keep the reader's place while they type on the left.
    const int scroll = m_preview->verticalScrollBar()->value();
    m_preview->setPlainText(text);
    m_preview->verticalScrollBar()->setValue(scroll);
}

void RubricEditor::updateButtons()
{
    const int row = currentRow();
    const int count = m_model->rowCount();
    m_removeButton->setEnabled(row >= 0);
    m_upButton->setEnabled(row > 0);
    m_downButton->setEnabled(row >= 0 && row < count - 1);
    const bool running = isTrialRunning();
    const bool haveEngine = m_engineCombo->count() > 0;
    m_runButton->setEnabled(!running && haveEngine && count > 0);
    m_cancelButton->setEnabled(running);
    m_engineCombo->setEnabled(!running);
    if (!running && !haveEngine)
        m_runButton->setToolTip(u"The pipeline has no engine to run the judge on."_s);
    else if (!running && count == 0)
        m_runButton->setToolTip(u"Add a criterion first."_s);
    else
        m_runButton->setToolTip(QString());
}

int RubricEditor::currentRow() const
{
    const QModelIndex current = m_criteriaView->selectionModel()->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void RubricEditor::reloadAnchors()
{
    const int row = currentRow();
    const QSignalBlocker block(m_anchors);
    m_anchors->setRowCount(0);
    if (row < 0) {
        m_anchorsTitle->setText(u"Select a criterion to describe what its levels mean."_s);
        m_anchors->setEnabled(false);
        return;
    }
    m_anchors->setEnabled(true);
    const RubricCriterion &c = m_model->criteria().at(row);
    m_anchorsTitle->setText(u"What each level of \u201c"_s + c.name
                            + u"\u201d means. The judge sees the levels you describe."_s);
    // Levels of the scale first, then any anchor left outside it by a scale change: shown, so
    // the preview never contains a line the user cannot see or remove.
    QList<int> levels;
    for (int level = m_scaleMin->value(); level <= m_scaleMax->value(); ++level)
        levels.append(level);
    for (auto it = c.anchors.cbegin(); it != c.anchors.cend(); ++it) {
        if (!levels.contains(it.key()))
            levels.append(it.key());
    }
    std::sort(levels.begin(), levels.end());
    m_anchors->setRowCount(int(levels.size()));
    QStringList labels;
    for (int i = 0; i < levels.size(); ++i) {
        const int level = levels.at(i);
        const bool outside = level < m_scaleMin->value() || level > m_scaleMax->value();
        labels.append(QString::number(level) + (outside ? u" (outside the scale)"_s : QString()));
        auto *item = new QTableWidgetItem(c.anchors.value(level));
        item->setData(Qt::UserRole, level);
        m_anchors->setItem(i, 0, item);
    }
    m_anchors->setVerticalHeaderLabels(labels);
}

void RubricEditor::storeAnchors()
{
    const int row = currentRow();
    if (row < 0)
        return;
    QMap<int, QString> anchors;
    for (int i = 0; i < m_anchors->rowCount(); ++i) {
        const QTableWidgetItem *item = m_anchors->item(i, 0);
        if (item && !item->text().trimmed().isEmpty())
            anchors.insert(item->data(Qt::UserRole).toInt(), item->text().trimmed());
    }
    m_model->setAnchors(row, anchors);
}

void RubricEditor::addCriterion()
{
    const int row = m_model->addCriterion();
    const QModelIndex name = m_model->index(row, RubricCriteriaModel::NameColumn);
    m_criteriaView->setCurrentIndex(name);
    m_criteriaView->edit(name);
}

void RubricEditor::removeCriterion()
{
    const int row = currentRow();
    if (row < 0)
        return;
    m_model->removeRows(row, 1);
    if (m_model->rowCount() > 0)
        m_criteriaView->setCurrentIndex(m_model->index(std::min(row, m_model->rowCount() - 1), 0));
    reloadAnchors();
    updateButtons();
}

void RubricEditor::moveCriterion(int delta)
{
    const int row = currentRow();
    if (m_model->moveCriterion(row, delta))
        m_criteriaView->setCurrentIndex(m_model->index(row + delta, 0));
    updateButtons();
}

void RubricEditor::runTrial()
{
    if (isTrialRunning() || m_engineCombo->currentIndex() < 0)
        return;
    const QString engineName = m_engineCombo->currentData().toString();
    ChatRequest request;
    request.engine = m_engines.value(engineName);
    if (request.engine.name.isEmpty())
        request.engine.name = engineName;
    const Rubric r = rubric();
    request.messages = JudgeCall::buildMessages(r, sampleInputs(false), m_prompts);
    request.tag.purpose = CallPurpose::Loss;
    m_cancel = makeCancelFlag();
    m_trialStatus->setText(u"Asking the judge on "_s + engineName.toHtmlEscaped() + u"\u2026"_s);
    m_trialOutput->clear();
    m_trialWatcher.setFuture(QtConcurrent::run(judgeSample, m_keys, request, r, m_cancel));
    updateButtons();
}

void RubricEditor::cancelTrial()
{
    if (m_cancel)
        m_cancel->store(true);
    if (isTrialRunning())
        m_trialStatus->setText(u"Cancelling\u2026"_s);
}

void RubricEditor::showTrialResult(const RubricTrialResult &result)
{
    updateButtons();
    if (result.cancelled) {
        m_trialStatus->setText(u"Cancelled."_s);
        emit trialFinished(result);
        return;
    }
    if (!result.ok) {
        // The status line stays one line; the whole message (often long: host, status, the
        // server's words) goes to the scrollable box below it.
        m_trialStatus->setText(u"<b>The judge call failed.</b>"_s);
        QString text = result.error;
        if (!result.reply.isEmpty())
            text += u"\n\nThe judge replied:\n\n"_s + result.reply;
        m_trialOutput->setPlainText(text);
        emit trialFinished(result);
        return;
    }
    QString status = u"<b>Weighted score: "_s + QString::number(result.score, 'f', 2)
        + u"</b> on a scale from 0 to 1"_s;
    m_trialStatus->setText(status);
    QString text;
    if (!result.problem.isEmpty())
        text += u"Note: "_s + result.problem + u".\n"_s;
    if (result.reasked)
        text += u"Note: the first reply had no readable scores; the judge was reminded once, as in a run.\n"_s;
    if (!text.isEmpty())
        text += u'\n';
    text += u"Scores:\n"_s;
    for (const QString &name : result.criteria) {
        const auto it = result.perCriterion.constFind(name);
        text += u"  "_s + name + u": "_s
            + (it == result.perCriterion.cend() ? u"no score"_s : QString::number(it.value())) + u'\n';
    }
    text += u"\nCritique:\n"_s + result.critique;
    m_trialOutput->setPlainText(text);
    emit trialFinished(result);
}
