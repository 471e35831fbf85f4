#pragma once

#include "core/result.h"
#include "integrity/filestate.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace Shivx {

namespace Backup {
class Repository;
}

struct Baseline;
struct IntegrityConfig;

// The copies of `protect: restore` files (docs/integrity.md, "Safe snapshots"). They live in a
// backup repository (engine/backup/repository.h: chunked, zstd, AES-256-GCM; the engine's one
// content-addressed store) of their own at DATA/integrity/snapshots, unlocked by a key-file
// slot. The key file, DATA/integrity/snapshots.key, is made at first use with mode 0600 in the
// 0700 directory DATA/integrity: no passphrase to configure or to lose, and readable by the
// engine's user only (as the copies themselves: the repository is encrypted with that key).
//
// A file is stored as its data chunks plus a tree object with one node (size, SHA-256, chunk
// ids); the tree object's id is the `snapshot` of the file's baseline record. Equal content
// gives equal ids, so an unchanged file costs one index lookup.
//
// Objects are written to packs that are fsynced before the index file naming them, and the
// index before the baseline naming the objects, so a kill at any point leaves the previous
// baseline's objects readable (a dead temporary pack is ignored by the repository).
// Not thread-safe: used on the integrity scanner's thread only.
class SafeSnapshots
{
public:
    SafeSnapshots(QString dataDir, qint64 maxFileBytes);
    ~SafeSnapshots();

    static QString repositoryPath(const QString &dataDir); // DATA/integrity/snapshots
    static QString keyPath(const QString &dataDir); // DATA/integrity/snapshots.key

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
    // integrity.snapshot_store, integrity.restore_io (writing `fd`).
    Result<void> writeContent(const FileState &record, int fd);

    struct Pruned
    {
        int copies = 0; // files' copies `current` names (the ones kept)
        qint64 objectsDropped = 0;
        int packsDeleted = 0;
        int packsRewritten = 0;
        qint64 bytesFreed = 0;
    };
    // Deletes the copies `current` (the baseline just written) no longer names, with the
    // backup pruner (engine/backup/pruner.h) rather than a second one: the copies `current`
    // names are recorded as the store's one backup snapshot (a root tree with a directory node
    // per copy), every older such snapshot is forgotten and runPrune deletes or repacks what
    // none needs. Safe against kill -9 at any point: `current` is on disk before its root is
    // written, objects are deleted only after the index stops naming them (runPrune's order),
    // and an interrupted prune leaves an older root that the next prune forgets. No store yet:
    // nothing happens. Error integrity.snapshot_store.
    Result<Pruned> prune(const Baseline &current);

private:
    Result<Backup::Repository *> repository();

    const QString m_dataDir;
    const qint64 m_maxFileBytes;
    std::unique_ptr<Backup::Repository> m_repo;
};

} // namespace Shivx
