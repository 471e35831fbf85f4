#include "backup/backupjob.h"

#include "backup/jobqueue.h"
#include "backup/postgresdump.h"
#include "backup/repolock.h"
#include "backup/sqlitecopy.h"
#include "backup/tree.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSysInfo>
#include <QTemporaryDir>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <functional>
#include <map>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <unordered_set>

namespace Shivx::Backup {

QString backupTypeName(BackupType type)
{
    switch (type) {
    case BackupType::Full:
        return QStringLiteral("full");
    case BackupType::Incremental:
        return QStringLiteral("incremental");
    case BackupType::Differential:
        return QStringLiteral("differential");
    }
    return QString();
}

bool parseBackupType(const QString &text, BackupType *out)
{
    for (BackupType t : { BackupType::Full, BackupType::Incremental, BackupType::Differential }) {
        if (text == backupTypeName(t)) {
            *out = t;
            return true;
        }
    }
    return false;
}

namespace {

struct Job
{
    BlobType type = BlobType::Data;
    Id id;
    Bytes data;
};

// The source paths as a tree of names, so that the snapshot's root tree holds full paths
// ("/srv/app/data" -> srv -> app -> data) as restic's does.
struct PathTrie
{
    std::map<std::string, PathTrie> children;
    bool isSource = false;
};

QString qpath(const std::string &p)
{
    return QFile::decodeName(QByteArray::fromStdString(p));
}

Error sourceError(const char *what, const std::string &path)
{
    return makeError("backup.source",
        QStringLiteral("cannot %1 %2: %3")
            .arg(QLatin1String(what), qpath(path), QString::fromLocal8Bit(std::strerror(errno))),
        { qpath(path) });
}

const TreeNode *findNode(const std::vector<TreeNode> *nodes, const std::string &name)
{
    if (!nodes)
        return nullptr;
    const auto it = std::lower_bound(nodes->begin(), nodes->end(), name,
        [](const TreeNode &n, const std::string &key) { return n.name < key; });
    return it != nodes->end() && it->name == name ? &*it : nullptr;
}

void fillStat(TreeNode &n, const struct stat &st)
{
    n.mode = std::uint32_t(st.st_mode & 07777);
    n.uid = st.st_uid;
    n.gid = st.st_gid;
    n.mtimeSec = st.st_mtim.tv_sec;
    n.mtimeNsec = st.st_mtim.tv_nsec;
    n.ctimeSec = st.st_ctim.tv_sec;
    n.ctimeNsec = st.st_ctim.tv_nsec;
    n.inode = st.st_ino;
}

class Walker
{
public:
    Walker(Repository &repo, const BackupSetSpec &set, const BackupOptions &options,
        Internal::JobQueue<Job> &queue, BackupStats &stats)
        : m_repo(repo)
        , m_options(options)
        , m_queue(queue)
        , m_stats(stats)
        , m_buffer(2 * repo.chunker().params().max)
    {
        for (const QString &p : set.exclude)
            m_exclude.push_back(QFile::encodeName(p).toStdString());
        for (const QString &p : set.include)
            m_include.push_back(QFile::encodeName(p).toStdString());
        if (options.touched) {
            // Each changed path and every directory above it.
            for (const QString &t : *options.touched) {
                std::string p = QFile::encodeName(QDir::cleanPath(t)).toStdString();
                while (!p.empty() && m_touched.insert(p).second)
                    p = p.substr(0, p.rfind('/'));
            }
        }
        m_progressClock.start();
    }

    std::map<std::string, std::string> sqliteCopies; // original path -> consistent copy
    QList<PostgresSourceSpec> postgres; // dumped into the root's "postgresql" directory
    std::uint64_t totalBytes = 0;

    // Sum of the sizes of the files the walk will visit, for the ETA.
    void prescan(const std::string &path, bool root)
    {
        struct stat st;
        if (::lstat(path.c_str(), &st) != 0)
            return;
        const std::string name = path.substr(path.rfind('/') + 1);
        if (!root && excluded(name, path))
            return;
        if (S_ISREG(st.st_mode) && (root || included(name)))
            totalBytes += std::uint64_t(st.st_size);
        if (!S_ISDIR(st.st_mode))
            return;
        DIR *d = ::opendir(path.c_str());
        if (!d)
            return;
        while (const dirent *e = ::readdir(d)) {
            if (std::strcmp(e->d_name, ".") && std::strcmp(e->d_name, ".."))
                prescan(path + "/" + e->d_name, false);
        }
        ::closedir(d);
    }

