// Word-level diff: tokens, ops for typical prompt edits, the readable grouping, HTML escaping,
// and the edit limit that keeps rewritten or huge prompts fast.

#include "text/WordDiff.h"

#include <QElapsedTimer>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

// Ops written compactly: "=text", "-text", "+text".
QStringList compact(const QVector<DiffOp> &ops)
{
    QStringList out;
    for (const DiffOp &op : ops) {
        const QChar mark = op.kind == DiffOp::Kind::Equal ? u'='
            : op.kind == DiffOp::Kind::Delete             ? u'-'
                                                          : u'+';
        out.append(mark + op.text);
    }
    return out;
}

} // namespace

class TestWordDiff : public QObject {
    Q_OBJECT

private slots:
    void tokenize_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("tokens");
        QTest::newRow("empty") << QString() << QStringList();
        QTest::newRow("words and spaces")
            << u"Be  brief"_s << QStringList { u"Be"_s, u"  "_s, u"brief"_s };
        QTest::newRow("punctuation apart")
            << u"Hi, you."_s << QStringList { u"Hi"_s, u","_s, u" "_s, u"you"_s, u"."_s };
        QTest::newRow("inner apostrophe and hyphen")
            << u"don't step-by-step"_s << QStringList { u"don't"_s, u" "_s, u"step-by-step"_s };
        QTest::newRow("trailing hyphen is punctuation")
            << u"well- done"_s << QStringList { u"well"_s, u"-"_s, u" "_s, u"done"_s };
        QTest::newRow("newlines are whitespace")
            << u"a\n\nb"_s << QStringList { u"a"_s, u"\n\n"_s, u"b"_s };
        QTest::newRow("numbers") << u"3.5 or 42"_s
                                 << QStringList { u"3"_s, u"."_s, u"5"_s, u" "_s, u"or"_s, u" "_s,
                                        u"42"_s };
        QTest::newRow("emoji stays whole")
            << u"ok \U0001F600!"_s << QStringList { u"ok"_s, u" "_s, u"\U0001F600"_s, u"!"_s };
    }

    void tokenize()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, tokens);
        QCOMPARE(WordDiff::tokenize(text), tokens);
        QCOMPARE(WordDiff::tokenize(text).join(QString()), text);
    }

    void diff_data()
    {
        QTest::addColumn<QString>("before");
        QTest::addColumn<QString>("after");
        QTest::addColumn<QStringList>("ops");
        QTest::newRow("identical")
            << u"Same text."_s << u"Same text."_s << QStringList { u"=Same text."_s };
        QTest::newRow("both empty") << QString() << QString() << QStringList();
        QTest::newRow("from empty")
            << QString() << u"New prompt."_s << QStringList { u"+New prompt."_s };
        QTest::newRow("to empty") << u"Old prompt."_s << QString()
                                  << QStringList { u"-Old prompt."_s };
        QTest::newRow("append a sentence")
            << u"You are an assistant."_s << u"You are an assistant. Work carefully."_s
            << QStringList { u"=You are an assistant."_s, u"+ Work carefully."_s };
        QTest::newRow("replace one word")
            << u"Reply with the number."_s << u"Reply with the digit."_s
            << QStringList { u"=Reply with the "_s, u"-number"_s, u"+digit"_s, u"=."_s };
        QTest::newRow("whitespace between changes joins them")
            << u"the quick fox"_s << u"a slow fox"_s
            << QStringList { u"-the quick"_s, u"+a slow"_s, u"= fox"_s };
        QTest::newRow("delete in the middle")
            << u"Think step by step and answer."_s << u"Think and answer."_s
            << QStringList { u"=Think "_s, u"-step by step "_s, u"=and answer."_s };
        QTest::newRow("punctuation only")
            << u"Answer now"_s << u"Answer now!"_s << QStringList { u"=Answer now"_s, u"+!"_s };
        QTest::newRow("case is a change")
            << u"be brief"_s << u"Be brief"_s << QStringList { u"-be"_s, u"+Be"_s, u"= brief"_s };
        QTest::newRow("line break added")
            << u"One. Two."_s << u"One.\nTwo."_s
            << QStringList { u"=One."_s, u"- "_s, u"+\n"_s, u"=Two."_s };
    }

    void diff()
    {
        QFETCH(QString, before);
        QFETCH(QString, after);
        QFETCH(QStringList, ops);
        const QVector<DiffOp> result = WordDiff::diff(before, after);
        QCOMPARE(compact(result), ops);
        QCOMPARE(WordDiff::beforeText(result), before);
        QCOMPARE(WordDiff::afterText(result), after);
    }

    void statsCountWords()
    {
        WordDiff::Stats stats;
        WordDiff::diff(u"Reply with the number."_s, u"Reply only with one number, please."_s,
            WordDiff::kDefaultMaxEdits, &stats);
        QCOMPARE(stats.inserted, 3); // only, one, please
        QCOMPARE(stats.deleted, 1); // the
        QVERIFY(!stats.truncated);
    }

    void htmlIsEscaped()
    {
        const QVector<DiffOp> ops
            = WordDiff::diff(u"Use <b> & \"quotes\""_s, u"Use <i> & \"quotes\""_s);
        const QString html = WordDiff::toHtml(ops);
        QCOMPARE(html, u"Use &lt;<del>b</del><ins>i</ins>&gt; &amp; &quot;quotes&quot;"_s);
        const QString styled = WordDiff::toHtml(ops, u"color: red"_s, u"color: \"green\""_s);
        QVERIFY(styled.contains(u"<del style=\"color: red\">b</del>"_s));
        QVERIFY(styled.contains(u"<ins style=\"color: &quot;green&quot;\">i</ins>"_s));
    }

    void editLimitFallsBackToReplace()
    {
        // Two unrelated texts need more edits than allowed: one delete and one insert between
        // the common prefix and suffix, still exact on both sides.
        QString a = u"Start. "_s;
        QString b = u"Start. "_s;
        for (int i = 0; i < 300; ++i) {
            a += u"alpha%1 "_s.arg(i);
            b += u"beta%1 "_s.arg(i);
        }
        a += u"End."_s;
        b += u"End."_s;
        WordDiff::Stats stats;
        const QVector<DiffOp> ops = WordDiff::diff(a, b, 100, &stats);
        QVERIFY(stats.truncated);
        QCOMPARE(ops.size(), 4);
        QCOMPARE(ops.first().kind, DiffOp::Kind::Equal);
        QCOMPARE(ops.at(1).kind, DiffOp::Kind::Delete);
        QCOMPARE(ops.at(2).kind, DiffOp::Kind::Insert);
        QCOMPARE(WordDiff::beforeText(ops), a);
        QCOMPARE(WordDiff::afterText(ops), b);
        // With the default limit the same pair is diffed word by word.
        WordDiff::diff(a, b, WordDiff::kDefaultMaxEdits, &stats);
        QVERIFY(!stats.truncated);
    }

    void largePromptWithSmallEditIsExact()
    {
        QString a;
        for (int i = 0; i < 5000; ++i)
            a += u"word%1 "_s.arg(i % 97);
        QString b = a;
        b.insert(a.indexOf(u' ', a.size() / 2) + 1, u"inserted "_s);
        WordDiff::Stats stats;
        const QVector<DiffOp> ops = WordDiff::diff(a, b, WordDiff::kDefaultMaxEdits, &stats);
        QCOMPARE(stats.inserted, 1);
        QCOMPARE(stats.deleted, 0);
        QCOMPARE(WordDiff::afterText(ops), b);
    }
};

QTEST_GUILESS_MAIN(TestWordDiff)
#include "tst_worddiff.moc"
