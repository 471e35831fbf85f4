#include "backup/restorejob.h"

#include "backup/jobqueue.h"
#include "backup/repolock.h"
#include "backup/tree.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <limits>
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

using ItemSink = std::function<Result<void>(Item &&)>;

// Depth first: a directory before its entries.
Result<void> collect(const Repository &repo, const Id &tree, const std::string &dest,
    const ItemSink &onDir, const ItemSink &onFile)
{
    auto nodes = loadTree(repo, tree);
    if (!nodes)
        return nodes.error();
    for (TreeNode &n : *nodes) {
        std::string path = dest + "/" + n.name;
        if (n.type == TreeNode::Type::Dir) {
            const Id sub = n.subtree;
            if (auto r = onDir(Item { path, std::move(n) }); !r)
                return r;
            if (auto r = collect(repo, sub, path, onDir, onFile); !r)
                return r;
        } else if (auto r = onFile(Item { std::move(path), std::move(n) }); !r) {
            return r;
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

// Reads data objects through the index, keeping the packs it opened; one per thread.
class ChunkReader
{
public:
    explicit ChunkReader(const Repository &repo)
        : m_repo(repo)
    {
    }
    ~ChunkReader()
    {
        for (const auto &[pack, fd] : m_packs)
            ::close(fd);
    }
    ChunkReader(const ChunkReader &) = delete;
    ChunkReader &operator=(const ChunkReader &) = delete;

    struct Span
    {
        const std::uint8_t *data = nullptr;
        std::size_t size = 0;
    };

    // The raw bytes of `id`, authenticated (GCM tag over the bytes and the id); valid until the
    // next call.
    Result<Span> read(const Id &id)
    {
        BlobLocation loc;
        if (!m_repo.locate(id, &loc))
            return makeError("backup.missing",
                QStringLiteral("object %1 is not in the repository's index")
                    .arg(QString::fromStdString(id.hex())));
        auto packPath = [&] { return m_repo.packPath(m_repo.packId(loc.pack)); };
        auto it = m_packs.find(loc.pack);
        if (it == m_packs.end()) {
            const QString path = packPath();
            const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
            if (fd < 0)
                return makeError("backup.missing",
                    QStringLiteral("cannot open pack %1: %2")
                        .arg(path, QString::fromLocal8Bit(std::strerror(errno))));
            it = m_packs.emplace(loc.pack, fd).first;
        }
        if (m_sealed.size() < loc.length)
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
                        .arg(packPath())
                        .arg(loc.offset + loc.length)
                        .arg(QString::fromStdString(id.hex())),
                    { packPath() });
            done += std::size_t(n);
        }
        const auto raw = m_repo.decodeBlobInPlace(
            loc.type, id, m_sealed.data(), loc.length, loc.rawLength,
            [&] { return QStringLiteral("pack %1 at byte %2").arg(packPath()).arg(loc.offset); },
            false, &m_scratch);
        if (!raw)
            return raw.error();
        return Span { *raw, loc.rawLength };
    }

private:
    const Repository &m_repo;
    std::unordered_map<std::uint32_t, int> m_packs;
    Bytes m_sealed; // grows only, like m_scratch
    Repository::DecodeScratch m_scratch;
};

Error contentMismatch(const std::string &path)
{
    return makeError("backup.tampered",
        QStringLiteral("%1: the restored content does not match the manifest's SHA-256 "
                       "and size; nothing was written in its place")
            .arg(qpath(path)),
        { qpath(path) });
}

// Restores one file through a temporary name; each worker keeps its open packs.
class FileRestorer
{
public:
    FileRestorer(const Repository &repo, bool owners)
        : m_chunks(repo)
        , m_owners(owners)
    {
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
            auto data = m_chunks.read(chunk);
            if (!data) {
                ::close(fd);
                ::unlink(writing.c_str());
                return data.error();
            }
            sha.update(data->data, data->size);
            std::size_t done = 0;
            while (done < data->size) {
                const ssize_t w = ::write(fd, data->data + done, data->size - done);
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
            written += data->size;
        }
        if (sha.finish() != n.sha256 || written != n.size) {
            ::close(fd);
            ::unlink(writing.c_str());
            return contentMismatch(item.path);
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
    ChunkReader m_chunks;
    bool m_owners;
};

// The nodes from the root tree down to the entry at `path` (absolute, as backed up).
Result<std::vector<TreeNode>> walkTo(
    const Repository &repo, const SnapshotInfo &snapshot, const QString &path)
{
    const QStringList parts = QDir::cleanPath(path).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    std::vector<TreeNode> chain;
    Id tree = snapshot.tree;
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
                    .arg(path, QString::fromStdString(snapshot.id.hex()).left(12),
                        snapshot.paths.join(QStringLiteral(", "))),
                { path });
        tree = it->subtree;
        chain.push_back(std::move(*it));
    }
    return chain;
}

} // namespace

