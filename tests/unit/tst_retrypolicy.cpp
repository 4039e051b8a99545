#include "providers/RetryPolicy.h"

#include <QDateTime>
#include <QLocale>
#include <QTest>

using namespace Qt::StringLiterals;

class TestRetryPolicy : public QObject
{
    Q_OBJECT

private slots:
    void isRetryable_data();
    void isRetryable();
    void backoff_data();
    void backoff();
    void jitterIsSeededAndBounded();
    void retryAfter_data();
    void retryAfter();
    void retryAfterHttpDate();
};

void TestRetryPolicy::isRetryable_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("retryable");
    QTest::newRow("connection error") << 0 << true;
    QTest::newRow("200") << 200 << false;
    QTest::newRow("400") << 400 << false;
    QTest::newRow("401") << 401 << false;
    QTest::newRow("403") << 403 << false;
    QTest::newRow("404") << 404 << false;
    QTest::newRow("408") << 408 << true;
    QTest::newRow("409") << 409 << false;
    QTest::newRow("422") << 422 << false;
    QTest::newRow("429") << 429 << true;
    QTest::newRow("500") << 500 << true;
    QTest::newRow("501") << 501 << false;
    QTest::newRow("502") << 502 << true;
    QTest::newRow("503") << 503 << true;
    QTest::newRow("504") << 504 << true;
    QTest::newRow("529 overloaded") << 529 << true;
}

void TestRetryPolicy::isRetryable()
{
    QFETCH(int, status);
    QFETCH(bool, retryable);
    QCOMPARE(RetryPolicy::isRetryable(status), retryable);
}

void TestRetryPolicy::backoff_data()
{
    QTest::addColumn<int>("nextAttempt");
    QTest::addColumn<int>("expected");
    QTest::newRow("first retry") << 2 << 100;
    QTest::newRow("second retry") << 3 << 200;
    QTest::newRow("third retry") << 4 << 400;
    QTest::newRow("fifth retry") << 6 << 1600;
    QTest::newRow("capped") << 12 << 5000;
    QTest::newRow("huge attempt stays capped") << 1000 << 5000;
    QTest::newRow("attempt 1 treated as first retry") << 1 << 100;
}

void TestRetryPolicy::backoff()
{
    QFETCH(int, nextAttempt);
    QFETCH(int, expected);
    RetryPolicy policy;
    policy.baseDelayMs = 100;
    policy.maxDelayMs = 5000;
    policy.jitter = 0.0;
    QCOMPARE(policy.delayMs(nextAttempt, {}, 42), expected);
}

void TestRetryPolicy::jitterIsSeededAndBounded()
{
    RetryPolicy policy;
    policy.baseDelayMs = 1000;
    policy.maxDelayMs = 100000;
    policy.jitter = 0.25;
    bool sawDifferent = false;
    for (quint32 seed = 1; seed < 200; ++seed) {
        const int delay = policy.delayMs(3, {}, seed);
        QVERIFY2(delay >= 1500 && delay <= 2500, qPrintable(QString::number(delay)));
        QCOMPARE(policy.delayMs(3, {}, seed), delay);   // same seed, same delay
        sawDifferent = sawDifferent || delay != 2000;
    }
    QVERIFY(sawDifferent);
}

void TestRetryPolicy::retryAfter_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("expected");
    QTest::newRow("seconds") << "3"_ba << 3000;
    QTest::newRow("seconds with spaces") << " 2 "_ba << 2000;
    QTest::newRow("zero") << "0"_ba << 0;
    QTest::newRow("fractional") << "0.5"_ba << 500;
    QTest::newRow("capped") << "3600"_ba << 10000;
    QTest::newRow("garbage falls back to back-off") << "soon"_ba << 100;
    QTest::newRow("negative falls back to back-off") << "-5"_ba << 100;
    QTest::newRow("date in the past") << "Wed, 21 Oct 2015 07:28:00 GMT"_ba << 0;
}

void TestRetryPolicy::retryAfter()
{
    QFETCH(QByteArray, header);
    QFETCH(int, expected);
    RetryPolicy policy;
    policy.baseDelayMs = 100;
    policy.maxDelayMs = 10000;
    policy.jitter = 0.5;   // Retry-After is the server's word: no jitter on it
    if (expected == 100)
        policy.jitter = 0.0;
    QCOMPARE(policy.delayMs(2, header, 7), expected);
}

void TestRetryPolicy::retryAfterHttpDate()
{
    RetryPolicy policy;
    policy.maxDelayMs = 60000;
    const QDateTime when = QDateTime::currentDateTimeUtc().addSecs(5);
    const QByteArray header = QLocale::c().toString(when, u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s).toLatin1();
    const int delay = policy.delayMs(2, header, 1);
    QVERIFY2(delay > 3000 && delay <= 5000, qPrintable(QString::number(delay)));
}

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
