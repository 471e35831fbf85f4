#include "integrity/safesnapshots.h"

#include "backup/backupconfig.h"
#include "backup/credentialsource.h"
#include "backup/pruner.h"
#include "backup/repolock.h"
#include "backup/repository.h"
#include "backup/tree.h"
#include "integrity/baselinestore.h"
#include "integrity/integrityconfig.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QSysInfo>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_set>

namespace Shivx {

using namespace Backup;

namespace {

// The backup set name of the roots that name a baseline's copies. Only these are ever
// forgotten here; in the backup repository the backups' retention leaves them alone (it
// forgets only configured sets) and their prune marks from them.
constexpr QLatin1String RootSet(IntegrityRootSet);

// Configuration files compress well and are read rarely: zstd's default level is plenty.
constexpr int ZstdLevel = 3;

Error storeError(const QString &what)
{
    return makeError("integrity.snapshot_store",
        QStringLiteral("the integrity snapshot store: %1").arg(what), { what });
}

Error tampered(const QString &path, const QString &why)
{
    return makeError("integrity.snapshot_tampered",
        QStringLiteral("the snapshot of %1 cannot be trusted, nothing was restored from it: %2")
            .arg(path, why),
        { path, why });
}

QByteArray toBytes(const Id &id)
{
    return QByteArray(reinterpret_cast<const char *>(id.b.data()), int(id.b.size()));
}

bool fromBytes(const QByteArray &bytes, Id *out)
{
    if (bytes.size() != int(out->b.size()))
        return false;
    std::memcpy(out->b.data(), bytes.constData(), out->b.size());
    return true;
}

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

// Stores one file's content as data objects plus a one-node tree; returns the tree's id, or
// an empty id with `why` set when the file cannot be stored as recorded (a warning, not an
// error: the rest of the baseline is still worth recording).
Result<QByteArray> storeFile(Repository &repo, PackWriter &writer,
    std::unordered_set<Id, IdHash> &pending, const FileState &f, qint64 maxBytes, QString *why)
{
    const int fd = ::open(QFile::encodeName(f.path).constData(),
        O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        *why = errnoText();
        return QByteArray();
    }
    struct stat st;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        *why = QStringLiteral("no longer a regular file");
        ::close(fd);
        return QByteArray();
    }
    if (st.st_size > maxBytes) {
        *why = QStringLiteral("%1 bytes, above the limit of %2 (integrity.snapshot_max_mib)")
                   .arg(qint64(st.st_size))
                   .arg(maxBytes);
        ::close(fd);
        return QByteArray();
    }
    const auto add
        = [&](BlobType type, const Id &id, const std::uint8_t *p, std::size_t n) -> Result<void> {
        if (repo.hasBlob(id) || !pending.insert(id).second)
            return {};
        return writer.add(type, id, repo.encodeBlob(type, id, p, n, ZstdLevel), std::uint32_t(n));
    };
    // The chunker wants at least its maximum chunk size offered unless the file ends first.
    const std::size_t maxChunk = repo.chunker().params().max;
    Bytes buf(2 * maxChunk);
    std::size_t start = 0, end = 0;
    bool eof = false;
    Sha256 sha;
    TreeNode node;
    // A fixed name (trees need one): equal content must give an equal tree and id, wherever
    // the file lives.
    node.name = "content";
    node.type = TreeNode::Type::File;
    for (;;) {
        if (!eof && end - start < maxChunk) {
            std::memmove(buf.data(), buf.data() + start, end - start);
            end -= start;
            start = 0;
            while (!eof && end < buf.size()) {
                const ssize_t got = ::read(fd, buf.data() + end, buf.size() - end);
                if (got < 0 && errno == EINTR)
                    continue;
                if (got < 0) {
                    *why = errnoText();
                    ::close(fd);
                    return QByteArray();
                }
                eof = got == 0;
                end += std::size_t(got);
            }
        }
        if (end == start)
            break;
        const std::size_t len = repo.chunker().cut(buf.data() + start, end - start);
        const Id id = repo.blobId(buf.data() + start, len);
        sha.update(buf.data() + start, len);
        if (auto r = add(BlobType::Data, id, buf.data() + start, len); !r) {
            ::close(fd);
            return storeError(r.error().message);
        }
        node.chunks.push_back(id);
        node.size += len;
        start += len;
    }
    ::close(fd);
    node.sha256 = sha.finish();
    if (toBytes(node.sha256) != f.sha256) {
        *why = QStringLiteral("changed since it was hashed; accept it again to protect it");
        return QByteArray();
    }
    const QByteArray tree = encodeTree({ node });
    const auto *p = reinterpret_cast<const std::uint8_t *>(tree.constData());
    const Id treeId = repo.blobId(p, std::size_t(tree.size()));
    if (auto r = add(BlobType::Tree, treeId, p, std::size_t(tree.size())); !r)
        return storeError(r.error().message);
    return toBytes(treeId);
}

// The index as it is on disk: another process (a backup, its prune) may have written or
// replaced index files since it was read. Called under a repository lock.
Result<void> refreshIndex(Repository &repo)
{
    QStringList names
        = QDir(repo.path() + QStringLiteral("/index")).entryList(QDir::Files, QDir::Name);
    names.removeIf([](const QString &n) { return n.contains(QLatin1String(".tmp-")); });
    if (names == repo.indexFiles())
        return {};
    if (auto r = repo.loadIndex(); !r)
        return storeError(r.error().message);
    return {};
}

Result<std::unique_ptr<RepoLock>> sharedLock(const Repository &repo)
{
    auto lock = RepoLock::acquire(repo.path(), RepoLock::Kind::Shared);
    if (!lock)
        return storeError(lock.error().message);
    return std::move(*lock);
}

struct Root
{
    Id snapshot; // the newest root snapshot naming exactly the baseline's copies
    int copies = 0;
    QList<Id> others; // every other root snapshot
};

// Makes sure a root snapshot names every copy `baseline` names (one directory node per copy,
// so that the backup pruner's mark reaches exactly those; ids the store lacks are left out:
// mark would fail on them, and a restore of them fails with integrity.snapshot_tampered
// anyway) and says which other roots there are.
Result<Root> recordRoot(Repository &r, const Baseline &baseline)
{
    std::vector<TreeNode> nodes;
    QSet<QByteArray> seen;
    for (const FileState &f : baseline.files) {
        Id id;
        if (!fromBytes(f.snapshot, &id) || !r.hasBlob(id) || seen.contains(f.snapshot))
            continue;
        seen.insert(f.snapshot);
        TreeNode n;
        n.name = id.hex();
        n.type = TreeNode::Type::Dir;
        n.subtree = id;
        nodes.push_back(std::move(n));
    }
    std::sort(nodes.begin(), nodes.end(),
        [](const TreeNode &a, const TreeNode &b) { return a.name < b.name; });
    const QByteArray tree = encodeTree(nodes);
    const auto *p = reinterpret_cast<const std::uint8_t *>(tree.constData());
    const Id rootId = r.blobId(p, std::size_t(tree.size()));
    if (!r.hasBlob(rootId)) {
        PackWriter writer(r);
        if (auto w = writer.add(BlobType::Tree, rootId,
                r.encodeBlob(BlobType::Tree, rootId, p, std::size_t(tree.size()), ZstdLevel),
                std::uint32_t(tree.size()));
            !w)
            return storeError(w.error().message);
        const auto packs = writer.flush();
        if (!packs)
            return storeError(packs.error().message);
        if (auto idx = r.writeIndexFile(*packs); !idx)
            return storeError(idx.error().message);
    }
    const auto snapshots = r.snapshots();
    if (!snapshots)
        return storeError(snapshots.error().message);
    Root out;
    out.copies = int(nodes.size());
    bool have = false;
    for (const SnapshotInfo &s : *snapshots)
        if (s.set == RootSet && s.tree == rootId) {
            out.snapshot = s.id;
            have = true;
        }
    if (!have) {
        const QJsonObject doc { { QStringLiteral("time"),
                                    QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) },
            { QStringLiteral("host"), QSysInfo::machineHostName() },
            { QStringLiteral("set"), RootSet }, { QStringLiteral("type"), QStringLiteral("full") },
            { QStringLiteral("tree"), QString::fromStdString(rootId.hex()) },
            { QStringLiteral("paths"), QJsonArray() },
            { QStringLiteral("stats"),
                QJsonObject { { QStringLiteral("files"), qint64(nodes.size()) } } } };
        const auto id = r.writeSnapshot(doc);
        if (!id)
            return storeError(id.error().message);
        out.snapshot = *id;
    }
    for (const SnapshotInfo &s : *snapshots)
        if (s.set == RootSet && s.id != out.snapshot)
            out.others.append(s.id);
    return out;
}

} // namespace

