#pragma once

#include "history/ResultsMatrix.h"

#include <QWidget>

class QLabel;
class QTextBrowser;
class QToolButton;

// The panel beside the results matrix that explains one cell: the sample's inputs, the prompt
// version it ran with, every call as rendered and sent (with its reply), the outputs, the
// evaluation or judge reasoning, and what the calls used (tokens, latency, cost).
class ResultsCellDrawer : public QWidget {
    Q_OBJECT

public:
    explicit ResultsCellDrawer(QWidget *parent = nullptr);

    void showDetails(const MatrixCellDetails &details);
    void showLoading(const QString &what);
    void clear();
    const MatrixCellDetails &details() const { return m_details; }
    QString text() const; // the plain text shown, for tests

    // The body as HTML (public so the report and tests can reuse the layout).
    static QString detailsHtml(const MatrixCellDetails &details, const QPalette &palette);

signals:
    void closeRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void render();

    MatrixCellDetails m_details;
    QLabel *m_title = nullptr;
    QToolButton *m_close = nullptr;
    QTextBrowser *m_body = nullptr;
};
