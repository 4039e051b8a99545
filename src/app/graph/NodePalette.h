#pragma once

#include <QPointF>
#include <QWidget>

class QLineEdit;
class QListWidget;
class QListWidgetItem;

// The list of node types with a search field: filters as you type, Enter adds the first (or the
// current) match, Esc closes. The same widget serves as the canvas's double-click popup and as a
// dockable list; it only says what was chosen, the owner adds the node.
class NodePalette : public QWidget {
    Q_OBJECT
public:
    explicit NodePalette(QWidget *parent = nullptr);

    // Where a choice should land, for the popup (the double-clicked point); the dock keeps the
    // default and its owner picks a spot (the view's centre).
    void setScenePos(const QPointF &pos) { m_scenePos = pos; }
    QPointF scenePos() const { return m_scenePos; }
    // Shows as a popup at a global position, with an empty, focused search field.
    void popup(const QPoint &globalPos);

    QLineEdit *searchField() const { return m_search; }
    QStringList visibleTypes() const; // types left by the filter, in list order

    // Node types the palette offers ("input", "parameter", "llm", "metric", "judge").
    static QStringList types();

Q_SIGNALS:
    void nodeTypeChosen(const QString &type, const QPointF &scenePos);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void filter(const QString &text);
    void choose(QListWidgetItem *item);
    void chooseFirst();

    QLineEdit *m_search;
    QListWidget *m_list;
    QPointF m_scenePos;
};
