// Prompt blame on crafted version chains: sentence splitting, exact and fuzzy matching, rejected
// candidates that never took effect, reformatting that is not rewording, and the critiques
// attached to the step that wrote a sentence.

#include "history/PromptBlame.h"

#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

const QString kInitial = u"You are an arithmetic assistant. Answer with a number."_s;
const QString kStep1 = u"You are an arithmetic assistant. Work carefully. Answer with a number."_s;
const QString kStep3 = u"You are an arithmetic assistant. Work very carefully. "
                       "Answer with a number only.\n- Show no work."_s;

QVector<PromptBlame::Version> chain()
{
    return {
        { 1, kInitial, kStep1, true },
        { 2, kStep1, u"Be quick."_s, false }, // rejected: never in effect
        { 3, kStep1, kStep3, true },
    };
}

struct Expect {
    QString text;
    int step;
    int firstStep;
    BlameSentence::Origin origin;
};

void compareBlame(const QVector<BlameSentence> &blame, const QVector<Expect> &expected)
{
    QCOMPARE(blame.size(), expected.size());
    int offset = 0;
    for (int i = 0; i < blame.size(); ++i) {
        QCOMPARE(blame.at(i).text.trimmed(), expected.at(i).text);
        QCOMPARE(blame.at(i).step, expected.at(i).step);
        QCOMPARE(blame.at(i).firstStep, expected.at(i).firstStep);
        QCOMPARE(blame.at(i).origin, expected.at(i).origin);
        QCOMPARE(blame.at(i).start, offset);
        offset += int(blame.at(i).text.size());
    }
}

GradientRecord gradient(int step, const QString &feedback)
{
    GradientRecord g;
    g.step = step;
    g.targetNode = u"system_prompt"_s;
    g.feedback = feedback;
    return g;
}

} // namespace

