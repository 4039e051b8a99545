#include "editors/EngineEditor.h"

#include "KeychainKeySource.h"
#include "providers/ProviderPresets.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <limits>

using namespace Qt::StringLiterals;

namespace {

const QString kKeyNote = u"Pipelines and settings store only the variable\u2019s name, never the key."_s;

constexpr double kNotSetDouble = -0.05;   // one step below zero: the spin box shows "not set"

// Stop sequences are often "\n\n"; one per line in the box, so line breaks are written escaped.
QString escapeStop(const QString &stop)
{
    QString out;
    for (const QChar c : stop) {
        if (c == u'\\')
            out += u"\\\\"_s;
        else if (c == u'\n')
            out += u"\\n"_s;
        else if (c == u'\t')
            out += u"\\t"_s;
        else
            out += c;
    }
    return out;
}

QString unescapeStop(const QString &line)
{
    QString out;
    for (int i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (c != u'\\' || i + 1 == line.size()) {
            out += c;
            continue;
        }
        const QChar next = line.at(++i);
        out += next == u'n' ? QChar(u'\n') : next == u't' ? QChar(u'\t') : next;
    }
    return out;
}

QDoubleSpinBox *optionalDoubleBox(double max, const QString &name)
{
    auto *box = new QDoubleSpinBox;
    box->setObjectName(name);
    box->setRange(kNotSetDouble, max);
    box->setSingleStep(0.05);
    box->setDecimals(2);
    box->setSpecialValueText(u"not set"_s);
    box->setValue(kNotSetDouble);
    return box;
}

QLabel *hint(const QString &text)
{
    auto *label = new QLabel(text);
    label->setWordWrap(true);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    label->setFont(font);
    label->setForegroundRole(QPalette::PlaceholderText);
    // Forms keep non-expanding fields at their size hint; a wrapped hint's is narrow.
    label->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    return label;
}

} // namespace

EngineEditor::EngineEditor(QWidget *parent)
    : QWidget(parent)
    , m_keyTimer(new QTimer(this))
    , m_keys(std::make_shared<KeychainKeySource>())
{
    m_keyTimer->setSingleShot(true);
    m_keyTimer->setInterval(400);   // the variable's name is typed letter by letter
    connect(m_keyTimer, &QTimer::timeout, this, &EngineEditor::refreshKeyStatus);
    buildUi();
    connect(&m_listWatcher, &QFutureWatcher<ModelListing>::finished, this, [this] {
        showListing(m_listWatcher.result());
    });
    connect(&m_keyWatcher, &QFutureWatcher<KeyStatus>::finished, this, [this] {
        showKeyStatus(m_keyWatcher.result());
        if (m_keyChorePending) {
            m_keyChorePending = false;
            refreshKeyStatus();
        }
    });
    EngineConfig initial;
    initial.provider = u"openai"_s;
    setEngine(initial);
}

EngineEditor::~EngineEditor()
{
    if (m_cancel)
        m_cancel->store(true);
}

