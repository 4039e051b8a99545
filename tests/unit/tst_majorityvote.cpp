// The test-time majority vote: which answer wins, and how answers are extracted.

#include "training/MajorityVote.h"

#include <QtTest>

using namespace Qt::StringLiterals;

class TestMajorityVote : public QObject
{
    Q_OBJECT

private slots:
    void mostFrequentWins()
    {
        const MajorityVote v = MajorityVote::count({u"Answer: 41"_s, u"Answer: 42"_s, u"so... Answer: 42"_s},
                                                   u"Answer:\\s*(\\d+)"_s);
        QCOMPARE(v.answer, u"42"_s);
        QCOMPARE(v.votes, 2);
        QCOMPARE(v.considered, 3);
        QCOMPARE(v.tally.value(u"41"_s), 1);
    }

    void tieGoesToTheLaterVersion()
    {
        const MajorityVote v = MajorityVote::count({u"Answer: A"_s, u"Answer: B"_s}, u"Answer:\\s*(\\w)"_s);
        QCOMPARE(v.answer, u"B"_s);
    }

    void lastMatchInAVersionIsItsAnswer()
    {
        const MajorityVote v = MajorityVote::count({u"Answer: 1 ... on reflection, Answer: 2"_s}, u"Answer:\\s*(\\d)"_s);
        QCOMPARE(v.answer, u"2"_s);
    }

    void firstGroupThatMatchedIsTheAnswer()
    {
        const MajorityVote v = MajorityVote::count({u"x = 7"_s, u"Answer: 7"_s}, u"Answer: (\\d+)|= (\\d+)"_s);
        QCOMPARE(v.answer, u"7"_s);
        QCOMPARE(v.votes, 2);
    }

    void versionsWithoutAnAnswerDoNotVote()
    {
        const MajorityVote v = MajorityVote::count({u"no idea"_s, u"Answer: 3"_s}, u"Answer:\\s*(\\d)"_s);
        QCOMPARE(v.considered, 1);
        QCOMPARE(MajorityVote::count({u"x"_s}, u"("_s).answer, QString());   // invalid pattern
    }
};

QTEST_GUILESS_MAIN(TestMajorityVote)
#include "tst_majorityvote.moc"
