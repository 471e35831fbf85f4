#pragma once

#include "core/engine.h"
#include "degradation/degradationlevel.h"
#include "health/healthreport.h"
#include "health/target.h"

#include <QColor>

namespace Shivx::Ui {

// The one place that maps engine states to colours, so that a gauge, a table cell and the
// status bar agree. The colours depend on the application palette (Theme::isDark()): each
// keeps WCAG AA contrast (4.5:1) as text on the palette's Window and Base, and under
// textOn() as a background. Read them when painting or on PaletteChange, not once.
namespace StatusColors {

QColor ok();
QColor warning();
QColor critical();
QColor unknown();

QColor forTargetState(TargetState state);
QColor forHealthState(HealthState state);
QColor forEngineState(EngineState state);
// Closed green, half-open amber, open red.
QColor forBreakerState(BreakerState state);
// NORMAL green through amber and orange to EMERGENCY red.
QColor forDegradationLevel(DegradationLevel level);
// `status` faint enough to lie under the palette's Text and under critical() at 4.5:1 (a
// table column marked by its level, over Base).
QColor tint(const QColor &status);
// Black or white, whichever has the higher contrast on `background`.
QColor textOn(const QColor &background);

// WCAG 2 relative luminance (sRGB, 0..1) and contrast ratio (1..21).
double relativeLuminance(const QColor &color);
double contrastRatio(const QColor &a, const QColor &b);

} // namespace StatusColors
} // namespace Shivx::Ui
