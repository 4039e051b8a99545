#include "training/MajorityVote.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

MajorityVote MajorityVote::count(const QStringList &versions, const QString &pattern)
{
    MajorityVote vote;
    const QRegularExpression re(pattern, QRegularExpression::CaseInsensitiveOption);
    if (!re.isValid())
        return vote;
    QMap<QString, int> lastSeen;
    for (int i = 0; i < versions.size(); ++i) {
        // The last match in a version is its final answer; earlier ones are often reasoning.
        QString answer;
        auto it = re.globalMatch(versions.at(i));
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            answer = m.captured(0);
            // The first group that took part in the match, as the metrics do, so that
            // alternations such as "Answer: (\\d+)|= (\\d+)" work.
            for (int g = 1; g <= re.captureCount(); ++g) {
                if (m.capturedStart(g) >= 0) {
                    answer = m.captured(g);
                    break;
                }
            }
            answer = answer.trimmed();
        }
        if (answer.isEmpty())
            continue;
        ++vote.considered;
        ++vote.tally[answer];
        lastSeen[answer] = i;
    }
    for (auto it = vote.tally.cbegin(); it != vote.tally.cend(); ++it) {
        if (it.value() > vote.votes || (it.value() == vote.votes && lastSeen.value(it.key()) > lastSeen.value(vote.answer))) {
            vote.answer = it.key();
            vote.votes = it.value();
        }
    }
    return vote;
}

QJsonObject MajorityVote::toJson() const
{
    QJsonObject tallyJson;
    for (auto it = tally.cbegin(); it != tally.cend(); ++it)
        tallyJson.insert(it.key(), it.value());
    return QJsonObject{{u"answer"_s, answer}, {u"votes"_s, votes}, {u"considered"_s, considered},
                       {u"tally"_s, tallyJson}};
}
