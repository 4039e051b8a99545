#include "history/StepTimelineDelegate.h"

#include "history/HistoryHtml.h"
#include "history/StepTimelineModel.h"

#include <QApplication>
#include <QPainter>

using namespace Qt::StringLiterals;

StepTimelineDelegate::StepTimelineDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

void StepTimelineDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const bool selected = option.state & QStyle::State_Selected;
    const QPalette &pal = option.palette;
    const QColor text = pal.color(selected ? QPalette::HighlightedText : QPalette::Text);
    QColor dim = text;
    dim.setAlphaF(0.7);
    const bool accepted = index.data(StepTimelineModel::AcceptedRole).toBool();
    const bool dark = HistoryHtml::isDark(pal);
    const QColor mark = selected ? text
        : accepted               ? (dark ? QColor(0x6c, 0xd6, 0x8c) : QColor(0x1a, 0x7f, 0x37))
                                 : (dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xc6, 0x28, 0x28));

    const QRect r = option.rect.adjusted(8, 4, -8, -4);
    const QFontMetrics fm(option.font);
    const int line = fm.height();
    painter->save();
    QFont bold = option.font;
    bold.setBold(true);

    painter->setFont(bold);
    painter->setPen(mark);
    const QString markText = accepted ? u"✓"_s : u"✗"_s;
    painter->drawText(
        QRect(r.left(), r.top(), 18, line), Qt::AlignLeft | Qt::AlignVCenter, markText);
    painter->setPen(text);
    const int x = r.left() + 20;
    const QString title = u"Step %1"_s.arg(index.data(StepTimelineModel::StepRole).toInt());
    painter->drawText(
        QRect(x, r.top(), r.width() - 20, line), Qt::AlignLeft | Qt::AlignVCenter, title);

    painter->setFont(option.font);
    const double val = index.data(StepTimelineModel::ValScoreRole).toDouble();
    const QString right
        = u"val %1"_s.arg(HistoryHtml::scoreText(val)) % (accepted ? QString() : u" rejected"_s);
    painter->drawText(
        QRect(x, r.top(), r.width() - 20, line), Qt::AlignRight | Qt::AlignVCenter, right);

    painter->setPen(dim);
    const QStringList changed = index.data(StepTimelineModel::ChangedNodesRole).toStringList();
    const QString second
        = u"train %1 · %2 critiques · %3"_s
              .arg(HistoryHtml::scoreText(index.data(StepTimelineModel::TrainScoreRole).toDouble()))
              .arg(index.data(StepTimelineModel::GradientCountRole).toInt())
              .arg(changed.isEmpty() ? u"no change"_s : u"changed "_s % changed.join(u", "_s));
    painter->drawText(QRect(x, r.top() + line + 2, r.width() - 20, line),
        Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(second, Qt::ElideRight, r.width() - 20));
    painter->restore();
}

QSize StepTimelineDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const QFontMetrics fm(option.font);
    return QSize(fm.horizontalAdvance(u"Step 1000 val 0.00 rejected"_s) + 60, 2 * fm.height() + 10);
}
