#include "backup/pruner.h"

#include "backup/repofiles.h"
#include "backup/repolock.h"
#include "backup/tree.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <fcntl.h>
#include <unistd.h>
#include <unordered_set>

namespace Shivx::Backup {

namespace {

using IdSet = std::unordered_set<Id, IdHash>;

// Adds every object snapshot `s` needs to `used`; trees already in `used` are not walked again.
Result<void> mark(const Repository &repo, const Id &root, IdSet *used)
{
    std::vector<Id> todo { root };
    while (!todo.empty()) {
        const Id tree = todo.back();
        todo.pop_back();
        if (!used->insert(tree).second)
            continue;
        const auto raw = repo.readBlob(tree);
        if (!raw)
            return raw.error();
        const auto nodes = decodeTree(raw->data(), raw->size());
        if (!nodes)
            return nodes.error();
        for (const TreeNode &n : *nodes) {
            if (n.type == TreeNode::Type::Dir)
                todo.push_back(n.subtree);
            for (const Id &c : n.chunks)
                used->insert(c);
        }
    }
    return {};
}

QString bucket(const QDateTime &t, int rule)
{
    const QDateTime l = t.toLocalTime();
    switch (rule) {
    case 0:
        return l.toString(QStringLiteral("yyyyMMddhh"));
    case 1:
        return l.toString(QStringLiteral("yyyyMMdd"));
    case 2: {
        int year = 0;
        const int week = l.date().weekNumber(&year);
        return QStringLiteral("%1-%2").arg(year).arg(week);
    }
    default:
        return l.toString(QStringLiteral("yyyyMM"));
    }
}

} // namespace

QList<Id> snapshotsToForget(const QList<SnapshotInfo> &snapshots,
    const std::function<BackupRetention(const QString &set)> &policyOf)
{
    QMap<QString, QList<const SnapshotInfo *>> bySet;
    for (const SnapshotInfo &s : snapshots)
        bySet[s.set].append(&s);
    QList<Id> forget;
    for (auto it = bySet.begin(); it != bySet.end(); ++it) {
        const BackupRetention policy = policyOf(it.key());
        if (policy.keepsAll())
            continue;
        QList<const SnapshotInfo *> list = it.value();
        std::sort(list.begin(), list.end(),
            [](const SnapshotInfo *a, const SnapshotInfo *b) { return a->time > b->time; });
        const int limits[4] = { policy.hourly, policy.daily, policy.weekly, policy.monthly };
        int counts[4] = {};
        QString last[4];
        for (int i = 0; i < list.size(); ++i) {
            bool keep = i < policy.last;
            for (int r = 0; r < 4; ++r) {
                const QString b = bucket(list[i]->time, r);
                if (counts[r] < limits[r] && b != last[r]) {
                    last[r] = b;
                    ++counts[r];
                    keep = true;
                }
            }
            if (!keep)
                forget.append(list[i]->id);
        }
    }
    return forget;
}

Result<PruneStats> runPrune(Repository &repo, const QList<Id> &forget, const PruneOptions &options)
{
    QElapsedTimer clock;
    clock.start();
    PruneStats stats;
    auto shared = RepoLock::acquire(repo.path(), RepoLock::Kind::Shared);
    if (!shared)
        return shared.error();
    if (!options.dryRun) {
        for (const Id &id : forget) {
            if (auto r = repo.removeSnapshot(id); !r)
                return r.error();
            ++stats.forgotten;
        }
    } else {
        stats.forgotten = int(forget.size());
    }
    if (auto r = repo.loadIndex(); !r)
        return r.error();

    // Mark, beside running backups.
    IdSet used;
    IdSet marked;
    const auto snaps = repo.snapshots();
    if (!snaps)
        return snaps.error();
    for (const SnapshotInfo &s : *snaps) {
        if (options.dryRun && forget.contains(s.id))
            continue;
        if (auto m = mark(repo, s.tree, &used); !m)
            return m.error();
        marked.insert(s.id);
    }

    // Plan: per pack, how much is still needed.
    const auto byPack = repo.indexByPack();
    std::vector<std::size_t> drop;
    std::vector<std::size_t> rewrite;
    for (std::size_t i = 0; i < byPack.size(); ++i) {
        std::uint64_t live = 0;
        std::uint64_t total = 0;
        for (const PackEntry &e : byPack[i].second) {
            total += e.length;
            if (used.count(e.id))
                live += e.length;
        }
        if (live == 0)
            drop.push_back(i);
        else if (double(live) <= options.repackBelow * double(total))
            rewrite.push_back(i);
    }
    if (options.dryRun) {
        stats.packsDeleted = int(drop.size());
        stats.packsRewritten = int(rewrite.size());
        for (std::size_t i : drop)
            stats.bytesFreed += std::uint64_t(QFileInfo(repo.packPath(byPack[i].first)).size());
        stats.durationMs = clock.elapsed();
        return stats;
    }

    // Rewrite: live objects are copied still sealed (their authentication binds type and id,
    // not the pack), so this needs no decryption and no more memory than one object.
    PackWriter writer(repo);
    for (std::size_t i : rewrite) {
        if (options.control.cancelled())
            return makeError("backup.cancelled", QStringLiteral("prune was cancelled"));
        const QString path = repo.packPath(byPack[i].first);
        const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return ioError("open pack", path);
        for (const PackEntry &e : byPack[i].second) {
            if (!used.count(e.id))
                continue;
            Bytes sealed(e.length);
            if (::pread(fd, sealed.data(), e.length, e.offset) != ssize_t(e.length)) {
                ::close(fd);
                return makeError("backup.truncated",
                    QStringLiteral("pack %1 is truncated; run `shivx backup verify`").arg(path));
            }
            // Checked before it is copied: prune must not spread a damaged object.
            thread_local Repository::DecodeScratch scratch;
            if (auto d = repo.decodeBlobInPlace(
                    e.type, e.id, sealed.data(), sealed.size(), e.rawLength,
                    [&] { return QStringLiteral("pack %1 at byte %2").arg(path).arg(e.offset); },
                    true, &scratch);
                !d) {
                ::close(fd);
                return d.error();
            }
            if (auto w = writer.add(e.type, e.id, sealed, e.rawLength); !w) {
                ::close(fd);
                return w.error();
            }
        }
        ::close(fd);
    }
    const auto newPacks = writer.flush(); // fsynced before any index names them
    if (!newPacks)
        return newPacks.error();
    shared->reset();

    // The exclusive phase: waits for running backups, holds new ones back until done.
    QElapsedTimer exclusiveClock;
    const auto exclusive
        = RepoLock::acquire(repo.path(), RepoLock::Kind::Exclusive, options.exclusiveTimeoutMs);
    if (!exclusive)
        return exclusive.error();
    exclusiveClock.start();
    // What backups finished since the mark need is kept too: re-read index and snapshots.
    if (auto r = repo.loadIndex(); !r)
        return r.error();
    const auto now = repo.snapshots();
    if (!now)
        return now.error();
    for (const SnapshotInfo &s : *now) {
        if (!marked.count(s.id)) {
            if (auto m = mark(repo, s.tree, &used); !m)
                return m.error();
        }
    }
    IdSet gone; // packs to delete
    for (std::size_t i : drop)
        gone.insert(byPack[i].first);
    for (std::size_t i : rewrite)
        gone.insert(byPack[i].first);
    IdSet newIds;
    for (const auto &p : *newPacks)
        newIds.insert(p.first);
    // A pack in `gone` holding an object a new snapshot needs (and no rewritten copy has) stays.
    IdSet inNew;
    for (const auto &p : *newPacks)
        for (const PackEntry &e : p.second)
            inNew.insert(e.id);
    const auto current = repo.indexByPack();
    for (const auto &[pack, entries] : current) {
        if (!gone.count(pack))
            continue;
        for (const PackEntry &e : entries) {
            if (used.count(e.id) && !inNew.count(e.id)) {
                gone.erase(pack);
                break;
            }
        }
    }
    // The rewritten packs first (no index file names them yet), then what stays.
    std::vector<std::pair<Id, std::vector<PackEntry>>> keep = *newPacks;
    IdSet keptObjects = inNew;
    for (const auto &[pack, entries] : current) {
        if (newIds.count(pack))
            continue;
        if (gone.count(pack)) {
            stats.objectsDropped += entries.size();
            continue;
        }
        std::vector<PackEntry> kept;
        for (const PackEntry &e : entries) {
            if (keptObjects.insert(e.id).second)
                kept.push_back(e);
        }
        keep.emplace_back(pack, std::move(kept));
    }
    stats.objectsKept = keptObjects.size();
    const QStringList oldIndexes = repo.indexFiles();
    const auto written = repo.writeIndexFile(keep);
    if (!written)
        return written.error();
    const QString indexDir = repo.path() + QStringLiteral("/index/");
    for (const QString &name : oldIndexes) {
        if (name != *written)
            QFile::remove(indexDir + name);
    }
    syncDirectory(indexDir);
    IdSet indexed;
    for (const auto &p : keep)
        indexed.insert(p.first);
    // Packs no index names: the ones dropped now, and leftovers of interrupted backups (no
    // backup runs while this lock is held, so none is still being written).
    const QDir dataDir(repo.path() + QStringLiteral("/data"));
    for (const QString &name : dataDir.entryList({ QStringLiteral("tmp-*") }, QDir::Files)) {
        stats.bytesFreed += std::uint64_t(QFileInfo(dataDir.filePath(name)).size());
        QFile::remove(dataDir.filePath(name));
        ++stats.orphansDeleted;
    }
    for (const QString &sub : dataDir.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QDir d(dataDir.filePath(sub));
        for (const QString &name : d.entryList(QDir::Files)) {
            Id id;
            if (Id::fromHex(name.toStdString(), &id) && indexed.count(id))
                continue;
            stats.bytesFreed += std::uint64_t(QFileInfo(d.filePath(name)).size());
            QFile::remove(d.filePath(name));
            if (!gone.count(id))
                ++stats.orphansDeleted;
        }
        syncDirectory(d.path());
    }
    for (std::size_t i : rewrite)
        stats.packsRewritten += gone.count(byPack[i].first) ? 1 : 0;
    stats.packsDeleted = int(gone.size()) - stats.packsRewritten;
    if (auto r = repo.loadIndex(); !r)
        return r.error();
    stats.exclusiveMs = exclusiveClock.elapsed();
    stats.durationMs = clock.elapsed();
    return stats;
}

} // namespace Shivx::Backup
