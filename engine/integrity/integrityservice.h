#pragma once

#include "core/result.h"
#include "integrity/integrityconfig.h"
#include "integrity/integrityscanner.h"
#include "integrity/integritysnapshot.h"

#include <QObject>

#include <atomic>
#include <functional>
#include <memory>

namespace Shivx {

// The public face of file integrity (docs/integrity.md): the baseline's state, the last
// check's differences, the progress of the running operation, and the operator's commands.
// Used by the API routes, the console's Integrity page and the tests. Lives on the Engine's
// thread for the Engine's lifetime; getters are thread-safe and cheap.
//
// Commands return at once (init, check, cancel) or when the baseline is written (accept);
// an operation's end arrives as finished(). Errors: engine.not_running, integrity.busy (an
// operation runs already), integrity.not_configured (no `integrity.sets`).
class IntegrityService : public QObject
{
    Q_OBJECT
public:
    explicit IntegrityService(IntegrityConfig config, QObject *parent = nullptr);

    const IntegrityConfig &config() const { return m_config; }
    bool isRunning() const { return m_scanner.load() != nullptr; }
    // True from the moment a command is accepted until its operation ends (progress().running
    // becomes true only once the queued operation begins).
    bool isBusy() const;

    IntegrityBaselineStatus baselineStatus() const;
    std::shared_ptr<const IntegrityResult> lastCheck() const; // null: none yet
    std::shared_ptr<const IntegrityResult> lastOperation() const;
    IntegrityProgress progress() const;
    IntegrityCounters counters() const;

    // Records a new baseline of every set (replacing any earlier one), audited with `reason`.
    Result<void> init(const QString &actor, const QString &reason);
    // Starts an on-demand check (unthrottled).
    Result<void> check(IntegrityMode mode, const QString &actor);
    // Stops the running operation. Error integrity.idle when none runs.
    Result<void> cancel(const QString &actor);
    // Accepts the current state of `paths` (every difference when empty) into the baseline.
    // Blocks until the baseline is written (hashes only those paths); call it from any
    // thread but the integrity thread. Errors: integrity.busy, integrity.bad_reason,
    // integrity.no_check, integrity.no_difference, the baseline's (integrity.baseline_*).
    Result<IntegrityResult> accept(
        const QStringList &paths, const QString &reason, const QString &actor);

    // Restores `paths` (every restorable difference when empty) from their safe snapshots,
    // verified by hash and audited; blocks until done, like accept(). Errors: those of
    // accept(), integrity.not_restorable, integrity.no_snapshot, integrity.snapshot_tampered,
    // integrity.restore_io (IntegrityScanner::runRestore).
    Result<IntegrityResult> restore(
        const QStringList &paths, const QString &reason, const QString &actor);
    // Why files of the last baseline update got no snapshot (empty when all did).
    QStringList snapshotWarnings() const;
    QString snapshotStore() const; // IntegrityScanner::snapshotStore

    // The integrity runtime's part: the scanner of the running engine, or null.
    void setScanner(IntegrityScanner *scanner) { m_scanner.store(scanner); }

Q_SIGNALS:
    // Engine's thread, re-emitted from the scanner.
    void progressChanged(const Shivx::IntegrityProgress &progress);
    void finished(const Shivx::IntegrityResult &result);
    void baselineChanged(const Shivx::IntegrityBaselineStatus &status);
    void differencesChanged();

private:
    Result<IntegrityScanner *> begin();
    // Begins an operation and runs it on the scanner's thread, waiting for its result.
    Result<IntegrityResult> blocking(
        const std::function<Result<IntegrityResult>(IntegrityScanner *)> &operation);

    const IntegrityConfig m_config;
    std::atomic<IntegrityScanner *> m_scanner { nullptr };
};

} // namespace Shivx
