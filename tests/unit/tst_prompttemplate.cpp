#include "graph/PromptTemplate.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestPromptTemplate : public QObject
{
    Q_OBJECT

private slots:
    void placeholders_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");

        QTest::newRow("none") << u"plain text"_s << QStringList();
        QTest::newRow("one") << u"{question}"_s << QStringList{ u"question"_s };
        QTest::newRow("order and uniqueness") << u"{b} then {a} then {b}"_s
                                              << QStringList{ u"b"_s, u"a"_s };
        QTest::newRow("underscore and digits") << u"{_x1} {snake_case2}"_s
                                               << QStringList{ u"_x1"_s, u"snake_case2"_s };
        QTest::newRow("escaped braces") << u"{{literal}} and {real}"_s << QStringList{ u"real"_s };
        QTest::newRow("json object") << u"Reply as {\"a\": 1, \"b\": [2]}"_s << QStringList();
        QTest::newRow("json with placeholder after") << u"{\"a\": {x}}"_s << QStringList{ u"x"_s };
        QTest::newRow("spaces inside") << u"{ name }"_s << QStringList();
        QTest::newRow("leading digit") << u"{1abc}"_s << QStringList();
        QTest::newRow("unclosed") << u"{name and more"_s << QStringList();
        QTest::newRow("lone braces") << u"} { }"_s << QStringList();
        QTest::newRow("dash is not identifier") << u"{a-b}"_s << QStringList();
        QTest::newRow("triple braces") << u"{{{x}}}"_s << QStringList{ u"x"_s };
        QTest::newRow("non-ascii") << u"{é}"_s << QStringList();
    }

    void placeholders()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        QCOMPARE(PromptTemplate::placeholders(text), expected);
    }

    void render_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");

        QTest::newRow("fill") << u"Q: {question}\nA:"_s << u"Q: What is 2+2?\nA:"_s;
        QTest::newRow("repeat") << u"{question} / {question}"_s
                                << u"What is 2+2? / What is 2+2?"_s;
        QTest::newRow("unknown left as written") << u"{question} {missing}"_s
                                                 << u"What is 2+2? {missing}"_s;
        QTest::newRow("escapes") << u"{{question}} is {question}"_s
                                 << u"{question} is What is 2+2?"_s;
        QTest::newRow("json untouched") << u"{\"answer\": \"{question}\"}"_s
                                        << u"{\"answer\": \"What is 2+2?\"}"_s;
        QTest::newRow("closing double brace") << u"a }} b"_s << u"a } b"_s;
        QTest::newRow("value with braces not re-expanded") << u"{braces}"_s << u"{question}"_s;
        QTest::newRow("empty") << QString() << QString();
    }

    void render()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const QMap<QString, QString> values{ { u"question"_s, u"What is 2+2?"_s },
                                             { u"braces"_s, u"{question}"_s } };
        QCOMPARE(PromptTemplate::render(text, values), expected);
    }
};

QTEST_GUILESS_MAIN(TestPromptTemplate)
#include "tst_prompttemplate.moc"
