#pragma once

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

// Test-time optimization can end with a vote: the answer extracted from every version of the
// value (by a regular expression), the most frequent one winning; ties go to the later version.
struct MajorityVote
{
    QString answer;            // empty when no version yielded an answer
    int votes = 0;
    int considered = 0;        // versions with an extractable answer
    QMap<QString, int> tally;

    static MajorityVote count(const QStringList &versions, const QString &pattern);
    QJsonObject toJson() const;
};