    // The tree of the level `prefix` of the source trie; returns its id.
    Result<Id> virtualLevel(
        const std::string &prefix, const PathTrie &trie, const std::vector<TreeNode> *parent)
    {
        std::vector<TreeNode> nodes;
        for (const auto &[name, child] : trie.children) {
            const std::string path = prefix + "/" + name;
            const TreeNode *old = findNode(parent, name);
            struct stat st;
            if (::lstat(path.c_str(), &st) != 0)
                return sourceError("read the source", path);
            if (child.isSource) {
                auto n = entry(path, name, st, old, true);
                if (!n)
                    return n.error();
                if (!n->name.empty())
                    nodes.push_back(std::move(*n));
                continue;
            }
            TreeNode n;
            n.name = name;
            n.type = TreeNode::Type::Dir;
            fillStat(n, st);
            std::vector<TreeNode> oldChildren;
            const bool haveOld = loadChildren(old, &oldChildren);
            auto sub = virtualLevel(path, child, haveOld ? &oldChildren : nullptr);
            if (!sub)
                return sub.error();
            n.subtree = *sub;
            ++m_stats.dirs;
            nodes.push_back(std::move(n));
        }
        if (prefix.empty() && !postgres.isEmpty()) {
            auto dumps = postgresDirectory(findNode(parent, PostgresDir));
            if (!dumps)
                return dumps.error();
            const auto at = std::lower_bound(nodes.begin(), nodes.end(), dumps->name,
                [](const TreeNode &n, const std::string &key) { return n.name < key; });
            nodes.insert(at, std::move(*dumps));
        }
        return storeTree(nodes);
    }

    static constexpr const char *PostgresDir = "postgresql";

private:
    bool matches(const std::vector<std::string> &globs, const std::string &name,
        const std::string &path) const
    {
        for (const std::string &g : globs) {
            if (::fnmatch(g.c_str(), name.c_str(), 0) == 0
                || ::fnmatch(g.c_str(), path.c_str(), FNM_PATHNAME) == 0)
                return true;
        }
        return false;
    }
    bool excluded(const std::string &name, const std::string &path) const
    {
        return matches(m_exclude, name, path);
    }
    bool included(const std::string &name) const
    {
        return m_include.empty() || matches(m_include, name, name);
    }

    bool loadChildren(const TreeNode *old, std::vector<TreeNode> *out)
    {
        if (!old || old->type != TreeNode::Type::Dir)
            return false;
        const auto raw = m_repo.readBlob(old->subtree);
        if (!raw)
            return false; // the parent is damaged: read everything below
        auto nodes = decodeTree(raw->data(), raw->size());
        if (!nodes)
            return false;
        *out = std::move(*nodes);
        return true;
    }

