#include "health/readiness.h"

namespace Shivx {

namespace {

ReadinessCheck freshness(const QString &name, qint64 lastMs, qint64 nowMs, qint64 stallMs)
{
    if (lastMs <= 0)
        return { name, false,
            makeMessage("readiness.no_heartbeat", {}, QStringLiteral("no heartbeat yet")) };
    const qint64 age = nowMs - lastMs;
    if (age > stallMs)
        return { name, false,
            makeMessage("readiness.silent", { age, stallMs },
                QStringLiteral("silent for %1 ms (limit %2 ms)").arg(age).arg(stallMs)) };
    const qint64 ago = qMax<qint64>(0, age);
    return { name, true,
        makeMessage(
            "readiness.heartbeat", { ago }, QStringLiteral("last heartbeat %1 ms ago").arg(ago)) };
}

} // namespace

Readiness evaluateReadiness(const ReadinessInputs &in)
{
    Readiness r;
    // The writer's own words when it has them (a database error names the file and what
    // failed, and passes through as it came).
    r.checks.append({ QStringLiteral("storage"), in.storageOk,
        in.storageOk ? makeMessage("readiness.storage_writable", {}, QStringLiteral("writable"))
            : in.storageDetail.isEmpty()
            ? makeMessage("readiness.storage_not_writable", {}, QStringLiteral("not writable"))
            : Message::verbatim(in.storageDetail) });
    r.checks.append(freshness(QStringLiteral("sampler"), in.samplerLastMs, in.nowMs, in.stallMs));
    r.checks.append(
        freshness(QStringLiteral("probes"), in.probesHeartbeatMs, in.nowMs, in.stallMs));
    for (const auto &t : in.targets) {
        if (!t.critical)
            continue;
        const bool up = t.state == TargetState::Up;
        const bool withError = !up && !t.lastError.isEmpty();
        QString text = toString(t.state);
        if (withError)
            text += QStringLiteral(": ") + t.lastError.text;
        r.checks.append({ QStringLiteral("target:") + t.name, up,
            makeMessage("readiness.target",
                { toString(t.state), withError ? QVariant::fromValue(t.lastError) : QVariant() },
                text) });
    }
    r.ready = true;
    for (const auto &c : r.checks)
        r.ready = r.ready && c.ok;
    return r;
}

} // namespace Shivx
