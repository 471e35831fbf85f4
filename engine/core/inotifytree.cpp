#include "core/inotifytree.h"

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <sys/inotify.h>
#include <sys/stat.h>

namespace Shivx {

void InotifyTree::watch(int fd, const QByteArray &dir, std::uint32_t mask,
    const QLoggingCategory &log, const Skip &skip, const Added &added)
{
    if (skip && skip(dir))
        return;
    const int wd = ::inotify_add_watch(fd, dir.constData(), mask);
    if (wd < 0) {
        qCWarning(log) << "cannot watch" << dir << std::strerror(errno);
        return;
    }
    if (!added(wd, dir))
        return;
    DIR *d = ::opendir(dir.constData());
    if (!d)
        return;
    while (dirent *e = ::readdir(d)) {
        const char *name = e->d_name;
        if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))
            continue;
        const QByteArray child = (dir.endsWith('/') ? dir : dir + '/') + name;
        struct stat st;
        if (::lstat(child.constData(), &st) == 0 && S_ISDIR(st.st_mode))
            watch(fd, child, mask, log, skip, added);
    }
    ::closedir(d);
}

} // namespace Shivx
