#pragma once

#include "store/RunStore.h"

#include <QObject>
#include <QString>

// Lives on a HistoryLoader worker thread (never the GUI thread): holds that thread's own
// connection to the project file, opened on first use and reopened when the path changes.
// Requests reach it as queued functors from HistoryLoader.
class HistoryWorker : public QObject {
    Q_OBJECT

public:
    explicit HistoryWorker(QObject *parent = nullptr);
    ~HistoryWorker() override;

    void setStorePath(const QString &path);
    // The open store, or nullptr with *error set. Call on the worker's thread only.
    RunStore *store(QString *error);

private:
    RunStore m_store;
    QString m_path;
};
