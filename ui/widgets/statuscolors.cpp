#include "widgets/statuscolors.h"

#include "widgets/theme.h"

#include <algorithm>
#include <cmath>

namespace Shivx::Ui::StatusColors {

namespace {

// Each state has a dark variant for light palettes and a light one for dark palettes. Either
// serves both as text on the palette's Window/Base and as a cell or banner background under
// textOn(): a colour with 4.5:1 against a light window is dark enough to carry white text
// at 4.5:1, and one with 4.5:1 against a dark window carries black text. Figures are checked
// by tests/ui/tst_theme.cpp; the rejected alternative, one colour per state for both
// palettes, cannot reach 4.5:1 as text on both.
QColor pick(QRgb onLight, QRgb onDark)
{
    return QColor::fromRgb(Theme::isDark() ? onDark : onLight);
}

double channel(double c)
{
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

} // namespace

QColor ok()
{
    return pick(0x27732c, 0x81c784);
}

QColor warning()
{
    return pick(0x9a5b00, 0xffb74d);
}

QColor critical()
{
    return pick(0xc62828, 0xff8a80);
}

QColor unknown()
{
    return pick(0x5f6368, 0xa8adb3);
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
        return pick(0x6f6400, 0xe6d55a); // olive / yellow
    case DegradationLevel::Level2:
        return warning();
    case DegradationLevel::Level3:
        return pick(0xb33c00, 0xff9e66); // deep orange
    case DegradationLevel::Emergency:
        return critical();
    }
    return unknown();
}

double relativeLuminance(const QColor &color)
{
    const QColor rgb = color.toRgb();
    return 0.2126 * channel(rgb.redF()) + 0.7152 * channel(rgb.greenF())
        + 0.0722 * channel(rgb.blueF());
}

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = relativeLuminance(a);
    const double lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor tint(const QColor &status)
{
    // 60 of 255 looked right but left red "off" text at 3.8:1 on the light green tint; at
    // 32 the worst case (critical() on the ok() tint, light palette) keeps 4.6:1.
    QColor faint = status;
    faint.setAlpha(32);
    return faint;
}

QColor textOn(const QColor &background)
{
    // Whichever of black and white contrasts more; for the status colours that is white in
    // the light palette and black in the dark one.
    const QColor black(Qt::black);
    const QColor white(Qt::white);
    return contrastRatio(background, black) > contrastRatio(background, white) ? black : white;
}

} // namespace Shivx::Ui::StatusColors
