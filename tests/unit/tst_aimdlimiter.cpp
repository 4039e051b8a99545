#include "providers/AimdLimiter.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>

#include <atomic>
#include <thread>

using namespace Qt::StringLiterals;

namespace {

AimdLimiter::Settings settings(int initial, int max, int increaseAfter)
{
    AimdLimiter::Settings s;
    s.initialLimit = initial;
    s.maxLimit = max;
    s.increaseAfter = increaseAfter;
    return s;
}

} // namespace

class TestAimdLimiter : public QObject
{
    Q_OBJECT

private slots:
    void startsAtTheInitialLimit();
    void maxBelowInitialIsRaised();
    void rateLimitHalves_data();
    void rateLimitHalves();
    void halvingStopsAtOne();
    void increasesAfterConsecutiveSuccesses();
    void increaseIsCapped();
    void otherFailuresRestartTheStreak();
    void rateLimitRestartsTheStreak();
    void burstOfOldAttemptsCountsOnce();
    void attemptsAfterADecreaseCountAgain();
    void acquireBlocksAtTheLimit();
    void acquireHonoursAPresetCancel();
    void cancelWhileWaitingReturnsPromptly();
    void raisingTheLimitWakesAWaiter();
};

void TestAimdLimiter::startsAtTheInitialLimit()
{
    AimdLimiter limiter(settings(6, 10, 3));
    QCOMPARE(limiter.limit(), 6);
    const AimdLimiter::Snapshot s = limiter.snapshot();
    QCOMPARE(s.maxLimit, 10);
    QCOMPARE(s.inFlight, 0);
    QCOMPARE(s.lowestLimit, 6);
    QCOMPARE(s.decreases, 0);
}

void TestAimdLimiter::maxBelowInitialIsRaised()
{
    AimdLimiter limiter(settings(4, 2, 1));
    QCOMPARE(limiter.snapshot().maxLimit, 4);
    AimdLimiter zero(settings(0, 0, 0));
    QCOMPARE(zero.limit(), 1);
}

void TestAimdLimiter::rateLimitHalves_data()
{
    QTest::addColumn<int>("initial");
    QTest::addColumn<int>("expected");
    QTest::newRow("8 -> 4") << 8 << 4;
    QTest::newRow("5 -> 2") << 5 << 2;
    QTest::newRow("3 -> 1") << 3 << 1;
    QTest::newRow("2 -> 1") << 2 << 1;
    QTest::newRow("1 stays 1") << 1 << 1;
}

void TestAimdLimiter::rateLimitHalves()
{
    QFETCH(int, initial);
    QFETCH(int, expected);
    AimdLimiter limiter(settings(initial, initial, 5));
    limiter.onRateLimited();
    QCOMPARE(limiter.limit(), expected);
    QCOMPARE(limiter.snapshot().decreases, 1);
    QCOMPARE(limiter.snapshot().lowestLimit, expected);
}

void TestAimdLimiter::halvingStopsAtOne()
{
    AimdLimiter limiter(settings(16, 16, 5));
    const QVector<int> expected{8, 4, 2, 1, 1, 1};
    for (int want : expected) {
        limiter.onRateLimited();
        QCOMPARE(limiter.limit(), want);
    }
}

void TestAimdLimiter::increasesAfterConsecutiveSuccesses()
{
    AimdLimiter limiter(settings(8, 8, 3));
    limiter.onRateLimited();
    QCOMPARE(limiter.limit(), 4);
    limiter.onSuccess();
    limiter.onSuccess();
    QCOMPARE(limiter.limit(), 4);
    limiter.onSuccess();
    QCOMPARE(limiter.limit(), 5);
    for (int i = 0; i < 3; ++i)
        limiter.onSuccess();
    QCOMPARE(limiter.limit(), 6);
    QCOMPARE(limiter.snapshot().increases, 2);
}

void TestAimdLimiter::increaseIsCapped()
{
    AimdLimiter limiter(settings(2, 3, 1));
    for (int i = 0; i < 10; ++i)
        limiter.onSuccess();
    QCOMPARE(limiter.limit(), 3);
    QCOMPARE(limiter.snapshot().increases, 1);
}

void TestAimdLimiter::otherFailuresRestartTheStreak()
{
    AimdLimiter limiter(settings(1, 4, 3));
    limiter.onSuccess();
    limiter.onSuccess();
    limiter.onOtherFailure();
    limiter.onSuccess();
    limiter.onSuccess();
    QCOMPARE(limiter.limit(), 1);   // a server error is neither a success nor a 429
    limiter.onSuccess();
    QCOMPARE(limiter.limit(), 2);
}

