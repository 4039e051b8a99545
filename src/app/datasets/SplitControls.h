#pragma once

#include "data/DatasetSplit.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QSpinBox;

// The split settings as a row of controls: mode, then either the three shares (percent spin
// boxes) and the seed, or the column that names each row's split. Emits settingsChanged() on
// every edit; whoever splits decides how often to act on it.
class SplitControls : public QWidget
{
    Q_OBJECT

public:
    explicit SplitControls(QWidget *parent = nullptr);

    SplitSettings settings() const;
    void setSettings(const SplitSettings &settings);   // emits nothing
    // Offers the dataset's columns for "split by column": the chosen column is kept when the new
    // data has it, else a column called "split" (any case) is preselected.
    void setColumns(const QStringList &columns);

signals:
    void settingsChanged();

private:
    void updateVisibility();

    QComboBox *m_mode = nullptr;
    QWidget *m_ratioControls = nullptr;
    QSpinBox *m_train = nullptr;
    QSpinBox *m_validation = nullptr;
    QSpinBox *m_test = nullptr;
    QLabel *m_sum = nullptr;
    QSpinBox *m_seed = nullptr;
    QWidget *m_columnControls = nullptr;
    QComboBox *m_column = nullptr;
};
