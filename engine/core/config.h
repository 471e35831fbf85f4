#pragma once

#include "audit/auditconfig.h"
#include "core/result.h"
#include "degradation/degradationconfig.h"
#include "health/target.h"
#include "recovery/recoveryconfig.h"
#include "recovery/superviseconfig.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace Shivx {

// How long each resolution of metric history is kept, in milliseconds.
struct HistoryRetention
{
    qint64 rawMs = 2LL * 86'400'000; // 1-second samples
    qint64 minuteMs = 31LL * 86'400'000; // 1-minute rollups
    qint64 hourMs = 400LL * 86'400'000; // 1-hour rollups
};

// Thresholds of the health score; see docs/health-score.md for the formula.
struct ScoreConfig
{
    double cpuWarnPercent = 70, cpuMaxPenalty = 15;
    double memoryWarnPercent = 80, memoryMaxPenalty = 20;
    double diskWarnPercent = 85, diskMaxPenalty = 15;
    double targetsMaxPenalty = 50;
    double watchdogPenalty = 25;
    double criticalDownCap = 49;
};

// The whole engine configuration, as loaded from YAML (or the embedded default).
struct Config
{
    QString sourceFile; // path it was loaded from, or ":/shivx/default-config.yaml"
    QByteArray sourceBytes; // exact bytes, for hashing into the audit log later

    // engine
    QString dataDir; // empty = XDG data dir (or --data-dir)
    QString listen = QStringLiteral("127.0.0.1:8087");
    bool apiEnabled = true;
    QStringList allowedHosts; // DNS names the API serves besides localhost (HostCheck)

    // host sampler
    qint64 sampleIntervalMs = 1000;
    QStringList ignoreFsTypes; // extra filesystem types to skip besides the built-in pseudo ones
    qint64 watchdogStallMs = 5000;

    HistoryRetention retention;
    ScoreConfig score;
    RecoveryDefaults recovery; // already applied to each target's breaker, retry and timeout
    QList<TargetSpec> targets;
    AuditConfig audit; // audit chain writer (engine/audit/auditconfig.h)
    // Targets with supervise: or restart_command:, in configuration order.
    QList<RecoverySpec> supervised;
    DegradationConfig degradation; // `degradation:` and `features:`
};

class ConfigLoader
{
public:
    // Parses and validates YAML text. `sourceName` is used in error messages
    // ("shivx.yaml:12: targets[0].timeout: ..."). Unknown keys, wrong types, bad durations
    // and bad URLs are errors: the engine refuses to start rather than guess.
    static Result<Config> parse(const QByteArray &yaml, const QString &sourceName);
    static Result<Config> loadFile(const QString &path);
    static Result<Config> loadDefault();
    static QString defaultResourcePath();
    // "HOST:PORT" with an IP address (IPv6 in brackets) or "localhost", port 0-65535.
    static bool isValidListenAddress(const QString &listen);
};

} // namespace Shivx
