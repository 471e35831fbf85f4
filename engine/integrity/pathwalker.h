#pragma once

#include "integrity/filestate.h"
#include "integrity/integrityconfig.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>

namespace Shivx {

// Expands path sets into the files they cover, with their attributes (no hashes yet), using
// plain POSIX calls (glob, openat, readdir, fstatat): 50,000 files take tens of milliseconds,
// where QDirIterator with QFileInfo took several times longer. Reentrant; no shared state.
class PathWalker
{
public:
    struct Result
    {
        QList<FileState> files; // each path once, the first set that matches it wins
        QStringList errors; // "PATH: why" for directories that could not be read
        bool cancelled = false;
    };

    // Walks every set in order, a directory tree of a set that does not follow symlinks on
    // `threads` threads (files then come in no particular order). `cancel` (may be null)
    // stops the walk early.
    static Result walk(const QList<IntegrityPathSet> &sets,
        const std::atomic_bool *cancel = nullptr, int threads = 1);

    // The attributes of one path as `set` would record it (lstat unless it follows
    // symlinks), or false when it does not exist (errno in *err when given).
    static bool statPath(
        const QString &path, bool followSymlinks, FileState *out, int *err = nullptr);

    // Whether `path` is covered by `set`: under one of its paths (globs expanded now) and not
    // excluded by any pattern on the way down.
    static bool covers(const IntegrityPathSet &set, const QString &path);

    // Whether `path` (absolute) matches one of the exclude patterns.
    static bool excluded(const QStringList &excludes, const QByteArray &path);
};

} // namespace Shivx
