#pragma once

#include <QByteArray>
#include <QLoggingCategory>

#include <cstdint>
#include <functional>

namespace Shivx {

// inotify watches one directory, not a tree: this adds a watch on `dir` and on every
// directory below it (symbolic links are not followed). `skip(dir)` true leaves a directory
// and its subtree out. `added(wd, dir)` records a new watch and returns false when `wd` is
// already known (two sets, or a directory reached twice), which stops the descent there.
// A directory that cannot be watched (ENOSPC on max_user_watches, EACCES) is logged to `log`
// and left out, with its subtree. Runs on the caller's thread.
struct InotifyTree
{
    using Skip = std::function<bool(const QByteArray &dir)>;
    using Added = std::function<bool(int wd, const QByteArray &dir)>;

    static void watch(int fd, const QByteArray &dir, std::uint32_t mask,
        const QLoggingCategory &log, const Skip &skip, const Added &added);
};

} // namespace Shivx
