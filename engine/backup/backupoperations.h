#pragma once

#include "backup/backupconfig.h"
#include "backup/backupprogress.h"
#include "backup/keyslots.h"
#include "backup/offsitecopy.h"
#include "backup/repository.h"

#include <QJsonObject>
#include <QSet>

#include <optional>

namespace Shivx::Backup {

// What one operation of the engine's backup runtime asks for. `kind` is backup, verify,
// restore, prune, drill, compare (a restored tree against its snapshot's manifest: restore's
// fields) or catalogue (the repository's snapshot list, for the engine's catalogue); the other
// fields belong to one kind each.
struct OperationRequest
{
    QString kind;
    BackupSetSpec set; // backup, drill (its name), restore (which set's snapshots)
    QString type = QStringLiteral("incremental"); // backup
    bool quick = true; // verify
    QString snapshot; // restore: an id prefix or "latest"; empty = by atMs
    qint64 atMs = 0; // restore: the newest snapshot not after this; 0 = now
    QString path; // restore: the subtree or file; empty = everything
    QString target = QStringLiteral("/"); // restore: where ("/" = the original place)
    bool dryRun = false; // restore, prune
    QList<BackupSetSpec> sets; // prune: every set with its retention
    QString scratch; // drill: where its temporary directory goes
    std::optional<QSet<QString>> touched; // backup in continuous mode (BackupOptions::touched)
    OffsiteRemote remote; // offsite: where the repository is copied to
};

// What an operation did, for the catalogue, the audit chain and the API.
struct OperationOutcome
{
    QJsonObject result; // kind-specific numbers (docs/http-api.md, /api/backup/operations)
    quint64 bytes = 0; // bytes backed up, verified or restored
    bool problems = false; // verify found problems, a drill found mismatches
    std::optional<SnapshotInfo> snapshot; // backup: the new snapshot
    std::optional<QList<SnapshotInfo>> snapshots; // prune: the repository's list afterwards
};

// Opens the repository and, when `withIndex`, loads its index (what every operation but a
// backup, which loads it under its lock, needs first).
Result<std::unique_ptr<Repository>> openRepository(
    const QString &path, const Credential &credential, bool withIndex);

// Opens the repository at `repoPath` with `credential` and runs `request` on the calling
// thread (and the job's own worker threads). Blocking; call from an executor task.
Result<OperationOutcome> runOperation(const QString &repoPath, const Credential &credential,
    const OperationRequest &request, const Control &control);

} // namespace Shivx::Backup
