#pragma once

#include "core/result.h"
#include "integrity/filestate.h"
#include "integrity/integrityconfig.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace Shivx {

namespace Backup {
class Repository;
}

struct BackupConfig;
struct Baseline;

// The copies of `protect: restore` files (docs/integrity.md, "Safe snapshots"). They live in a
// backup repository (engine/backup/repository.h: chunked, zstd, AES-256-GCM; the engine's one
// content-addressed store): the backups' own once one is initialised (integrity.snapshot_store
// `auto`, the default, or `backup`), else one of the module's own at DATA/integrity/snapshots,
// unlocked by a key-file slot. That key file, DATA/integrity/snapshots.key, is made at first use
// with mode 0600 in the 0700 directory DATA/integrity: no passphrase to configure or to lose,
// and readable by the engine's user only (as the copies themselves: the repository is
// encrypted with that key). The backup repository is unlocked as the backups unlock it
// (backup.key_file, SHIVX_BACKUP_PASSWORD, backup.password_file, the keyring).
//
// A file is stored as its data chunks plus a tree object with one node (size, SHA-256, chunk
// ids); the tree object's id is the `snapshot` of the file's baseline record. Equal content
// gives equal ids, so an unchanged file costs one index lookup, and in the backup repository a
// backup of a protected file stores none of its data again (nor the other way round).
//
// Objects are written to packs that are fsynced before the index file naming them, and the
// index before the baseline naming the objects, so a kill at any point leaves the previous
// baseline's objects readable (a dead temporary pack is ignored by the repository). In the
// backup repository a shared repository lock is held from the first object written until a
// root snapshot names them all, as a backup does, so that a backup prune never deletes them.
// Not thread-safe: used on the integrity scanner's thread only.
class SafeSnapshots
{
public:
    using StoreChoice = IntegrityConfig::SnapshotStore;
    // `backup`: the `backup:` section (where the repository is, how it is unlocked); null
    // leaves only the module's own store (`auto` then means `own`).
    SafeSnapshots(QString dataDir, qint64 maxFileBytes, StoreChoice choice = StoreChoice::Own,
        std::shared_ptr<const BackupConfig> backup = {});
    ~SafeSnapshots();

    static QString repositoryPath(const QString &dataDir); // DATA/integrity/snapshots
    static QString keyPath(const QString &dataDir); // DATA/integrity/snapshots.key
    // "the backup repository /srv/backup" or "the integrity store DATA/integrity/snapshots":
    // where the next baseline update puts its copies. Any thread.
    static QString describeStore(
        const QString &dataDir, StoreChoice choice, const BackupConfig *backup);
    QString storeDescription() const { return describeStore(m_dataDir, m_choice, m_backup.get()); }

    // Gives every regular, hashed file of a `protect: restore` set in `next` its snapshot:
    // the one of `previous` (may be null) when the content is the same and its object is
    // present, else a copy stored now. Files left without one (larger than the limit, changed
    // since they were hashed, unreadable) are named in `warnings`. Nothing to protect: no
    // store is opened or made. Error integrity.snapshot_store (the store cannot be opened or
    // written); `next` is then not to be recorded.
    Result<void> protect(Baseline *next, const Baseline *previous, const IntegrityConfig &config,
        QStringList *warnings);

    // Writes the content of `record`'s snapshot to `fd` and checks the SHA-256 of the whole
    // against record.sha256. Errors: integrity.no_snapshot (the record has none),
    // integrity.snapshot_tampered (an object fails its authentication tag or id, or the
    // content its hash: what was written to `fd` must be thrown away),
    // integrity.snapshot_store, integrity.restore_io (writing `fd`). A copy the backup
    // repository lacks is read from the module's own store while that still exists (copies
    // move to the backup repository at the first baseline update after it is initialised).
    Result<void> writeContent(const FileState &record, int fd);

    struct Pruned
    {
        int copies = 0; // files' copies `current` names (the ones kept)
        qint64 objectsDropped = 0;
        int packsDeleted = 0;
        int packsRewritten = 0;
        qint64 bytesFreed = 0;
        int rootsForgotten = 0; // backup repository: older baselines' roots
        bool ownStoreRemoved = false; // every copy moved to the backup repository
    };
    // Deletes the copies `current` (the baseline just written) no longer names, with the
    // backup pruner (engine/backup/pruner.h) rather than a second one: the copies `current`
    // names are recorded as the store's one backup snapshot (a root tree with a directory node
    // per copy), every older such snapshot is forgotten and runPrune deletes or repacks what
    // none needs. Safe against kill -9 at any point: `current` is on disk before its root is
    // written, objects are deleted only after the index stops naming them (runPrune's order),
    // and an interrupted prune leaves an older root that the next prune forgets. No store yet:
    // nothing happens. In the backup repository only the older roots are forgotten (the
    // backups' prune reclaims the space, with the rest of the repository), and the module's
    // own store is deleted once the backup repository holds every copy `current` names.
    // Error integrity.snapshot_store.
    Result<Pruned> prune(const Baseline &current);

private:
    bool useBackup() const;
    Result<Backup::Repository *> repository();
    Result<Backup::Repository *> ownRepository(bool create);
    Result<Backup::Repository *> backupRepository();
    Result<Pruned> pruneOwn(Backup::Repository &repo, const Baseline &current);
    Result<Pruned> pruneShared(Backup::Repository &repo, const Baseline &current);

    const QString m_dataDir;
    const qint64 m_maxFileBytes;
    const StoreChoice m_choice;
    const std::shared_ptr<const BackupConfig> m_backup;
    std::unique_ptr<Backup::Repository> m_own;
    std::unique_ptr<Backup::Repository> m_shared;
};

} // namespace Shivx
