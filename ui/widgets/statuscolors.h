#pragma once

#include "core/engine.h"
#include "degradation/degradationlevel.h"
#include "health/healthreport.h"
#include "health/target.h"

#include <QColor>

namespace Shivx::Ui {

// The one place that maps engine states to colours, so that a gauge, a table cell and the
// status bar agree. Colours are chosen to stay readable on light and dark palettes and to
// carry white text.
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
// Text colour that stays readable on `background`.
QColor textOn(const QColor &background);

} // namespace StatusColors
} // namespace Shivx::Ui
