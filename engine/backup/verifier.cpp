#include "backup/verifier.h"

#include "backup/repolock.h"
#include "backup/tree.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <cstring>
#include <mutex>
#include <thread>
#include <unordered_set>

namespace Shivx::Backup {

namespace {

QString hexOf(const Id &id)
{
    return QString::fromStdString(id.hex());
}

} // namespace

void verifyPack(const Repository &repo, const Id &pack, const std::vector<PackEntry> &expected,
    VerifyReport *report)
{
    const QString path = repo.packPath(pack);
    auto problem = [&](const char *code, const QString &what) {
        report->problems.append(
            makeError(code, QStringLiteral("pack %1: %2").arg(path, what), { path }));
    };
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        problem("backup.missing", QStringLiteral("cannot be read: %1").arg(f.errorString()));
        return;
    }
    const QByteArray bytes = f.readAll();
    report->bytesRead += std::uint64_t(bytes.size());
    ++report->packsRead;
    const auto *p = reinterpret_cast<const std::uint8_t *>(bytes.constData());
    const std::size_t size = std::size_t(bytes.size());
    std::uint32_t needed = 0;
    for (const PackEntry &e : expected)
        needed = std::max(needed, e.offset + e.length);
    if (size < Format::MagicSize + Format::TrailerSize
        || std::memcmp(p + size - Format::MagicSize, Format::PackEndMagic, Format::MagicSize) != 0
        || size < needed + Format::TrailerSize) {
        problem("backup.truncated",
            QStringLiteral("is truncated: %1 bytes, without its end marker (the index needs "
                           "at least %2 bytes)")
                .arg(size)
                .arg(needed + Format::TrailerSize));
        return;
    }
    if (std::memcmp(p, Format::PackMagic, Format::MagicSize) != 0) {
        problem("backup.format", QStringLiteral("does not start with the pack magic"));
        return;
    }
    if (sha256(p, size) != pack)
        problem("backup.tampered",
            QStringLiteral("its SHA-256 does not match its name: bytes were altered"));
    const std::uint32_t headerLen = getU32(p + size - Format::TrailerSize);
    if (headerLen < SealOverhead + 4
        || std::size_t(headerLen) > size - Format::TrailerSize - Format::MagicSize) {
        problem(
            "backup.format", QStringLiteral("has an impossible header length %1").arg(headerLen));
        return;
    }
    const std::size_t headerAt = size - Format::TrailerSize - headerLen;
    Bytes header;
    if (!open(repo.key().encKey.data(), p + headerAt, headerLen, Format::PackHeaderAad, &header)
        || header.size() < 4
        || header.size() != 4 + std::size_t(getU32(header.data())) * Format::EntrySize) {
        problem("backup.tampered", QStringLiteral("its header fails authentication"));
        return;
    }
    std::unordered_map<Id, PackEntry, IdHash> inHeader;
    const std::uint32_t count = getU32(header.data());
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::uint8_t *e = header.data() + 4 + std::size_t(i) * Format::EntrySize;
        PackEntry pe;
        pe.type = BlobType(e[0]);
        std::memcpy(pe.id.b.data(), e + 1, 32);
        pe.offset = getU32(e + 33);
        pe.length = getU32(e + 37);
        pe.rawLength = getU32(e + 41);
        inHeader.emplace(pe.id, pe);
        if (std::size_t(pe.offset) + pe.length > headerAt) {
            problem("backup.format",
                QStringLiteral("object %1 lies outside the data area").arg(hexOf(pe.id)));
            continue;
        }
        thread_local Repository::DecodeScratch scratch;
        const auto raw = repo.decodeBlobInPlace(
            pe.type, pe.id, p + pe.offset, pe.length, pe.rawLength,
            [&] { return QStringLiteral("pack %1 at byte %2").arg(path).arg(pe.offset); }, true,
            &scratch);
        if (!raw)
            report->problems.append(raw.error());
        else
            ++report->objectsRead;
    }
    for (const PackEntry &e : expected) {
        const auto it = inHeader.find(e.id);
        if (it == inHeader.end() || it->second.offset != e.offset || it->second.length != e.length)
            problem("backup.format",
                QStringLiteral("the index places object %1 at byte %2, the pack header does not")
                    .arg(hexOf(e.id))
                    .arg(e.offset));
    }
}