void EngineEditor::buildUi()
{
    m_provider = new QComboBox;
    m_provider->setObjectName(u"provider"_s);
    for (const ProviderPreset &preset : ProviderPresets::all())
        m_provider->addItem(preset.displayName, preset.name);
    m_baseUrl = new QLineEdit;
    m_baseUrl->setObjectName(u"baseUrl"_s);
    m_baseUrl->setClearButtonEnabled(true);
    m_model = new QComboBox;
    m_model->setObjectName(u"model"_s);
    m_model->setEditable(true);
    m_model->setInsertPolicy(QComboBox::NoInsert);
    m_model->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_model->lineEdit()->setPlaceholderText(u"type a name, or test the connection to list them"_s);
    m_testButton = new QPushButton(u"&Test connection"_s);
    m_testButton->setObjectName(u"testConnection"_s);
    m_testStatus = new QLabel;
    m_testStatus->setObjectName(u"testStatus"_s);
    m_testStatus->setWordWrap(true);
    m_testStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *modelRow = new QHBoxLayout;
    modelRow->addWidget(m_model, 1);
    modelRow->addWidget(m_testButton);

    auto *connectionBox = new QGroupBox(u"Connection"_s);
    auto *connectionForm = new QFormLayout(connectionBox);
    connectionForm->addRow(u"&Provider:"_s, m_provider);
    connectionForm->addRow(u"&Base URL:"_s, m_baseUrl);
    auto *modelLabel = new QLabel(u"&Model:"_s);
    modelLabel->setBuddy(m_model);
    connectionForm->addRow(modelLabel, modelRow);
    connectionForm->addRow(QString(), m_testStatus);
    m_testStatus->hide();   // shown with the first test, so an empty row leaves no gap

    m_keyVariable = new QLineEdit;
    m_keyVariable->setObjectName(u"keyVariable"_s);
    m_keyVariable->setClearButtonEnabled(true);
    m_keyStatus = new QLabel;
    m_keyStatus->setObjectName(u"keyStatus"_s);
    m_keyStatus->setWordWrap(true);
    m_keyStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_saveKeyButton = new QPushButton(u"Save key in keychain\u2026"_s);
    m_saveKeyButton->setObjectName(u"saveKey"_s);
    m_removeKeyButton = new QPushButton(u"Remove from keychain"_s);
    m_removeKeyButton->setObjectName(u"removeKey"_s);
    auto *keyButtons = new QHBoxLayout;
    keyButtons->addWidget(m_saveKeyButton);
    keyButtons->addWidget(m_removeKeyButton);
    keyButtons->addStretch();
    auto *keyBox = new QGroupBox(u"API key"_s);
    auto *keyForm = new QFormLayout(keyBox);
    keyForm->addRow(u"Environment &variable:"_s, m_keyVariable);
    keyForm->addRow(u"Key from:"_s, m_keyStatus);
    keyForm->addRow(QString(), keyButtons);
    m_keychainNote = hint(QString());
    m_keychainNote->setObjectName(u"keychainNote"_s);
    keyForm->addRow(QString(), m_keychainNote);

    m_temperature = optionalDoubleBox(2.0, u"temperature"_s);
    m_topP = optionalDoubleBox(1.0, u"topP"_s);
    m_maxTokens = new QSpinBox;
    m_maxTokens->setObjectName(u"maxTokens"_s);
    m_maxTokens->setRange(0, 10'000'000);
    m_maxTokens->setSpecialValueText(u"not set"_s);
    m_seed = new QSpinBox;
    m_seed->setObjectName(u"seed"_s);
    m_seed->setRange(-1, std::numeric_limits<int>::max());
    m_seed->setSpecialValueText(u"not set"_s);
    m_stop = new QPlainTextEdit;
    m_stop->setObjectName(u"stop"_s);
    m_stop->setTabChangesFocus(true);
    m_stop->setPlaceholderText(u"one per line; write a line break as \\n"_s);
    m_stop->setFixedHeight(m_stop->fontMetrics().lineSpacing() * 3 + 12);
    m_stream = new QCheckBox(u"Stream replies (text arrives as it is written)"_s);
    m_stream->setObjectName(u"stream"_s);
    for (QAbstractSpinBox *box : std::initializer_list<QAbstractSpinBox *>{m_temperature, m_topP, m_maxTokens, m_seed})
        box->setMinimumWidth(110);
    auto *samplingBox = new QGroupBox(u"Sampling"_s);
    auto *samplingForm = new QFormLayout(samplingBox);
    samplingForm->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    samplingForm->addRow(u"T&emperature:"_s, m_temperature);
    samplingForm->addRow(u"Top-&p:"_s, m_topP);
    samplingForm->addRow(u"Max &tokens:"_s, m_maxTokens);
    samplingForm->addRow(u"&Seed:"_s, m_seed);
    samplingForm->addRow(u"Stop se&quences:"_s, m_stop);
    samplingForm->addRow(QString(), m_stream);
    samplingForm->addRow(QString(), hint(u"\u201cnot set\u201d leaves the provider\u2019s default."_s));

    m_timeout = new QDoubleSpinBox;
    m_timeout->setObjectName(u"timeout"_s);
    m_timeout->setRange(1, 3600);
    m_timeout->setSuffix(u" s"_s);
    m_timeout->setDecimals(0);
    m_inactivity = new QDoubleSpinBox;
    m_inactivity->setObjectName(u"inactivity"_s);
    m_inactivity->setRange(1, 3600);
    m_inactivity->setSuffix(u" s"_s);
    m_inactivity->setDecimals(0);
    m_retries = new QSpinBox;
    m_retries->setObjectName(u"retries"_s);
    m_retries->setRange(0, 20);
    for (QAbstractSpinBox *box : std::initializer_list<QAbstractSpinBox *>{m_timeout, m_inactivity, m_retries})
        box->setMinimumWidth(110);
    auto *limitsBox = new QGroupBox(u"Timeouts and retries"_s);
    auto *limitsForm = new QFormLayout(limitsBox);
    limitsForm->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    limitsForm->addRow(u"Whole re&quest within:"_s, m_timeout);
    limitsForm->addRow(u"Give up after silence of:"_s, m_inactivity);
    limitsForm->addRow(u"&Retries:"_s, m_retries);
    limitsForm->addRow(QString(), hint(u"Retries follow rate limits (429), server errors and dropped "
                                       "connections; other errors fail at once."_s));

    m_deployment = new QLineEdit;
    m_deployment->setObjectName(u"deployment"_s);
    m_deployment->setPlaceholderText(u"required: the name given to the deployment in Azure"_s);
    m_apiVersion = new QLineEdit;
    m_apiVersion->setObjectName(u"apiVersion"_s);
    m_apiVersion->setPlaceholderText(u"empty: a tested default"_s);
    m_azureBox = new QGroupBox(u"Azure OpenAI"_s);
    m_azureBox->setObjectName(u"azureBox"_s);
    auto *azureForm = new QFormLayout(m_azureBox);
    azureForm->addRow(u"&Deployment:"_s, m_deployment);
    azureForm->addRow(u"API &version:"_s, m_apiVersion);

    // Taller than most docks: it scrolls rather than squeezing its rows into each other.
    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    layout->addWidget(connectionBox);
    layout->addWidget(m_azureBox);
    layout->addWidget(keyBox);
    layout->addWidget(samplingBox);
    layout->addWidget(limitsBox);
    layout->addStretch();
    // In a narrow dock a field goes under its label instead of being cut off at the edge.
    for (QFormLayout *form : content->findChildren<QFormLayout *>())
        form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    auto *scroll = new QScrollArea;
    scroll->setObjectName(u"scroll"_s);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // A scroll bar that comes and goes changes the width the wrapped notes are measured at,
    // after their height was settled: they overlapped their neighbours. A steady one cannot.
    scroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    connect(m_provider, &QComboBox::currentIndexChanged, this, &EngineEditor::onProviderChanged);
    connect(m_baseUrl, &QLineEdit::textEdited, this, &EngineEditor::onEdited);
    connect(m_model, &QComboBox::currentTextChanged, this, &EngineEditor::onEdited);
    connect(m_testButton, &QPushButton::clicked, this, &EngineEditor::testConnection);
    connect(m_keyVariable, &QLineEdit::textChanged, this, [this] {
        onEdited();
        m_keyTimer->start();
    });
    connect(m_saveKeyButton, &QPushButton::clicked, this, &EngineEditor::askForKey);
    connect(m_removeKeyButton, &QPushButton::clicked, this, &EngineEditor::removeKey);
    for (QDoubleSpinBox *box : {m_temperature, m_topP, m_timeout, m_inactivity})
        connect(box, &QDoubleSpinBox::valueChanged, this, &EngineEditor::onEdited);
    for (QSpinBox *box : {m_maxTokens, m_seed, m_retries})
        connect(box, &QSpinBox::valueChanged, this, &EngineEditor::onEdited);
    connect(m_stop, &QPlainTextEdit::textChanged, this, &EngineEditor::onEdited);
    connect(m_stream, &QCheckBox::toggled, this, &EngineEditor::onEdited);
    connect(m_deployment, &QLineEdit::textEdited, this, &EngineEditor::onEdited);
    connect(m_apiVersion, &QLineEdit::textEdited, this, &EngineEditor::onEdited);
}

