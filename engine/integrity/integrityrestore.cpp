// IntegrityScanner's safe-snapshot operations (docs/integrity.md, "Safe snapshots"): kept
// apart from integrityscanner.cpp, which holds the checks.
#include "audit/auditsink.h"
#include "core/clock.h"
#include "integrity/integrityscanner.h"
#include "integrity/pathwalker.h"
#include "integrity/saferestore.h"
#include "integrity/safesnapshots.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcIntegrity)

namespace Shivx {

namespace {

// The store is opened (or made) at its first use, so that an engine without protected sets
// never creates it.
SafeSnapshots &snapshotsOf(std::shared_ptr<SafeSnapshots> &s, const QString &dataDir,
    const IntegrityConfig &config, const std::shared_ptr<const BackupConfig> &backup)
{
    if (!s)
        s = std::make_shared<SafeSnapshots>(
            dataDir, qint64(config.snapshotMaxMiB) * 1024 * 1024, config.snapshotStore, backup);
    return *s;
}

// A difference as auto restore last saw it: a failed restore is not retried until the file
// changes again (or the engine restarts), instead of looping on a bad snapshot.
QString signature(const IntegrityDifference &d)
{
    return QStringLiteral("%1|%2|%3|%4")
        .arg(d.path, toString(d.kind), QString::number(d.after.inode),
            QString::number(d.after.ctimeNs));
}

} // namespace

Result<void> IntegrityScanner::protectSnapshots(Baseline *b)
{
    SafeSnapshots &snapshots = snapshotsOf(m_snapshots, m_dataDir, m_config, m_backup);
    QStringList warnings;
    std::shared_ptr<const Baseline> previous;
    {
        QMutexLocker lock(&m_mutex);
        previous = m_baseline;
    }
    if (auto r = snapshots.protect(b, previous.get(), m_config, &warnings); !r)
        return r;
    for (const QString &w : std::as_const(warnings))
        qCWarning(lcIntegrity).noquote() << w;
    if (!warnings.isEmpty() && m_audit)
        m_audit->record({ AuditStreams::security(), QStringLiteral("engine"),
            QStringLiteral("integrity.snapshot_skipped"),
            { { QStringLiteral("files"), qint64(warnings.size()) },
                { QStringLiteral("first"), warnings.first() } },
            0 });
    QMutexLocker lock(&m_mutex);
    m_snapshotWarnings = warnings;
    return {};
}

void IntegrityScanner::pruneSnapshots(const Baseline &current)
{
    const auto pruned = snapshotsOf(m_snapshots, m_dataDir, m_config, m_backup).prune(current);
    if (!pruned) {
        qCWarning(lcIntegrity).noquote() << "pruning the snapshot store:" << pruned.error().message;
        if (m_audit)
            m_audit->record({ AuditStreams::security(), QStringLiteral("engine"),
                QStringLiteral("integrity.snapshot_prune_failed"),
                { { QStringLiteral("error"), pruned.error().message } }, 0 });
        return;
    }
    if (pruned->ownStoreRemoved) {
        qCInfo(lcIntegrity).noquote()
            << "every safe snapshot is in the backup repository now; removed"
            << SafeSnapshots::repositoryPath(m_dataDir);
        if (m_audit)
            m_audit->record({ AuditStreams::security(), QStringLiteral("engine"),
                QStringLiteral("integrity.snapshot_store_moved"),
                { { QStringLiteral("copies"), pruned->copies },
                    { QStringLiteral("removed"), SafeSnapshots::repositoryPath(m_dataDir) } },
                0 });
    }
    if (pruned->objectsDropped == 0 && pruned->packsDeleted == 0 && pruned->packsRewritten == 0)
        return;
    {
        QMutexLocker lock(&m_mutex);
        m_counters.snapshotBytesPruned += pruned->bytesFreed;
    }
    qCInfo(lcIntegrity).noquote() << "snapshot store pruned:" << pruned->objectsDropped
                                  << "objects," << pruned->bytesFreed << "bytes freed";
    if (m_audit)
        m_audit->record({ AuditStreams::security(), QStringLiteral("engine"),
            QStringLiteral("integrity.snapshots_pruned"),
            { { QStringLiteral("kept"), pruned->copies },
                { QStringLiteral("objects_dropped"), pruned->objectsDropped },
                { QStringLiteral("packs_deleted"), pruned->packsDeleted },
                { QStringLiteral("packs_rewritten"), pruned->packsRewritten },
                { QStringLiteral("bytes_freed"), pruned->bytesFreed } },
            0 });
}

QString IntegrityScanner::snapshotStore() const
{
    for (const IntegrityPathSet &set : m_config.sets)
        if (set.protectRestore)
            return SafeSnapshots::describeStore(m_dataDir, m_config.snapshotStore, m_backup.get());
    return {};
}

QStringList IntegrityScanner::snapshotWarnings() const
{
    QMutexLocker lock(&m_mutex);
    return m_snapshotWarnings;
}

bool IntegrityScanner::isRestoring(const QString &path) const
{
    QMutexLocker lock(&m_mutex);
    return m_restoring.contains(path);
}

QStringList IntegrityScanner::autoRestoreCandidates() const
{
    QStringList out;
    const auto last = lastCheck();
    if (!last)
        return out;
    for (const IntegrityDifference &d : last->differences) {
        const IntegrityPathSet *set = m_config.set(d.set);
        if (set && set->autoRestore && isRestorable(d))
            out.append(d.path);
    }
    return out;
}

void IntegrityScanner::autoRestore()
{
    const auto last = lastCheck();
    if (!last)
        return;
    QStringList paths;
    const QStringList candidates = autoRestoreCandidates();
    for (const IntegrityDifference &d : last->differences)
        if (candidates.contains(d.path) && !m_autoTried.contains(signature(d))) {
            paths.append(d.path);
            m_autoTried.insert(signature(d));
        }
    // Busy: the running operation's finished() brings us back.
    if (paths.isEmpty() || !tryBegin())
        return;
    runRestore(paths, QStringLiteral("auto_restore: the file differed from its protected baseline"),
        QStringLiteral("engine"), true);
}

Result<IntegrityResult> IntegrityScanner::runRestore(
    const QStringList &paths, const QString &reason, const QString &actor, bool automatic)
{
    auto op = beginDifferenceOperation(
        QStringLiteral("restore"), QStringLiteral("a restore"), reason, actor);
    if (!op)
        return op.error();
    IntegrityResult &r = op->result;
    const QHash<QString, IntegrityDifference> &byPath = op->byPath;
    const std::shared_ptr<const Baseline> baseline = op->baseline;
    const auto refuse
        = [&](const Error &e) -> Result<IntegrityResult> { return failOperation(r, e); };
    QStringList targets;
    for (const QString &p : paths.isEmpty() ? QStringList(byPath.keys()) : paths) {
        const auto d = byPath.constFind(p);
        if (d == byPath.constEnd())
            return refuse(makeError("integrity.no_difference",
                QStringLiteral("%1: the last check found no difference there").arg(p), { p }));
        // The copy is the one the verified baseline names (the check's copy of the record
        // could be older than an accept since).
        const auto record = baseline->files.constFind(p);
        IntegrityDifference current = *d;
        current.before.snapshot
            = record != baseline->files.constEnd() ? record->snapshot : QByteArray();
        if (isRestorable(current))
            targets.append(p);
        else if (!paths.isEmpty() && d->kind == IntegrityDifference::Kind::Added)
            return refuse(makeError("integrity.not_restorable",
                QStringLiteral("%1 was added, it is not in the baseline: there is nothing to "
                               "restore (accept it or remove it)")
                    .arg(p),
                { p }));
        else if (!paths.isEmpty() && current.before.snapshot.isEmpty())
            return refuse(makeError("integrity.no_snapshot",
                QStringLiteral("%1 has no snapshot to restore from (its set is not `protect: "
                               "restore`, or the file was too large or unreadable when the "
                               "baseline was written)")
                    .arg(p),
                { p }));
        else if (!paths.isEmpty())
            return refuse(makeError("integrity.not_restorable",
                QStringLiteral("%1 differs only in its inode or ctime, which a restore cannot "
                               "set back (accept it)")
                    .arg(p),
                { p }));
    }
    if (targets.isEmpty())
        return refuse(makeError("integrity.no_difference",
            QStringLiteral("the last check found no difference that a snapshot can restore"),
            { QString() }));
    targets.sort();
    setPhase(QStringLiteral("restoring"), targets.size(), 0);
    {
        QMutexLocker lock(&m_mutex);
        for (const QString &p : std::as_const(targets))
            m_restoring.insert(p);
    }
    Baseline b = *baseline;
    QStringList restored;
    std::optional<Error> firstError;
    for (const QString &p : std::as_const(targets)) {
        FileState record = b.files.value(p);
        const QString hash = QString::fromLatin1(record.sha256.toHex());
        QJsonObject data { { QStringLiteral("path"), p }, { QStringLiteral("sha256"), hash },
            { QStringLiteral("reason"), reason.trimmed() },
            { QStringLiteral("automatic"), automatic ? 1 : 0 } };
        const auto done = SafeRestore::restoreFile(
            snapshotsOf(m_snapshots, m_dataDir, m_config, m_backup), record);
        FileState now;
        const IntegrityPathSet *set = m_config.set(record.set);
        if (done && PathWalker::statPath(p, set && set->followSymlinks, &now)) {
            // The restore's own new inode and ctime become the record; everything else stays
            // as recorded (the content was verified against it before the rename).
            record.inode = now.inode;
            record.ctimeNs = now.ctimeNs;
            b.files.insert(p, record);
            restored.append(p);
            m_autoTried.removeIf(
                [&p](const QString &sig) { return sig.startsWith(p + QLatin1Char('|')); });
            r.bytesHashed += record.size;
            ++r.filesHashed;
            r.differences.append(byPath.value(p));
        } else {
            const Error e = done ? makeError("integrity.restore_io",
                                QStringLiteral("%1 is gone again right after its "
                                               "restore")
                                    .arg(p),
                                { p })
                                 : done.error();
            data.insert(QStringLiteral("error"), e.message);
            if (!firstError)
                firstError = e;
        }
        const QString action = done ? QStringLiteral("integrity.restored")
                                    : QStringLiteral("integrity.restore_failed");
        {
            QMutexLocker lock(&m_mutex);
            if (restored.contains(p)) {
                ++m_counters.restoresOk;
                m_counters.lastRestoreMs = m_clock->nowMs();
            } else {
                ++m_counters.restoresFailed;
            }
        }
        if (m_audit) {
            m_audit->record({ AuditStreams::security(), actor, action, data, 0 });
            // Also where the other actions of the one who did it are: the engine's own
            // recoveries on resilience, an operator's commands on operator.
            m_audit->record(
                { automatic ? AuditStreams::resilience() : AuditStreams::operatorActions(), actor,
                    action, data, 0 });
        }
        qCInfo(lcIntegrity).noquote()
            << action << p << hash
            << (done ? QString() : data.value(QStringLiteral("error")).toString());
    }
    Result<QByteArray> digest = QByteArray();
    if (!restored.isEmpty()) {
        b.updatedMs = m_clock->nowMs();
        digest
            = writeBaseline(b, QStringLiteral("restore"), actor, reason.trimmed(), restored.size());
    }
    {
        QMutexLocker lock(&m_mutex);
        for (const QString &p : std::as_const(targets))
            m_restoring.remove(p);
    }
    if (!restored.isEmpty() && digest)
        mergeRealtime(restored, {}); // what the watcher left to us: they match the record now
    if (!digest)
        return refuse(digest.error());
    if (firstError)
        return refuse(*firstError);
    r.baselineDigest = *digest;
    finish(r);
    return r;
}

} // namespace Shivx