class TestPromptBlame : public QObject {
    Q_OBJECT

private slots:
    void splitSentences_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("pieces");
        QTest::newRow("empty") << QString() << QStringList();
        QTest::newRow("one") << u"Be brief"_s << QStringList { u"Be brief"_s };
        QTest::newRow("two") << u"Be brief. Be right!"_s
                             << QStringList { u"Be brief. "_s, u"Be right!"_s };
        QTest::newRow("decimal is not an end")
            << u"Use 3.5 digits. Done."_s << QStringList { u"Use 3.5 digits. "_s, u"Done."_s };
        QTest::newRow("quote closes")
            << u"Say \"yes.\" Then stop."_s << QStringList { u"Say \"yes.\" "_s, u"Then stop."_s };
        QTest::newRow("lines") << u"Rules:\n- one\n- two"_s
                               << QStringList { u"Rules:\n"_s, u"- one\n"_s, u"- two"_s };
        QTest::newRow("leading blank lines join the first")
            << u"\n\nHello. Bye."_s << QStringList { u"\n\nHello. "_s, u"Bye."_s };
        QTest::newRow("blank lines between")
            << u"A.\n\n\nB."_s << QStringList { u"A.\n\n\n"_s, u"B."_s };
    }

    void splitSentences()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, pieces);
        QCOMPARE(PromptBlame::splitSentences(text), pieces);
        QCOMPARE(PromptBlame::splitSentences(text).join(QString()), text);
    }

    void normalizedIgnoresLayout_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<bool>("equal");
        QTest::newRow("case and spaces") << u"Work  Carefully."_s << u"work carefully"_s << true;
        QTest::newRow("bullet") << u"- Show no work."_s << u"Show no work!"_s << true;
        QTest::newRow("numbered") << u"2) Show no work."_s << u"Show no work."_s << true;
        QTest::newRow("a word differs") << u"Show no work."_s << u"Show your work."_s << false;
    }

    void normalizedIgnoresLayout()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(bool, equal);
        QCOMPARE(PromptBlame::normalized(a) == PromptBlame::normalized(b), equal);
    }

    void similarityIsDiceOverWords()
    {
        QCOMPARE(PromptBlame::similarity(u"Work carefully."_s, u"Work very carefully."_s), 0.8);
        QCOMPARE(PromptBlame::similarity(u"a b"_s, u"c d"_s), 0.0);
        QCOMPARE(PromptBlame::similarity(u"b a"_s, u"A, b"_s), 1.0);
    }

    void initialValueIsStepZero()
    {
        const PromptBlame blame(chain());
        compareBlame(blame.blameVersion(-1),
            { { u"You are an arithmetic assistant."_s, 0, 0, BlameSentence::Origin::Initial },
                { u"Answer with a number."_s, 0, 0, BlameSentence::Origin::Initial } });
        QCOMPARE(blame.initialValue(), kInitial);
    }

    void newSentenceBelongsToItsStep()
    {
        const PromptBlame blame(chain());
        compareBlame(blame.blameVersion(0),
            { { u"You are an arithmetic assistant."_s, 0, 0, BlameSentence::Origin::Initial },
                { u"Work carefully."_s, 1, 1, BlameSentence::Origin::New },
                { u"Answer with a number."_s, 0, 0, BlameSentence::Origin::Initial } });
    }

    void revisedAgainstTheLastAcceptedValue()
    {
        // Step 3 edits step 1's value (step 2 was rejected): "Work very carefully." rewords a
        // step-1 sentence, "only" rewords an initial one, the list item is new.
        const PromptBlame blame(chain());
        QCOMPARE(blame.currentIndex(), 2);
        compareBlame(blame.blameVersion(blame.currentIndex()),
            { { u"You are an arithmetic assistant."_s, 0, 0, BlameSentence::Origin::Initial },
                { u"Work very carefully."_s, 3, 1, BlameSentence::Origin::Revised },
                { u"Answer with a number only."_s, 3, 0, BlameSentence::Origin::Revised },
                { u"- Show no work."_s, 3, 3, BlameSentence::Origin::New } });
    }

    void rejectedCandidateIsBlamedButNotCurrent()
    {
        const PromptBlame blame(chain());
        compareBlame(
            blame.blameVersion(1), { { u"Be quick."_s, 2, 2, BlameSentence::Origin::New } });
        QVector<PromptBlame::Version> versions = chain();
        versions[2].accepted = false;
        QCOMPARE(PromptBlame(versions).currentIndex(), 0);
        for (auto &v : versions)
            v.accepted = false;
        QCOMPARE(PromptBlame(versions).currentIndex(), -1);
    }

    void reformattingKeepsTheStep()
    {
        // Step 4 turns sentences into a list and changes case: no wording changed.
        QVector<PromptBlame::Version> versions = chain();
        versions.append({ 4, kStep3,
            u"- you are an arithmetic assistant\n- Work very carefully!\n"
            "- Answer with a number only.\n- Show no work."_s,
            true });
        const PromptBlame blame(versions);
        compareBlame(blame.blameVersion(3),
            { { u"- you are an arithmetic assistant"_s, 0, 0, BlameSentence::Origin::Initial },
                { u"- Work very carefully!"_s, 3, 1, BlameSentence::Origin::Carried },
                { u"- Answer with a number only."_s, 3, 0, BlameSentence::Origin::Carried },
                { u"- Show no work."_s, 3, 3, BlameSentence::Origin::Carried } });
    }

    void unchangedVersionCarriesEverything()
    {
        QVector<PromptBlame::Version> versions = chain();
        versions.append({ 4, kStep3, kStep3, true });
        const PromptBlame blame(versions);
        QCOMPARE(blame.blameVersion(3).size(), blame.blameVersion(2).size());
        for (int i = 0; i < blame.blameVersion(3).size(); ++i)
            QCOMPARE(blame.blameVersion(3).at(i).step, blame.blameVersion(2).at(i).step);
    }

    void duplicatedSentenceIsNew()
    {
        const PromptBlame blame({ { 1, u"Be brief."_s, u"Be brief. Be brief."_s, true } });
        const QVector<BlameSentence> b = blame.blameVersion(0);
        QCOMPARE(b.size(), 2);
        QCOMPARE(b.at(0).origin, BlameSentence::Origin::Initial);
        QCOMPARE(b.at(1).origin, BlameSentence::Origin::New);
        QCOMPARE(b.at(1).step, 1);
    }

    void critiquesOfTheIntroducingStep()
    {
        const PromptBlame blame(chain());
        QVector<BlameSentence> b = blame.blameVersion(2);
        QCOMPARE(PromptBlame::stepsOf(b), (QVector<int> { 3 }));
        PromptBlame::attachCritiques(b,
            { gradient(1, u"Ask for care."_s), gradient(3, u"Forbid working."_s),
                gradient(3, u"Ask for the number only."_s) });
        QCOMPARE(b.at(0).critiques.size(), 0); // initial: no critique wrote it
        QCOMPARE(b.at(1).critiques.size(), 2);
        QCOMPARE(b.at(3).critiques.at(0).feedback, u"Forbid working."_s);

        QVector<BlameSentence> first = blame.blameVersion(0);
        PromptBlame::attachCritiques(first, { gradient(1, u"Ask for care."_s) });
        QCOMPARE(first.at(1).critiques.size(), 1);
        QCOMPARE(first.at(1).critiques.first().feedback, u"Ask for care."_s);
    }

    void versionsFromTheStore()
    {
        NodeVersion nv;
        nv.version.step = 5;
        nv.version.previous = u"a"_s;
        nv.version.value = u"b"_s;
        nv.accepted = false;
        const QVector<PromptBlame::Version> v = PromptBlame::fromNodeVersions({ nv });
        QCOMPARE(v.size(), 1);
        QCOMPARE(v.first().step, 5);
        QCOMPARE(v.first().value, u"b"_s);
        QVERIFY(!v.first().accepted);
    }
};

QTEST_GUILESS_MAIN(TestPromptBlame)
#include "tst_promptblame.moc"