void EngineEditor::setEngine(const EngineConfig &engine)
{
    m_loading = true;
    m_engine = engine;
    const QString provider = engine.provider.isEmpty() ? u"openai"_s : engine.provider;
    int index = m_provider->findData(provider);
    if (index < 0) {
        // Kept rather than replaced: the validator explains an unknown provider better than we could.
        m_provider->addItem(provider + u" (unknown provider)"_s, provider);
        index = m_provider->count() - 1;
    }
    m_provider->setCurrentIndex(index);
    m_baseUrl->setText(engine.baseUrl);
    m_model->clear();
    m_model->setCurrentText(engine.model);
    m_keyVariable->setText(engine.apiKeyEnv);
    m_temperature->setValue(engine.temperature.value_or(kNotSetDouble));
    m_topP->setValue(engine.topP.value_or(kNotSetDouble));
    m_maxTokens->setValue(engine.maxTokens.value_or(0));
    m_seed->setValue(engine.seed.value_or(-1));
    QStringList stops;
    for (const QString &stop : engine.stop)
        stops.append(escapeStop(stop));
    m_stop->setPlainText(stops.join(u'\n'));
    m_stream->setChecked(engine.stream);
    m_timeout->setValue(engine.timeoutSeconds);
    m_inactivity->setValue(engine.inactivitySeconds);
    m_retries->setValue(engine.maxRetries);
    m_deployment->setText(engine.deployment);
    m_apiVersion->setText(engine.apiVersion);
    m_testStatus->clear();
    m_testStatus->hide();
    m_loading = false;
    applyPresetHints();
    refreshKeyStatus();
}

