#pragma once

#include "core/message.h"
#include "core/readinessreport.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace Shivx {

enum class HealthState { Healthy, Degraded, Critical };
QString toString(HealthState state);

// One line of the score's explanation: how many points a component took off and why.
struct ScoreComponent
{
    QString name; // "cpu", "memory", "disk", "target:web", "watchdog:sampler"
    double penalty = 0;
    double maxPenalty = 0;
    Message detail; // "cpu 93.0% (warn above 70.0%)"
};

struct HealthReport
{
    qint64 timestampMs = 0;
    double score = 100;
    HealthState state = HealthState::Healthy;
    QList<ScoreComponent> components;

    // Points the named component took off, or -1 when the report has no such component.
    double penaltyOf(const QString &name) const
    {
        for (const auto &c : components)
            if (c.name == name)
                return c.penalty;
        return -1;
    }
};

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::HealthReport)
