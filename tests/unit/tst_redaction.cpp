#include "providers/Redaction.h"

#include <QElapsedTimer>
#include <QTest>

using namespace Qt::StringLiterals;

class TestRedaction : public QObject
{
    Q_OBJECT

private slots:
    void redact_data();
    void redact();
    void secretsAnywhere();
    void longestSecretFirst();
    void largeBodyIsFast();
};

void TestRedaction::redact_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    QTest::newRow("plain text untouched") << u"hello world, key points"_s << u"hello world, key points"_s;
    QTest::newRow("authorization header") << u"Authorization: Bearer sk-abc123XYZ"_s
                                          << u"Authorization: [redacted]"_s;
    QTest::newRow("authorization lower case, multi-line")
        << u"POST /v1 HTTP/1.1\r\nauthorization: Basic dXNlcjpwYXNz\r\nHost: x\r\n"_s
        << u"POST /v1 HTTP/1.1\r\nauthorization: [redacted]\r\nHost: x\r\n"_s;
    QTest::newRow("x-api-key header") << u"x-api-key: sk-ant-123\nother: 1"_s << u"x-api-key: [redacted]\nother: 1"_s;
    QTest::newRow("azure api-key header") << u"api-key: 0123abcd\nHost: r.openai.azure.com"_s
                                          << u"api-key: [redacted]\nHost: r.openai.azure.com"_s;
    QTest::newRow("x-goog-api-key header") << u"X-Goog-Api-Key: AIzaSy123"_s << u"X-Goog-Api-Key: [redacted]"_s;
    QTest::newRow("header as JSON field") << u"{\"Authorization\": \"Bearer sk-1\", \"a\": 1}"_s
                                          << u"{\"Authorization\": \"[redacted]\", \"a\": 1}"_s;
    QTest::newRow("bearer token in prose") << u"sent Bearer abc.def-ghi_123 to the server"_s
                                           << u"sent Bearer [redacted] to the server"_s;
    QTest::newRow("key query parameter") << u"https://x.googleapis.com/v1beta/models/g:generateContent?key=AIza123&alt=sse"_s
                                         << u"https://x.googleapis.com/v1beta/models/g:generateContent?key=[redacted]&alt=sse"_s;
    QTest::newRow("api_key query parameter") << u"GET /a?b=1&api_key=zzz"_s << u"GET /a?b=1&api_key=[redacted]"_s;
    QTest::newRow("monkey= is not a key parameter") << u"/a?monkey=banana"_s << u"/a?monkey=banana"_s;
    QTest::newRow("json api_key") << u"{\"api_key\": \"sk-1\", \"model\": \"m\"}"_s
                                  << u"{\"api_key\": \"[redacted]\", \"model\": \"m\"}"_s;
    QTest::newRow("json apiKey with escapes") << u"{\"apiKey\":\"a\\\"b\",\"n\":2}"_s
                                              << u"{\"apiKey\":\"[redacted]\",\"n\":2}"_s;
    QTest::newRow("json key") << u"{\"key\": \"abc\"}"_s << u"{\"key\": \"[redacted]\"}"_s;
    QTest::newRow("json monkey untouched") << u"{\"monkey\": \"abc\"}"_s << u"{\"monkey\": \"abc\"}"_s;
    QTest::newRow("json apiKeyEnv untouched") << u"{\"apiKeyEnv\": \"OPENAI_API_KEY\"}"_s
                                              << u"{\"apiKeyEnv\": \"OPENAI_API_KEY\"}"_s;
    QTest::newRow("empty") << QString() << QString();
}

void TestRedaction::redact()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(Redaction::redact(input), expected);
}

void TestRedaction::secretsAnywhere()
{
    const QString key = u"sk-proj-SECRET0123456789"_s;
    const QString text = u"error: Incorrect API key provided: "_s + key + u". body={\"k\":\""_s + key + u"\"}"_s;
    const QString out = Redaction::redact(text, {key, QString(), u" "_s});
    QVERIFY(!out.contains(key));
    QVERIFY(!out.contains(u"SECRET"_s));
    QCOMPARE(out.count(u"[redacted]"_s), 2);
    QVERIFY(out.startsWith(u"error: Incorrect API key provided: [redacted]."_s));
}

void TestRedaction::longestSecretFirst()
{
    const QString out = Redaction::redact(u"token abcdefgh"_s, {u"abcd"_s, u"abcdefgh"_s});
    QCOMPARE(out, u"token [redacted]"_s);
}

void TestRedaction::largeBodyIsFast()
{
    // A reply of several megabytes full of near-matches must not go quadratic.
    QString body;
    body.reserve(4'000'000);
    while (body.size() < 3'000'000)
        body += u"{\"key_points\": \"a\", \"monkey\": \"Bearer\", \"authorization_note\": \"x\"}\n"_s;
    body += u"Authorization: Bearer sk-last"_s;
    QElapsedTimer clock;
    clock.start();
    const QString out = Redaction::redact(body, {u"sk-never-present-123"_s});
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(out.endsWith(u"Authorization: [redacted]"_s));
    QVERIFY(!out.contains(u"sk-last"_s));
}

QTEST_GUILESS_MAIN(TestRedaction)
#include "tst_redaction.moc"
