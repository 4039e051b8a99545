#pragma once

#include <QStyledItemDelegate>

// Paints a row of the step timeline in two lines: an accept / reject mark, the step and its
// validation score, then the training score, the number of critiques and what changed.
class StepTimelineDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    explicit StepTimelineDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};
