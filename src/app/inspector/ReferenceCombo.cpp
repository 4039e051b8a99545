#include "inspector/ReferenceCombo.h"

#include "inspector/ErrorColor.h"

#include <QSignalBlocker>
#include <QStyle>

using namespace Qt::StringLiterals;

ReferenceCombo::ReferenceCombo(QWidget *parent)
    : QComboBox(parent)
{
    setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    setMinimumContentsLength(8);
    connect(this, &QComboBox::activated, this, &ReferenceCombo::onActivated);
    setChoices({}, QString());
}

void ReferenceCombo::setChoices(const QStringList &names, const QString &current)
{
    if (count() > 0 && names == m_names && current == m_current)
        return;
    m_names = names;
    m_current = current;
    const QSignalBlocker blocker(this);
    clear();
    addItem(tr("(none)"), QString());
    for (const QString &name : names)
        addItem(name, name);
    int index = current.isEmpty() ? 0 : findData(current);
    if (index < 0) {
        addItem(tr("%1 — missing").arg(current), current);
        index = count() - 1;
        setItemData(index, errorColor(palette()), Qt::ForegroundRole);
        // The icon shows on the closed combo too, where item colours do not.
        setItemIcon(index, style()->standardIcon(QStyle::SP_MessageBoxWarning));
        setItemData(
            index, tr("Nothing named “%1” exists in this pipeline.").arg(current), Qt::ToolTipRole);
    }
    setCurrentIndex(index);
    setToolTip(isCurrentMissing() ? itemData(index, Qt::ToolTipRole).toString() : QString());
}

QString ReferenceCombo::currentName() const
{
    return currentData().toString();
}

bool ReferenceCombo::isCurrentMissing() const
{
    return !m_current.isEmpty() && !m_names.contains(m_current);
}

void ReferenceCombo::onActivated(int index)
{
    const QString name = itemData(index).toString();
    if (name != m_current)
        emit nameChosen(name);
}
