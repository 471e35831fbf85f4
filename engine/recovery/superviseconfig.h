#pragma once

#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>
#include <QStringList>

namespace YAML {
class Node;
}

namespace Shivx {

namespace Internal {
class ConfigReader;
}

enum class RestartPolicy { Always, OnFailure, Never };
QString toString(RestartPolicy policy);

// What to do about one target when it fails: supervise its process (start it, restart it on
// exit and on failed probes) and/or run a restart command. Read from the target's entry in
// `targets:`. Durations in milliseconds, sizes in bytes.
struct RecoverySpec
{
    QString name; // the target's name

    // supervise: absent = the engine does not run this target's process
    bool supervised = false;
    QString command;
    QStringList args;
    QList<QPair<QString, QString>> env; // added to the engine's environment
    QString cwd; // empty = DATA_DIR/processes (beside its log)
    RestartPolicy restart = RestartPolicy::Always;
    qint64 backoffInitialMs = 100;
    qint64 backoffMaxMs = 60'000;
    qint64 stopTimeoutMs = 10'000;
    qint64 logMaxBytes = 10 * 1024 * 1024;
    int logFiles = 5; // rotated files kept besides NAME.log

    // restart_command: run instead of a process restart when the target is not supervised
    QString restartCommand;
    QStringList restartArgs;
    qint64 restartTimeoutMs = 30'000;

    // Failed probes in a row that restart the target (0 = never).
    int restartAfterFailures = 3;
    // After a (re)start, probe results are ignored this long and counters start fresh.
    qint64 startupGraceMs = 10'000;

    // Crash loop: `crashLoopRestarts` automatic restarts within `crashLoopWindowMs` stop the
    // restarts for `crashLoopCooldownMs` (plus up to a fifth of it as jitter).
    int crashLoopRestarts = 5;
    qint64 crashLoopWindowMs = 60'000;
    qint64 crashLoopCooldownMs = 300'000;

    bool hasRestartCommand() const { return !restartCommand.isEmpty(); }
};

namespace Internal {

// Keys of a target entry that belong to recovery; the target reader accepts them.
QStringList recoveryTargetKeys();

// Reads the recovery keys of one target entry at `path` ("targets[2]"). Returns false when
// the entry has none (nothing to supervise or restart). Errors go to `reader`.
bool readRecoverySpec(ConfigReader &reader, const YAML::Node &target, const QString &path,
    const QString &name, RecoverySpec *out);

} // namespace Internal
} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::RecoverySpec)