EngineConfig EngineEditor::engine() const
{
    EngineConfig e = m_engine;
    e.provider = currentProvider();
    e.baseUrl = m_baseUrl->text().trimmed();
    e.model = m_model->currentText().trimmed();
    e.apiKeyEnv = m_keyVariable->text().trimmed();
    e.temperature = m_temperature->value() > kNotSetDouble / 2 ? std::optional<double>(m_temperature->value()) : std::nullopt;
    e.topP = m_topP->value() > kNotSetDouble / 2 ? std::optional<double>(m_topP->value()) : std::nullopt;
    e.maxTokens = m_maxTokens->value() > 0 ? std::optional<int>(m_maxTokens->value()) : std::nullopt;
    e.seed = m_seed->value() >= 0 ? std::optional<int>(m_seed->value()) : std::nullopt;
    e.stop.clear();
    const QStringList lines = m_stop->toPlainText().split(u'\n');
    for (const QString &line : lines) {
        if (!line.isEmpty())
            e.stop.append(unescapeStop(line));
    }
    e.stream = m_stream->isChecked();
    e.timeoutSeconds = m_timeout->value();
    e.inactivitySeconds = m_inactivity->value();
    e.maxRetries = m_retries->value();
    // Azure fields belong to Azure only; others keep whatever they were given, untouched.
    if (e.provider == u"azure-openai"_s) {
        e.deployment = m_deployment->text().trimmed();
        e.apiVersion = m_apiVersion->text().trimmed();
    }
    return e;
}

void EngineEditor::setKeySource(std::shared_ptr<KeychainKeySource> keys)
{
    if (!keys)
        return;
    m_keys = std::move(keys);
    refreshKeyStatus();
}

