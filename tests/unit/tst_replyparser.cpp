#include "optimizer/ReplyParser.h"

#include <QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(ParsedReply::Status)

class TestReplyParser : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
};

void TestReplyParser::parse_data()
{
    QTest::addColumn<QString>("reply");
    QTest::addColumn<QString>("tag");
    QTest::addColumn<ParsedReply::Status>("status");
    QTest::addColumn<QString>("value");

    const QString tag = u"IMPROVED_VARIABLE"_s;
    using S = ParsedReply::Status;

    QTest::newRow("ok") << u"Reasoning first.\n<IMPROVED_VARIABLE>\nBe concise.\n</IMPROVED_VARIABLE>"_s
                        << tag << S::Ok << u"Be concise."_s;
    QTest::newRow("ok, text after") << u"<IMPROVED_VARIABLE>A</IMPROVED_VARIABLE> done"_s << tag
                                    << S::Ok << u"A"_s;
    QTest::newRow("missing close") << u"Sure.\n<IMPROVED_VARIABLE>\nBe concise and\n  careful."_s
                                   << tag << S::MissingCloseTag << u"Be concise and\n  careful."_s;
    QTest::newRow("missing open") << u"Be concise.\n</IMPROVED_VARIABLE>"_s << tag
                                  << S::MissingOpenTag << QString();
    QTest::newRow("no tags at all") << u"Here is a better prompt: Be concise."_s << tag
                                    << S::MissingOpenTag << QString();
    QTest::newRow("empty reply") << QString() << tag << S::Empty << QString();
    QTest::newRow("whitespace reply") << u"  \n\t "_s << tag << S::Empty << QString();
    QTest::newRow("empty between tags") << u"<IMPROVED_VARIABLE>\n  \n</IMPROVED_VARIABLE>"_s
                                        << tag << S::Empty << QString();
    QTest::newRow("repeated: echo first")
        << u"You asked for the value between <IMPROVED_VARIABLE> and </IMPROVED_VARIABLE>.\n"
           u"<IMPROVED_VARIABLE>\nThe real answer.\n</IMPROVED_VARIABLE>"_s
        << tag << S::Ok << u"The real answer."_s;
    QTest::newRow("repeated: two complete pairs")
        << u"<IMPROVED_VARIABLE>draft</IMPROVED_VARIABLE>\nBetter:\n"
           u"<IMPROVED_VARIABLE>final</IMPROVED_VARIABLE>"_s
        << tag << S::Ok << u"final"_s;
    QTest::newRow("repeated: last cut off")
        << u"Format: <IMPROVED_VARIABLE>...</IMPROVED_VARIABLE>\n<IMPROVED_VARIABLE>\nlong value"_s
        << tag << S::MissingCloseTag << u"long value"_s;
    QTest::newRow("repeated: stray trailing tag")
        << u"<IMPROVED_VARIABLE>value</IMPROVED_VARIABLE>\n<IMPROVED_VARIABLE>\n"_s << tag << S::Ok
        << u"value"_s;
    QTest::newRow("lowercase") << u"<improved_variable>lower</improved_variable>"_s << tag << S::Ok
                               << u"lower"_s;
    QTest::newRow("mixed case") << u"<Improved_Variable>mixed</IMPROVED_variable>"_s << tag
                                << S::Ok << u"mixed"_s;
    QTest::newRow("spaces in tags") << u"< IMPROVED_VARIABLE >spaced</ IMPROVED_VARIABLE >"_s
                                    << tag << S::Ok << u"spaced"_s;
    QTest::newRow("space after slash") << u"<IMPROVED_VARIABLE>v</ IMPROVED_VARIABLE>"_s << tag
                                       << S::Ok << u"v"_s;
    QTest::newRow("fenced") << u"<IMPROVED_VARIABLE>\n```\nline 1\nline 2\n```\n</IMPROVED_VARIABLE>"_s
                            << tag << S::Ok << u"line 1\nline 2"_s;
    QTest::newRow("fenced with language")
        << u"<IMPROVED_VARIABLE>```text\nYou are helpful.\n```</IMPROVED_VARIABLE>"_s << tag << S::Ok
        << u"You are helpful."_s;
    QTest::newRow("fence inside value kept")
        << u"<IMPROVED_VARIABLE>Answer as:\n```json\n{}\n```\nThen stop.</IMPROVED_VARIABLE>"_s << tag
        << S::Ok << u"Answer as:\n```json\n{}\n```\nThen stop."_s;
    QTest::newRow("two fenced blocks kept")
        << u"<IMPROVED_VARIABLE>```\na\n```\nand\n```\nb\n```</IMPROVED_VARIABLE>"_s << tag << S::Ok
        << u"```\na\n```\nand\n```\nb\n```"_s;
    QTest::newRow("custom tag") << u"<NEW_PROMPT>custom</NEW_PROMPT>"_s << u"NEW_PROMPT"_s << S::Ok
                                << u"custom"_s;
    QTest::newRow("custom tag, default absent")
        << u"<IMPROVED_VARIABLE>x</IMPROVED_VARIABLE>"_s << u"NEW_PROMPT"_s << S::MissingOpenTag
        << QString();
    QTest::newRow("tag with regex characters") << u"<a.b+>v</a.b+>"_s << u"a.b+"_s << S::Ok
                                               << u"v"_s;
    QTest::newRow("braces kept") << u"<IMPROVED_VARIABLE>Use {question} and {{x}}</IMPROVED_VARIABLE>"_s
                                 << tag << S::Ok << u"Use {question} and {{x}}"_s;
}

void TestReplyParser::parse()
{
    QFETCH(QString, reply);
    QFETCH(QString, tag);
    QFETCH(ParsedReply::Status, status);
    QFETCH(QString, value);

    const ParsedReply parsed = ReplyParser::parse(reply, tag);
    QCOMPARE(parsed.status, status);
    QCOMPARE(parsed.value, value);
    QCOMPARE(parsed.usable(), status == ParsedReply::Status::Ok
                                  || status == ParsedReply::Status::MissingCloseTag);
}

QTEST_GUILESS_MAIN(TestReplyParser)
#include "tst_replyparser.moc"
