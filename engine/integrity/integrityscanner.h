#pragma once

#include "core/result.h"
#include "integrity/baselinestore.h"
#include "integrity/filehasher.h"
#include "integrity/integrityconfig.h"
#include "integrity/integritysnapshot.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QObject>
#include <QSet>

#include <atomic>
#include <memory>

class QTimer;

namespace Shivx {

class AuditSink;
class Clock;
class SafeSnapshots;
struct BackupConfig;

// Counters for /metrics, read on the API thread.
struct IntegrityCounters
{
    qint64 checksOk[2] = { 0, 0 }; // by IntegrityMode
    qint64 checksCancelled[2] = { 0, 0 };
    qint64 checksFailed[2] = { 0, 0 };
    qint64 bytesHashed = 0;
    qint64 filesHashed = 0;
    qint64 realtimeChecks = 0;
    qint64 baselineUpdates = 0;
    qint64 restoresOk = 0; // files put back from their snapshots
    qint64 restoresFailed = 0; // files a restore could not put back
    qint64 lastRestoreMs = 0; // when the last file was put back (0 = never)
    qint64 snapshotBytesPruned = 0; // freed in the snapshot store by prunes
    double lastDurationSeconds[2] = { 0, 0 };
    qint64 lastFinishedMs[2] = { 0, 0 };
};

// Runs inits, checks and accepts one at a time on the engine's `shivx-integrity` thread, keeps
// the verified baseline, the last check's result and the progress, and runs the schedule.
// Every check first verifies the baseline file against the digest the audit chain recorded at
// its last update. Hashing runs on a pool of config.threads threads beside this one.
//
// Thread rules: the run*() slots, start() and stop() run on the scanner's thread (queued);
// tryBegin(), cancel(), setDegradationLevel(), mergeRealtime() and every getter are
// thread-safe. A caller starts an operation with tryBegin() and, if it returned true, queues
// the slot, which ends the operation.
class IntegrityScanner : public QObject
{
    Q_OBJECT
public:
    IntegrityScanner(IntegrityConfig config, QString dataDir, AuditSink *audit, Clock *clock,
        QObject *parent = nullptr);
    ~IntegrityScanner() override;

    const IntegrityConfig &config() const { return m_config; }
    const QString &dataDir() const { return m_dataDir; }
    // The `backup:` section, whose repository holds the safe snapshots once it is initialised
    // (integrity.snapshot_store). Before start().
    void setBackupConfig(std::shared_ptr<const BackupConfig> backup)
    {
        m_backup = std::move(backup);
    }

    // Reads the last audited digest, verifies the baseline and starts the schedule.
    void start();
    void stop();

    // Marks the scanner busy; false when an operation is running or queued already.
    bool tryBegin();
    // Asks the running operation to stop (`reason` goes into its result); false when idle.
    bool cancel(const QString &reason, const QString &actor);
    // Tightens the scheduled budget (0 NORMAL .. 4 EMERGENCY); EMERGENCY cancels a scheduled
    // check and keeps new ones from starting. Any thread.
    void setDegradationLevel(int level);

    // The operations (after a successful tryBegin()).
    void runInit(const QString &actor, const QString &reason);
    void runCheck(IntegrityMode mode, const QString &actor, bool scheduled);
    // Accepts the current state of `paths` (every difference of the last check when empty)
    // into the baseline, with the operator's reason, audited. Errors: integrity.no_check,
    // integrity.no_difference (names the path), integrity.bad_reason, and the baseline's.
    Result<IntegrityResult> runAccept(
        const QStringList &paths, const QString &reason, const QString &actor);

    // Safe snapshots (integrityrestore.cpp). Restores `paths` (every restorable difference of
    // the last check when empty) from their snapshots, verified by hash, audited per file on
    // the security stream and on resilience (`automatic`) or operator (an operator's), then records
    // the restored files' new inode and ctime in the baseline (operation "restore"). Errors:
    // integrity.bad_reason, integrity.no_check, integrity.no_difference, integrity.not_restorable,
    // integrity.no_snapshot, integrity.snapshot_tampered, integrity.restore_io, the baseline's.
    Result<IntegrityResult> runRestore(
        const QStringList &paths, const QString &reason, const QString &actor, bool automatic);
    // The last check's differences in `auto_restore` sets that a restore would undo. Any thread.
    QStringList autoRestoreCandidates() const;
    // Restores the candidates not tried before (scanner's thread; queued after every change
    // of the differences and the end of every operation). A failed one is not retried until
    // the file changes again.
    void autoRestore();
    // Whether a restore is replacing `path` right now (the watcher leaves it to the restore's
    // own re-check, so it never reports, and so re-restores, the restore's own rename). Any
    // thread.
    bool isRestoring(const QString &path) const;
    // Why files of the last baseline update got no snapshot ("PATH: no snapshot: WHY").
    QStringList snapshotWarnings() const;
    // Where protected files' copies go (SafeSnapshots::describeStore); empty when no set is
    // `protect: restore`. Any thread.
    QString snapshotStore() const;