SafeSnapshots::SafeSnapshots(QString dataDir, qint64 maxFileBytes, StoreChoice choice,
    std::shared_ptr<const BackupConfig> backup)
    : m_dataDir(std::move(dataDir))
    , m_maxFileBytes(maxFileBytes)
    , m_choice(choice)
    , m_backup(std::move(backup))
{
}

SafeSnapshots::~SafeSnapshots() = default;

QString SafeSnapshots::repositoryPath(const QString &dataDir)
{
    return dataDir + QStringLiteral("/integrity/snapshots");
}

QString SafeSnapshots::keyPath(const QString &dataDir)
{
    return dataDir + QStringLiteral("/integrity/snapshots.key");
}

namespace {

bool usesBackup(
    const QString &dataDir, SafeSnapshots::StoreChoice choice, const BackupConfig *backup)
{
    switch (choice) {
    case SafeSnapshots::StoreChoice::Own:
        return false;
    case SafeSnapshots::StoreChoice::Backup:
        return true;
    case SafeSnapshots::StoreChoice::Auto:
        break;
    }
    // "Once backups have landed": the repository is initialised.
    return backup && QFileInfo::exists(backup->repositoryPath(dataDir) + QStringLiteral("/config"));
}

} // namespace

QString SafeSnapshots::describeStore(
    const QString &dataDir, StoreChoice choice, const BackupConfig *backup)
{
    if (usesBackup(dataDir, choice, backup))
        return backup
            ? QStringLiteral("the backup repository %1").arg(backup->repositoryPath(dataDir))
            : QStringLiteral("the backup repository (none configured)");
    return QStringLiteral("the integrity store %1").arg(repositoryPath(dataDir));
}