bool EngineEditor::isTesting() const
{
    return m_listWatcher.isRunning();
}

QString EngineEditor::currentProvider() const
{
    return m_provider->currentData().toString();
}

QString EngineEditor::keyVariable() const
{
    const QString typed = m_keyVariable->text().trimmed();
    return typed.isEmpty() ? defaultApiKeyEnv(currentProvider()) : typed;
}

void EngineEditor::onEdited()
{
    if (!m_loading)
        emit engineChanged(engine());
}

void EngineEditor::onProviderChanged()
{
    if (m_loading)
        return;
    // The models of one provider mean nothing to another.
    m_model->clear();
    m_testStatus->clear();
    m_testStatus->hide();
    applyPresetHints();
    refreshKeyStatus();
    onEdited();
}

void EngineEditor::applyPresetHints()
{
    const QString provider = currentProvider();
    const ProviderPreset *preset = ProviderPresets::find(provider);
    const QString url = preset ? preset->defaultBaseUrl : QString();
    if (!url.isEmpty())
        m_baseUrl->setPlaceholderText(url);
    else if (provider == u"azure-openai"_s)
        m_baseUrl->setPlaceholderText(u"required, e.g. https://RESOURCE.openai.azure.com"_s);
    else
        m_baseUrl->setPlaceholderText(u"required, e.g. http://localhost:8000/v1"_s);
    const QString variable = preset ? preset->keyVariable : QString();
    m_keyVariable->setPlaceholderText(variable.isEmpty() ? u"none needed (optional)"_s : variable);
    m_azureBox->setVisible(provider == u"azure-openai"_s);
}

void EngineEditor::testConnection()
{
    if (isTesting()) {
        if (m_cancel)
            m_cancel->store(true);
        return;
    }
    m_cancel = makeCancelFlag();
    const EngineConfig config = engine();
    const std::shared_ptr<const KeySource> keys = m_keys;
    const CancelFlag cancel = m_cancel;
    m_testStatus->setText(u"Connecting\u2026"_s);
    m_testStatus->show();
    m_testButton->setText(u"Cancel &test"_s);
    m_listWatcher.setFuture(QtConcurrent::run([config, keys, cancel] {
        return ModelCatalog::list(config, *keys, cancel);
    }));
}

void EngineEditor::showListing(const ModelListing &listing)
{
    m_testButton->setText(u"&Test connection"_s);
    if (!listing.ok) {
        m_testStatus->setText(u"Connection failed: "_s + listing.error);
        emit connectionTested(listing);
        return;
    }
    const QString current = m_model->currentText();
    {
        const QSignalBlocker block(m_model);
        m_model->clear();
        m_model->addItems(listing.models);
        m_model->setCurrentText(current);
    }
    QString text = u"Connected in "_s + QString::number(listing.latencyMs) + u" ms; "_s
        + QString::number(listing.models.size())
        + (listing.models.size() == 1 ? u" model offered."_s : u" models offered."_s);
    if (!current.isEmpty() && !listing.models.isEmpty() && !listing.models.contains(current))
        text += u" \u201c"_s + current + u"\u201d is not among them."_s;
    else if (current.isEmpty() && !listing.models.isEmpty())
        text += u" Choose one in the list."_s;
    m_testStatus->setText(text);
    emit connectionTested(listing);
}

void EngineEditor::refreshKeyStatus()
{
    m_keyTimer->stop();
    const QString variable = keyVariable();
    if (variable.isEmpty()) {
        KeyStatus none;
        showKeyStatus(none);
        return;
    }
    const std::shared_ptr<KeychainKeySource> keys = m_keys;
    runKeyChore([keys, variable] {
        KeyStatus status;
        status.variable = variable;
        status.keychainAvailable = keys->isAvailable();
        status.description = keys->describe(variable);
        status.found = !keys->key(variable).isEmpty();   // only whether: the key stays here
        return status;
    });
}