Result<SnapshotInfo> snapshotAt(const Repository &repo, const QDateTime &at, const QString &set)
{
    const auto all = repo.snapshots();
    if (!all)
        return all.error();
    const SnapshotInfo *best = nullptr;
    for (const SnapshotInfo &s : *all) {
        if (s.time <= at && (set.isEmpty() ? isBackup(s) : s.set == set))
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

    // Everything to restore is listed by walking the trees depth first, handing each directory
    // and file to these two as it comes (a restore starts writing files while the rest of the
    // trees is still read: listing 20,000 files took a tenth of the restore before).
    auto walk = [&](const ItemSink &onDir, const ItemSink &onFile) -> Result<void> {
        if (options.path.isEmpty())
            return collect(repo, snapshot.tree, target, onDir, onFile);
        // Down to the requested entry; its ancestors are created as directories too.
        auto chain = walkTo(repo, snapshot, options.path);
        if (!chain)
            return chain.error();
        std::string dest = target;
        for (TreeNode &n : *chain) {
            dest += "/" + n.name;
            const bool dir = n.type == TreeNode::Type::Dir;
            const Id sub = n.subtree;
            if (auto r = (dir ? onDir : onFile)(Item { dest, std::move(n) }); !r)
                return r;
            if (dir && &n == &chain->back())
                return collect(repo, sub, dest, onDir, onFile);
        }
        return {};
    };

    RestoreStats stats;
    std::vector<Item> dirs;
    if (options.dryRun) {
        std::vector<Item> files;
        auto keep = [](std::vector<Item> &list) {
            return [&list](Item &&item) -> Result<void> {
                list.push_back(std::move(item));
                return {};
            };
        };
        if (auto r = walk(keep(dirs), keep(files)); !r)
            return r.error();
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

    // The calling thread lists (and creates the directories) while the workers restore the
    // files it queued; then it restores too, or reports progress.
    // Files go to the workers in batches: a worker that waits for each file sleeps and wakes
    // 20,000 times, and on a busy machine each wake-up waits for a CPU.
    using Batch = std::vector<Item>;
    constexpr std::size_t BatchFiles = 64;
    constexpr std::uint64_t BatchBytes = 16u << 20;
    // Not bounded: the listing must not wait for the workers (it joins them when done), and
    // the list of files was held whole before (a few hundred bytes a file).
    Internal::JobQueue<Batch> queue(std::numeric_limits<std::size_t>::max());
    Batch batch;
    std::uint64_t batchBytes = 0;
    std::atomic<std::uint64_t> total { 0 };
    std::atomic<std::uint64_t> listed { 0 };
    std::atomic<std::uint64_t> doneBytes { 0 };
    std::atomic<std::uint64_t> doneFiles { 0 };
    std::uint64_t links = 0;
    std::mutex errorMutex;
    std::optional<Error> error;
    auto fail = [&](Error e) {
        std::lock_guard l(errorMutex);
        if (!error)
            error = std::move(e);
        queue.abort();
    };
    auto work = [&] {
        FileRestorer restorer(repo, options.owners);
        Batch items;
        while (queue.pop(&items)) {
            for (const Item &item : items) {
                if (options.control.cancelled()) {
                    fail(makeError("backup.cancelled",
                        QStringLiteral("the restore was cancelled; files restored so far stay")));
                    return;
                }
                if (auto r = restorer.restore(item); !r) {
                    fail(r.error());
                    return;
                }
                doneBytes += item.node.size;
                ++doneFiles;
            }
        }
    };
    std::vector<std::thread> threads;
    for (int i = 1; i < std::max(1, options.threads); ++i)
        threads.emplace_back(work);
    const auto listedAll = walk(
        [&](Item &&d) -> Result<void> {
            if (::mkdir(d.path.c_str(), 0700) != 0 && errno != EEXIST)
                return targetError("create the directory", d.path);
            dirs.push_back(std::move(d));
            return {};
        },
        [&](Item &&f) -> Result<void> {
            total += f.node.size;
            ++listed;
            links += f.node.type == TreeNode::Type::Symlink ? 1 : 0;
            batchBytes += f.node.size;
            batch.push_back(std::move(f));
            if (batch.size() < BatchFiles && batchBytes < BatchBytes)
                return {};
            batchBytes = 0;
            if (!queue.push(std::exchange(batch, Batch()), 1))
                return makeError("backup.aborted", QString()); // a worker failed: its error
            return {};
        });
    if (!listedAll && listedAll.error().code != QLatin1String("backup.aborted"))
        fail(listedAll.error());
    if (!batch.empty())
        queue.push(std::move(batch), 1);
    queue.close();
    if (options.control.progress) {
        threads.emplace_back(work);
        while (doneFiles.load() < listed.load()) {
            {
                std::lock_guard l(errorMutex);
                if (error)
                    break;
            }
            options.control.progress(
                Progress { doneBytes.load(), total.load(), doneFiles.load(), listed.load() });
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
    stats.files = listed.load();
    stats.dirs = dirs.size();
    stats.bytes = doneBytes.load();
    stats.links = links;
    stats.durationMs = clock.elapsed();
    return stats;
}

Result<std::uint64_t> streamFile(const Repository &repo, const SnapshotInfo &snapshot,
    const QString &path, const ChunkSink &sink, const Control &control)
{
    const auto lock = RepoLock::acquire(repo.path(), RepoLock::Kind::Shared);
    if (!lock)
        return lock.error();
    const auto chain = walkTo(repo, snapshot, path);
    if (!chain)
        return chain.error();
    if (chain->empty() || chain->back().type != TreeNode::Type::File)
        return makeError("backup.no_path",
            QStringLiteral("%1 is not a file in snapshot %2")
                .arg(path, QString::fromStdString(snapshot.id.hex()).left(12)),
            { path });
    const TreeNode &n = chain->back();
    ChunkReader chunks(repo);
    Sha256 sha;
    std::uint64_t done = 0;
    QElapsedTimer progressClock;
    progressClock.start();
    for (std::size_t i = 0; i < n.chunks.size(); ++i) {
        if (control.cancelled())
            return makeError("backup.cancelled", QStringLiteral("the restore was cancelled"));
        auto data = chunks.read(n.chunks[i]);
        if (!data)
            return data.error();
        sha.update(data->data, data->size);
        done += data->size;
        // The last chunk goes out only after the whole file has matched the manifest, so a
        // consumer that acts at the end (a transaction's commit) never acts on bad content.
        if (i + 1 == n.chunks.size() && (sha.finish() != n.sha256 || done != n.size))
            return contentMismatch(QFile::encodeName(path).toStdString());
        if (auto r = sink(data->data, data->size); !r)
            return r.error();
        if (control.progress && progressClock.elapsed() >= 200) {
            progressClock.restart();
            control.progress(Progress { done, n.size, 0, 0 });
        }
    }
    if (n.chunks.empty() && n.size != 0)
        return contentMismatch(QFile::encodeName(path).toStdString());
    return done;
}

} // namespace Shivx::Backup