    // One directory entry; a node with an empty name means "left out".
    Result<TreeNode> entry(const std::string &path, const std::string &name, const struct stat &st,
        const TreeNode *old, bool root)
    {
        if (m_options.control.cancelled())
            return makeError("backup.cancelled", QStringLiteral("the backup was cancelled"));
        TreeNode n;
        if (!root && excluded(name, path))
            return n;
        n.name = name;
        fillStat(n, st);
        if (S_ISDIR(st.st_mode)) {
            n.type = TreeNode::Type::Dir;
            if (m_options.touched && old && old->type == TreeNode::Type::Dir
                && !m_touched.count(path)) {
                // Nothing below changed (continuous mode): the parent's subtree, counted from
                // its trees (no file system access) so the snapshot's totals stay whole.
                countTree(old->subtree);
                ++m_stats.dirs;
                return *old;
            }
            std::vector<TreeNode> oldChildren;
            const bool haveOld = loadChildren(old, &oldChildren);
            auto sub
                = directory(path, haveOld ? &oldChildren : nullptr, haveOld ? old->subtree : Id());
            if (!sub)
                return sub.error();
            n.subtree = *sub;
            ++m_stats.dirs;
            return n;
        }
        if (S_ISLNK(st.st_mode)) {
            n.type = TreeNode::Type::Symlink;
            std::string target(std::size_t(st.st_size > 0 ? st.st_size : 256) + 1, '\0');
            const ssize_t len = ::readlink(path.c_str(), target.data(), target.size());
            if (len < 0)
                return sourceError("read the link", path);
            target.resize(std::size_t(len));
            n.target = target;
            return n;
        }
        if (!S_ISREG(st.st_mode)) {
            ++m_stats.skipped; // sockets, fifos, devices: nothing to restore them from
            return TreeNode();
        }
        if (!root && !included(name))
            return TreeNode();
        n.type = TreeNode::Type::File;
        ++m_stats.files;
        const auto copy = sqliteCopies.find(path);
        if (copy == sqliteCopies.end() && old && old->type == TreeNode::Type::File
            && old->size == std::uint64_t(st.st_size) && old->mtimeSec == n.mtimeSec
            && old->mtimeNsec == n.mtimeNsec && old->ctimeSec == n.ctimeSec
            && old->ctimeNsec == n.ctimeNsec && old->inode == n.inode && haveAll(old->chunks)) {
            n.size = old->size;
            n.sha256 = old->sha256;
            n.chunks = old->chunks;
            m_stats.bytes += n.size;
            m_done += n.size;
            reportProgress();
            return n;
        }
        if (auto r = readFile(copy == sqliteCopies.end() ? path : copy->second, n); !r) {
            if (r.error().code == QLatin1String("backup.vanished")) {
                --m_stats.files; // deleted between the listing and the open: not in the set
                return TreeNode();
            }
            return r.error();
        }
        m_stats.bytes += n.size;
        return n;
    }

    void countTree(const Id &tree)
    {
        std::vector<TreeNode> nodes;
        TreeNode dir;
        dir.type = TreeNode::Type::Dir;
        dir.subtree = tree;
        if (!loadChildren(&dir, &nodes))
            return;
        for (const TreeNode &n : nodes) {
            if (n.type == TreeNode::Type::Dir) {
                ++m_stats.dirs;
                countTree(n.subtree);
            } else if (n.type == TreeNode::Type::File) {
                ++m_stats.files;
                m_stats.bytes += n.size;
            }
        }
    }

    bool haveAll(const std::vector<Id> &chunks) const
    {
        for (const Id &c : chunks) {
            if (!m_pending.count(c) && !m_repo.hasBlob(c))
                return false;
        }
        return true;
    }

    static bool sameNode(const TreeNode &a, const TreeNode &b)
    {
        return a.name == b.name && a.type == b.type && a.mode == b.mode && a.uid == b.uid
            && a.gid == b.gid && a.mtimeSec == b.mtimeSec && a.mtimeNsec == b.mtimeNsec
            && a.ctimeSec == b.ctimeSec && a.ctimeNsec == b.ctimeNsec && a.inode == b.inode
            && a.size == b.size && a.sha256 == b.sha256 && a.chunks == b.chunks
            && a.subtree == b.subtree && a.target == b.target;
    }

    Result<Id> directory(
        const std::string &path, const std::vector<TreeNode> *old, const Id &oldId = Id())
    {
        DIR *d = ::opendir(path.c_str());
        if (!d)
            return sourceError("list the directory", path);
        std::vector<std::string> names;
        while (const dirent *e = ::readdir(d)) {
            if (std::strcmp(e->d_name, ".") && std::strcmp(e->d_name, ".."))
                names.emplace_back(e->d_name);
        }
        ::closedir(d);
        std::sort(names.begin(), names.end());
        std::vector<TreeNode> nodes;
        nodes.reserve(names.size());
        for (const std::string &name : names) {
            const std::string child = path + "/" + name;
            struct stat st;
            if (::lstat(child.c_str(), &st) != 0) {
                if (errno == ENOENT)
                    continue; // deleted while we walked
                return sourceError("read", child);
            }
            auto n = entry(child, name, st, findNode(old, name), false);
            if (!n)
                return n.error();
            if (!n->name.empty())
                nodes.push_back(std::move(*n));
        }
        // Unchanged since the parent: its tree is the parent's, without encoding and hashing
        // it again (most directories, in an incremental backup).
        if (old && !oldId.isNull() && old->size() == nodes.size()
            && std::equal(nodes.begin(), nodes.end(), old->begin(), sameNode))
            return oldId;
        return storeTree(nodes);
    }

