#include "plots/CurveText.h"

#include <QStringList>

#include <cmath>

using namespace Qt::StringLiterals;

QString CurveText::money(double usd)
{
    if (usd == 0.0)
        return u"$0"_s;
    return u"$"_s
        + (std::abs(usd) >= 1.0 ? QString::number(usd, 'f', 2) : QString::number(usd, 'g', 3));
}

QString CurveText::tokenCount(double tokens)
{
    if (std::abs(tokens) >= 1e6)
        return QString::number(tokens / 1e6, 'g', 3) + u'M';
    if (std::abs(tokens) >= 1e3)
        return QString::number(tokens / 1e3, 'g', 3) + u'k';
    return QString::number(tokens, 'f', 0);
}

QString CurveText::score(double s)
{
    return formatScore(s);
}

QString CurveText::describePoint(const CurveData &data, int step, bool withLabel)
{
    const CurvePoint *p = data.point(step);
    if (!p)
        return {};
    QStringList lines;
    if (withLabel)
        lines.append(data.label());
    if (step == 0) {
        lines.append(tr("before the first step"));
        lines.append(tr("validation %1 (initial prompt)").arg(score(p->valScore)));
    } else {
        lines.append(tr("step %1 (epoch %2)").arg(step).arg(p->epoch));
        if (hasScore(p->valScore))
            lines.append(tr("validation %1, %2")
                             .arg(score(p->valScore), p->accepted ? tr("accepted") : tr("rejected")));
        if (hasScore(p->trainScore))
            lines.append(tr("training batch %1").arg(score(p->trainScore)));
        if (hasScore(p->bestValScore))
            lines.append(tr("best so far %1").arg(score(p->bestValScore)));
    }
    QString spend
        = tr("spent %1, %2 tokens").arg(money(p->costUsd), tokenCount(double(p->tokens)));
    if (p->unknownCostCalls == 1)
        spend += tr(" (1 call of unknown price)");
    else if (p->unknownCostCalls > 1)
        spend += tr(" (%1 calls of unknown price)").arg(p->unknownCostCalls);
    lines.append(spend);
    if (step == data.lastStep() && hasScore(data.testScore()))
        lines.append(tr("test %1 after the last step").arg(score(data.testScore())));
    return lines.join(u'\n');
}
