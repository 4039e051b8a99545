#pragma once

#include "data/Dataset.h"
#include "data/DatasetLoadJob.h"
#include "data/DatasetSplit.h"
#include "data/FieldMapping.h"

#include <QWidget>
#include <functional>

class DatasetTableModel;
class FieldMappingPanel;
class SplitControls;
class QLabel;
class QListWidget;
class QListWidgetItem;
class QMimeData;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTableView;
class QTimer;
class QWidget;

// The dataset editor: import a CSV / JSONL / JSON file (button or drag and drop), look at it in
// a lazy grid, choose how it splits into train / validation / test, and map its columns to the
// pipeline's input fields. Loading runs on a worker (DatasetLoadJob); the editor stays live.
// With no dataset it shows an empty state that says what to do.
//
// A plain widget: the main window docks it and connects it to the project and pipeline.
class DatasetEditor : public QWidget
{
    Q_OBJECT

public:
    // Returns the chosen path or an empty string; a seam so tests never open a modal dialog.
    using FileChooser = std::function<QString(QWidget *parent)>;

    explicit DatasetEditor(QWidget *parent = nullptr);
    ~DatasetEditor() override;

    void loadFile(const QString &path);   // asynchronous; see loadFinished
    void setDataset(const Dataset &data, const SplitSettings &settings = SplitSettings());
    void clear();
    bool hasDataset() const;
    bool isLoading() const;
    const Dataset &dataset() const;

    void setSplitSettings(const SplitSettings &settings);
    SplitSettings splitSettings() const;
    const SplitResult &split() const { return m_split; }

    // The pipeline's input fields (Pipeline::inputFields()); the mapping panel follows them.
    void setPipelineFields(const QStringList &fields);
    const FieldMapping &mapping() const;
    // Restores the manual column choices saved with the dataset (FieldMapping::toJson).
    void setMappingChoices(const QJsonObject &json);

    QStringList errors() const { return m_loadErrors + m_split.errors; }
    DatasetTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    void setFileChooser(FileChooser chooser) { m_chooser = std::move(chooser); }

    static bool isDatasetFile(const QString &path);

public slots:
    void import();

signals:
    void loadFinished(bool ok, const QString &path);
    void splitChanged();
    void mappingChanged();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dragLeaveEvent(QDragLeaveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    QWidget *buildEmptyState();
    QWidget *buildContent();
    QWidget *buildToolbar();
    void onLoadStarted(const QString &path);
    void onLoadFinished(const DatasetLoadResult &result);
    void onLoadProgress(int percent);
    void scheduleSplit();
    void applySplit();
    void updateStatus();
    void fitColumns();
    void updateErrors();
    void showErrorLine(QListWidgetItem *item);
    QString droppedFile(const QMimeData *mime) const;
    void setEmptyMessage(const QString &message);

    DatasetLoadJob *m_job = nullptr;
    DatasetTableModel *m_model = nullptr;
    SplitResult m_split;
    QStringList m_loadErrors;
    FileChooser m_chooser;
    QTimer *m_splitTimer = nullptr;

    QStackedWidget *m_stack = nullptr;
    // Empty state
    QLabel *m_emptyTitle = nullptr;
    QLabel *m_emptyText = nullptr;
    QProgressBar *m_emptyProgress = nullptr;
    QPushButton *m_emptyImport = nullptr;
    QListWidget *m_emptyErrors = nullptr;
    // Content
    QLabel *m_fileLabel = nullptr;
    QProgressBar *m_progress = nullptr;
    SplitControls *m_splitControls = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_errorsTitle = nullptr;
    QListWidget *m_errorList = nullptr;
    FieldMappingPanel *m_mappingPanel = nullptr;
};
