#pragma once

#include "graph/EngineConfig.h"
#include "providers/ChatTypes.h"
#include "providers/ModelCatalog.h"

#include <QFutureWatcher>
#include <QWidget>

#include <functional>
#include <memory>

class KeychainKeySource;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;

// What a keychain chore (look up where a key comes from, save, remove) found; a value from the
// pool thread. Never holds the key.
struct KeyStatus
{
    QString variable;
    QString description;     // KeySource::describe(variable)
    bool keychainAvailable = false;
    bool found = false;      // a key is there (environment or keychain)
    QString error;           // the last save / remove failure
};

// Edits one engine: provider preset, base URL, model, where its key comes from, sampling,
// timeouts and the Azure-only fields. "Test connection" lists the endpoint's models on a pool
// thread and fills the model box. Keys are stored in the system keychain only: the engine (and
// so any settings or pipeline file) carries just the name of the variable; the key is never
// shown, not even where it comes from beyond the variable's name and the place.
// Keychain calls can block for seconds (a locked keyring, no D-Bus), so they also run on a
// pool thread; the GUI thread never waits for them or for the network.
class EngineEditor : public QWidget
{
    Q_OBJECT

public:
    explicit EngineEditor(QWidget *parent = nullptr);
    ~EngineEditor() override;

    // Loads an engine without emitting engineChanged: only the user's edits emit it. An engine
    // with no provider (a validation error) is shown as OpenAI, and engine() returns "openai".
    void setEngine(const EngineConfig &engine);
    EngineConfig engine() const;

    // Where keys are looked up and stored (default: the environment, then the system keychain
    // under the workbench's service); tests inject one with their own environment and service.
    void setKeySource(std::shared_ptr<KeychainKeySource> keys);

    bool isTesting() const;

public slots:
    void testConnection();
    void refreshKeyStatus();
    void askForKey();
    void removeKey();

signals:
    void engineChanged(const EngineConfig &engine);
    void connectionTested(const ModelListing &listing);
    void keyStatusChanged(const KeyStatus &status);

private:
    void buildUi();
    void onEdited();
    void onProviderChanged();
    void applyPresetHints();
    void showListing(const ModelListing &listing);
    void showKeyStatus(const KeyStatus &status);
    void storeKey(const QString &key);
    void runKeyChore(std::function<KeyStatus()> chore);
    QString currentProvider() const;
    QString keyVariable() const;

    QComboBox *m_provider = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    QComboBox *m_model = nullptr;
    QPushButton *m_testButton = nullptr;
    QLabel *m_testStatus = nullptr;

    QLineEdit *m_keyVariable = nullptr;
    QLabel *m_keyStatus = nullptr;
    QPushButton *m_saveKeyButton = nullptr;
    QPushButton *m_removeKeyButton = nullptr;
    QLabel *m_keychainNote = nullptr;

    QDoubleSpinBox *m_temperature = nullptr;
    QDoubleSpinBox *m_topP = nullptr;
    QSpinBox *m_maxTokens = nullptr;
    QSpinBox *m_seed = nullptr;
    QPlainTextEdit *m_stop = nullptr;
    QCheckBox *m_stream = nullptr;

    QDoubleSpinBox *m_timeout = nullptr;
    QDoubleSpinBox *m_inactivity = nullptr;
    QSpinBox *m_retries = nullptr;

    QGroupBox *m_azureBox = nullptr;
    QLineEdit *m_deployment = nullptr;
    QLineEdit *m_apiVersion = nullptr;

    QTimer *m_keyTimer = nullptr;
    EngineConfig m_engine;   // what setEngine gave: fields this editor has no widget for survive
    std::shared_ptr<KeychainKeySource> m_keys;
    QFutureWatcher<ModelListing> m_listWatcher;
    QFutureWatcher<KeyStatus> m_keyWatcher;
    CancelFlag m_cancel;
    bool m_keyChorePending = false;   // a refresh asked for while another chore ran
    bool m_loading = false;
};
