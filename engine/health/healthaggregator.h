#pragma once

#include "core/config.h"
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
// health score and readiness, runs the watchdog over the other threads' heartbeats,
// publishes everything into EngineStatus and turns it into history points.
class HealthAggregator : public QObject
{
    Q_OBJECT
public:
    struct Heartbeats
    {
        std::function<qint64()> sampler; // epoch ms of the last host sample
        std::function<qint64()> probes; // epoch ms of the probe thread's last heartbeat
    };

    HealthAggregator(const Config &config, EngineStatus *status, Heartbeats heartbeats,
        Clock *clock, QObject *parent = nullptr);

    // Readiness from the shared status and heartbeats, as of now. Thread-safe.
    Readiness currentReadiness() const;
    // Adds a check owned by another service (e.g. "degradation"), evaluated with the others.
    // `check` must be thread-safe. Call before the aggregator is moved to its thread.
    void addReadinessCheck(std::function<ReadinessCheck()> check);

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
    void readinessChanged(const Shivx::Readiness &readiness);
    void historyPoints(const QList<Shivx::SamplePoint> &points);

private:
    void tick();
    void rescore();
    QList<StalledComponent> stalledComponents(qint64 nowMs) const;

    Config m_config;
    HealthScore m_score;
    EngineStatus *m_status;
    Heartbeats m_heartbeats;
    QList<std::function<ReadinessCheck()>> m_extraChecks;
    Clock *m_clock;
    QTimer *m_timer = nullptr;
    HostSample m_host;
    QList<TargetStatus> m_targets;
    QHash<QString, qint64> m_recordedCheckMs;
    Readiness m_lastReadiness;
    bool m_haveReadiness = false;
};

} // namespace Shivx