bool SafeSnapshots::useBackup() const
{
    return usesBackup(m_dataDir, m_choice, m_backup.get());
}

Result<Repository *> SafeSnapshots::repository()
{
    return useBackup() ? backupRepository() : ownRepository(true);
}

Result<Repository *> SafeSnapshots::backupRepository()
{
    if (m_shared)
        return m_shared.get();
    if (!m_backup)
        return storeError(QStringLiteral("integrity.snapshot_store is `backup`, but the "
                                         "engine has no backup configuration"));
    const QString path = m_backup->repositoryPath(m_dataDir);
    if (!QFileInfo::exists(path + QStringLiteral("/config")))
        return storeError(QStringLiteral("integrity.snapshot_store is `backup`, but %1 is not a "
                                         "backup repository yet (shivx backup init)")
                              .arg(path));
    const auto locked = [&path](const Error &why) {
        return storeError(QStringLiteral("the backup repository %1 cannot be unlocked (%2); "
                                         "integrity.snapshot_store: own keeps the copies apart")
                              .arg(path, why.message));
    };
    const auto credential = configuredCredential(*m_backup, path);
    if (!credential)
        return locked(credential.error());
    auto repo = Repository::open(path, *credential);
    if (!repo)
        return locked(repo.error());
    if (auto r = (*repo)->loadIndex(); !r)
        return storeError(r.error().message);
    m_shared = std::move(*repo);
    return m_shared.get();
}