    Result<Id> storeTree(const std::vector<TreeNode> &nodes)
    {
        const QByteArray bytes = encodeTree(nodes);
        const auto *p = reinterpret_cast<const std::uint8_t *>(bytes.constData());
        const Id id = m_repo.blobId(p, std::size_t(bytes.size()));
        if (!enqueue(BlobType::Tree, id, p, std::size_t(bytes.size())))
            return abortError();
        return id;
    }

    bool enqueue(BlobType type, const Id &id, const std::uint8_t *data, std::size_t size)
    {
        if (m_repo.hasBlob(id) || !m_pending.insert(id).second)
            return true;
        m_stats.newBytes += size;
        return m_queue.push(Job { type, id, Bytes(data, data + size) }, size + 256);
    }

    Error abortError() const
    {
        return makeError("backup.aborted", QStringLiteral("the workers stopped"));
    }

    // Reads `size` bytes at most into the buffer; 0 at the end.
    using Reader = std::function<Result<std::size_t>(std::uint8_t *, std::size_t)>;

    Result<void> readFile(const std::string &path, TreeNode &n)
    {
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOATIME);
        if (fd < 0 && errno == EPERM) // O_NOATIME is for the owner only
            fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT)
            return makeError("backup.vanished", QString());
        if (fd < 0)
            return sourceError("open", path);
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
        auto r = chunkStream(
            [&](std::uint8_t *buf, std::size_t size) -> Result<std::size_t> {
                for (;;) {
                    const ssize_t got = ::read(fd, buf, size);
                    if (got >= 0)
                        return std::size_t(got);
                    if (errno != EINTR)
                        return sourceError("read", path);
                }
            },
            n);
        ::close(fd);
        return r;
    }

    // Chunks, hashes and queues everything `read` gives until its end: the content of n.
    Result<void> chunkStream(const Reader &read, TreeNode &n)
    {
        Sha256 sha;
        const Chunker &chunker = m_repo.chunker();
        const std::size_t max = chunker.params().max;
        std::uint8_t *buf = m_buffer.data();
        const std::size_t capacity = m_buffer.size();
        std::size_t start = 0;
        std::size_t end = 0;
        bool eof = false;
        std::uint64_t total = 0;
        for (;;) {
            while (!eof && end - start < max) {
                if (end == capacity) {
                    std::memmove(buf, buf + start, end - start);
                    end -= start;
                    start = 0;
                }
                const auto got = read(buf + end, capacity - end);
                if (!got)
                    return got.error();
                if (*got == 0)
                    eof = true;
                end += *got;
            }
            if (end == start)
                break;
            const std::size_t len = chunker.cut(buf + start, end - start);
            const std::uint8_t *chunk = buf + start;
            sha.update(chunk, len);
            const Id id = m_repo.blobId(chunk, len);
            n.chunks.push_back(id);
            if (!enqueue(BlobType::Data, id, chunk, len))
                return abortError();
            start += len;
            total += len;
            m_stats.readBytes += len;
            m_done += len;
            reportProgress();
            if (m_options.control.cancelled())
                return cancelledError();
        }
        n.size = total;
        n.sha256 = sha.finish();
        return {};
    }

    static Error cancelledError()
    {
        return makeError("backup.cancelled", QStringLiteral("the backup was cancelled"));
    }

    // The root's "postgresql" directory: one NAME.dump per database, each pg_dump's output
    // streamed through the chunker as it comes (no temporary file). A dump is always read
    // whole (nothing tells what changed); deduplication finds the unchanged parts by content.
    Result<TreeNode> postgresDirectory(const TreeNode *old)
    {
        std::vector<TreeNode> oldDumps;
        const bool haveOld = loadChildren(old, &oldDumps);
        TreeNode dir;
        dir.name = PostgresDir;
        dir.type = TreeNode::Type::Dir;
        dir.mode = 0700;
        dir.uid = ::geteuid();
        dir.gid = ::getegid();
        std::vector<TreeNode> dumps;
        for (const PostgresSourceSpec &pg : std::as_const(postgres)) {
            TreeNode n;
            n.name = QFile::encodeName(pg.dumpName() + QStringLiteral(".dump")).toStdString();
            n.type = TreeNode::Type::File;
            n.mode = 0600;
            n.uid = dir.uid;
            n.gid = dir.gid;
            timespec now {};
            ::clock_gettime(CLOCK_REALTIME, &now);
            n.mtimeSec = n.ctimeSec = now.tv_sec;
            n.mtimeNsec = n.ctimeNsec = now.tv_nsec;
            // The ETA: as big as last time, until it says otherwise.
            if (const TreeNode *before = findNode(haveOld ? &oldDumps : nullptr, n.name))
                totalBytes += before->size;
            if (auto r = dump(pg, n); !r)
                return r.error();
            ++m_stats.files;
            m_stats.bytes += n.size;
            dumps.push_back(std::move(n));
        }
        std::sort(dumps.begin(), dumps.end(),
            [](const TreeNode &a, const TreeNode &b) { return a.name < b.name; });
        dir.mtimeSec = dir.ctimeSec = dumps.empty() ? 0 : dumps.back().mtimeSec;
        auto sub = storeTree(dumps);
        if (!sub)
            return sub.error();
        dir.subtree = *sub;
        ++m_stats.dirs;
        return dir;
    }

