#pragma once

#include "telemetry/historystore.h"

#include <QList>

class QDateTimeAxis;
class QValueAxis;

namespace Shivx::Ui::HistoryAxes {

// The spacing of an answer's points: 1 s for raw samples, else the rollup's step.
qint64 stepMs(Resolution r);

// A value range that shows every point of `shown`: percentages and the health score on their
// 0-100 scale unless they are all tiny, anything else padded and rounded to nice numbers.
void fitValues(QValueAxis *axis, const QList<HistoryQueryResult> &shown);

// Time labels as fine as the span on screen needs (seconds when zoomed into minutes).
void followSpan(QDateTimeAxis *axis);

} // namespace Shivx::Ui::HistoryAxes
