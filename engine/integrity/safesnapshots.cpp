#include "integrity/safesnapshots.h"

#include "backup/pruner.h"
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

// The backup set name of the roots prune() records. Only these are ever forgotten: were the
// store shared with backups, their snapshots would stay roots of the pruner's mark.
constexpr QLatin1String RootSet("integrity-baseline");

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

} // namespace

SafeSnapshots::SafeSnapshots(QString dataDir, qint64 maxFileBytes)
    : m_dataDir(std::move(dataDir))
    , m_maxFileBytes(maxFileBytes)
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

Result<Repository *> SafeSnapshots::repository()
{
    if (m_repo)
        return m_repo.get();
    const QString dir = m_dataDir + QStringLiteral("/integrity");
    const QString repoPath = repositoryPath(m_dataDir);
    const QString key = keyPath(m_dataDir);
    if (!QDir().mkpath(dir) || ::chmod(QFile::encodeName(dir).constData(), 0700) != 0)
        return storeError(QStringLiteral("cannot create %1 (mode 0700): %2").arg(dir, errnoText()));
    const bool haveRepo = QFileInfo::exists(repoPath + QStringLiteral("/config"));
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
    m_repo = std::move(*repo);
    return m_repo.get();
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
    const auto tree = (*repo)->readBlob(treeId);
    if (!tree)
        return tampered(record.path, tree.error().message);
    const auto nodes = decodeTree(tree->data(), tree->size());
    if (!nodes || nodes->size() != 1 || toBytes(nodes->front().sha256) != record.sha256)
        return tampered(record.path,
            QStringLiteral("its file object does not describe the "
                           "recorded content"));
    Sha256 sha;
    for (const Id &chunk : nodes->front().chunks) {
        const auto data = (*repo)->readBlob(chunk);
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
    Pruned out;
    if (!m_repo && !QFileInfo::exists(repositoryPath(m_dataDir) + QStringLiteral("/config")))
        return out; // no store: nothing was ever copied
    auto repo = repository();
    if (!repo)
        return repo.error();
    Repository &r = **repo;
    // The root: one directory node per copy the baseline names, so that the backup pruner's
    // mark reaches exactly those (ids the store lacks are left out: mark would fail on them,
    // and a restore of them fails with integrity.snapshot_tampered anyway).
    std::vector<TreeNode> nodes;
    QSet<QByteArray> seen;
    for (const FileState &f : current.files) {
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
    // The newest root naming the same copies is kept; every other one is forgotten.
    Id keep;
    bool have = false;
    for (const SnapshotInfo &s : *snapshots)
        if (s.set == RootSet && s.tree == rootId) {
            keep = s.id;
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
        keep = *id;
    }
    QList<Id> forget;
    for (const SnapshotInfo &s : *snapshots)
        if (s.set == RootSet && s.id != keep)
            forget.append(s.id);
    PruneOptions options;
    options.exclusiveTimeoutMs = 10'000;
    const auto stats = runPrune(r, forget, options);
    if (!stats)
        return storeError(stats.error().message);
    out.copies = int(nodes.size());
    out.objectsDropped = qint64(stats->objectsDropped);
    out.packsDeleted = stats->packsDeleted;
    out.packsRewritten = stats->packsRewritten;
    out.bytesFreed = qint64(stats->bytesFreed);
    return out;
}

} // namespace Shivx
