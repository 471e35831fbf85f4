#include "recovery/retrypolicy.h"

#include <QTest>

using namespace Shivx;

namespace {

RetryConfig retry(int attempts, qint64 initialMs, double multiplier, qint64 maxMs, double jitter)
{
    RetryConfig c;
    c.maxAttempts = attempts;
    c.initialDelayMs = initialMs;
    c.multiplier = multiplier;
    c.maxDelayMs = maxMs;
    c.jitter = jitter;
    return c;
}

RetryPolicy::RandomSource fixed(double value)
{
    return [value] { return value; };
}

} // namespace

class TestRetryPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void backoff_data();
    void backoff();
    void jitterStaysWithinBounds_data();
    void jitterStaysWithinBounds();
    void maxAttempts_data();
    void maxAttempts();
    void hugeAttemptNumbersSaturateAtTheCap();
};

void TestRetryPolicy::backoff_data()
{
    QTest::addColumn<RetryConfig>("config");
    QTest::addColumn<QList<qint64>>("delays"); // before attempts 1, 2, 3, ...

    QTest::newRow("doubles from the initial delay")
        << retry(6, 100, 2, 100'000, 0) << QList<qint64> { 0, 100, 200, 400, 800, 1600 };
    QTest::newRow("capped at max_delay")
        << retry(6, 100, 2, 500, 0) << QList<qint64> { 0, 100, 200, 400, 500, 500 };
    QTest::newRow("multiplier 3") << retry(4, 50, 3, 100'000, 0)
                                  << QList<qint64> { 0, 50, 150, 450 };
    QTest::newRow("multiplier 1 is a constant delay")
        << retry(4, 250, 1, 100'000, 0) << QList<qint64> { 0, 250, 250, 250 };
    QTest::newRow("zero initial delay retries at once")
        << retry(3, 0, 2, 1000, 0.5) << QList<qint64> { 0, 0, 0 };
}

void TestRetryPolicy::backoff()
{
    QFETCH(RetryConfig, config);
    QFETCH(QList<qint64>, delays);
    const RetryPolicy policy(config, fixed(0.999));
    for (int attempt = 1; attempt <= delays.size(); ++attempt) {
        QCOMPARE(policy.baseDelayBeforeAttempt(attempt), delays.at(attempt - 1));
        if (config.jitter == 0)
            QCOMPARE(policy.delayBeforeAttempt(attempt), delays.at(attempt - 1));
    }
}

void TestRetryPolicy::jitterStaysWithinBounds_data()
{
    QTest::addColumn<double>("jitter");
    QTest::addColumn<double>("random");
    QTest::addColumn<qint64>("expected"); // before attempt 3: base 400

    QTest::newRow("no randomness keeps the full delay") << 0.25 << 0.0 << qint64(400);
    QTest::newRow("top of the random range takes off the jitter share")
        << 0.25 << 0.999999 << qint64(301);
    QTest::newRow("half of the random range") << 0.5 << 0.5 << qint64(300);
    QTest::newRow("full jitter can reach almost zero") << 1.0 << 0.999 << qint64(1);
}

void TestRetryPolicy::jitterStaysWithinBounds()
{
    QFETCH(double, jitter);
    QFETCH(double, random);
    QFETCH(qint64, expected);
    const RetryPolicy policy(retry(5, 200, 2, 10'000, jitter), fixed(random));
    QCOMPARE(policy.delayBeforeAttempt(3), expected);

    // And with the real random source, every delay stays within [base * (1 - jitter), base].
    const RetryPolicy real(retry(5, 200, 2, 10'000, jitter));
    for (int i = 0; i < 1000; ++i) {
        const qint64 d = real.delayBeforeAttempt(3);
        QVERIFY2(d <= 400 && d >= qint64(400 * (1 - jitter)), qPrintable(QString::number(d)));
    }
}

void TestRetryPolicy::maxAttempts_data()
{
    QTest::addColumn<int>("max");
    QTest::addColumn<int>("made");
    QTest::addColumn<bool>("retry");
    QTest::newRow("1 attempt means no retry") << 1 << 1 << false;
    QTest::newRow("3 attempts: retry after the 1st") << 3 << 1 << true;
    QTest::newRow("3 attempts: retry after the 2nd") << 3 << 2 << true;
    QTest::newRow("3 attempts: stop after the 3rd") << 3 << 3 << false;
}

void TestRetryPolicy::maxAttempts()
{
    QFETCH(int, max);
    QFETCH(int, made);
    QFETCH(bool, retry);
    QCOMPARE(RetryPolicy(::retry(max, 100, 2, 1000, 0)).shouldRetry(made), retry);
}

void TestRetryPolicy::hugeAttemptNumbersSaturateAtTheCap()
{
    const RetryPolicy policy(retry(100, 1000, 10, 30'000, 0));
    QCOMPARE(policy.delayBeforeAttempt(100), 30'000);
    QCOMPARE(policy.delayBeforeAttempt(0), 0);
}

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
