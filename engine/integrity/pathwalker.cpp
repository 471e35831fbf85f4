#include "integrity/pathwalker.h"

#include <QSet>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <mutex>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

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

// Exclude patterns as the bytes fnmatch(3) takes, converted once per walk (per file they
// were a measurable share of a 50,000-file walk).
struct Excludes
{
    QList<QByteArray> paths; // patterns with '/': matched against the whole path
    QList<QByteArray> names; // the others: matched against the file name

    explicit Excludes(const QStringList &patterns)
    {
        for (const QString &e : patterns)
            (e.contains(QLatin1Char('/')) ? paths : names).append(e.toUtf8());
    }
    bool match(const QByteArray &path) const
    {
        for (const QByteArray &p : paths)
            if (::fnmatch(p.constData(), path.constData(), 0) == 0)
                return true;
        if (names.isEmpty())
            return false;
        const char *name = path.constData() + path.lastIndexOf('/') + 1;
        for (const QByteArray &p : names)
            if (::fnmatch(p.constData(), name, 0) == 0)
                return true;
        return false;
    }
};

// One directory tree walked by several threads sharing a queue of directories, for a set that
// does not follow symlinks (so no directory is reached twice and no loop guard is needed).
// On 50,000 files the walk was most of a fast check; two threads halve it.
class ParallelTree
{
public:
    ParallelTree(
        const IntegrityPathSet &set, const Excludes &excludes, const std::atomic_bool *cancel)
        : m_set(set)
        , m_excludes(excludes)
        , m_cancel(cancel)
    {
    }

    void run(const QByteArray &root, int threads, QList<FileState> *files, QStringList *errors)
    {
        m_dirs.push_back(root);
        std::vector<QList<FileState>> found(static_cast<size_t>(threads));
        std::vector<QStringList> failed(static_cast<size_t>(threads));
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t)
            pool.emplace_back(
                [this, t, &found, &failed] { work(&found[size_t(t)], &failed[size_t(t)]); });
        for (std::thread &t : pool)
            t.join();
        for (size_t t = 0; t < found.size(); ++t) {
            files->append(std::move(found[t]));
            errors->append(failed[t]);
        }
    }

private:
    void work(QList<FileState> *files, QStringList *errors)
    {
        for (;;) {
            QByteArray dir;
            {
                std::unique_lock<std::mutex> lock(m_mutex);
                m_ready.wait(lock, [this] { return !m_dirs.empty() || m_busy == 0; });
                if (m_dirs.empty())
                    return; // nothing queued and nobody left to queue more
                dir = std::move(m_dirs.front());
                m_dirs.pop_front();
                ++m_busy;
            }
            QList<QByteArray> subdirs;
            if (!(m_cancel && m_cancel->load(std::memory_order_relaxed)))
                list(dir, files, errors, &subdirs);
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                for (QByteArray &d : subdirs)
                    m_dirs.push_back(std::move(d));
                --m_busy;
            }
            m_ready.notify_all();
        }
    }

    void list(const QByteArray &path, QList<FileState> *files, QStringList *errors,
        QList<QByteArray> *subdirs)
    {
        DIR *d = ::opendir(path.constData());
        if (!d) {
            errors->append(QString::fromUtf8(path) + QStringLiteral(": ")
                + QString::fromLocal8Bit(std::strerror(errno)));
            return;
        }
        // One buffer for every entry's path: an allocation per file was a measurable share of
        // a fast check's walk; only a directory's path is kept (copied into `subdirs`).
        QByteArray child = path.endsWith('/') ? path : path + '/';
        const qsizetype prefix = child.size();
        child.reserve(prefix + 256);
        while (dirent *e = ::readdir(d)) {
            const char *name = e->d_name;
            if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))
                continue;
            child.truncate(prefix);
            child.append(name);
            if (m_excludes.match(child))
                continue;
            struct stat st;
            if (::fstatat(::dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) != 0)
                continue; // vanished while we listed it
            if (S_ISDIR(st.st_mode)) {
                subdirs->append(QByteArray(child.constData(), child.size()));
                continue;
            }
            FileState f;
            f.path = QString::fromUtf8(child);
            f.set = m_set.name;
            fill(st, &f);
            files->append(std::move(f));
        }
        ::closedir(d);
    }

    const IntegrityPathSet &m_set;
    const Excludes &m_excludes;
    const std::atomic_bool *m_cancel;
    std::mutex m_mutex;
    std::condition_variable m_ready;
    std::deque<QByteArray> m_dirs;
    int m_busy = 0;
};

struct Walk
{
    const IntegrityPathSet *set = nullptr;
    const Excludes *excludes = nullptr;
    bool dedupe = true; // false when one root without symlinks cannot reach a path twice
    int threads = 1;
    const std::atomic_bool *cancel = nullptr;
    PathWalker::Result *result = nullptr;
    QSet<QString> *seen = nullptr;
    QSet<QPair<quint64, quint64>> dirs; // (dev, ino) entered, against symlink loops

    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }

    void record(const QByteArray &path, const struct stat &st)
    {
        const QString p = QString::fromUtf8(path);
        if (dedupe) {
            if (seen->contains(p))
                return;
            seen->insert(p);
        }
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
            if (excludes->match(child))
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
        if (excludes->match(path))
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
        if (threads > 1 && !set->followSymlinks) {
            QList<FileState> files;
            ParallelTree(*set, *excludes, cancel).run(path, threads, &files, &result->errors);
            if (!dedupe && result->files.isEmpty()) {
                result->files = std::move(files);
                return;
            }
            for (FileState &f : files) {
                if (dedupe) {
                    if (seen->contains(f.path))
                        continue;
                    seen->insert(f.path);
                }
                result->files.append(std::move(f));
            }
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
    return !excludes.isEmpty() && Excludes(excludes).match(path);
}

PathWalker::Result PathWalker::walk(
    const QList<IntegrityPathSet> &sets, const std::atomic_bool *cancel, int threads)
{
    Result result;
    QSet<QString> seen;
    int roots = 0;
    bool follows = false;
    for (const IntegrityPathSet &set : sets) {
        roots += int(set.paths.size());
        follows = follows || set.followSymlinks;
    }
    for (const IntegrityPathSet &set : sets) {
        const Excludes excludes(set.excludes);
        Walk w;
        w.set = &set;
        w.excludes = &excludes;
        w.dedupe = roots > 1 || follows;
        w.threads = threads;
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
