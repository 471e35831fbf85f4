#include "backup/restorejob.h"

#include "backup/repolock.h"
#include "backup/tree.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace Shivx::Backup {

namespace {

struct Item
{
    std::string path; // destination
    TreeNode node;
};

QString qpath(const std::string &p)
{
    return QFile::decodeName(QByteArray::fromStdString(p));
}

Error targetError(const char *what, const std::string &path)
{
    return makeError("backup.restore_io",
        QStringLiteral("cannot %1 %2: %3")
            .arg(QLatin1String(what), qpath(path), QString::fromLocal8Bit(std::strerror(errno))),
        { qpath(path) });
}

QString typeName(TreeNode::Type t)
{
    return t == TreeNode::Type::Dir    ? QStringLiteral("dir")
        : t == TreeNode::Type::Symlink ? QStringLiteral("symlink")
                                       : QStringLiteral("file");
}

Result<std::vector<TreeNode>> loadTree(const Repository &repo, const Id &id)
{
    const auto raw = repo.readBlob(id);
    if (!raw)
        return raw.error();
    return decodeTree(raw->data(), raw->size());
}

// Depth first: directories before their entries.
Result<void> collect(const Repository &repo, const Id &tree, const std::string &dest,
    std::vector<Item> *dirs, std::vector<Item> *files)
{
    auto nodes = loadTree(repo, tree);
    if (!nodes)
        return nodes.error();
    for (TreeNode &n : *nodes) {
        const std::string path = dest + "/" + n.name;
        if (n.type == TreeNode::Type::Dir) {
            const Id sub = n.subtree;
            dirs->push_back(Item { path, std::move(n) });
            if (auto r = collect(repo, sub, path, dirs, files); !r)
                return r;
        } else {
            files->push_back(Item { path, std::move(n) });
        }
    }
    return {};
}

Result<Id> sha256OfFile(const std::string &path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return targetError("read", path);
    Sha256 sha;
    std::vector<std::uint8_t> buf(1 << 20);
    ssize_t n;
    while ((n = ::read(fd, buf.data(), buf.size())) > 0)
        sha.update(buf.data(), std::size_t(n));
    ::close(fd);
    return sha.finish();
}

RestoreChange::Kind compare(const Item &item)
{
    struct stat st;
    if (::lstat(item.path.c_str(), &st) != 0)
        return RestoreChange::Kind::Create;
    switch (item.node.type) {
    case TreeNode::Type::Dir:
        return S_ISDIR(st.st_mode) ? RestoreChange::Kind::Unchanged : RestoreChange::Kind::Update;
    case TreeNode::Type::Symlink: {
        if (!S_ISLNK(st.st_mode))
            return RestoreChange::Kind::Update;
        std::string target(4096, '\0');
        const ssize_t len = ::readlink(item.path.c_str(), target.data(), target.size());
        target.resize(len > 0 ? std::size_t(len) : 0);
        return target == item.node.target ? RestoreChange::Kind::Unchanged
                                          : RestoreChange::Kind::Update;
    }
    case TreeNode::Type::File: {
        if (!S_ISREG(st.st_mode) || std::uint64_t(st.st_size) != item.node.size)
            return RestoreChange::Kind::Update;
        const auto sha = sha256OfFile(item.path);
        return sha && *sha == item.node.sha256 ? RestoreChange::Kind::Unchanged
                                               : RestoreChange::Kind::Update;
    }
    }
    return RestoreChange::Kind::Update;
}

void applyMeta(const Item &item, bool owners, int fd)
{
    const TreeNode &n = item.node;
    const timespec times[2] = { { n.mtimeSec, n.mtimeNsec }, { n.mtimeSec, n.mtimeNsec } };
    if (n.type == TreeNode::Type::Symlink) {
        if (owners)
            (void)::lchown(item.path.c_str(), n.uid, n.gid);
        ::utimensat(AT_FDCWD, item.path.c_str(), times, AT_SYMLINK_NOFOLLOW);
        return;
    }
    if (fd >= 0) {
        if (owners)
            (void)::fchown(fd, n.uid, n.gid);
        ::fchmod(fd, n.mode);
        ::futimens(fd, times);
        return;
    }
    if (owners)
        (void)::chown(item.path.c_str(), n.uid, n.gid);
    ::chmod(item.path.c_str(), n.mode);
    ::utimensat(AT_FDCWD, item.path.c_str(), times, 0);
}

// Restores one file through a temporary name; each worker keeps its open packs.
class FileRestorer
{
public:
    FileRestorer(const Repository &repo, bool owners)
        : m_repo(repo)
        , m_owners(owners)
    {
    }
    ~FileRestorer()
    {
        for (const auto &[pack, fd] : m_packs)
            ::close(fd);
    }

