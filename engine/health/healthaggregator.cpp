#include "health/healthaggregator.h"

#include "core/clock.h"
#include "core/enginestatus.h"
#include "health/readiness.h"

#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcHealth, "shivx.health")

namespace Shivx {

HealthAggregator::HealthAggregator(const HealthConfig &config, EngineStatus *status,
    Heartbeats heartbeats, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_score(config.score)
    , m_status(status)
    , m_heartbeats(std::move(heartbeats))
    , m_clock(clock ? clock : Clock::system())
{
}

void HealthAggregator::start()
{
    m_timer = new QTimer(this);
    connect(m_timer, &QTimer::timeout, this, &HealthAggregator::tick);
    m_timer->start(1000);
    tick();
}

void HealthAggregator::stop()
{
    if (m_timer)
        m_timer->stop();
}

Readiness HealthAggregator::currentReadiness() const
{
    const auto storage = m_status->storage();
    ReadinessInputs in;
    in.storageOk = storage.ok;
    in.storageDetail = storage.detail;
    in.samplerLastMs = m_heartbeats.sampler ? m_heartbeats.sampler() : 0;
    in.probesHeartbeatMs = m_heartbeats.probes ? m_heartbeats.probes() : 0;
    in.nowMs = m_clock->nowMs();
    in.stallMs = m_config.watchdogStallMs;
    in.targets = m_status->targets();
    return evaluateReadiness(in);
}

QList<StalledComponent> HealthAggregator::stalledComponents(qint64 nowMs) const
{
    QList<StalledComponent> out;
    const qint64 startedAt = m_status->startedAtMs.load();
    auto check = [&](const char *name, const std::function<qint64()> &beat) {
        if (!beat)
            return;
        // Before the first beat, measure from engine start so that a thread that never
        // started is caught too.
        const qint64 last = qMax(beat(), startedAt);
        if (nowMs - last > m_config.watchdogStallMs)
            out.append({ QString::fromLatin1(name), nowMs - last });
    };
    check("sampler", m_heartbeats.sampler);
    check("probes", m_heartbeats.probes);
    return out;
}

void HealthAggregator::tick()
{
    const qint64 now = m_clock->nowMs();
    // A stalled sampler sends no samples, so the score is also recomputed here; otherwise
    // the watchdog's finding would never reach the score.
    // Before the first sample there is nothing to score: a score then would claim a health
    // that was never measured. Only a watchdog finding (a sampler that never started) is.
    const bool noSampleYet = m_host.timestampMs == 0;
    if (now - m_host.timestampMs > m_config.sampleIntervalMs * 2
        && (!noSampleYet || !stalledComponents(now).isEmpty()))
        rescore();
}

void HealthAggregator::rescore()
{
    const qint64 now = m_clock->nowMs();
    const HealthReport report = m_score.compute(m_host, m_targets, stalledComponents(now), now);
    m_status->setHealth(report);
    Q_EMIT healthChanged(report);
}

void HealthAggregator::onHostSample(const HostSample &sample)
{
    m_host = sample;
    m_status->setHost(sample);
    rescore();
    Q_EMIT hostSampled(sample);

    const qint64 ts = sample.timestampMs;
    QList<SamplePoint> points;
    points.reserve(24 + sample.cpuPerCore.size() + sample.mounts.size() + 2 * m_targets.size());
    auto add = [&](const QString &series, double value) { points.append({ series, ts, value }); };
    add(QStringLiteral("health.score"), m_status->health().score);
    if (sample.hasRates) {
        add(QStringLiteral("host.cpu.percent"), sample.cpuPercent);
        for (int i = 0; i < sample.cpuPerCore.size(); ++i)
            add(QStringLiteral("host.cpu.core%1.percent").arg(i), sample.cpuPerCore.at(i));
        add(QStringLiteral("host.disk.read_bytes_per_sec"), sample.diskReadBytesPerSec);
        add(QStringLiteral("host.disk.write_bytes_per_sec"), sample.diskWriteBytesPerSec);
        add(QStringLiteral("host.net.rx_bytes_per_sec"), sample.netRxBytesPerSec);
        add(QStringLiteral("host.net.tx_bytes_per_sec"), sample.netTxBytesPerSec);
        add(QStringLiteral("engine.cpu_percent"), sample.processCpuPercent);
    }
    add(QStringLiteral("host.load1"), sample.load1);
    add(QStringLiteral("host.mem.used_percent"), sample.memUsedPercent);
    add(QStringLiteral("host.mem.used_bytes"), double(sample.memUsedBytes));
    add(QStringLiteral("host.swap.used_bytes"), double(sample.swapUsedBytes));
    for (const auto &m : sample.mounts)
        add(QStringLiteral("host.fs.%1.used_percent").arg(m.mountPoint), m.usedPercent);
    add(QStringLiteral("engine.rss_bytes"), double(sample.processRssBytes));
    add(QStringLiteral("engine.threads"), sample.processThreads);
    add(QStringLiteral("engine.open_fds"), sample.processOpenFds);

    // Targets are recorded at their own probe time, once per probe.
    for (const auto &t : std::as_const(m_targets)) {
        if (t.lastCheckMs <= 0 || m_recordedCheckMs.value(t.name) == t.lastCheckMs)
            continue;
        m_recordedCheckMs.insert(t.name, t.lastCheckMs);
        points.append({ QStringLiteral("target.%1.latency_ms").arg(t.name), t.lastCheckMs,
            std::round(t.latencyMs * 1000.0) / 1000.0 });
        points.append({ QStringLiteral("target.%1.up").arg(t.name), t.lastCheckMs,
            t.state == TargetState::Up ? 1.0 : 0.0 });
    }
    Q_EMIT historyPoints(points);
}

void HealthAggregator::onTargets(const QList<TargetStatus> &targets)
{
    m_targets = targets;
    m_status->setTargets(targets);
    Q_EMIT targetsChanged(targets);
}

} // namespace Shivx
