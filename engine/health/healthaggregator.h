#pragma once

#include "health/healthconfig.h"
#include "health/healthreport.h"
#include "health/healthscore.h"
#include "health/hostsample.h"
#include "health/target.h"
#include "telemetry/historystore.h"

#include <QHash>
#include <QObject>

#include <functional>

class QTimer;

namespace Shivx {

class Clock;
class EngineStatus;

// Lives on the engine's core thread. Combines host samples and target states into the
// health score, runs the watchdog over the other threads' heartbeats, publishes everything
// into EngineStatus and turns it into history points. Its readiness checks join the engine's
// (ModuleHost::addReadinessChecks), which the core evaluates and publishes.
class HealthAggregator : public QObject
{
    Q_OBJECT
public:
    struct Heartbeats
    {
        std::function<qint64()> sampler; // epoch ms of the last host sample
        std::function<qint64()> probes; // epoch ms of the probe thread's last heartbeat
    };

    HealthAggregator(const HealthConfig &config, EngineStatus *status, Heartbeats heartbeats,
        Clock *clock, QObject *parent = nullptr);

    // Health's readiness checks (storage, sampler, probes, critical targets) from the shared
    // status and heartbeats, as of now. Thread-safe.
    Readiness currentReadiness() const;

public Q_SLOTS:
    void start();
    void stop();
    void onHostSample(const Shivx::HostSample &sample);
    void onTargets(const QList<Shivx::TargetStatus> &targets);

Q_SIGNALS:
    // All emitted on the core thread.
    void hostSampled(const Shivx::HostSample &sample);
    void targetsChanged(const QList<Shivx::TargetStatus> &targets);
    void healthChanged(const Shivx::HealthReport &report);
    void historyPoints(const QList<Shivx::SamplePoint> &points);

private:
    void tick();
    void rescore();
    QList<StalledComponent> stalledComponents(qint64 nowMs) const;

    const HealthConfig m_config;
    HealthScore m_score;
    EngineStatus *m_status;
    Heartbeats m_heartbeats;
    Clock *m_clock;
    QTimer *m_timer = nullptr;
    HostSample m_host;
    QList<TargetStatus> m_targets;
    QHash<QString, qint64> m_recordedCheckMs;
};

} // namespace Shivx
