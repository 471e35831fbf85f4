#include "health/healthscore.h"

#include <cmath>

namespace Shivx {

double HealthScore::linearPenalty(double value, double warnAt, double maxPenalty)
{
    // Zero up to the warning threshold, then linear to the full penalty at 100 %.
    if (value <= warnAt || warnAt >= 100)
        return 0;
    return maxPenalty * qMin(1.0, (value - warnAt) / (100.0 - warnAt));
}

HealthReport HealthScore::compute(const HostSample &host, const QList<TargetStatus> &targets,
    const QList<StalledComponent> &stalled, qint64 nowMs) const
{
    HealthReport r;
    r.timestampMs = nowMs;
    const auto pct = [](double v) { return QString::number(v, 'f', 1) + QLatin1Char('%'); };

    ScoreComponent cpu { QStringLiteral("cpu"), 0, m_config.cpuMaxPenalty, {} };
    if (host.hasRates) {
        cpu.penalty
            = linearPenalty(host.cpuPercent, m_config.cpuWarnPercent, m_config.cpuMaxPenalty);
        cpu.detail = makeMessage("score.cpu", { host.cpuPercent, m_config.cpuWarnPercent },
            QStringLiteral("cpu %1 (warn above %2)")
                .arg(pct(host.cpuPercent), pct(m_config.cpuWarnPercent)));
    } else {
        cpu.detail = makeMessage("score.cpu_no_rate", {}, QStringLiteral("no CPU rate yet"));
    }
    r.components.append(cpu);

    ScoreComponent mem { QStringLiteral("memory"), 0, m_config.memoryMaxPenalty, {} };
    mem.penalty
        = linearPenalty(host.memUsedPercent, m_config.memoryWarnPercent, m_config.memoryMaxPenalty);
    mem.detail = makeMessage("score.memory", { host.memUsedPercent, m_config.memoryWarnPercent },
        QStringLiteral("memory %1 used (warn above %2)")
            .arg(pct(host.memUsedPercent), pct(m_config.memoryWarnPercent)));
    r.components.append(mem);

    // The fullest filesystem decides: one full disk stops writes however empty the others are.
    ScoreComponent disk { QStringLiteral("disk"), 0, m_config.diskMaxPenalty,
        makeMessage("score.no_filesystems", {}, QStringLiteral("no filesystems")) };
    const MountUsage *fullest = nullptr;
    for (const auto &m : host.mounts)
        if (!fullest || m.usedPercent > fullest->usedPercent)
            fullest = &m;
    if (fullest) {
        disk.penalty = linearPenalty(
            fullest->usedPercent, m_config.diskWarnPercent, m_config.diskMaxPenalty);
        disk.detail = makeMessage("score.disk",
            { fullest->mountPoint, fullest->usedPercent, m_config.diskWarnPercent },
            QStringLiteral("%1 %2 used (warn above %3)")
                .arg(
                    fullest->mountPoint, pct(fullest->usedPercent), pct(m_config.diskWarnPercent)));
    }
    r.components.append(disk);

    double totalWeight = 0;
    for (const auto &t : targets)
        totalWeight += t.weight;
    bool criticalDown = false;
    for (const auto &t : targets) {
        const double share
            = totalWeight > 0 ? m_config.targetsMaxPenalty * t.weight / totalWeight : 0;
        double factor = 0;
        switch (t.state) {
        case TargetState::Up:
            factor = 0;
            break;
        case TargetState::Degraded:
            factor = 0.5;
            break;
        case TargetState::Down:
            factor = 1;
            break;
        // Not probed yet: no evidence either way, so a quarter, enough to show it is unproven.
        case TargetState::Unknown:
            factor = 0.25;
            break;
        }
        ScoreComponent c { QStringLiteral("target:") + t.name, share * factor, share, {} };
        const bool withError = !t.lastError.isEmpty() && t.state != TargetState::Up;
        QString text = QStringLiteral("%1 %2").arg(t.name, toString(t.state));
        if (withError)
            text += QStringLiteral(": ") + t.lastError.text;
        if (t.critical)
            text += QStringLiteral(" (critical)");
        c.detail = makeMessage("score.target",
            { t.name, toString(t.state), withError ? QVariant::fromValue(t.lastError) : QVariant(),
                t.critical },
            text);
        if (t.critical && t.state == TargetState::Down)
            criticalDown = true;
        r.components.append(c);
    }

    for (const auto &s : stalled) {
        r.components.append({ QStringLiteral("watchdog:") + s.name, m_config.watchdogPenalty,
            m_config.watchdogPenalty,
            makeMessage("score.watchdog", { s.name, s.silentForMs },
                QStringLiteral("%1 thread silent for %2 ms").arg(s.name).arg(s.silentForMs)) });
    }

    double penalty = 0;
    for (const auto &c : r.components)
        penalty += c.penalty;
    double score = qBound(0.0, 100.0 - penalty, 100.0);
    if (criticalDown && score > m_config.criticalDownCap) {
        r.components.append(
            { QStringLiteral("critical-target-cap"), score - m_config.criticalDownCap, 100,
                makeMessage("score.critical_cap", { m_config.criticalDownCap },
                    QStringLiteral("a critical target is DOWN: score capped at %1")
                        .arg(m_config.criticalDownCap)) });
        score = m_config.criticalDownCap;
    }
    r.score = std::round(score * 10.0) / 10.0;
    r.state = r.score >= HealthyMin ? HealthState::Healthy
        : r.score >= DegradedMin    ? HealthState::Degraded
                                    : HealthState::Critical;
    return r;
}

} // namespace Shivx
