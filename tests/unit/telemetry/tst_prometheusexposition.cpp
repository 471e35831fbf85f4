#include "core/enginestatus.h"
#include "executor/executormetrics.h"
#include "health/healthapi.h"
#include "telemetry/metricregistry.h"
#include "telemetry/prometheusexposition.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace Shivx;

namespace {

// What /metrics renders: the core's families, then health's and the executor's (every module
// registers its own).
struct ExpositionInput
{
    CoreMetricsInput core;
    HostSample host;
    QList<TargetStatus> targets;
    HealthReport health;
    ExecutorMetrics executor;
};

QByteArray render(const ExpositionInput &in)
{
    EngineStatus status;
    status.setHost(in.host);
    status.setTargets(in.targets);
    status.setHealth(in.health);
    MetricRegistry registry;
    registerCoreMetrics(registry, [core = in.core] { return core; });
    HealthApi::registerMetrics(registry, &status);
    registerExecutorMetrics(registry, [executor = in.executor] { return executor; });
    return registry.render();
}

ExpositionInput sampleInput()
{
    ExpositionInput in;
    in.host.hasRates = true;
    in.host.cpuPercent = 42.5;
    in.host.cpuPerCore = { 40, 45 };
    in.host.memTotalBytes = 8ULL << 30;
    in.host.memAvailableBytes = 4ULL << 30;
    in.host.mounts.append({ QStringLiteral("/mnt/odd \"quoted\" \\ path"),
        QStringLiteral("/dev/sdb1"), 1000, 250, 75 });
    in.host.processCpuSecondsTotal = 12.34;
    TargetStatus t;
    t.name = QStringLiteral("web");
    t.state = TargetState::Down;
    t.latencyMs = 1500;
    t.checks = 10;
    t.failures = 4;
    in.targets = { t };
    in.health.score = 61.5;
    in.health.timestampMs = 1'700'000'000'000;
    in.health.components
        = { { QStringLiteral("cpu"), 3.5, 15, Message::verbatim(QStringLiteral("cpu 75%")) } };
    in.core.readiness.ready = false;
    in.core.readiness.checks
        = { { QStringLiteral("storage"), true, {} }, { QStringLiteral("target:web"), false, {} } };
    in.core.startedAtMs = 1'700'000'000'000;
    in.core.apiRequestsByCode = { { 200, 5 }, { 404, 1 } };
    in.executor.workers = 2;
    in.executor.queueCapacity = 256;
    in.executor.submitted = 10;
    in.executor.completed = 7;
    in.executor.queueDepth = 3;
    in.executor.depthByPriority = { 3, 0, 0, 0 };
    in.executor.waitP50Us = 1500;
    in.executor.waitP99Us = 250000;
    in.executor.waitCount = 7;
    in.executor.waitSumUs = 300000;
    in.executor.kinds
        = { { QStringLiteral("history.maintenance"), TaskPriority::Background, true, 3 } };
    return in;
}

} // namespace

class TstPrometheusExposition : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void labelValuesAreEscaped()
    {
        QCOMPARE(PrometheusWriter::escapeLabelValue(QStringLiteral("a\"b\\c\nd")),
            QByteArray("a\\\"b\\\\c\\nd"));
    }

    void valuesFormat()
    {
        QCOMPARE(PrometheusWriter::formatValue(3), QByteArray("3"));
        QCOMPARE(PrometheusWriter::formatValue(0.25), QByteArray("0.25"));
        QCOMPARE(PrometheusWriter::formatValue(qInf()), QByteArray("+Inf"));
        QCOMPARE(PrometheusWriter::formatValue(qQNaN()), QByteArray("NaN"));
    }

    void familiesHaveHelpAndTypeOnce()
    {
        const QByteArray text = render(sampleInput());
        QStringList types;
        for (const QByteArray &line : text.split('\n')) {
            if (line.startsWith("# TYPE "))
                types << QString::fromLatin1(line.split(' ').at(2));
        }
        QVERIFY(types.size() > 20);
        QCOMPARE(QSet<QString>(types.begin(), types.end()).size(), types.size());
        for (const QByteArray &line : text.split('\n')) {
            if (line.isEmpty() || line.startsWith('#'))
                continue;
            QVERIFY2(line.startsWith("shivx_"), line.constData());
        }
        QVERIFY(text.contains("shivx_health_score 61.5\n"));
        QVERIFY(text.contains("shivx_target_up{target=\"web\",type=\"http\"} 0\n"));
        QVERIFY(text.contains(
            "shivx_target_probe_duration_seconds{target=\"web\",type=\"http\"} 1.5\n"));
        QVERIFY(text.contains("shivx_host_cpu_usage_ratio 0.425\n"));
        QVERIFY(text.contains("shivx_api_requests_total{code=\"404\"} 1\n"));
    }

    void executorFamilies()
    {
        const QByteArray text = render(sampleInput());
        QVERIFY(text.contains("\nshivx_executor_queue_depth{priority=\"background\"} 3\n"));
        QVERIFY(text.contains("\nshivx_executor_tasks_submitted_total 10\n"));
        QVERIFY(text.contains("\nshivx_executor_wait_seconds{quantile=\"0.99\"} 0.25\n"));
        QVERIFY(text.contains("\nshivx_executor_wait_seconds_sum 0.3\n"));
        QVERIFY(text.contains("\nshivx_executor_wait_seconds_count 7\n"));
        QVERIFY(text.contains("\nshivx_executor_kind_paused{kind=\"history.maintenance\"} 1\n"));
    }

    void noScoreBeforeAnythingWasMeasured()
    {
        ExpositionInput in = sampleInput();
        in.health = HealthReport();
        const QByteArray text = render(in);
        QVERIFY(text.contains("# TYPE shivx_health_score gauge\n"));
        QVERIFY(!text.contains("\nshivx_health_score "));
    }

    // The exposition must pass Prometheus' own linter without a single warning.
    void promtoolAcceptsIt()
    {
        const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        QVERIFY2(!promtool.isEmpty(),
            "promtool not found: install Debian's prometheus package (the README's test command "
            "does)");
        QProcess p;
        p.start(promtool, { QStringLiteral("check"), QStringLiteral("metrics") });
        QVERIFY(p.waitForStarted());
        p.write(render(sampleInput()));
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(30000));
        const QByteArray output = p.readAllStandardOutput() + p.readAllStandardError();
        QVERIFY2(p.exitCode() == 0, output.constData());
        QVERIFY2(output.trimmed().isEmpty(), output.constData());
    }
};

QTEST_GUILESS_MAIN(TstPrometheusExposition)
#include "tst_prometheusexposition.moc"
