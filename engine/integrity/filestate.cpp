#include "integrity/filestate.h"

namespace Shivx {

QStringList attributeNames(quint32 flags)
{
    static const char *const names[] = { "content", "size", "mode", "owner", "group", "inode",
        "mtime", "ctime", "type", "readable" };
    QStringList out;
    for (quint32 i = 0; i < std::size(names); ++i)
        if (flags & (1u << i))
            out.append(QLatin1String(names[i]));
    return out;
}

quint32 compareStates(const FileState &before, const FileState &after)
{
    quint32 c = 0;
    if (before.kind != after.kind)
        c |= AttrType;
    if (before.error.isEmpty() != after.error.isEmpty())
        c |= AttrReadable;
    else if (!before.sha256.isEmpty() && !after.sha256.isEmpty() && before.sha256 != after.sha256)
        c |= AttrContent;
    if (before.size != after.size)
        c |= AttrSize;
    if (before.mode != after.mode)
        c |= AttrMode;
    if (before.uid != after.uid)
        c |= AttrOwner;
    if (before.gid != after.gid)
        c |= AttrGroup;
    if (before.inode != after.inode)
        c |= AttrInode;
    if (before.mtimeNs != after.mtimeNs)
        c |= AttrMtime;
    if (before.ctimeNs != after.ctimeNs)
        c |= AttrCtime;
    return c;
}

QString toString(FileState::Kind kind)
{
    switch (kind) {
    case FileState::Kind::Regular:
        return QStringLiteral("file");
    case FileState::Kind::Symlink:
        return QStringLiteral("symlink");
    case FileState::Kind::Other:
        return QStringLiteral("other");
    }
    return QString();
}

QString toString(IntegrityDifference::Kind kind)
{
    switch (kind) {
    case IntegrityDifference::Kind::Added:
        return QStringLiteral("added");
    case IntegrityDifference::Kind::Removed:
        return QStringLiteral("removed");
    case IntegrityDifference::Kind::Changed:
        return QStringLiteral("changed");
    }
    return QString();
}

bool isRestorable(const IntegrityDifference &d)
{
    constexpr quint32 Restorable = AttrContent | AttrSize | AttrMode | AttrOwner | AttrGroup
        | AttrMtime | AttrType | AttrReadable;
    return !d.before.snapshot.isEmpty()
        && (d.kind == IntegrityDifference::Kind::Removed
            || (d.kind == IntegrityDifference::Kind::Changed && (d.changed & Restorable)));
}

} // namespace Shivx
