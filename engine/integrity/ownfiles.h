#pragma once

#include "integrity/filestate.h"

#include <QSet>
#include <QString>
#include <QStringList>

#include <utility>

namespace Shivx {

// The engine's own database files, which integrity never opens: the engine's database
// (shivx.db) and the baseline (integrity/baseline.db), each with its -wal, -shm and -journal,
// and the baseline's temporary copy while it is written (baseline.db.tmp-PID).
// Opening and closing any of them with a descriptor of its own would drop every POSIX lock
// the process holds on it (fcntl locks belong to the process and go with any close of the
// file), and SQLite's locks are such locks: a second connection could then delete the -wal
// file under the first (commit 25a3249, tst_database::secondConnectionKeepsTheFirstOnesWal).
// So a path set that covers the data directory skips them, and the check says so.
//
// Known by path (as given, and with the data directory's symlinks resolved) and by device and
// inode, so that a path set reaching the data directory through another name skips them too.
// Immutable after construction; any thread. Build one per operation: -wal and -shm come and go.
class OwnFiles
{
public:
    OwnFiles() = default;
    // `databases`: absolute paths of SQLite files; the sidecars are added here.
    explicit OwnFiles(const QStringList &databases);

    // The engine's database and the baseline of `dataDir`.
    static OwnFiles ofDataDir(const QString &dataDir);

    // Whether `path` (as walked, lstat'ed into `state` when given) is one of them.
    bool contains(const QString &path, const FileState *state = nullptr) const;
    bool isEmpty() const { return m_paths.isEmpty(); }

    // What a check report says about a skipped path.
    static QString reason();

private:
    QSet<QString> m_paths;
    QSet<std::pair<quint64, quint64>> m_ids; // (device, inode) of those that exist
    QStringList m_tmpPrefixes; // "DB.tmp-": BaselineStore writes there, then renames
};

} // namespace Shivx
