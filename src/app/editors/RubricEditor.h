#pragma once

#include "autograd/JudgeCall.h"
#include "graph/EngineConfig.h"
#include "graph/Rubric.h"
#include "prompts/PromptLibrary.h"
#include "providers/ChatTypes.h"

#include <QFutureWatcher>
#include <QMap>
#include <QStringList>
#include <QWidget>

#include <memory>

class KeySource;
class LlmClient;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableView;
class QTableWidget;
class QTimer;
class QFormLayout;
class RubricCriteriaModel;

// What one "try it" judge call produced; crosses from the worker thread as a value.
struct RubricTrialResult
{
    bool ok = false;
    bool cancelled = false;
    bool reasked = false;                // the first reply had no scores: asked once more
    QString error;                       // the call's error, or why the reply had no score
    QString critique;
    QMap<QString, double> perCriterion;  // raw scores on the rubric's scale
    double score = 0.0;                  // weighted, normalised to [0, 1]
    QString problem;                     // partly parsed: which criteria had no score
    QString reply;                       // the judge's whole reply
    QStringList criteria;                // the rubric's criterion names, in order
};

// Edits a judge's rubric: instructions, criteria (name, description, weight), the score scale
// and optional anchors per level. A read-only preview shows the exact system and user messages
// the judge will receive, rebuilt shortly after each edit. "Try it" sends the judge a sample
// through a real provider call on a pool thread; the GUI thread only starts it and receives
// the result (or cancels it by flag).
class RubricEditor : public QWidget
{
    Q_OBJECT

public:
    explicit RubricEditor(QWidget *parent = nullptr);
    ~RubricEditor() override;

    // Loads a rubric without emitting rubricChanged: only the user's edits emit it.
    void setRubric(const Rubric &rubric);
    Rubric rubric() const;

    // The pipeline's engines, by name; "try it" runs the judge on the chosen one.
    void setEngines(const QMap<QString, EngineConfig> &engines);
    // The engine "try it" uses, by name (the judge's own); ignored when it is not listed.
    void setCurrentEngine(const QString &name);
    // Names of the judge's input ports: one sample box each (default: "answer").
    void setInputPorts(const QStringList &ports);
    // The pipeline's prompt overrides, so the preview matches what a run sends.
    void setPromptLibrary(const PromptLibrary &prompts);
    // Where "try it" gets keys (default: environment, then system keychain); tests inject theirs.
    void setKeySource(std::shared_ptr<const KeySource> keys);

    // The preview text as shown (also for tests).
    QString previewText() const;
    bool isTrialRunning() const;

public slots:
    void runTrial();
    void cancelTrial();

signals:
    void rubricChanged(const Rubric &rubric);
    void trialFinished(const RubricTrialResult &result);

private:
    void buildUi();
    void onEdited();
    void updatePreview();
    void updateButtons();
    void reloadAnchors();
    void storeAnchors();
    void addCriterion();
    void removeCriterion();
    void moveCriterion(int delta);
    int currentRow() const;
    QVector<JudgeInput> sampleInputs(bool placeholders) const;
    void showTrialResult(const RubricTrialResult &result);

    RubricCriteriaModel *m_model = nullptr;
    QPlainTextEdit *m_instructions = nullptr;
    QTableView *m_criteriaView = nullptr;
    QPushButton *m_addButton = nullptr;
    QPushButton *m_removeButton = nullptr;
    QPushButton *m_upButton = nullptr;
    QPushButton *m_downButton = nullptr;
    QSpinBox *m_scaleMin = nullptr;
    QSpinBox *m_scaleMax = nullptr;
    QLabel *m_anchorsTitle = nullptr;
    QTableWidget *m_anchors = nullptr;
    QPlainTextEdit *m_preview = nullptr;
    QTimer *m_previewTimer = nullptr;

    QFormLayout *m_samplesForm = nullptr;
    QVector<QPlainTextEdit *> m_samples;
    QStringList m_ports;
    QComboBox *m_engineCombo = nullptr;
    QPushButton *m_runButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QLabel *m_trialStatus = nullptr;
    QPlainTextEdit *m_trialOutput = nullptr;

    QMap<QString, EngineConfig> m_engines;
    PromptLibrary m_prompts;
    std::shared_ptr<const KeySource> m_keys;
    QFutureWatcher<RubricTrialResult> m_trialWatcher;
    CancelFlag m_cancel;
    bool m_loading = false;   // setRubric fills the widgets: not a user edit
};