Result<VerifyReport> runVerify(const Repository &repo, const VerifyOptions &options)
{
    QElapsedTimer clock;
    clock.start();
    const auto lock = RepoLock::acquire(repo.path(), RepoLock::Kind::Shared);
    if (!lock)
        return lock.error();
    VerifyReport report;

    // Structure: snapshots -> trees -> objects in the index.
    const QDir snapDir(repo.path() + QStringLiteral("/snapshots"));
    std::vector<std::pair<Id, QString>> todo; // tree, which snapshot needs it
    for (const QString &name : snapDir.entryList(QDir::Files, QDir::Name)) {
        Id id;
        if (!Id::fromHex(name.toStdString(), &id))
            continue;
        const auto s = repo.readSnapshot(id);
        if (!s) {
            report.problems.append(s.error());
            continue;
        }
        ++report.snapshots;
        todo.emplace_back(s->tree, name.left(12));
    }
    std::unordered_set<Id, IdHash> seenTrees;
    std::unordered_set<Id, IdHash> seenData;
    while (!todo.empty()) {
        if (options.control.cancelled())
            return makeError("backup.cancelled", QStringLiteral("verify was cancelled"));
        const auto [tree, snap] = todo.back();
        todo.pop_back();
        if (!seenTrees.insert(tree).second)
            continue;
        ++report.trees;
        const auto raw = repo.readBlob(tree);
        if (!raw) {
            report.problems.append(makeError(raw.error().code.toLatin1().constData(),
                QStringLiteral("snapshot %1: %2").arg(snap, raw.error().message)));
            continue;
        }
        const auto nodes = decodeTree(raw->data(), raw->size());
        if (!nodes) {
            report.problems.append(nodes.error());
            continue;
        }
        for (const TreeNode &n : *nodes) {
            if (n.type == TreeNode::Type::Dir)
                todo.emplace_back(n.subtree, snap);
            for (const Id &c : n.chunks) {
                if (!seenData.insert(c).second)
                    continue;
                if (!repo.hasBlob(c))
                    report.problems.append(makeError("backup.missing",
                        QStringLiteral("snapshot %1: file %2 needs object %3, which is not in "
                                       "the repository")
                            .arg(snap, QString::fromStdString(n.name), hexOf(c))));
            }
        }
    }
    report.dataObjects = seenData.size();

    // Packs: every indexed pack exists; unindexed ones are leftovers of interrupted backups.
    auto byPack = repo.indexByPack();
    report.packs = int(byPack.size());
    std::unordered_set<Id, IdHash> indexed;
    for (const auto &p : byPack)
        indexed.insert(p.first);
    const QDir dataDir(repo.path() + QStringLiteral("/data"));
    for (const QString &sub : dataDir.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        for (const QString &name : QDir(dataDir.filePath(sub)).entryList(QDir::Files)) {
            Id id;
            if (Id::fromHex(name.toStdString(), &id) && !indexed.count(id))
                report.notes.append(QStringLiteral("pack %1 is in no index (left by an "
                                                   "interrupted backup; prune removes it)")
                                        .arg(name.left(12)));
        }
    }
    for (const QString &name : dataDir.entryList({ QStringLiteral("tmp-*") }, QDir::Files))
        report.notes.append(
            QStringLiteral("temporary pack %1 of an interrupted backup (prune removes it)")
                .arg(name));

    std::vector<std::size_t> chosen;
    for (std::size_t i = 0; i < byPack.size(); ++i) {
        if (!QFile::exists(repo.packPath(byPack[i].first))) {
            report.problems.append(makeError("backup.missing",
                QStringLiteral("pack %1 is in the index but missing from the repository")
                    .arg(repo.packPath(byPack[i].first))));
            continue;
        }
        chosen.push_back(i);
    }
    if (options.quick && !chosen.empty()) {
        // Structure for all: each pack at least as long as its last object plus the trailer.
        for (std::size_t i : chosen) {
            std::uint32_t needed = 0;
            for (const PackEntry &e : byPack[i].second)
                needed = std::max(needed, e.offset + e.length);
            const QString path = repo.packPath(byPack[i].first);
            if (QFileInfo(path).size() < qint64(needed + Format::TrailerSize))
                report.problems.append(makeError("backup.truncated",
                    QStringLiteral("pack %1 is truncated: %2 bytes, the index needs at least %3")
                        .arg(path)
                        .arg(QFileInfo(path).size())
                        .arg(needed + Format::TrailerSize)));
        }
        std::vector<std::size_t> sample = chosen;
        std::shuffle(sample.begin(), sample.end(), *QRandomGenerator::global());
        sample.resize(
            std::max<std::size_t>(1, std::size_t(double(sample.size()) * options.sample)));
        chosen = sample;
    }

    std::atomic<std::size_t> next { 0 };
    std::mutex merge;
    std::atomic<std::uint64_t> doneBytes { 0 };
    auto work = [&] {
        for (;;) {
            const std::size_t k = next.fetch_add(1);
            if (k >= chosen.size() || options.control.cancelled())
                return;
            VerifyReport part;
            verifyPack(repo, byPack[chosen[k]].first, byPack[chosen[k]].second, &part);
            doneBytes += part.bytesRead;
            std::lock_guard l(merge);
            report.packsRead += part.packsRead;
            report.objectsRead += part.objectsRead;
            report.bytesRead += part.bytesRead;
            report.problems.append(part.problems);
        }
    };
    std::vector<std::thread> threads;
    for (int i = 0; i < std::max(1, options.threads); ++i)
        threads.emplace_back(work);
    if (options.control.progress) {
        while (next.load() < chosen.size() && !options.control.cancelled()) {
            options.control.progress(Progress {
                doneBytes.load(), 0, std::min(next.load(), chosen.size()), chosen.size() });
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    }
    for (std::thread &t : threads)
        t.join();
    if (options.control.cancelled())
        return makeError("backup.cancelled", QStringLiteral("verify was cancelled"));
    report.durationMs = clock.elapsed();
    return report;
}

} // namespace Shivx::Backup