    // Real-time results from the watcher: `checked` paths were re-read now; their entries in
    // the last result are replaced by `differences`. Any thread.
    void mergeRealtime(const QStringList &checked, const QList<IntegrityDifference> &differences);

    std::shared_ptr<const Baseline> baseline() const; // verified baseline, or null
    IntegrityBaselineStatus baselineStatus() const;
    std::shared_ptr<const IntegrityResult> lastCheck() const; // null before the first
    std::shared_ptr<const IntegrityResult> lastOperation() const; // init/check/accept
    IntegrityProgress progress() const;
    IntegrityCounters counters() const;
    bool busy() const { return m_busy.load(); }

Q_SIGNALS:
    // Scanner's thread, about every 100 ms while an operation runs, and once as it ends.
    void progressChanged(const Shivx::IntegrityProgress &progress);
    // Scanner's thread, as an operation ends (any outcome).
    void finished(const Shivx::IntegrityResult &result);
    // The baseline was verified, rewritten or found tampered (scanner's or watcher's thread).
    void baselineChanged(const Shivx::IntegrityBaselineStatus &status);
    // The last check's differences changed (a check ended, an accept, a real-time re-check).
    void differencesChanged();

private:
    // What an accept and a restore start from: the verified baseline and the last check's
    // differences by path, with the operation begun (integritybaseline.cpp).
    struct DifferenceOperation
    {
        IntegrityResult result;
        std::shared_ptr<const Baseline> baseline;
        QHash<QString, IntegrityDifference> byPath;
    };
    // Begins `operation` ("accept", "restore"; `named` is how a sentence names it: "an
    // accept"); refuses an empty reason (integrity.bad_reason), no check yet
    // (integrity.no_check) and an unverified baseline, having ended the operation with that
    // error (failOperation).
    Result<DifferenceOperation> beginDifferenceOperation(const QString &operation,
        const QString &named, const QString &reason, const QString &actor);
    // Ends the operation `r` as failed with `e` (finish) and returns `e`.
    Error failOperation(IntegrityResult r, const Error &e);
    // Verifies the file against the trusted digest and loads it (reusing the copy in memory
    // when the digest is the one loaded). Updates the status.
    Result<std::shared_ptr<const Baseline>> verifiedBaseline();
    // Gives `b`'s protected files their snapshots, writes it, records its digest as trusted
    // and audits the update; after an init or accept prunes the copies it no longer names.
    Result<QByteArray> writeBaseline(const Baseline &b, const QString &operation,
        const QString &actor, const QString &reason, qint64 paths);
    void beginProgress(const QString &operation, IntegrityMode mode, bool scheduled);
    void setPhase(const QString &phase, qint64 files, qint64 bytes);
    void publishProgress();
    void finish(IntegrityResult result);
    void applyBudget();
    void scheduled(IntegrityMode mode);
    void setStatus(const IntegrityBaselineStatus &status);
    // Gives the protected files of `b` their snapshots before it is written (writeBaseline).
    Result<void> protectSnapshots(Baseline *b);
    // Deletes the copies `current` (just written) no longer names; audited, never fails the
    // update that wrote it (a failed prune is retried by the next one).
    void pruneSnapshots(const Baseline &current);

    const IntegrityConfig m_config;
    const QString m_dataDir;
    AuditSink *m_audit;
    Clock *m_clock;
    BaselineStore m_store;
    QTimer *m_fastTimer = nullptr;
    QTimer *m_fullTimer = nullptr;
    bool m_fullPending = false;

    std::atomic_bool m_busy { false };
    std::atomic_bool m_cancel { false };
    std::atomic<int> m_level { 0 };
    std::atomic_bool m_runningScheduled { false };
    HashBudget m_budget;
    HashProgress m_hashProgress;
    QElapsedTimer m_hashClock; // scanner's thread: since the hashing phase began

    mutable QMutex m_mutex; // guards everything below
    QString m_cancelReason;
    QString m_cancelActor;
    QByteArray m_trustedDigest; // hex; from the audit chain, then from our own updates
    QByteArray m_tamperedReported; // the digest already audited as tampered
    std::shared_ptr<const Baseline> m_baseline;
    QByteArray m_baselineDigest; // of m_baseline
    IntegrityBaselineStatus m_status;
    std::shared_ptr<const IntegrityResult> m_lastCheck;
    std::shared_ptr<const IntegrityResult> m_lastOperation;
    IntegrityProgress m_progress;
    IntegrityCounters m_counters;
    QSet<QString> m_restoring;
    QSet<QString> m_autoTried; // scanner's thread: signatures of auto-restored differences
    QStringList m_snapshotWarnings;
    // Scanner's thread only; shared_ptr so that this header needs no complete type.
    std::shared_ptr<SafeSnapshots> m_snapshots;
    std::shared_ptr<const BackupConfig> m_backup;
};

} // namespace Shivx
