#pragma once

#include "core/message.h"
#include "recovery/circuitbreaker.h"
#include "recovery/retrypolicy.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

namespace Shivx {

struct ExpositionSample;

enum class TargetKind { Http, Tcp, Process, Command, Prometheus };
enum class TargetState { Unknown, Up, Degraded, Down };

QString toString(TargetKind kind);
QString toString(TargetState state);

// A monitored service as configured. Durations in milliseconds.
struct TargetSpec
{
    QString name;
    TargetKind kind = TargetKind::Http;
    qint64 intervalMs = 10'000;
    qint64 timeoutMs = 5'000;
    double weight = 1.0;
    bool critical = false;
    // A probe that succeeds slower than this marks the target DEGRADED (0 = off).
    qint64 slowThresholdMs = 0;
    // DOWN after this many consecutive failures; before that a failing target is DEGRADED.
    int failureThreshold = 3;

    // http and prometheus
    QUrl url;
    // The URL as written in the configuration; "${api}" in it stands for the engine's own
    // API address and is resolved into `url` once the API is bound.
    QString urlTemplate;
    int expectStatus = 200;
    QString bodyContains;
    bool tlsVerify = true;
    // prometheus: the scrape is stored as at most maxSeries history series (the first ones
    // seen, kept across scrapes), of the metric families whose name fully matches one of
    // metricPatterns (all when empty). See health/scrapeseries.h.
    int maxSeries = 1000;
    QStringList metricPatterns;
    // tcp
    QString host;
    quint16 port = 0;
    // process: by pid file, or by executable name (matches /proc/PID/comm or argv[0] basename)
    QString pidFile;
    QString processName;
    // command: exit code 0 within timeout
    QString command;
    QStringList args;

    // recovery: every probe goes through the target's circuit breaker, and a failed probe
    // is retried by this policy before it counts as a failure (see docs/configuration.md)
    BreakerConfig breaker;
    RetryConfig retry;
};

// Outcome of one probe run.
struct ProbeResult
{
    bool ok = false;
    double latencyMs = 0;
    Message error; // why it failed, when !ok (health/probemessages.h)
    qint64 finishedAtMs = 0;
    // prometheus: the parsed exposition of a successful scrape (shared: results are copied
    // through signals); null for other kinds and failures.
    std::shared_ptr<const QList<ExpositionSample>> scraped;
};

// Live state of one target, as the monitor publishes it.
struct TargetStatus
{
    QString name;
    TargetKind kind = TargetKind::Http;
    TargetState state = TargetState::Unknown;
    bool critical = false;
    double weight = 1.0;
    int consecutiveFailures = 0;
    int consecutiveSuccesses = 0;
    int transitionsLastMinutes = 0; // state changes in the flap window, for DEGRADED (flapping)
    double latencyMs = 0; // of the last probe
    Message lastError; // see TargetStateMachine::status()
    qint64 lastCheckMs = 0;
    qint64 lastChangeMs = 0;
    quint64 checks = 0;
    quint64 failures = 0;
};

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::TargetStatus)
Q_DECLARE_METATYPE(QList<Shivx::TargetStatus>)
