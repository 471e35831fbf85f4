#include "health/readiness.h"

namespace Shivx {

namespace {

ReadinessCheck freshness(const QString &name, qint64 lastMs, qint64 nowMs, qint64 stallMs)
{
    if (lastMs <= 0)
        return { name, false, QStringLiteral("no heartbeat yet") };
    const qint64 age = nowMs - lastMs;
    if (age > stallMs)
        return { name, false,
            QStringLiteral("silent for %1 ms (limit %2 ms)").arg(age).arg(stallMs) };
    return { name, true, QStringLiteral("last heartbeat %1 ms ago").arg(qMax<qint64>(0, age)) };
}

} // namespace

Readiness evaluateReadiness(const ReadinessInputs &in)
{
    Readiness r;
    r.checks.append({ QStringLiteral("storage"), in.storageOk,
        in.storageDetail.isEmpty()
            ? (in.storageOk ? QStringLiteral("writable") : QStringLiteral("not writable"))
            : in.storageDetail });
    r.checks.append(freshness(QStringLiteral("sampler"), in.samplerLastMs, in.nowMs, in.stallMs));
    r.checks.append(
        freshness(QStringLiteral("probes"), in.probesHeartbeatMs, in.nowMs, in.stallMs));
    for (const auto &t : in.targets) {
        if (!t.critical)
            continue;
        const bool up = t.state == TargetState::Up;
        QString detail = toString(t.state);
        if (!up && !t.lastError.isEmpty())
            detail += QStringLiteral(": ") + t.lastError;
        r.checks.append({ QStringLiteral("target:") + t.name, up, detail });
    }
    r.ready = true;
    for (const auto &c : r.checks)
        r.ready = r.ready && c.ok;
    return r;
}

} // namespace Shivx