void EngineEditor::runKeyChore(std::function<KeyStatus()> chore)
{
    if (m_keyWatcher.isRunning()) {
        // One keychain chore at a time; a refresh afterwards shows the latest state.
        m_keyChorePending = true;
        return;
    }
    m_saveKeyButton->setEnabled(false);
    m_removeKeyButton->setEnabled(false);
    // Never leave the previous variable's answer showing while the new one is looked up.
    m_keyStatus->setText(u"Looking for "_s + keyVariable() + u"\u2026"_s);
    m_keyWatcher.setFuture(QtConcurrent::run(std::move(chore)));
}

void EngineEditor::showKeyStatus(const KeyStatus &status)
{
    if (status.variable.isEmpty()) {
        m_keyStatus->setText(u"No key is needed for this provider. Name a variable if your server wants one."_s);
        m_saveKeyButton->setEnabled(false);
        m_removeKeyButton->setEnabled(false);
        m_saveKeyButton->setToolTip(u"Name the environment variable first."_s);
        m_keychainNote->setText(kKeyNote);
        emit keyStatusChanged(status);
        return;
    }
    if (status.variable != keyVariable()) {
        // The user changed the variable while we looked: look again for the new one.
        refreshKeyStatus();
        return;
    }
    QString text = status.found ? u"Found in "_s + status.description + u'.'
                                : u"Not found. Looked in "_s + status.description + u'.';
    if (!status.error.isEmpty())
        text += u"\n"_s + status.error;
    m_keyStatus->setText(text);
    m_saveKeyButton->setEnabled(status.keychainAvailable);
    m_removeKeyButton->setEnabled(status.keychainAvailable);
    const QString why = status.keychainAvailable
        ? QString()
        : u"Saving a key needs a system keychain (Secret Service or KWallet), and none answers in this session."_s;
    m_saveKeyButton->setToolTip(why);
    m_removeKeyButton->setToolTip(why);
    m_keychainNote->setText(status.keychainAvailable ? kKeyNote : why + u' ' + kKeyNote);
    emit keyStatusChanged(status);
}

void EngineEditor::askForKey()
{
    const QString variable = keyVariable();
    if (variable.isEmpty())
        return;
    // open(), not exec(): no nested event loop on the GUI thread.
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(u"Save key in keychain"_s);
    dialog->setLabelText(u"Key for "_s + variable
                         + u". It is saved in the system keychain, never in a pipeline or settings file:"_s);
    dialog->setTextEchoMode(QLineEdit::Password);
    dialog->setInputMethodHints(Qt::ImhSensitiveData | Qt::ImhNoPredictiveText);
    dialog->setOkButtonText(u"Save"_s);
    connect(dialog, &QInputDialog::textValueSelected, this, &EngineEditor::storeKey);
    dialog->open();
}

void EngineEditor::storeKey(const QString &key)
{
    const QString variable = keyVariable();
    if (variable.isEmpty() || key.trimmed().isEmpty())
        return;
    const std::shared_ptr<KeychainKeySource> keys = m_keys;
    runKeyChore([keys, variable, key] {
        KeyStatus status;
        status.variable = variable;
        QString error;
        if (!keys->storeKey(variable, key, &error))
            status.error = u"Could not save: "_s + error;
        status.keychainAvailable = keys->isAvailable();
        status.description = keys->describe(variable);
        status.found = !keys->key(variable).isEmpty();   // only whether: the key stays here
        return status;
    });
}

void EngineEditor::removeKey()
{
    const QString variable = keyVariable();
    if (variable.isEmpty())
        return;
    const std::shared_ptr<KeychainKeySource> keys = m_keys;
    runKeyChore([keys, variable] {
        KeyStatus status;
        status.variable = variable;
        QString error;
        if (!keys->removeKey(variable, &error))
            status.error = u"Could not remove: "_s + error;
        status.keychainAvailable = keys->isAvailable();
        status.description = keys->describe(variable);
        status.found = !keys->key(variable).isEmpty();   // only whether: the key stays here
        return status;
    });
}
