#include "integrity/pathwalker.h"

#include <QSet>

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Shivx {

namespace {

void fill(const struct stat &st, FileState *f)
{
    f->kind = S_ISREG(st.st_mode) ? FileState::Kind::Regular
        : S_ISLNK(st.st_mode)     ? FileState::Kind::Symlink
                                  : FileState::Kind::Other;
    f->size = qint64(st.st_size);
    f->mode = quint32(st.st_mode);
    f->uid = quint32(st.st_uid);
    f->gid = quint32(st.st_gid);
    f->inode = quint64(st.st_ino);
    f->mtimeNs = qint64(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    f->ctimeNs = qint64(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
}

struct Walk
{
    const IntegrityPathSet *set = nullptr;
    const std::atomic_bool *cancel = nullptr;
    PathWalker::Result *result = nullptr;
    QSet<QString> *seen = nullptr;
    QSet<QPair<quint64, quint64>> dirs; // (dev, ino) entered, against symlink loops

    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }

    void record(const QByteArray &path, const struct stat &st)
    {
        const QString p = QString::fromUtf8(path);
        if (seen->contains(p))
            return;
        seen->insert(p);
        FileState f;
        f.path = p;
        f.set = set->name;
        fill(st, &f);
        result->files.append(std::move(f));
    }

    // `path` is a directory open as `fd` (closed here).
    void directory(const QByteArray &path, int fd, const struct stat &st)
    {
        if (!dirs.contains({ quint64(st.st_dev), quint64(st.st_ino) })) {
            dirs.insert({ quint64(st.st_dev), quint64(st.st_ino) });
        } else {
            ::close(fd);
            return;
        }
        DIR *d = ::fdopendir(fd);
        if (!d) {
            result->errors.append(QString::fromUtf8(path) + QStringLiteral(": ")
                + QString::fromLocal8Bit(std::strerror(errno)));
            ::close(fd);
            return;
        }
        const int flags = set->followSymlinks ? 0 : AT_SYMLINK_NOFOLLOW;
        while (dirent *e = ::readdir(d)) {
            if (cancelled())
                break;
            const char *name = e->d_name;
            if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))
                continue;
            QByteArray child = path;
            if (!child.endsWith('/'))
                child += '/';
            child += name;
            if (PathWalker::excluded(set->excludes, child))
                continue;
            struct stat cst;
            if (::fstatat(::dirfd(d), name, &cst, flags) != 0)
                continue; // vanished while we listed it
            if (S_ISDIR(cst.st_mode)) {
                const int cfd = ::openat(::dirfd(d), name,
                    O_RDONLY | O_DIRECTORY | O_CLOEXEC | (set->followSymlinks ? 0 : O_NOFOLLOW));
                if (cfd < 0) {
                    result->errors.append(QString::fromUtf8(child) + QStringLiteral(": ")
                        + QString::fromLocal8Bit(std::strerror(errno)));
                    continue;
                }
                directory(child, cfd, cst);
            } else {
                record(child, cst);
            }
        }
        ::closedir(d);
    }

    void root(const QByteArray &path)
    {
        if (PathWalker::excluded(set->excludes, path))
            return;
        struct stat st;
        const int r
            = set->followSymlinks ? ::stat(path.constData(), &st) : ::lstat(path.constData(), &st);
        if (r != 0)
            return; // a configured path that does not exist yet covers nothing
        if (!S_ISDIR(st.st_mode)) {
            record(path, st);
            return;
        }
        const int fd = ::open(path.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            result->errors.append(QString::fromUtf8(path) + QStringLiteral(": ")
                + QString::fromLocal8Bit(std::strerror(errno)));
            return;
        }
        directory(path, fd, st);
    }
};

QList<QByteArray> expand(const QString &pattern)
{
    const QByteArray p = pattern.toUtf8();
    if (!p.contains('*') && !p.contains('?') && !p.contains('['))
        return { p };
    glob_t g {};
    QList<QByteArray> out;
    if (::glob(p.constData(), GLOB_NOSORT, nullptr, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; ++i)
            out.append(QByteArray(g.gl_pathv[i]));
    }
    ::globfree(&g);
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

bool PathWalker::excluded(const QStringList &excludes, const QByteArray &path)
{
    if (excludes.isEmpty())
        return false;
    const int slash = path.lastIndexOf('/');
    const char *name = path.constData() + slash + 1;
    for (const QString &e : excludes) {
        const QByteArray pattern = e.toUtf8();
        const char *subject = pattern.contains('/') ? path.constData() : name;
        if (::fnmatch(pattern.constData(), subject, 0) == 0)
            return true;
    }
    return false;
}

PathWalker::Result PathWalker::walk(
    const QList<IntegrityPathSet> &sets, const std::atomic_bool *cancel)
{
    Result result;
    QSet<QString> seen;
    for (const IntegrityPathSet &set : sets) {
        Walk w;
        w.set = &set;
        w.cancel = cancel;
        w.result = &result;
        w.seen = &seen;
        for (const QString &pattern : set.paths) {
            for (const QByteArray &path : expand(pattern)) {
                if (w.cancelled()) {
                    result.cancelled = true;
                    return result;
                }
                w.root(path);
            }
        }
    }
    result.cancelled = cancel && cancel->load();
    return result;
}

bool PathWalker::statPath(const QString &path, bool followSymlinks, FileState *out, int *err)
{
    struct stat st;
    const QByteArray p = path.toUtf8();
    if ((followSymlinks ? ::stat(p.constData(), &st) : ::lstat(p.constData(), &st)) != 0) {
        if (err)
            *err = errno;
        return false;
    }
    out->path = path;
    fill(st, out);
    return true;
}

bool PathWalker::covers(const IntegrityPathSet &set, const QString &path)
{
    const QByteArray p = path.toUtf8();
    for (const QString &pattern : set.paths) {
        for (const QByteArray &root : expand(pattern)) {
            const QByteArray prefix = root.endsWith('/') ? root : root + '/';
            if (p != root && !p.startsWith(prefix))
                continue;
            // Every component from the root down must survive the excludes.
            bool out = excluded(set.excludes, root);
            for (qsizetype i = root.size() + 1; !out && i <= p.size(); ++i) {
                if (i == p.size() || p.at(i) == '/')
                    out = excluded(set.excludes, p.left(i));
            }
            if (!out)
                return true;
        }
    }
    return false;
}

} // namespace Shivx
