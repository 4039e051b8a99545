#pragma once

#include <QComboBox>

// A combo box that picks a name the pipeline refers to (an engine, the objective node):
// "(none)" first, then the names that exist. A current name that does not exist is kept as a
// flagged entry ("name — missing") instead of silently showing another one, so a broken
// reference is visible where it is chosen.
class ReferenceCombo : public QComboBox {
    Q_OBJECT

public:
    explicit ReferenceCombo(QWidget *parent = nullptr);

    // Rebuilds the list only if it changed, so an open popup or the keyboard focus survive
    // the document's frequent change signals. Emits nothing.
    void setChoices(const QStringList &names, const QString &current);
    QString currentName() const; // empty for "(none)"
    bool isCurrentMissing() const;

signals:
    // Only for the user's choice, never for setChoices().
    void nameChosen(const QString &name);

private:
    void onActivated(int index);

    QStringList m_names;
    QString m_current;
};