    Result<void> restore(const Item &item)
    {
        const TreeNode &n = item.node;
        const std::string tmp = item.path + ".shivx-restore";
        if (n.type == TreeNode::Type::Symlink) {
            ::unlink(tmp.c_str());
            if (::symlink(n.target.c_str(), tmp.c_str()) != 0)
                return targetError("create the link", tmp);
            if (::rename(tmp.c_str(), item.path.c_str()) != 0)
                return targetError("rename into place", item.path);
            applyMeta(item, m_owners, -1);
            return {};
        }
        // A new file is written under its own name (a rename per file is a fifth of a
        // restore's cost into tmpfs); an existing one is replaced only once the new content is
        // complete and checked. Either way every byte written has passed authentication, and
        // a file that fails its check is removed.
        std::string writing = item.path;
        int fd = ::open(writing.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 && errno == EEXIST) {
            writing = tmp;
            fd = ::open(writing.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        }
        if (fd < 0)
            return targetError("create", writing);
        Sha256 sha;
        std::uint64_t written = 0;
        for (const Id &chunk : n.chunks) {
            auto data = readChunk(chunk);
            if (!data) {
                ::close(fd);
                ::unlink(writing.c_str());
                return data.error();
            }
            sha.update(data->data(), data->size());
            std::size_t done = 0;
            while (done < data->size()) {
                const ssize_t w = ::write(fd, data->data() + done, data->size() - done);
                if (w < 0 && errno == EINTR)
                    continue;
                if (w <= 0) {
                    Error e = targetError("write", writing);
                    ::close(fd);
                    ::unlink(writing.c_str());
                    return e;
                }
                done += std::size_t(w);
            }
            written += data->size();
        }
        if (sha.finish() != n.sha256 || written != n.size) {
            ::close(fd);
            ::unlink(writing.c_str());
            return makeError("backup.tampered",
                QStringLiteral("%1: the restored content does not match the manifest's SHA-256 "
                               "and size; nothing was written in its place")
                    .arg(qpath(item.path)),
                { qpath(item.path) });
        }
        applyMeta(item, m_owners, fd);
        ::close(fd);
        if (writing != item.path && ::rename(writing.c_str(), item.path.c_str()) != 0) {
            Error e = targetError("rename into place", item.path);
            ::unlink(writing.c_str());
            return e;
        }
        bytes += written;
        return {};
    }

    std::uint64_t bytes = 0;

private:
    Result<Bytes> readChunk(const Id &id)
    {
        BlobLocation loc;
        if (!m_repo.locate(id, &loc))
            return makeError("backup.missing",
                QStringLiteral("object %1 is not in the repository's index")
                    .arg(QString::fromStdString(id.hex())));
        auto it = m_packs.find(loc.pack);
        const QString path = m_repo.packPath(m_repo.packId(loc.pack));
        if (it == m_packs.end()) {
            const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
            if (fd < 0)
                return makeError("backup.missing",
                    QStringLiteral("cannot open pack %1: %2")
                        .arg(path, QString::fromLocal8Bit(std::strerror(errno))));
            it = m_packs.emplace(loc.pack, fd).first;
        }
        m_sealed.resize(loc.length);
        std::size_t done = 0;
        while (done < loc.length) {
            const ssize_t n = ::pread(
                it->second, m_sealed.data() + done, loc.length - done, off_t(loc.offset + done));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return makeError("backup.truncated",
                    QStringLiteral("pack %1 is truncated: it ends before byte %2, where object "
                                   "%3 should end")
                        .arg(path)
                        .arg(loc.offset + loc.length)
                        .arg(QString::fromStdString(id.hex())),
                    { path });
            done += std::size_t(n);
        }
        return m_repo.decodeBlob(loc.type, id, m_sealed.data(), m_sealed.size(), loc.rawLength,
            QStringLiteral("pack %1 at byte %2").arg(path).arg(loc.offset), false);
    }

    const Repository &m_repo;
    bool m_owners;
    std::unordered_map<std::uint32_t, int> m_packs;
    Bytes m_sealed;
};

} // namespace

Result<SnapshotInfo> snapshotAt(const Repository &repo, const QDateTime &at, const QString &set)
{
    const auto all = repo.snapshots();
    if (!all)
        return all.error();
    const SnapshotInfo *best = nullptr;
    for (const SnapshotInfo &s : *all) {
        if (s.time <= at && (set.isEmpty() || s.set == set))
            best = &s;
    }
    if (!best)
        return makeError("backup.no_snapshot",
            QStringLiteral("no snapshot%1 was taken at or before %2")
                .arg(set.isEmpty() ? QString() : QStringLiteral(" of set %1").arg(set),
                    at.toUTC().toString(Qt::ISODate)));
    return *best;
}

Result<RestoreStats> runRestore(
    const Repository &repo, const SnapshotInfo &snapshot, const RestoreOptions &options)
{
    QElapsedTimer clock;
    clock.start();
    const auto lock = RepoLock::acquire(repo.path(), RepoLock::Kind::Shared);
    if (!lock)
        return lock.error();
    std::string target = QFile::encodeName(QDir::cleanPath(options.target)).toStdString();
    if (target == "/")
        target.clear();

    std::vector<Item> dirs;
    std::vector<Item> files;
    if (options.path.isEmpty()) {
        if (auto r = collect(repo, snapshot.tree, target, &dirs, &files); !r)
            return r.error();
    } else {
        // Walk down to the requested entry; its ancestors are created as directories too.
        const QStringList parts
            = QDir::cleanPath(options.path).split(QLatin1Char('/'), Qt::SkipEmptyParts);
        Id tree = snapshot.tree;
        std::string dest = target;
        for (int i = 0; i < parts.size(); ++i) {
            auto nodes = loadTree(repo, tree);
            if (!nodes)
                return nodes.error();
            const std::string name = QFile::encodeName(parts[i]).toStdString();
            const auto it = std::find_if(
                nodes->begin(), nodes->end(), [&](const TreeNode &n) { return n.name == name; });
            if (it == nodes->end() || (i + 1 < parts.size() && it->type != TreeNode::Type::Dir))
                return makeError("backup.no_path",
                    QStringLiteral("%1 is not in snapshot %2 (its paths: %3)")
                        .arg(options.path, QString::fromStdString(snapshot.id.hex()).left(12),
                            snapshot.paths.join(QStringLiteral(", "))),
                    { options.path });
            dest += "/" + name;
            if (it->type == TreeNode::Type::Dir) {
                dirs.push_back(Item { dest, *it });
                tree = it->subtree;
            } else {
                files.push_back(Item { dest, *it });
            }
        }
        if (!dirs.empty() && files.empty()) {
            if (auto r = collect(repo, tree, dest, &dirs, &files); !r)
                return r.error();
        }
    }

    RestoreStats stats;
    if (options.dryRun) {
        for (const std::vector<Item> *list : { &dirs, &files }) {
            for (const Item &item : *list)
                stats.changes.append(RestoreChange { compare(item),
                    qpath(item.path.empty() ? "/" : item.path), typeName(item.node.type) });
        }
        stats.dirs = dirs.size();
        stats.files = files.size();
        for (const Item &f : files)
            stats.bytes += f.node.size;
        stats.durationMs = clock.elapsed();
        return stats;
    }

    if (!target.empty() && ::mkdir(target.c_str(), 0755) != 0 && errno != EEXIST)
        return targetError("create the target", target);
    for (const Item &d : dirs) {
        if (::mkdir(d.path.c_str(), 0700) != 0 && errno != EEXIST)
            return targetError("create the directory", d.path);
    }
    std::uint64_t total = 0;
    for (const Item &f : files)
        total += f.node.size;

    std::atomic<std::size_t> next { 0 };
    std::atomic<std::uint64_t> doneBytes { 0 };
    std::atomic<std::uint64_t> doneFiles { 0 };
    std::mutex errorMutex;
    std::optional<Error> error;
    std::atomic<bool> stop { false };
    auto work = [&] {
        FileRestorer restorer(repo, options.owners);
        while (!stop.load()) {
            if (options.control.cancelled()) {
                std::lock_guard l(errorMutex);
                if (!error)
                    error = makeError("backup.cancelled",
                        QStringLiteral("the restore was cancelled; files restored so far stay"));
                stop = true;
                break;
            }
            const std::size_t i = next.fetch_add(1);
            if (i >= files.size())
                break;
            if (auto r = restorer.restore(files[i]); !r) {
                std::lock_guard l(errorMutex);
                if (!error)
                    error = r.error();
                stop = true;
                break;
            }
            doneBytes += files[i].node.size;
            ++doneFiles;
        }
    };
    std::vector<std::thread> threads;
    for (int i = 1; i < std::max(1, options.threads); ++i)
        threads.emplace_back(work);
    if (options.control.progress) {
        // The calling thread reports progress while the workers restore.
        threads.emplace_back(work);
        while (next.load() < files.size() && !stop.load()) {
            options.control.progress(
                Progress { doneBytes.load(), total, doneFiles.load(), files.size() });
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    } else {
        work();
    }
    for (std::thread &t : threads)
        t.join();
    if (error)
        return *error;
    // Directory metadata last and deepest first: creating entries changes a directory's mtime.
    for (auto it = dirs.rbegin(); it != dirs.rend(); ++it)
        applyMeta(*it, options.owners, -1);
    stats.files = files.size();
    stats.dirs = dirs.size();
    stats.bytes = doneBytes.load();
    for (const Item &f : files)
        stats.links += f.node.type == TreeNode::Type::Symlink ? 1 : 0;
    stats.durationMs = clock.elapsed();
    return stats;
}

} // namespace Shivx::Backup