Result<Repository *> SafeSnapshots::ownRepository(bool create)
{
    if (m_own)
        return m_own.get();
    const QString dir = m_dataDir + QStringLiteral("/integrity");
    const QString repoPath = repositoryPath(m_dataDir);
    const QString key = keyPath(m_dataDir);
    if (!QDir().mkpath(dir) || ::chmod(QFile::encodeName(dir).constData(), 0700) != 0)
        return storeError(QStringLiteral("cannot create %1 (mode 0700): %2").arg(dir, errnoText()));
    const bool haveRepo = QFileInfo::exists(repoPath + QStringLiteral("/config"));
    if (!haveRepo && !create)
        return nullptr;
    if (haveRepo && !QFileInfo::exists(key))
        return storeError(QStringLiteral("its key file %1 is gone, so the copies in %2 cannot be "
                                         "read; move %2 aside and update the baseline to start "
                                         "a new store")
                              .arg(key, repoPath));
    auto credential
        = QFileInfo::exists(key) ? KeySlots::readKeyFile(key) : KeySlots::createKeyFile(key);
    if (!credential)
        return storeError(credential.error().message);
    Result<std::unique_ptr<Repository>> repo = storeError(QString());
    if (haveRepo) {
        repo = Repository::open(repoPath, *credential);
    } else {
        // An init killed before it wrote `config` leaves a directory that is no repository
        // and holds nothing yet: start it again.
        QDir(repoPath).removeRecursively();
        repo = Repository::init(repoPath, *credential, Repository::InitOptions());
    }
    if (!repo)
        return storeError(repo.error().message);
    if (auto r = (*repo)->loadIndex(); !r)
        return storeError(r.error().message);
    m_own = std::move(*repo);
    return m_own.get();
}

Result<void> SafeSnapshots::protect(
    Baseline *next, const Baseline *previous, const IntegrityConfig &config, QStringList *warnings)
{
    QList<FileState *> todo;
    for (FileState &f : next->files) {
        const IntegrityPathSet *set = config.set(f.set);
        f.snapshot.clear();
        if (set && set->protectRestore && f.kind == FileState::Kind::Regular
            && f.sha256.size() == 32)
            todo.append(&f);
    }
    if (todo.isEmpty())
        return {};
    auto repo = repository();
    if (!repo)
        return repo.error();
    // In the backup repository, as a backup does: a shared lock from before the first object
    // is looked up until the root names them all, so that no prune deletes one in between.
    std::unique_ptr<RepoLock> lock;
    const bool shared = *repo == m_shared.get();
    if (shared) {
        auto l = sharedLock(**repo);
        if (!l)
            return l.error();
        lock = std::move(*l);
        if (auto r = refreshIndex(**repo); !r)
            return r;
    }
    PackWriter writer(**repo);
    std::unordered_set<Id, IdHash> pending;
    for (FileState *f : std::as_const(todo)) {
        if (previous) {
            const auto old = previous->files.constFind(f->path);
            Id id;
            if (old != previous->files.constEnd() && old->sha256 == f->sha256
                && fromBytes(old->snapshot, &id) && (*repo)->hasBlob(id)) {
                f->snapshot = old->snapshot;
                continue;
            }
        }
        QString why;
        const auto id = storeFile(**repo, writer, pending, *f, m_maxFileBytes, &why);
        if (!id)
            return id.error();
        f->snapshot = *id;
        if (id->isEmpty())
            warnings->append(QStringLiteral("%1: no snapshot: %2").arg(f->path, why));
    }
    const auto packs = writer.flush();
    if (!packs)
        return storeError(packs.error().message);
    if (!packs->empty())
        if (auto idx = (*repo)->writeIndexFile(*packs); !idx)
            return storeError(idx.error().message);
    if (shared)
        if (auto root = recordRoot(**repo, *next); !root)
            return root.error();
    return {};
}

