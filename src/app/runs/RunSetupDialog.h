#pragma once

#include "cost/PriceTable.h"
#include "graph/Pipeline.h"
#include "training/RunEstimate.h"
#include "training/TrainingData.h"

#include <QDialog>
#include <QHash>
#include <QJsonObject>

#include <functional>
#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;

// Before a run: the pipeline and the data it will use, the engines and whether each has its
// key, the optimizer settings, a budget, and a live estimate of calls, tokens and cost that
// follows every change. Ctrl+Enter runs. A cloud engine without a key blocks the run with a
// message saying where to put the key (the key itself is never read into the dialog: only
// whether one exists).
//
// Use:
//   RunSetupDialog dialog(this);
//   dialog.setPipeline(document->pipeline());
//   dialog.setData(trainingData, datasetName);
//   if (dialog.exec() == QDialog::Accepted)
//       runController->enqueue(dialog.pipeline(), dialog.data(), dialog.settings());
class RunSetupDialog : public QDialog
{
    Q_OBJECT
public:
    enum class KeyStatus { Checking, NotNeeded, Environment, Keychain, Missing };
    // Where the key for an environment variable name is: runs on the thread pool (a keychain
    // may take seconds to answer), so it must be thread-safe. Never returns the key.
    using KeyProbe = std::function<KeyStatus(const QString &variable)>;

    explicit RunSetupDialog(QWidget *parent = nullptr);
    ~RunSetupDialog() override;

    void setPipeline(const Pipeline &pipeline);
    void setData(const TrainingData &data, const QString &datasetName = QString());
    void setPriceTable(std::shared_ptr<const PriceTable> prices);
    void setKeyProbe(KeyProbe probe);   // default: environment, then the system keychain

    // The pipeline with the dialog's optimizer and engine choices applied.
    Pipeline pipeline() const;
    TrainingData data() const { return m_data; }
    // Run settings: budgetCalls, budgetUsd, noCache, command.
    QJsonObject settings() const;
    RunEstimate estimate() const { return m_estimate; }
    // Why the run cannot start (a missing key, no training data); empty when it can.
    QString blockingReason() const;
    KeyStatus keyStatus(const QString &engine) const;

    void accept() override;

private:
    void buildForm();
    void fillEngines();
    void probeKeys();
    void scheduleEstimate();
    void updateEstimate();
    void updateBlocking();
    QStringList enginesUsed(const Pipeline &pipeline) const;
    QString keyVariable(const QString &engine) const;

    Pipeline m_pipeline;
    TrainingData m_data;
    QString m_datasetName;
    std::shared_ptr<const PriceTable> m_prices;
    KeyProbe m_probe;
    QHash<QString, KeyStatus> m_keys;   // engine -> status
    int m_probeGeneration = 0;
    RunEstimate m_estimate;

    QLabel *m_pipelineLabel = nullptr;
    QLabel *m_dataLabel = nullptr;
    QFormLayout *m_engineForm = nullptr;
    QHash<QString, QLabel *> m_keyLabels;
    QComboBox *m_backwardEngine = nullptr;
    QComboBox *m_optimizerEngine = nullptr;
    QComboBox *m_kind = nullptr;
    QSpinBox *m_batch = nullptr;
    QSpinBox *m_steps = nullptr;
    QSpinBox *m_epochs = nullptr;
    QComboBox *m_gating = nullptr;
    QSpinBox *m_concurrency = nullptr;
    QPlainTextEdit *m_constraints = nullptr;
    QPlainTextEdit *m_examples = nullptr;
    QSpinBox *m_budgetCalls = nullptr;
    QDoubleSpinBox *m_budgetUsd = nullptr;
    QCheckBox *m_noCache = nullptr;
    QLabel *m_estimateLabel = nullptr;
    QLabel *m_blocking = nullptr;
    QPushButton *m_run = nullptr;
    QTimer *m_estimateTimer = nullptr;
};
