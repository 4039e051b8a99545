#pragma once

#include "graph/EngineConfig.h"

#include <QMap>
#include <QWidget>

#include <memory>

class EngineEditor;
class KeychainKeySource;
class QListWidget;
class QListWidgetItem;
class QPushButton;

// The pipeline's named engines ("student", "teacher", ...): a list to add, remove and rename
// them, and the engine editor for the selected one. Names are the keys nodes refer to, so a
// rename that would clash with another engine or leave the name empty is refused.
class EnginesPanel : public QWidget
{
    Q_OBJECT

public:
    explicit EnginesPanel(QWidget *parent = nullptr);

    void setEngines(const QMap<QString, EngineConfig> &engines);
    QMap<QString, EngineConfig> engines() const { return m_engines; }
    void setKeySource(std::shared_ptr<KeychainKeySource> keys);

    QString currentEngine() const;
    void selectEngine(const QString &name);
    // Adds an engine with an unused name ("engine 2"), selects it and returns its name.
    QString addEngine();
    void removeEngine(const QString &name);
    // False (and nothing changes) when the new name is empty or taken.
    bool renameEngine(const QString &from, const QString &to);

signals:
    void enginesChanged(const QMap<QString, EngineConfig> &engines);
    // So the pipeline can follow a rename in the nodes that name the engine.
    void engineRenamed(const QString &from, const QString &to);

private:
    void reloadList(const QString &select);
    void onCurrentChanged();
    void onItemChanged(QListWidgetItem *item);
    void onEngineEdited(const EngineConfig &engine);

    QListWidget *m_list = nullptr;
    QPushButton *m_addButton = nullptr;
    QPushButton *m_removeButton = nullptr;
    EngineEditor *m_editor = nullptr;
    QMap<QString, EngineConfig> m_engines;
    bool m_loading = false;
};