Result<void> SafeSnapshots::writeContent(const FileState &record, int fd)
{
    Id treeId;
    if (!fromBytes(record.snapshot, &treeId))
        return makeError("integrity.no_snapshot",
            QStringLiteral("%1 has no snapshot to restore from (its set is not `protect: "
                           "restore`, or it was too large or unreadable when the baseline was "
                           "written)")
                .arg(record.path),
            { record.path });
    auto repo = repository();
    if (!repo)
        return repo.error();
    Repository *from = *repo;
    std::unique_ptr<RepoLock> lock;
    if (from == m_shared.get()) {
        // A backup prune may have repacked the copies since the index was read.
        auto l = sharedLock(*from);
        if (!l)
            return l.error();
        lock = std::move(*l);
        if (auto r = refreshIndex(*from); !r)
            return r;
        // Copies move to the backup repository at the first baseline update after it was
        // initialised; until then they are still in the module's own store.
        if (!from->hasBlob(treeId)) {
            const auto own = ownRepository(false);
            if (own && *own)
                from = *own;
        }
    }
    const auto tree = from->readBlob(treeId);
    if (!tree)
        return tampered(record.path, tree.error().message);
    const auto nodes = decodeTree(tree->data(), tree->size());
    if (!nodes || nodes->size() != 1 || toBytes(nodes->front().sha256) != record.sha256)
        return tampered(record.path,
            QStringLiteral("its file object does not describe the "
                           "recorded content"));
    Sha256 sha;
    for (const Id &chunk : nodes->front().chunks) {
        const auto data = from->readBlob(chunk);
        if (!data)
            return tampered(record.path, data.error().message);
        sha.update(data->data(), data->size());
        for (std::size_t done = 0; done < data->size();) {
            const ssize_t n = ::write(fd, data->data() + done, data->size() - done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return makeError("integrity.restore_io",
                    QStringLiteral("writing the restored copy of %1: %2")
                        .arg(record.path, errnoText()),
                    { record.path });
            done += std::size_t(n);
        }
    }
    if (toBytes(sha.finish()) != record.sha256)
        return tampered(record.path,
            QStringLiteral("the restored content's SHA-256 is not "
                           "the baseline's"));
    return {};
}

Result<SafeSnapshots::Pruned> SafeSnapshots::prune(const Baseline &current)
{
    if (useBackup()) {
        const auto repo = backupRepository();
        if (!repo)
            return repo.error();
        return pruneShared(**repo, current);
    }
    if (!m_own && !QFileInfo::exists(repositoryPath(m_dataDir) + QStringLiteral("/config")))
        return Pruned(); // no store: nothing was ever copied
    const auto repo = ownRepository(true);
    if (!repo)
        return repo.error();
    return pruneOwn(**repo, current);
}

Result<SafeSnapshots::Pruned> SafeSnapshots::pruneOwn(Repository &r, const Baseline &current)
{
    const auto root = recordRoot(r, current);
    if (!root)
        return root.error();
    PruneOptions options;
    options.exclusiveTimeoutMs = 10'000;
    const auto stats = runPrune(r, root->others, options);
    if (!stats)
        return storeError(stats.error().message);
    Pruned out;
    out.copies = root->copies;
    out.objectsDropped = qint64(stats->objectsDropped);
    out.packsDeleted = stats->packsDeleted;
    out.packsRewritten = stats->packsRewritten;
    out.bytesFreed = qint64(stats->bytesFreed);
    return out;
}

Result<SafeSnapshots::Pruned> SafeSnapshots::pruneShared(Repository &r, const Baseline &current)
{
    Pruned out;
    {
        auto lock = sharedLock(r);
        if (!lock)
            return lock.error();
        if (auto f = refreshIndex(r); !f)
            return f.error();
        const auto root = recordRoot(r, current);
        if (!root)
            return root.error();
        out.copies = root->copies;
        // Forgetting is all: the backups' prune reclaims what no root and no backup needs,
        // with the rest of the repository, on its own schedule (a mark of a whole backup
        // repository at every baseline update would cost far more than the copies).
        for (const Id &id : root->others) {
            if (auto f = r.removeSnapshot(id); !f)
                return storeError(f.error().message);
            ++out.rootsForgotten;
        }
    }
    // The module's own store goes once the backup repository holds every copy `current`
    // names: `config` first, so that a kill part-way leaves a directory that is no store.
    const QString own = repositoryPath(m_dataDir);
    if (!QFileInfo::exists(own))
        return out;
    for (const FileState &f : current.files) {
        Id id;
        if (fromBytes(f.snapshot, &id) && !r.hasBlob(id))
            return out;
    }
    m_own.reset();
    QFile::remove(own + QStringLiteral("/config"));
    if (!QDir(own).removeRecursively())
        return storeError(QStringLiteral("cannot remove %1, whose copies are all in the backup "
                                         "repository %2 now")
                              .arg(own, r.path()));
    QFile::remove(keyPath(m_dataDir));
    out.ownStoreRemoved = true;
    return out;
}

} // namespace Shivx
