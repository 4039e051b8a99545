#include "metrics/Metrics.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

PipelineNode metricNode(const QString &kind)
{
    PipelineNode n;
    n.id = u"score"_s;
    n.type = NodeType::Metric;
    n.metric = kind;
    return n;
}

} // namespace

class TestMetrics : public QObject
{
    Q_OBJECT

private slots:
    void kinds()
    {
        QCOMPARE(Metrics::kinds(),
                 (QStringList{ u"exact_match"_s, u"contains"_s, u"regex"_s, u"numeric"_s }));
    }

    void evaluate_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<double>("tolerance");
        QTest::addColumn<bool>("caseSensitive");
        QTest::addColumn<bool>("stripPunctuation");
        QTest::addColumn<QString>("answerPattern");
        QTest::addColumn<QString>("prediction");
        QTest::addColumn<QString>("reference");
        QTest::addColumn<double>("score");

        auto row = [](const char *name, const QString &kind, const QString &prediction,
                      const QString &reference, double score, const QString &pattern = QString(),
                      double tolerance = 0, bool caseSensitive = false,
                      bool stripPunctuation = false, const QString &answerPattern = QString()) {
            QTest::newRow(name) << kind << pattern << tolerance << caseSensitive
                                << stripPunctuation << answerPattern << prediction << reference
                                << score;
        };
        const QString em = u"exact_match"_s;
        row("exact equal", em, u"42"_s, u"42"_s, 1);
        row("exact differ", em, u"41"_s, u"42"_s, 0);
        row("exact case folded", em, u"Paris"_s, u"paris"_s, 1);
        row("exact case sensitive", em, u"Paris"_s, u"paris"_s, 0, {}, 0, true);
        row("exact whitespace collapsed", em, u"  New \n York "_s, u"new york"_s, 1);
        row("exact punctuation kept", em, u"42."_s, u"42"_s, 0);
        row("exact punctuation stripped", em, u"\"42.\""_s, u"42"_s, 1, {}, 0, false, true);
        row("exact answer pattern", em, u"Let me think... Answer: 42"_s, u"42"_s, 1, {}, 0,
            false, false, u"Answer:\\s*(.+)"_s);
        row("exact answer pattern missing", em, u"I think 42"_s, u"42"_s, 0, {}, 0, false, false,
            u"Answer:\\s*(.+)"_s);

        const QString co = u"contains"_s;
        row("contains yes", co, u"The capital is Paris."_s, u"paris"_s, 1);
        row("contains no", co, u"The capital is Lyon."_s, u"paris"_s, 0);
        row("contains empty reference", co, u"anything"_s, QString(), 0);

        const QString re = u"regex"_s;
        row("regex match no group", re, u"The answer is 42"_s, QString(), 1, u"\\d+"_s);
        row("regex no match", re, u"no digits"_s, QString(), 0, u"\\d+"_s);
        row("regex group equals reference", re, u"Answer: B"_s, u"b"_s, 1, u"Answer: ([A-D])"_s);
        row("regex group differs", re, u"Answer: C"_s, u"B"_s, 0, u"Answer: ([A-D])"_s);
        row("regex group no reference", re, u"Answer: C"_s, QString(), 1, u"Answer: ([A-D])"_s);
        row("regex case sensitive", re, u"answer: c"_s, QString(), 0, u"Answer"_s, 0, true);

