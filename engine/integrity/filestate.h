#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace Shivx {

// What a baseline records of one path (docs/integrity.md): the content hash and the inode's
// attributes as lstat(2) (or stat(2) when the set follows symlinks) reported them. Plain value,
// copied freely between threads.
struct FileState
{
    enum class Kind { Regular = 0, Symlink = 1, Other = 2 };

    QString path; // absolute
    QString set; // the path set that matched it first
    Kind kind = Kind::Regular;
    // Raw SHA-256 (32 bytes) of the content (of the link target text for a symlink); empty
    // when not hashed (an "other" file such as a FIFO, or one that could not be read).
    QByteArray sha256;
    qint64 size = 0; // bytes
    quint32 mode = 0; // st_mode: type and permission bits
    quint32 uid = 0;
    quint32 gid = 0;
    quint64 inode = 0;
    qint64 mtimeNs = 0; // ns since the epoch
    qint64 ctimeNs = 0;
    QString error; // why the content could not be read ("Permission denied"), else empty
    // Sets with `protect: restore`: the id (32 bytes) of the file's object in the integrity
    // snapshot store (SafeSnapshots), empty when it has none. Baseline records only; never
    // compared (compareStates), since it describes the copy, not the file.
    QByteArray snapshot;
};

// The attributes a change can touch, as bit flags (IntegrityDifference::changed).
enum IntegrityAttribute : quint32 {
    AttrContent = 1u << 0,
    AttrSize = 1u << 1,
    AttrMode = 1u << 2,
    AttrOwner = 1u << 3,
    AttrGroup = 1u << 4,
    AttrInode = 1u << 5,
    AttrMtime = 1u << 6,
    AttrCtime = 1u << 7,
    AttrType = 1u << 8,
    AttrReadable = 1u << 9, // became readable or unreadable
};

// Stable names of the attributes set in `flags` ("content", "mode", ...), in bit order: what
// the API, the CLI and the audit log print.
QStringList attributeNames(quint32 flags);
// The bits in which `after` differs from `before`. The content counts as changed only when
// both sides were hashed (a file that became unreadable is AttrReadable instead).
quint32 compareStates(const FileState &before, const FileState &after);

QString toString(FileState::Kind kind); // "file", "symlink", "other"

// One difference a check found between the baseline and the tree.
struct IntegrityDifference
{
    enum class Kind { Added = 0, Removed = 1, Changed = 2 };
    Kind kind = Kind::Changed;
    QString path;
    QString set;
    quint32 changed = 0; // IntegrityAttribute bits; for Changed only
    FileState before; // baseline (empty for Added)
    FileState after; // tree (empty for Removed)
};

QString toString(IntegrityDifference::Kind kind); // "added", "removed", "changed"

// Whether a restore from the safe snapshot can undo `d`: the baseline's record has a snapshot
// and the file was removed or changed in more than its inode and ctime (which a restore itself
// changes, and then records).
bool isRestorable(const IntegrityDifference &d);

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::FileState)
Q_DECLARE_METATYPE(Shivx::IntegrityDifference)
