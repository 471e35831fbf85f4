#include "widgets/displayformat.h"

#include "core/timeutil.h"

#include <QDateTime>
#include <QLocale>

namespace Shivx::Ui {

QString DisplayFormat::noValue()
{
    return QStringLiteral("—");
}

QString DisplayFormat::bytes(quint64 bytes)
{
    return QLocale().formattedDataSize(
        static_cast<qint64>(bytes), 1, QLocale::DataSizeTraditionalFormat);
}

QString DisplayFormat::bytesPerSecond(double bytesPerSecond)
{
    const qint64 rounded = bytesPerSecond > 0 ? static_cast<qint64>(bytesPerSecond + 0.5) : 0;
    return tr("%1/s").arg(
        QLocale().formattedDataSize(rounded, 1, QLocale::DataSizeTraditionalFormat));
}

QString DisplayFormat::percent(double percent, int decimals)
{
    return tr("%1 %").arg(QLocale().toString(percent, 'f', decimals));
}

QString DisplayFormat::latencyMs(double ms)
{
    // Sub-millisecond probes (a local TCP connect) would all read "0 ms" without a decimal.
    return tr("%1 ms").arg(QLocale().toString(ms, 'f', ms < 10 ? 1 : 0));
}

QString DisplayFormat::timeOfDay(qint64 epochMs)
{
    if (epochMs <= 0)
        return noValue();
    return QLocale().toString(
        QDateTime::fromMSecsSinceEpoch(epochMs).time(), QStringLiteral("HH:mm:ss"));
}

QString DisplayFormat::dateTime(qint64 epochMs)
{
    if (epochMs <= 0)
        return noValue();
    return QLocale().toString(
        QDateTime::fromMSecsSinceEpoch(epochMs), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString DisplayFormat::relativeAge(qint64 epochMs, qint64 nowMs)
{
    if (epochMs <= 0)
        return noValue();
    // Whole units only, rounded down: "59 s ago" is followed by "1 min ago", never "60 s ago".
    const qint64 s = qMax<qint64>(0, nowMs - epochMs) / 1000;
    if (s < 60)
        return tr("%1 s ago").arg(s);
    if (s < 3600)
        return tr("%1 min ago").arg(s / 60);
    if (s < 86400)
        return tr("%1 h ago").arg(s / 3600);
    return QLocale().toString(
        QDateTime::fromMSecsSinceEpoch(epochMs), QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString DisplayFormat::utcTime(qint64 epochMs)
{
    return epochMs <= 0 ? QString() : TimeUtil::toRfc3339(epochMs);
}

QString DisplayFormat::breakerState(BreakerState state)
{
    switch (state) {
    case BreakerState::Closed:
        return tr("Closed");
    case BreakerState::HalfOpen:
        return tr("Half-open");
    case BreakerState::Open:
        return tr("Open");
    }
    return tr("Unknown");
}

QString DisplayFormat::breakerForce(BreakerForce force)
{
    switch (force) {
    case BreakerForce::Open:
        return tr("Forced open");
    case BreakerForce::Closed:
        return tr("Forced closed");
    case BreakerForce::Auto:
        break;
    }
    return tr("Automatic");
}

QString DisplayFormat::duration(qint64 ms)
{
    const qint64 s = qMax<qint64>(0, ms) / 1000;
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    if (s < 86400)
        return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    return tr("%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
}

QString DisplayFormat::targetState(TargetState state)
{
    switch (state) {
    case TargetState::Up:
        return tr("Up");
    case TargetState::Degraded:
        return tr("Degraded");
    case TargetState::Down:
        return tr("Down");
    case TargetState::Unknown:
        break;
    }
    return tr("Unknown");
}

QString DisplayFormat::targetKind(TargetKind kind)
{
    switch (kind) {
    case TargetKind::Http:
        return tr("HTTP");
    case TargetKind::Tcp:
        return tr("TCP");
    case TargetKind::Process:
        return tr("Process");
    case TargetKind::Command:
        return tr("Command");
    case TargetKind::Prometheus:
        return tr("Prometheus");
    }
    return {};
}

QString DisplayFormat::healthState(HealthState state)
{
    switch (state) {
    case HealthState::Healthy:
        return tr("Healthy");
    case HealthState::Degraded:
        return tr("Degraded");
    case HealthState::Critical:
        return tr("Critical");
    }
    return {};
}

QString DisplayFormat::engineState(EngineState state)
{
    switch (state) {
    case EngineState::Stopped:
        return tr("Stopped");
    case EngineState::Starting:
        return tr("Starting");
    case EngineState::Running:
        return tr("Running");
    case EngineState::Stopping:
        return tr("Stopping");
    case EngineState::Failed:
        return tr("Failed");
    }
    return {};
}

QString DisplayFormat::degradationLevel(DegradationLevel level)
{
    switch (level) {
    case DegradationLevel::Normal:
        return tr("Normal");
    case DegradationLevel::Level1:
        return tr("Level 1");
    case DegradationLevel::Level2:
        return tr("Level 2");
    case DegradationLevel::Level3:
        return tr("Level 3");
    case DegradationLevel::Emergency:
        return tr("Emergency");
    }
    return {};
}

QString DisplayFormat::degradationMeaning(DegradationLevel level)
{
    switch (level) {
    case DegradationLevel::Normal:
        return tr("Full service");
    case DegradationLevel::Level1:
        return tr("Non-essential work paused");
    case DegradationLevel::Level2:
        return tr("Expensive features switched off");
    case DegradationLevel::Level3:
        return tr("Only conversation and core features run");
    case DegradationLevel::Emergency:
        return tr("Core only; the engine reports not ready");
    }
    return {};
}

} // namespace Shivx::Ui
