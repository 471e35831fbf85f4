#pragma once

#include "health/healthconfig.h"
#include "health/healthreport.h"
#include "health/hostsample.h"
#include "health/target.h"

#include <QList>
#include <QObject>

namespace Shivx {

class EngineStatus;

// The public face of health monitoring: the latest host sample, target states and health
// score of the engine, for the API routes, the console's pages and the status bar. Lives on
// the Engine's thread for the Engine's lifetime; the getters are thread-safe copies and
// answer with empty values while the engine is stopped.
class HealthService : public QObject
{
    Q_OBJECT
public:
    HealthService(EngineStatus *status, ScoreConfig score, QObject *parent = nullptr);

    HostSample lastHostSample() const;
    QList<TargetStatus> targets() const;
    HealthReport health() const;
    // The configured score thresholds, so that the console's gauges colour at the values
    // the score penalises. Fixed for the Engine's lifetime.
    const ScoreConfig &scoreConfig() const { return m_score; }

Q_SIGNALS:
    // All emitted on the Engine's thread.
    void hostSampled(const Shivx::HostSample &sample);
    void targetsChanged(const QList<Shivx::TargetStatus> &targets);
    void healthChanged(const Shivx::HealthReport &report);

private:
    EngineStatus *m_status;
    const ScoreConfig m_score;
};

} // namespace Shivx
