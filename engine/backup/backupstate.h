#pragma once

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

namespace Shivx {

// One long operation of the backup runtime (a backup, verify, restore, prune, drill or DR
// step's restore), as the console, the API and the CLI show it: plain value, copied across
// threads. Ids grow from 1 per engine run.
struct BackupOperation
{
    qint64 id = 0;
    QString kind; // backup | verify | restore | prune | drill
    QString set; // empty for verify and prune
    QString type; // backup: full | incremental | differential; verify: quick | full
    QString trigger; // manual | schedule | continuous
    QString actor; // who asked ("engine" for schedules)
    QString state; // queued | running | succeeded | failed | cancelled
    qint64 queuedMs = 0; // epoch ms
    qint64 startedMs = 0; // 0 while queued
    qint64 finishedMs = 0; // 0 until done
    quint64 doneBytes = 0;
    quint64 totalBytes = 0; // 0 while unknown
    quint64 doneItems = 0; // files or packs
    quint64 totalItems = 0;
    qint64 etaMs = -1; // time left at the current rate, -1 while unknown
    QString errorCode; // failed: a stable code (backup.wrong_key, backup.busy, ...)
    QString errorMessage;
    QJsonObject result; // succeeded: what it did (snapshot id, bytes, changes, RTO/RPO, ...)
    bool finished() const
    {
        return state == QLatin1String("succeeded") || state == QLatin1String("failed")
            || state == QLatin1String("cancelled");
    }
};

// The last outcome of each set, from the catalogue (so it survives restarts and host
// rebuilds: the catalogue is rebuilt from the repository).
struct BackupSetState
{
    QString name;
    QString schedule; // "continuous", the cron expressions, or "" (manual only)
    qint64 nextRunMs = 0; // the next scheduled backup, 0 when none
    int snapshots = 0;
    qint64 lastSuccessMs = 0; // time of the newest snapshot, 0 when none
    qint64 knownSinceMs = 0; // when the engine's database first had the set in its config
    QString lastType;
    qint64 lastDurationMs = 0;
    quint64 lastBytes = 0; // size of the set in the newest snapshot
    quint64 lastAddedBytes = 0; // raw bytes the repository did not have before it
    double lastDedupRatio = 0; // fraction of the newest snapshot's bytes already stored (0-1)
    QString lastError; // the last backup's error when it failed after the newest snapshot
    qint64 lastDrillMs = 0; // the last restore drill, 0 when none
    bool lastDrillOk = false;
    qint64 lastDrillRtoMs = 0; // measured restore + compare time
    qint64 lastDrillRpoMs = 0; // age of the drilled snapshot when the drill ran
};

// Everything a page or `GET /api/backup` shows at once.
struct BackupState
{
    bool running = false; // false before start and after stop
    QString repository;
    QString problem; // why operations cannot run (no credential, no catalogue), or ""
    QList<BackupSetState> sets;
    QList<BackupOperation> operations; // queued and running first, then the last finished
    qint64 lastVerifyMs = 0;
    int lastVerifyOk = -1; // 1 ok, 0 problems found, -1 never verified
    QString lastVerifyMode;
};

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::BackupOperation)
Q_DECLARE_METATYPE(Shivx::BackupState)