    Result<void> dump(const PostgresSourceSpec &pg, TreeNode &n)
    {
        auto child = startPgDump(pg);
        if (!child)
            return child.error();
        PipedChild &pgDump = **child;
        auto read = chunkStream(
            [&](std::uint8_t *buf, std::size_t size) {
                return pgDump.read(buf, size, m_options.control);
            },
            n);
        if (!read) {
            pgDump.kill(); // cancelled or the workers stopped: pg_dump goes too
            return read.error().code == QLatin1String("backup.cancelled") ? cancelledError()
                                                                          : read.error();
        }
        const auto exit = pgDump.wait(m_options.control);
        if (!exit)
            return exit.error().code == QLatin1String("backup.cancelled") ? cancelledError()
                                                                          : exit.error();
        if (!exit->ok())
            return pgDumpFailed(pg, *exit, pgDump.output());
        return {};
    }

    void reportProgress()
    {
        if (!m_options.control.progress || m_progressClock.elapsed() < 200)
            return;
        m_progressClock.restart();
        m_options.control.progress(Progress { m_done, totalBytes, m_stats.files, 0 });
    }

    Repository &m_repo;
    const BackupOptions &m_options;
    Internal::JobQueue<Job> &m_queue;
    BackupStats &m_stats;
    Bytes m_buffer;
    std::vector<std::string> m_exclude;
    std::vector<std::string> m_include;
    std::unordered_set<std::string> m_touched; // continuous mode: changed paths and ancestors
    std::unordered_set<Id, IdHash> m_pending;
    std::uint64_t m_done = 0;
    QElapsedTimer m_progressClock;
};

std::string cleanAbsolute(const QString &p)
{
    return QFile::encodeName(QDir::cleanPath(QDir(p).absolutePath())).toStdString();
}

} // namespace