        const QString nu = u"numeric"_s;
        row("numeric equal", nu, u"The result is 42."_s, u"42"_s, 1);
        row("numeric negative through punctuation", nu, u"Answer: -5."_s, u"-5"_s, 1, {}, 0, false,
            true, u"Answer:\\s*(.+)"_s);
        row("numeric last number", nu, u"3 apples and 4 pears make 7"_s, u"7"_s, 1);
        row("numeric last number wrong", nu, u"7 is not it, it is 8"_s, u"7"_s, 0);
        row("numeric thousands", nu, u"Total: 1,234 dollars"_s, u"1234"_s, 1);
        row("numeric thousands in reference", nu, u"1234"_s, u"1,234"_s, 1);
        row("numeric negative", nu, u"x = -5"_s, u"-5"_s, 1);
        row("numeric negative vs positive", nu, u"x = 5"_s, u"-5"_s, 0);
        row("numeric range is not negative", nu, u"pages 3-5"_s, u"5"_s, 1);
        row("numeric decimals", nu, u"0.1 + 0.2 = 0.30000000000000004"_s, u"0.3"_s, 1);
        row("numeric within tolerance", nu, u"3.14"_s, u"3.14159"_s, 1, {}, 0.01);
        row("numeric outside tolerance", nu, u"3.1"_s, u"3.14159"_s, 0, {}, 0.01);
        row("numeric no number", nu, u"I do not know"_s, u"3"_s, 0);
        row("numeric reference without number", nu, u"3"_s, u"three"_s, 0);
        row("numeric list", nu, u"1,2,3"_s, u"3"_s, 1);
    }

    void evaluate()
    {
        QFETCH(QString, kind);
        QFETCH(QString, pattern);
        QFETCH(double, tolerance);
        QFETCH(bool, caseSensitive);
        QFETCH(bool, stripPunctuation);
        QFETCH(QString, answerPattern);
        QFETCH(QString, prediction);
        QFETCH(QString, reference);
        QFETCH(double, score);

        PipelineNode n = metricNode(kind);
        n.pattern = pattern;
        n.tolerance = tolerance;
        n.metricOptions.caseSensitive = caseSensitive;
        n.metricOptions.stripPunctuation = stripPunctuation;
        n.metricOptions.answerPattern = answerPattern;
        const MetricResult r = Metrics::evaluate(n, prediction, reference);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.score, score);
        QVERIFY(!r.explanation.isEmpty());
        QVERIFY2(r.explanation.endsWith(u"so the score is "_s + QString::number(score) + u"."_s),
                 qPrintable(r.explanation));
    }

    void explanations()
    {
        const PipelineNode em = metricNode(u"exact_match"_s);
        QCOMPARE(Metrics::evaluate(em, u"41"_s, u"42"_s).explanation,
                 u"The prediction \"41\" does not match the reference \"42\" exactly (after "
                 "normalisation), so the score is 0."_s);
        QCOMPARE(Metrics::evaluate(em, u"42"_s, u"42"_s).explanation,
                 u"The prediction \"42\" matches the reference \"42\" exactly (after "
                 "normalisation), so the score is 1."_s);
        const PipelineNode nu = metricNode(u"numeric"_s);
        QCOMPARE(Metrics::evaluate(nu, u"It is 41"_s, u"42"_s).explanation,
                 u"The last number in the prediction, 41, does not equal the reference 42, so "
                 "the score is 0."_s);
        const QString longText(1000, u'x');
        QVERIFY(Metrics::evaluate(em, longText, u"42"_s).explanation.size() < 500);
    }

    void errors()
    {
        PipelineNode re = metricNode(u"regex"_s);
        re.pattern = u"(unclosed"_s;
        MetricResult r = Metrics::evaluate(re, u"x"_s, u"x"_s);
        QVERIFY(!r.error.isEmpty());
        QCOMPARE(r.score, 0.0);

        r = Metrics::evaluate(metricNode(u"bleu"_s), u"x"_s, u"x"_s);
        QVERIFY(r.error.contains(u"bleu"_s));

        PipelineNode bad = metricNode(u"exact_match"_s);
        bad.metricOptions.answerPattern = u"[x"_s;
        QVERIFY(!Metrics::evaluate(bad, u"x"_s, u"x"_s).error.isEmpty());
    }

    void normalize_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("caseSensitive");
        QTest::addColumn<bool>("normalizeWhitespace");
        QTest::addColumn<bool>("stripPunctuation");
        QTest::addColumn<QString>("answerPattern");
        QTest::addColumn<bool>("isPrediction");
        QTest::addColumn<QString>("expected");

        QTest::newRow("defaults") << u"  Hello \t World  "_s << false << true << false << QString()
                                  << true << u"hello world"_s;
        QTest::newRow("nothing") << u"  Hello  "_s << true << false << false << QString() << true
                                 << u"  Hello  "_s;
        QTest::newRow("punctuation ends only") << u"(Hello, world!)"_s << true << true << true
                                               << QString() << true << u"Hello, world"_s;
        QTest::newRow("answer pattern group") << u"so: Answer: Yes"_s << false << true << false
                                              << u"Answer: (\\w+)"_s << true << u"yes"_s;
        QTest::newRow("answer pattern whole match") << u"value 12 units"_s << false << true
                                                    << false << u"\\d+"_s << true << u"12"_s;
        QTest::newRow("answer pattern ignored for reference") << u"Answer: Yes"_s << false << true
                                                              << false << u"Answer: (\\w+)"_s
                                                              << false << u"answer: yes"_s;
        QTest::newRow("punctuation keeps a number's sign") << u"(-5)."_s << true << true << true
                                                           << QString() << true << u"-5"_s;
        QTest::newRow("punctuation keeps a leading point") << u"\".5\""_s << true << true << true
                                                           << QString() << true << u".5"_s;
        QTest::newRow("answer pattern no match") << u"nothing"_s << false << true << false
                                                 << u"Answer: (\\w+)"_s << true << QString();
    }

    void normalize()
    {
        QFETCH(QString, text);
        QFETCH(bool, caseSensitive);
        QFETCH(bool, normalizeWhitespace);
        QFETCH(bool, stripPunctuation);
        QFETCH(QString, answerPattern);
        QFETCH(bool, isPrediction);
        QFETCH(QString, expected);
        MetricOptions o;
        o.caseSensitive = caseSensitive;
        o.normalizeWhitespace = normalizeWhitespace;
        o.stripPunctuation = stripPunctuation;
        o.answerPattern = answerPattern;
        QCOMPARE(Metrics::normalize(text, o, isPrediction), expected);
    }

    void purpose()
    {
        PipelineNode n = metricNode(u"exact_match"_s);
        QCOMPARE(Metrics::purpose(n),
                 u"Checks whether the prediction equals the reference answer exactly "
                 "(case-insensitive, white space collapsed)."_s);
        n.purpose = u"Checks the final letter."_s;
        QCOMPARE(Metrics::purpose(n), u"Checks the final letter."_s);
        for (const QString &kind : Metrics::kinds()) {
            const QString line = Metrics::purpose(metricNode(kind));
            QVERIFY(line.startsWith(u"Checks"_s));
            QVERIFY(line.endsWith(u'.'));
        }
        PipelineNode numeric = metricNode(u"numeric"_s);
        numeric.tolerance = 0.5;
        QVERIFY(Metrics::purpose(numeric).contains(u"tolerance of 0.5"_s));
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
