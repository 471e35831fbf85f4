#include "widgets/statuscolors.h"

namespace Shivx::Ui::StatusColors {

QColor ok()
{
    return QColor(0x2e, 0x8b, 0x57);
}

QColor warning()
{
    return QColor(0xd9, 0x8e, 0x04);
}

QColor critical()
{
    return QColor(0xc6, 0x28, 0x28);
}

QColor unknown()
{
    return QColor(0x80, 0x86, 0x8b);
}

QColor forBreakerState(BreakerState state)
{
    switch (state) {
    case BreakerState::Closed:
        return ok();
    case BreakerState::HalfOpen:
        return warning();
    case BreakerState::Open:
        return critical();
    }
    return unknown();
}

QColor forTargetState(TargetState state)
{
    switch (state) {
    case TargetState::Up:
        return ok();
    case TargetState::Degraded:
        return warning();
    case TargetState::Down:
        return critical();
    case TargetState::Unknown:
        break;
    }
    return unknown();
}

QColor forHealthState(HealthState state)
{
    switch (state) {
    case HealthState::Healthy:
        return ok();
    case HealthState::Degraded:
        return warning();
    case HealthState::Critical:
        return critical();
    }
    return unknown();
}

QColor forEngineState(EngineState state)
{
    switch (state) {
    case EngineState::Running:
        return ok();
    case EngineState::Starting:
    case EngineState::Stopping:
        return warning();
    case EngineState::Failed:
        return critical();
    case EngineState::Stopped:
        break;
    }
    return unknown();
}

QColor forDegradationLevel(DegradationLevel level)
{
    switch (level) {
    case DegradationLevel::Normal:
        return ok();
    case DegradationLevel::Level1:
        return QColor(0xb5, 0x9a, 0x00);
    case DegradationLevel::Level2:
        return warning();
    case DegradationLevel::Level3:
        return QColor(0xd8, 0x5a, 0x12);
    case DegradationLevel::Emergency:
        return critical();
    }
    return unknown();
}

QColor textOn(const QColor &background)
{
    // Relative luminance per ITU-R BT.709; the amber of warning() still takes white text
    // at this cut-off, which keeps the three state colours visually one family.
    const double luminance
        = 0.2126 * background.redF() + 0.7152 * background.greenF() + 0.0722 * background.blueF();
    return luminance > 0.6 ? QColor(Qt::black) : QColor(Qt::white);
}

} // namespace Shivx::Ui::StatusColors
