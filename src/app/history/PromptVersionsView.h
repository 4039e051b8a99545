#pragma once

#include "history/HistoryRecords.h"
#include "history/PromptBlame.h"

#include <QWidget>
#include <memory>

class HistoryLoader;
class QComboBox;
class QLabel;
class QPushButton;
class QTabWidget;
class QTextBrowser;
class QTreeWidget;
class QUrl;

// Every version of every trainable parameter of a run: a parameter picker, the versions (step,
// changed, accepted), the word diff of one version against the value before it or of any two
// selected versions, the blame of a version (each sentence tinted by the step that wrote it;
// hovering or clicking shows that step and the critiques that asked for it), and "Restore this
// version".
//
// Store reads run on the HistoryLoader's threads.
//
// Wiring in the main window:
//   view->setStorePath(projectFile);  view->setRun(runId);
//   connect(view, &PromptVersionsView::restoreRequested, ...)  // push an undoable SetNodeCommand
//                                                              // setting nodeId's value
//   connect(view, &PromptVersionsView::stepActivated, historyView,
//   &CritiqueHistoryView::selectStep);
class PromptVersionsView : public QWidget {
    Q_OBJECT

public:
    explicit PromptVersionsView(QWidget *parent = nullptr);
    ~PromptVersionsView() override;

    void setStorePath(const QString &path);
    void setRun(const QString &runId);
    void reload();

    QString currentNode() const;
    void setCurrentNode(const QString &nodeId);
    // Selects versions by index in the parameter's list (-1: the initial value). One index
    // shows it against the value before it; two compare them.
    void selectVersions(const QVector<int> &indices);
    QVector<int> selectedVersions() const;
    const QVector<NodeVersion> &versions() const { return m_versions; }
    // The sentences of the blame on screen (with their critiques once loaded).
    const QVector<BlameSentence> &blame() const { return m_blameSentences; }

signals:
    void restoreRequested(const QString &nodeId, const QString &value);
    void stepActivated(int step);
    // The versions of a parameter are listed (for tests and status bars).
    void versionsLoaded(const QString &nodeId, int count);
    // The critiques of the blame on screen arrived.
    void blameReady();

private:
    void buildUi();
    void requestNodes();
    void requestVersions(const QString &nodeId);
    struct VersionsPayload;
    void showVersions(const QString &nodeId, const VersionsPayload &payload);
    void onSelectionChanged();
    void showBlame(int index);
    void showBlameInfo(const QUrl &url);
    void onRestore();
    QString valueOf(int index) const;
    QString labelOf(int index) const;
    void updateEmptyState();

    HistoryLoader *m_loader = nullptr;
    QString m_runId;
    QString m_nodeId;
    QVector<NodeVersion> m_versions;
    // Built and fully blamed on the loader's thread; only read here afterwards.
    std::shared_ptr<const PromptBlame> m_blameEngine;
    QVector<BlameSentence> m_blameSentences;
    int m_blameIndex = -2;

    QLabel *m_empty = nullptr;
    QWidget *m_content = nullptr;
    QComboBox *m_parameter = nullptr;
    QTreeWidget *m_list = nullptr;
    QLabel *m_hint = nullptr;
    QTabWidget *m_tabs = nullptr;
    QTextBrowser *m_diff = nullptr;
    QTextBrowser *m_blame = nullptr;
    QTextBrowser *m_blameInfo = nullptr;
    QPushButton *m_restore = nullptr;
};