Result<BackupStats> runBackup(
    Repository &repo, const BackupSetSpec &set, const BackupOptions &options)
{
    QElapsedTimer clock;
    clock.start();
    // Long enough for a prune's exclusive phase on a large repository.
    const auto lock = RepoLock::acquire(repo.path(), RepoLock::Kind::Shared, 30 * 60'000);
    if (!lock)
        return lock.error();
    // Read under the lock: an index read before it could name packs a prune has just deleted,
    // and deduplicating against those would make a snapshot that needs missing data.
    if (auto r = repo.loadIndex(); !r)
        return r.error();
    BackupStats stats;
    const auto all = repo.snapshots();
    if (!all)
        return all.error();
    const SnapshotInfo *parent = nullptr;
    if (options.type != BackupType::Full) {
        for (const SnapshotInfo &s : *all) {
            if (s.set == set.name
                && (options.type == BackupType::Incremental || s.type == QLatin1String("full")))
                parent = &s;
        }
    }
    stats.type = parent ? backupTypeName(options.type) : QStringLiteral("full");
    std::vector<TreeNode> parentRoot;
    if (parent) {
        stats.parent = parent->id;
        const auto raw = repo.readBlob(parent->tree);
        if (!raw)
            return raw.error();
        auto nodes = decodeTree(raw->data(), raw->size());
        if (!nodes)
            return nodes.error();
        parentRoot = std::move(*nodes);
    }

    Internal::JobQueue<Job> queue(options.queueBytes);
    Walker walker(repo, set, options, queue, stats);
    PathTrie trie;
    QStringList roots;
    for (const QStringList &list : { set.paths, set.sqlite }) {
        for (const QString &p : list) {
            const std::string path = cleanAbsolute(p);
            PathTrie *node = &trie;
            std::size_t at = 1;
            while (at <= path.size()) {
                const std::size_t slash = std::min(path.find('/', at), path.size());
                if (slash > at)
                    node = &node->children[path.substr(at, slash - at)];
                at = slash + 1;
            }
            if (node == &trie)
                return makeError("backup.source",
                    QStringLiteral("set %1: the file system root cannot be a source")
                        .arg(set.name));
            node->isSource = true;
            roots.append(qpath(path));
        }
    }
    if (!set.postgresql.isEmpty() && trie.children.count(Walker::PostgresDir))
        return makeError("backup.source",
            QStringLiteral("set %1: /postgresql is where the set's database dumps are in a "
                           "snapshot; it cannot also be a source path")
                .arg(set.name));
    walker.postgres = set.postgresql;
    QTemporaryDir copies;
    for (const QString &db : set.sqlite) {
        const std::string path = cleanAbsolute(db);
        const QString copy = copies.filePath(QString::number(walker.sqliteCopies.size()));
        if (auto c = copySqliteDatabase(qpath(path), copy); !c)
            return c.error();
        walker.sqliteCopies[path] = QFile::encodeName(copy).toStdString();
    }
    if (options.control.progress && !(options.touched && parent)) {
        for (const QString &r : std::as_const(roots))
            walker.prescan(QFile::encodeName(r).toStdString(), true);
    }

    PackWriter writer(repo);
    std::mutex errorMutex;
    std::optional<Error> workerError;
    std::vector<std::thread> workers;
    for (int i = 0; i < std::max(1, options.workers); ++i) {
        workers.emplace_back([&] {
            Job job;
            while (queue.pop(&job)) {
                const Bytes sealed = repo.encodeBlob(
                    job.type, job.id, job.data.data(), job.data.size(), options.zstdLevel);
                if (auto r = writer.add(job.type, job.id, sealed, std::uint32_t(job.data.size()));
                    !r) {
                    std::lock_guard l(errorMutex);
                    if (!workerError)
                        workerError = r.error();
                    queue.abort();
                    return;
                }
            }
        });
    }
    auto root = walker.virtualLevel(std::string(), trie, parent ? &parentRoot : nullptr);
    if (root)
        queue.close();
    else
        queue.abort();
    for (std::thread &t : workers)
        t.join();
    if (workerError)
        return *workerError;
    if (!root)
        return root.error();

    const auto packs = writer.flush();
    if (!packs)
        return packs.error();
    stats.storedBytes = writer.bytesWritten();
    if (!packs->empty()) {
        if (auto idx = repo.writeIndexFile(*packs); !idx)
            return idx.error();
    }
    stats.durationMs = clock.elapsed();
    QJsonArray paths;
    for (const QString &r : std::as_const(roots))
        paths.append(r);
    for (const PostgresSourceSpec &pg : set.postgresql)
        paths.append(pg.entryPath());
    const QJsonObject document {
        { QStringLiteral("version"), 1 },
        { QStringLiteral("time"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) },
        { QStringLiteral("host"), QSysInfo::machineHostName() },
        { QStringLiteral("set"), set.name },
        { QStringLiteral("type"), stats.type },
        { QStringLiteral("parent"), parent ? QString::fromStdString(parent->id.hex()) : QString() },
        { QStringLiteral("tree"), QString::fromStdString(root->hex()) },
        { QStringLiteral("paths"), paths },
        { QStringLiteral("stats"),
            QJsonObject {
                { QStringLiteral("files"), qint64(stats.files) },
                { QStringLiteral("dirs"), qint64(stats.dirs) },
                { QStringLiteral("bytes"), qint64(stats.bytes) },
                { QStringLiteral("read_bytes"), qint64(stats.readBytes) },
                { QStringLiteral("new_bytes"), qint64(stats.newBytes) },
                { QStringLiteral("stored_bytes"), qint64(stats.storedBytes) },
                { QStringLiteral("skipped"), qint64(stats.skipped) },
                { QStringLiteral("duration_ms"), stats.durationMs },
            } },
    };
    const auto id = repo.writeSnapshot(document);
    if (!id)
        return id.error();
    stats.snapshot = *id;
    return stats;
}

} // namespace Shivx::Backup