void TestAimdLimiter::rateLimitRestartsTheStreak()
{
    AimdLimiter limiter(settings(4, 4, 3));
    limiter.onSuccess();
    limiter.onSuccess();
    limiter.onRateLimited();
    QCOMPARE(limiter.limit(), 2);
    limiter.onSuccess();
    QCOMPARE(limiter.limit(), 2);
}

void TestAimdLimiter::burstOfOldAttemptsCountsOnce()
{
    // Eight requests admitted together under a limit of 8 all come back 429 (and so do their
    // retries): one congestion event.
    AimdLimiter limiter(settings(8, 8, 5));
    QVector<int> admitted(8, -1);
    for (int &a : admitted)
        QVERIFY(limiter.acquire(makeCancelFlag(), &a));
    QCOMPARE(admitted, QVector<int>(8, 0));
    for (int round = 0; round < 3; ++round) {
        for (int a : admitted)
            limiter.onRateLimited(a);
    }
    QCOMPARE(limiter.limit(), 4);
    QCOMPARE(limiter.snapshot().decreases, 1);
}

void TestAimdLimiter::attemptsAfterADecreaseCountAgain()
{
    AimdLimiter limiter(settings(8, 8, 5));
    int before = -1;
    QVERIFY(limiter.acquire(makeCancelFlag(), &before));
    limiter.onRateLimited(before);
    limiter.release();
    QCOMPARE(limiter.limit(), 4);
    // Admitted under the new limit, and still refused: the server wants fewer.
    int after = -1;
    QVERIFY(limiter.acquire(makeCancelFlag(), &after));
    QCOMPARE(after, 1);
    limiter.onRateLimited(after);
    QCOMPARE(limiter.limit(), 2);
    limiter.onRateLimited(before);   // a late refusal of the first call changes nothing
    QCOMPARE(limiter.limit(), 2);
    limiter.release();
}

void TestAimdLimiter::acquireBlocksAtTheLimit()
{
    AimdLimiter limiter(settings(2, 2, 5));
    const CancelFlag cancel = makeCancelFlag();
    QVERIFY(limiter.acquire(cancel));
    QVERIFY(limiter.acquire(cancel));
    QCOMPARE(limiter.snapshot().inFlight, 2);

    std::atomic_bool third{false};
    std::thread waiter([&] {
        if (limiter.acquire(cancel))
            third = true;
    });
    QTRY_COMPARE(limiter.snapshot().waiting, 1);
    QThread::msleep(60);
    QVERIFY(!third.load());
    limiter.release();
    QTRY_VERIFY_WITH_TIMEOUT(third.load(), 1000);
    waiter.join();
    QCOMPARE(limiter.snapshot().inFlight, 2);
    limiter.release();
    limiter.release();
    QCOMPARE(limiter.snapshot().inFlight, 0);
}

void TestAimdLimiter::acquireHonoursAPresetCancel()
{
    AimdLimiter limiter(settings(2, 2, 5));
    const CancelFlag cancel = makeCancelFlag();
    cancel->store(true);
    QVERIFY(!limiter.acquire(cancel));
    QCOMPARE(limiter.snapshot().inFlight, 0);
}

void TestAimdLimiter::cancelWhileWaitingReturnsPromptly()
{
    AimdLimiter limiter(settings(1, 1, 5));
    QVERIFY(limiter.acquire(makeCancelFlag()));
    const CancelFlag cancel = makeCancelFlag();
    std::atomic<qint64> returnedAfterMs{-1};
    std::atomic_bool acquired{true};
    QElapsedTimer clock;
    std::thread waiter([&] {
        acquired = limiter.acquire(cancel);
        returnedAfterMs = clock.elapsed();
    });
    QTRY_COMPARE(limiter.snapshot().waiting, 1);
    clock.start();
    cancel->store(true);
    waiter.join();
    QVERIFY(!acquired.load());
    QVERIFY2(returnedAfterMs.load() < 150, qPrintable(QString::number(returnedAfterMs.load()) + u" ms"_s));
    QCOMPARE(limiter.snapshot().waiting, 0);
    QCOMPARE(limiter.snapshot().inFlight, 1);
}

void TestAimdLimiter::raisingTheLimitWakesAWaiter()
{
    AimdLimiter limiter(settings(1, 2, 1));
    const CancelFlag cancel = makeCancelFlag();
    QVERIFY(limiter.acquire(cancel));
    std::atomic_bool second{false};
    std::thread waiter([&] { second = limiter.acquire(cancel); });
    QTRY_COMPARE(limiter.snapshot().waiting, 1);
    limiter.onSuccess();   // limit 1 -> 2: room for the waiter without any release
    QTRY_VERIFY_WITH_TIMEOUT(second.load(), 1000);
    waiter.join();
    limiter.release();
    limiter.release();
}

QTEST_GUILESS_MAIN(TestAimdLimiter)
#include "tst_aimdlimiter.moc"
