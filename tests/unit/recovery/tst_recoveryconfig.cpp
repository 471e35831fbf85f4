#include "core/config.h"

#include "recovery/recoveryconfig.h"

#include <QTest>

using namespace Shivx;

namespace {

const char Target[] = "targets:\n"
                      "  - name: web\n"
                      "    type: tcp\n"
                      "    host: 127.0.0.1\n"
                      "    port: 80\n"
                      "    interval: 60s\n";

} // namespace

class TestRecoveryConfig : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaultsWithoutSection();
    void sectionSetsDefaultsForEveryTarget();
    void targetOverridesDefaults();
    void defaultTimeoutIsCappedAtInterval();
    void errors_data();
    void errors();
};

void TestRecoveryConfig::defaultsWithoutSection()
{
    const auto c = ConfigLoader::parse(Target, QStringLiteral("s.yaml"));
    QVERIFY2(c, qPrintable(c ? QString() : c.error().message));
    const TargetSpec &t = c->targets.constFirst();
    QCOMPARE(t.breaker, BreakerConfig {});
    QCOMPARE(t.breaker.failureThreshold, 5);
    QCOMPARE(t.breaker.recoveryTimeoutMs, 60'000);
    QCOMPARE(t.retry, RetryConfig {});
    QCOMPARE(t.retry.maxAttempts, 1);
    QCOMPARE(c->section<RecoveryConfig>().defaults.timeoutMs, 30'000);
    QCOMPARE(t.timeoutMs, 30'000); // no timeout: the recovery default (interval is 60s)
}

void TestRecoveryConfig::sectionSetsDefaultsForEveryTarget()
{
    const QByteArray yaml = QByteArray("recovery:\n"
                                       "  timeout: 20s\n"
                                       "  breaker:\n"
                                       "    failure_threshold: 8\n"
                                       "    failure_rate: 0\n"
                                       "    window: 40\n"
                                       "    recovery_timeout: 2m\n"
                                       "    half_open_calls: 3\n"
                                       "  retry:\n"
                                       "    max_attempts: 4\n"
                                       "    initial_delay: 50ms\n"
                                       "    multiplier: 3\n"
                                       "    max_delay: 2s\n"
                                       "    jitter: 0.5\n")
        + Target;
    const auto c = ConfigLoader::parse(yaml, QStringLiteral("s.yaml"));
    QVERIFY2(c, qPrintable(c ? QString() : c.error().message));
    const TargetSpec &t = c->targets.constFirst();
    QCOMPARE(t.breaker.failureThreshold, 8);
    QCOMPARE(t.breaker.failureRatePercent, 0);
    QCOMPARE(t.breaker.windowSize, 40);
    QCOMPARE(t.breaker.recoveryTimeoutMs, 120'000);
    QCOMPARE(t.breaker.halfOpenMaxCalls, 3);
    QCOMPARE(t.retry.maxAttempts, 4);
    QCOMPARE(t.retry.initialDelayMs, 50);
    QCOMPARE(t.retry.multiplier, 3.0);
    QCOMPARE(t.retry.maxDelayMs, 2000);
    QCOMPARE(t.retry.jitter, 0.5);
    QCOMPARE(t.timeoutMs, 20'000);
}

void TestRecoveryConfig::targetOverridesDefaults()
{
    const QByteArray yaml = QByteArray("recovery:\n"
                                       "  breaker: {failure_threshold: 8, window: 40}\n"
                                       "  retry: {max_attempts: 4}\n")
        + Target
        + "    timeout: 3s\n"
          "    breaker: {failure_threshold: 2}\n"
          "    retry: {max_attempts: 2, initial_delay: 1s}\n";
    const auto c = ConfigLoader::parse(yaml, QStringLiteral("s.yaml"));
    QVERIFY2(c, qPrintable(c ? QString() : c.error().message));
    const TargetSpec &t = c->targets.constFirst();
    QCOMPARE(t.breaker.failureThreshold, 2);
    QCOMPARE(t.breaker.windowSize, 40); // not overridden: the section's default
    QCOMPARE(t.retry.maxAttempts, 2);
    QCOMPARE(t.retry.initialDelayMs, 1000);
    QCOMPARE(t.timeoutMs, 3000);
}

void TestRecoveryConfig::defaultTimeoutIsCappedAtInterval()
{
    QByteArray yaml = Target;
    yaml.replace("interval: 60s", "interval: 10s");
    const auto c = ConfigLoader::parse(yaml, QStringLiteral("s.yaml"));
    QVERIFY(c);
    QCOMPARE(c->targets.constFirst().timeoutMs, 10'000);
}

void TestRecoveryConfig::errors_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("message");

    QTest::newRow("unknown key in recovery")
        << QByteArray("recovery:\n  retries: 3\n")
        << "s.yaml:2: recovery.retries: unknown key (known: breaker, retry, timeout)";
    QTest::newRow("unknown key in a target's breaker")
        << (QByteArray(Target) + "    breaker:\n      threshold: 3\n")
        << "s.yaml:8: targets[0].breaker.threshold: unknown key (known: failure_rate, "
           "failure_threshold, half_open_calls, recovery_timeout, window)";
    QTest::newRow("failure rate over 100")
        << QByteArray("recovery:\n  breaker:\n    failure_rate: 150\n")
        << "s.yaml:3: recovery.breaker.failure_rate: 150 is out of range [0, 100]";
    QTest::newRow("zero failure threshold")
        << (QByteArray(Target) + "    breaker: {failure_threshold: 0}\n")
        << "s.yaml:7: targets[0].breaker.failure_threshold: 0 is out of range [1, 1000]";
    QTest::newRow("bad recovery timeout")
        << QByteArray("recovery:\n  breaker:\n    recovery_timeout: soon\n")
        << "s.yaml:3: recovery.breaker.recovery_timeout: ";
    QTest::newRow("max delay shorter than initial delay")
        << (QByteArray(Target) + "    retry:\n      initial_delay: 5s\n      max_delay: 1s\n")
        << "s.yaml:9: targets[0].retry.max_delay: must not be shorter than initial_delay (5s)";
    QTest::newRow("jitter over 1") << QByteArray("recovery:\n  retry: {jitter: 2}\n")
                                   << "s.yaml:2: recovery.retry.jitter: 2 is out of range [0, 1]";
    QTest::newRow("breaker is not a mapping") << (QByteArray(Target) + "    breaker: 5\n")
                                              << "s.yaml:7: targets[0].breaker: expected a mapping";
}

void TestRecoveryConfig::errors()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, message);
    const auto c = ConfigLoader::parse(yaml, QStringLiteral("s.yaml"));
    QVERIFY(!c);
    QVERIFY2(c.error().message.startsWith(message), qPrintable(c.error().message));
}

QTEST_GUILESS_MAIN(TestRecoveryConfig)
#include "tst_recoveryconfig.moc"
