#include "optimizer/GradientBudget.h"

#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

GradientRecord gradient(int sample, const QString &feedback, int contextChars = 200)
{
    GradientRecord g;
    g.step = 1;
    g.targetNode = u"system"_s;
    g.sourceNode = u"answer"_s;
    g.sampleIndex = sample;
    g.mode = u"base"_s;
    g.feedback = feedback;
    g.conversation = QJsonArray{
        QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, u"Evaluate the variable."_s}},
        QJsonObject{{u"role"_s, u"user"_s},
                    {u"content"_s, QString(u"CONV-START-"_s + QString::number(sample) + u' '
                                               + QString(contextChars, u'x') + u" CONV-END-"_s
                                               + QString::number(sample))}},
    };
    return g;
}

QVector<GradientRecord> many(int n, int contextChars)
{
    QVector<GradientRecord> out;
    for (int i = 0; i < n; ++i)
        out << gradient(i, u"feedback number "_s + QString::number(i), contextChars);
    return out;
}

int renderedTokens(const QVector<GradientRecord> &kept)
{
    int tokens = 0;
    for (int i = 0; i < kept.size(); ++i)
        tokens += GradientBudget::estimateTokens(GradientBudget::renderGradient(kept[i], i + 1));
    return tokens;
}

} // namespace

class TestGradientBudget : public QObject
{
    Q_OBJECT

private slots:
    void estimateTokens();
    void renderGradient();
    void allFit();
    void boundedSubset();
    void deterministicPerSeed();
    void singleOversizeShortened();
    void noteText();
};

void TestGradientBudget::estimateTokens()
{
    QCOMPARE(GradientBudget::estimateTokens(QString()), 0);
    QCOMPARE(GradientBudget::estimateTokens(u"a"_s), 1);
    QCOMPARE(GradientBudget::estimateTokens(QString(400, u'a')), 100);
    QVERIFY(GradientBudget::estimateTokens(QString(401, u'a')) >= 100);
}

void TestGradientBudget::renderGradient()
{
    const QString text = GradientBudget::renderGradient(gradient(7, u"Be more specific."_s), 3);
    QVERIFY(text.contains(u"Feedback 3"_s));
    QVERIFY(text.contains(u"Be more specific."_s));
    QVERIFY(text.contains(u"Evaluate the variable."_s));
    QVERIFY(text.contains(u"CONV-START-7"_s));
    QVERIFY(text.contains(u"<FEEDBACK>"_s));
    QVERIFY(text.contains(u"<CONTEXT>"_s));
    QVERIFY(text.contains(u"</CONTEXT>"_s));
    QVERIFY(text.indexOf(u"Be more specific."_s) < text.indexOf(u"<CONTEXT>"_s));
}

void TestGradientBudget::allFit()
{
    const QVector<GradientRecord> input = many(5, 100);
    const BoundedGradients b = GradientBudget::sample(input, 100000, 42);
    QVERIFY(!b.bounded);
    QCOMPARE(b.total, 5);
    QCOMPARE(b.kept.size(), 5);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(b.kept[i].feedback, input[i].feedback);
}

void TestGradientBudget::boundedSubset()
{
    const QVector<GradientRecord> input = many(12, 1000);   // about 300 tokens each
    const int budget = 1000;
    const BoundedGradients b = GradientBudget::sample(input, budget, 7);
    QVERIFY(b.bounded);
    QCOMPARE(b.total, 12);
    QVERIFY(!b.kept.isEmpty());
    QVERIFY(b.kept.size() < 12);
    QVERIFY(renderedTokens(b.kept) <= budget);
    // Original order is kept.
    for (int i = 1; i < b.kept.size(); ++i)
        QVERIFY(b.kept[i - 1].sampleIndex < b.kept[i].sampleIndex);
}

void TestGradientBudget::deterministicPerSeed()
{
    const QVector<GradientRecord> input = many(20, 1000);
    auto picked = [&](quint64 seed) {
        QList<int> out;
        for (const GradientRecord &g : GradientBudget::sample(input, 1500, seed).kept)
            out << g.sampleIndex;
        return out;
    };
    QCOMPARE(picked(3), picked(3));
    QCOMPARE(picked(99), picked(99));
    // Different seeds pick different subsets (for at least one of several seeds).
    bool differs = false;
    for (quint64 s = 1; s < 8 && !differs; ++s)
        differs = picked(s) != picked(0);
    QVERIFY(differs);
}

void TestGradientBudget::singleOversizeShortened()
{
    const GradientRecord huge = gradient(4, u"The answer ignored the unit."_s, 50000);
    const BoundedGradients b = GradientBudget::sample({huge}, 500, 1);
    QVERIFY(b.bounded);
    QCOMPARE(b.kept.size(), 1);
    const QString text = GradientBudget::renderGradient(b.kept.first(), 1);
    QVERIFY(GradientBudget::estimateTokens(text) <= 500);
    QVERIFY(text.contains(u"The answer ignored the unit."_s));   // feedback intact
    QVERIFY(text.contains(u"CONV-START-4"_s));                   // head kept
    QVERIFY(text.contains(u"CONV-END-4"_s));                     // tail kept
    static const QRegularExpression marker(u"\\[\\.\\.\\. [0-9,]+ characters left out \\.\\.\\.\\]"_s);
    QVERIFY2(marker.match(text).hasMatch(), qPrintable(text));
    QVERIFY(b.note.contains(u"shortened"_s));

    // Among several oversize gradients one, shortened, is kept.
    const BoundedGradients many = GradientBudget::sample(
        {gradient(1, u"a"_s, 20000), gradient(2, u"b"_s, 20000)}, 400, 5);
    QCOMPARE(many.kept.size(), 1);
    QCOMPARE(many.total, 2);
}

void TestGradientBudget::noteText()
{
    const QVector<GradientRecord> input = many(12, 4000);   // about 1,000 tokens each
    const BoundedGradients b = GradientBudget::sample(input, 6000, 11);
    static const QRegularExpression note(
        u"^kept (\\d+) of 12 gradients \\(about ([0-9,]+) of ([0-9,]+) tokens; budget 6,000\\)$"_s);
    const QRegularExpressionMatch m = note.match(b.note);
    QVERIFY2(m.hasMatch(), qPrintable(b.note));
    QCOMPARE(m.captured(1).toInt(), int(b.kept.size()));
    QCOMPARE(m.captured(2).remove(u','), QString::number(renderedTokens(b.kept)));

    const BoundedGradients all = GradientBudget::sample(many(3, 10), 6000, 11);
    QVERIFY2(all.note.startsWith(u"all 3 gradients fit"_s), qPrintable(all.note));
}

QTEST_GUILESS_MAIN(TestGradientBudget)
#include "tst_gradientbudget.moc"
