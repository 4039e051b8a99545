#include "providers/SseParser.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QVector<SseEvent> feedInPieces(const QByteArray &stream, const QList<qsizetype> &cuts)
{
    SseParser parser;
    QVector<SseEvent> events;
    qsizetype start = 0;
    for (qsizetype cut : cuts) {
        events += parser.feed(stream.mid(start, cut - start));
        start = cut;
    }
    events += parser.feed(stream.mid(start));
    return events;
}

QString describe(const QVector<SseEvent> &events)
{
    QStringList out;
    for (const SseEvent &e : events)
        out.append(u"["_s + e.event + u"|"_s + e.data + u"]"_s);
    return out.join(QString());
}

} // namespace

class TestSseParser : public QObject
{
    Q_OBJECT

private slots:
    void parsesWholeStream_data();
    void parsesWholeStream();
    void everySplitPointGivesTheSameEvents_data() { parsesWholeStream_data(); }
    void everySplitPointGivesTheSameEvents();
    void byteByByte();
    void utf8SplitInsideASequence();
    void incompleteEventIsHeldBack();
};

void TestSseParser::parsesWholeStream_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QString>("expected");
    QTest::newRow("openai") << "data: {\"a\":1}\n\ndata: [DONE]\n\n"_ba << u"[|{\"a\":1}][|[DONE]]"_s;
    QTest::newRow("named events") << "event: message_start\ndata: {}\n\nevent: message_stop\ndata: {\"x\":2}\n\n"_ba
                                  << u"[message_start|{}][message_stop|{\"x\":2}]"_s;
    QTest::newRow("crlf") << "event: e\r\ndata: one\r\n\r\ndata: two\r\n\r\n"_ba << u"[e|one][|two]"_s;
    QTest::newRow("bare cr") << "data: one\r\rdata: two\r\r"_ba << u"[|one][|two]"_s;
    QTest::newRow("comments and keep-alives") << ": keep-alive\n\n: ping\ndata: x\n\n"_ba << u"[|x]"_s;
    QTest::newRow("multi-line data") << "data: first\ndata: second\ndata:third\n\n"_ba
                                     << u"[|first\nsecond\nthird]"_s;
    QTest::newRow("no space after colon") << "data:x\n\n"_ba << u"[|x]"_s;
    QTest::newRow("ids and retry ignored") << "id: 7\nretry: 100\ndata: y\n\n"_ba << u"[|y]"_s;
    QTest::newRow("event name resets") << "event: a\ndata: 1\n\ndata: 2\n\n"_ba << u"[a|1][|2]"_s;
    QTest::newRow("no data, no event") << "event: lonely\n\ndata: z\n\n"_ba << u"[|z]"_s;
}

void TestSseParser::parsesWholeStream()
{
    QFETCH(QByteArray, stream);
    QFETCH(QString, expected);
    SseParser parser;
    QCOMPARE(describe(parser.feed(stream)), expected);
    QVERIFY(!parser.hasPartialEvent());
}

void TestSseParser::everySplitPointGivesTheSameEvents()
{
    QFETCH(QByteArray, stream);
    QFETCH(QString, expected);
    for (qsizetype a = 0; a <= stream.size(); ++a) {
        for (qsizetype b = a; b <= stream.size(); b += 3) {
            const QString got = describe(feedInPieces(stream, {a, b}));
            QVERIFY2(got == expected, qPrintable(u"cuts at "_s + QString::number(a) + u", "_s + QString::number(b)
                                                 + u": "_s + got));
        }
    }
}

void TestSseParser::byteByByte()
{
    const QByteArray stream = "event: content_block_delta\r\ndata: {\"text\":\"hi\"}\r\n\r\ndata: [DONE]\r\n\r\n"_ba;
    QList<qsizetype> cuts;
    for (qsizetype i = 1; i < stream.size(); ++i)
        cuts.append(i);
    QCOMPARE(describe(feedInPieces(stream, cuts)), u"[content_block_delta|{\"text\":\"hi\"}][|[DONE]]"_s);
}

void TestSseParser::utf8SplitInsideASequence()
{
    const QByteArray stream = u"data: wörld – ✓ 😀\n\n"_s.toUtf8();
    for (qsizetype cut = 1; cut < stream.size(); ++cut) {
        const QVector<SseEvent> events = feedInPieces(stream, {cut});
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().data, u"wörld – ✓ 😀"_s);
    }
}

void TestSseParser::incompleteEventIsHeldBack()
{
    SseParser parser;
    QVERIFY(parser.feed("data: {\"partial\":"_ba).isEmpty());
    QVERIFY(parser.hasPartialEvent());
    QVERIFY(parser.feed(" true}\n"_ba).isEmpty());
    QVERIFY(parser.hasPartialEvent());
    const QVector<SseEvent> events = parser.feed("\n"_ba);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.first().data, u"{\"partial\": true}"_s);
    QVERIFY(!parser.hasPartialEvent());
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
