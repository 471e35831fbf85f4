#include "backup/repository.h"

#include "backup/repofiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Shivx::Backup {

namespace {

const QString FormatName = QStringLiteral("shivx-backup");
constexpr int FormatVersion = 1;

std::string blobAad(BlobType type, const Id &id)
{
    std::string aad(33, '\0');
    aad[0] = char(type);
    std::memcpy(aad.data() + 1, id.b.data(), 32);
    return aad;
}

Result<void> preadAll(
    int fd, std::uint8_t *out, std::size_t size, std::uint64_t offset, const QString &path)
{
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::pread(fd, out + done, size - done, off_t(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ioError("read", path);
        if (n == 0)
            return makeError("backup.truncated",
                QStringLiteral("pack %1 is truncated: it ends at byte %2, the index expects "
                               "an object up to byte %3")
                    .arg(path)
                    .arg(offset + done)
                    .arg(offset + size),
                { path });
        done += std::size_t(n);
    }
    return {};
}

} // namespace

Repository::~Repository() = default;

Result<std::unique_ptr<Repository>> Repository::init(
    const QString &path, const Credential &credential, const InitOptions &options)
{
    const QDir dir(path);
    if (dir.exists() && !dir.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
        return makeError("backup.exists",
            QStringLiteral("%1 exists and is not empty; a repository is created in a new or "
                           "empty directory")
                .arg(path),
            { path });
    const Chunker::Params &cp = options.chunker;
    if (cp.min < 64 || cp.min > cp.avg || cp.avg > cp.max || (cp.avg & (cp.avg - 1))
        || cp.max > 64 * 1024 * 1024)
        return makeError("backup.chunker",
            QStringLiteral("chunk sizes must satisfy 64 <= min <= avg <= max <= 64 MiB with "
                           "avg a power of two"));
    for (const char *sub : { "keys", "data", "index", "snapshots", "locks" }) {
        if (!QDir().mkpath(dir.filePath(QLatin1String(sub))))
            return makeError("backup.io",
                QStringLiteral("cannot create %1").arg(dir.filePath(QLatin1String(sub))), { path });
    }
    auto repo = std::unique_ptr<Repository>(new Repository);
    repo->m_path = QDir(path).absolutePath();
    randomBytes(repo->m_key.encKey.data(), 32);
    randomBytes(repo->m_key.idKey.data(), 32);
    std::uint8_t idRaw[32];
    randomBytes(idRaw, sizeof idRaw);
    const QJsonObject config {
        { QStringLiteral("format"), FormatName },
        { QStringLiteral("version"), FormatVersion },
        { QStringLiteral("id"), QString::fromStdString(toHex(idRaw, sizeof idRaw)) },
        { QStringLiteral("chunker"),
            QJsonObject { { QStringLiteral("min"), qint64(cp.min) },
                { QStringLiteral("avg"), qint64(cp.avg) },
                { QStringLiteral("max"), qint64(cp.max) } } },
        { QStringLiteral("pack_size"), qint64(repo->m_packTarget) },
    };
    // The key slot first, the config last: a directory without config is not a repository,
    // so an init that dies half-way is visibly unfinished.
    const auto slot
        = KeySlots::add(repo->m_path, repo->m_key, credential, options.label, options.scrypt);
    if (!slot)
        return slot.error();
    repo->m_slotId = slot->id;
    if (auto w = writeFileAtomic(repo->m_path + QStringLiteral("/config"),
            QJsonDocument(config).toJson(QJsonDocument::Indented));
        !w)
        return w.error();
    if (auto c = repo->readConfig(); !c)
        return c.error();
    return repo;
}

Result<std::unique_ptr<Repository>> Repository::open(
    const QString &path, const Credential &credential)
{
    auto repo = std::unique_ptr<Repository>(new Repository);
    repo->m_path = QDir(path).absolutePath();
    if (!QFile::exists(repo->m_path + QStringLiteral("/config")))
        return makeError("backup.not_repository",
            QStringLiteral("%1 is not a backup repository (no config file; create one with "
                           "`shivx backup init`)")
                .arg(repo->m_path),
            { path });
    const auto key = KeySlots::unlock(repo->m_path, credential, &repo->m_slotId);
    if (!key)
        return key.error();
    repo->m_key = *key;
    if (auto c = repo->readConfig(); !c)
        return c.error();
    return repo;
}

Result<void> Repository::readConfig()
{
    const QString file = m_path + QStringLiteral("/config");
    const auto bytes = readWholeFile(file);
    if (!bytes)
        return bytes.error();
    const QJsonObject o = QJsonDocument::fromJson(*bytes).object();
    if (o.value(QStringLiteral("format")).toString() != FormatName)
        return makeError("backup.not_repository",
            QStringLiteral("%1 is not a ShivX backup repository configuration").arg(file));
    if (o.value(QStringLiteral("version")).toInt() != FormatVersion)
        return makeError("backup.version",
            QStringLiteral("%1: format version %2 is not supported (this build reads %3)")
                .arg(file)
                .arg(o.value(QStringLiteral("version")).toInt())
                .arg(FormatVersion));
    const QJsonObject c = o.value(QStringLiteral("chunker")).toObject();
    Chunker::Params p;
    p.min = std::size_t(c.value(QStringLiteral("min")).toInteger());
    p.avg = std::size_t(c.value(QStringLiteral("avg")).toInteger());
    p.max = std::size_t(c.value(QStringLiteral("max")).toInteger());
    if (p.min < 64 || p.min > p.avg || p.avg > p.max || p.max > 64 * 1024 * 1024)
        return makeError("backup.format", QStringLiteral("%1: invalid chunker sizes").arg(file));
    m_packTarget = std::size_t(o.value(QStringLiteral("pack_size")).toInteger(16 << 20));
    m_repoId = o.value(QStringLiteral("id")).toString();
    m_chunker = std::make_unique<Chunker>(m_key.idKey.data(), p);
    m_idMac = std::make_unique<HmacKey>(m_key.idKey.data());
    return {};
}

// --- Index ---

Result<void> Repository::loadIndex()
{
    {
        std::lock_guard lock(m_indexMutex);
        m_index.clear();
        m_packs.clear();
        m_packNumbers.clear();
        m_indexFiles.clear();
    }
    const QDir dir(m_path + QStringLiteral("/index"));
    const QStringList names = dir.entryList(QDir::Files, QDir::Name);
    for (const QString &name : names) {
        if (name.contains(QLatin1String(".tmp-")))
            continue; // an index write that never finished
        if (auto r = readIndexFile(dir.filePath(name)); !r)
            return r;
        m_indexFiles.append(name);
    }
    return {};
}

Result<void> Repository::readIndexFile(const QString &file)
{
    const auto bytes = readWholeFile(file);
    if (!bytes)
        return bytes.error();
    const auto *p = reinterpret_cast<const std::uint8_t *>(bytes->constData());
    const std::size_t size = std::size_t(bytes->size());
    if (size < Format::MagicSize + SealOverhead
        || std::memcmp(p, Format::IndexMagic, Format::MagicSize) != 0)
        return makeError("backup.format",
            QStringLiteral("index file %1 is not an index (bad magic or too short)").arg(file),
            { file });
    const Id name = sha256(p, size);
    if (QString::fromStdString(name.hex()) != QFileInfo(file).fileName())
        return makeError("backup.tampered",
            QStringLiteral("index file %1 does not match its name (SHA-256 %2): truncated or "
                           "altered")
                .arg(file, QString::fromStdString(name.hex())),
            { file });
    Bytes plain;
    if (!Backup::open(m_key.encKey.data(), p + Format::MagicSize, size - Format::MagicSize,
            Format::IndexAad, &plain))
        return makeError("backup.tampered",
            QStringLiteral("index file %1 fails authentication: it was altered").arg(file),
            { file });
    std::size_t at = 0;
    std::lock_guard lock(m_indexMutex);
    while (at + 36 <= plain.size()) {
        Id pack;
        std::memcpy(pack.b.data(), plain.data() + at, 32);
        const std::uint32_t count = getU32(plain.data() + at + 32);
        at += 36;
        if (at + std::size_t(count) * Format::EntrySize > plain.size())
            break;
        auto [it, inserted] = m_packNumbers.try_emplace(pack, std::uint32_t(m_packs.size()));
        if (inserted)
            m_packs.push_back(pack);
        for (std::uint32_t i = 0; i < count; ++i, at += Format::EntrySize) {
            const PackEntry e = Format::decodeEntry(plain.data() + at);
            m_index.try_emplace(
                e.id, BlobLocation { it->second, e.offset, e.length, e.rawLength, e.type });
        }
    }
    if (at != plain.size())
        return makeError("backup.format",
            QStringLiteral("index file %1 is malformed at byte %2").arg(file).arg(at), { file });
    return {};
}

bool Repository::hasBlob(const Id &id) const
{
    std::lock_guard lock(m_indexMutex);
    return m_index.count(id) != 0;
}

bool Repository::locate(const Id &id, BlobLocation *out) const
{
    std::lock_guard lock(m_indexMutex);
    const auto it = m_index.find(id);
    if (it == m_index.end())
        return false;
    *out = it->second;
    return true;
}

std::size_t Repository::blobCount() const
{
    std::lock_guard lock(m_indexMutex);
    return m_index.size();
}

std::vector<Id> Repository::packIds() const
{
    std::lock_guard lock(m_indexMutex);
    return m_packs;
}

Id Repository::packId(std::uint32_t index) const
{
    std::lock_guard lock(m_indexMutex);
    return m_packs.at(index);
}

void Repository::addToIndex(const Id &pack, const std::vector<PackEntry> &entries)
{
    std::lock_guard lock(m_indexMutex);
    auto [it, inserted] = m_packNumbers.try_emplace(pack, std::uint32_t(m_packs.size()));
    if (inserted)
        m_packs.push_back(pack);
    for (const PackEntry &e : entries)
        m_index.try_emplace(
            e.id, BlobLocation { it->second, e.offset, e.length, e.rawLength, e.type });
}

std::vector<std::pair<Id, std::vector<PackEntry>>> Repository::indexByPack() const
{
    std::lock_guard lock(m_indexMutex);
    std::vector<std::pair<Id, std::vector<PackEntry>>> out(m_packs.size());
    for (std::size_t i = 0; i < m_packs.size(); ++i)
        out[i].first = m_packs[i];
    for (const auto &[id, loc] : m_index)
        out[loc.pack].second.push_back(
            PackEntry { loc.type, id, loc.offset, loc.length, loc.rawLength });
    for (auto &p : out)
        std::sort(p.second.begin(), p.second.end(),
            [](const PackEntry &a, const PackEntry &b) { return a.offset < b.offset; });
    return out;
}

Result<QString> Repository::writeIndexFile(
    const std::vector<std::pair<Id, std::vector<PackEntry>>> &packs)
{
    Bytes plain;
    for (const auto &[pack, entries] : packs) {
        const std::size_t at = plain.size();
        plain.resize(at + 36 + entries.size() * Format::EntrySize);
        std::memcpy(plain.data() + at, pack.b.data(), 32);
        putU32(plain.data() + at + 32, std::uint32_t(entries.size()));
        for (std::size_t i = 0; i < entries.size(); ++i)
            Format::encodeEntry(entries[i], plain.data() + at + 36 + i * Format::EntrySize);
    }
    QByteArray file(qsizetype(Format::MagicSize + plain.size() + SealOverhead), Qt::Uninitialized);
    std::memcpy(file.data(), Format::IndexMagic, Format::MagicSize);
    seal(m_key.encKey.data(), plain.data(), plain.size(), Format::IndexAad,
        reinterpret_cast<std::uint8_t *>(file.data()) + Format::MagicSize);
    const QString name
        = QString::fromStdString(sha256(file.constData(), std::size_t(file.size())).hex());
    if (auto w = writeFileAtomic(m_path + QStringLiteral("/index/") + name, file); !w)
        return w.error();
    return name;
}

// --- Objects ---

Id Repository::blobId(const std::uint8_t *data, std::size_t size) const
{
    return m_idMac->mac(data, size);
}

Bytes Repository::encodeBlob(
    BlobType type, const Id &id, const std::uint8_t *raw, std::size_t size, int zstdLevel) const
{
    const std::string aad = blobAad(type, id);
    thread_local Bytes work;
    const std::size_t bound = ZSTD_compressBound(size);
    work.resize(1 + std::max(bound, size));
    std::size_t plainSize = 0;
    if (zstdLevel > 0 && size >= 64) {
        struct Context
        {
            ZSTD_CCtx *cctx = ZSTD_createCCtx();
            ~Context() { ZSTD_freeCCtx(cctx); }
        };
        thread_local Context context;
        // Already-compressed data (media, archives) is a third of a typical set: a sample at
        // the fastest level says so for 1/32 of the cost of compressing the whole object.
        constexpr std::size_t Sample = 32 * 1024;
        bool worth = true;
        if (size > 4 * Sample) {
            const std::size_t n = ZSTD_compressCCtx(
                context.cctx, work.data() + 1, bound, raw + size / 2, Sample, 1);
            worth = !ZSTD_isError(n) && n < Sample - Sample / 32;
        }
        const std::size_t n = worth
            ? ZSTD_compressCCtx(context.cctx, work.data() + 1, bound, raw, size, zstdLevel)
            : size;
        // Keep the compressed form only when it saves at least 1/32: already-compressed data
        // costs a decompression on every restore for nothing otherwise.
        if (worth && !ZSTD_isError(n) && n < size - size / 32) {
            work[0] = Format::CompressionZstd;
            plainSize = 1 + n;
        }
    }
    if (!plainSize) {
        work[0] = Format::CompressionNone;
        std::memcpy(work.data() + 1, raw, size);
        plainSize = 1 + size;
    }
    return seal(m_key.encKey.data(), work.data(), plainSize, aad);
}

Result<Bytes> Repository::decodeBlob(BlobType type, const Id &id, const std::uint8_t *sealed,
    std::size_t size, std::uint32_t rawLength, const QString &where, bool checkId) const
{
    thread_local DecodeScratch scratch;
    const auto raw = decodeBlobInPlace(
        type, id, sealed, size, rawLength, [&where] { return where; }, checkId, &scratch);
    if (!raw)
        return raw.error();
    return Bytes(*raw, *raw + rawLength);
}

Result<const std::uint8_t *> Repository::decodeBlobInPlace(BlobType type, const Id &id,
    const std::uint8_t *sealed, std::size_t size, std::uint32_t rawLength,
    const std::function<QString()> &where, bool checkId, DecodeScratch *scratch) const
{
    // One decompression context per thread: ZSTD_decompress() makes and frees one per call.
    struct Context
    {
        ZSTD_DCtx *dctx = ZSTD_createDCtx();
        ~Context() { ZSTD_freeDCtx(dctx); }
    };
    thread_local Context context;
    auto grow = [](Bytes &b, std::size_t n) {
        if (b.size() < n)
            b.resize(n);
    };
    const std::size_t plainSize = size >= SealOverhead ? size - SealOverhead : 0;
    grow(scratch->plain, plainSize);
    const std::uint8_t *plain = scratch->plain.data();
    if (size < SealOverhead
        || !Backup::open(
            m_key.encKey.data(), sealed, size, blobAad(type, id), scratch->plain.data())
        || plainSize == 0)
        return makeError("backup.tampered",
            QStringLiteral("object %1 (%2) fails authentication: it was altered or belongs to "
                           "another repository")
                .arg(QString::fromStdString(id.hex()), where()),
            { QString::fromStdString(id.hex()), where() });
    const std::uint8_t *raw = nullptr;
    if (plain[0] == Format::CompressionNone) {
        if (plainSize - 1 != rawLength)
            return makeError("backup.format",
                QStringLiteral("object %1 (%2) does not have its recorded length")
                    .arg(QString::fromStdString(id.hex()), where()));
        raw = plain + 1;
    } else if (plain[0] == Format::CompressionZstd) {
        grow(scratch->raw, std::max<std::size_t>(rawLength, 1));
        const std::size_t n = ZSTD_decompressDCtx(
            context.dctx, scratch->raw.data(), rawLength, plain + 1, plainSize - 1);
        if (ZSTD_isError(n) || n != rawLength)
            return makeError("backup.format",
                QStringLiteral("object %1 (%2) does not decompress to its recorded length")
                    .arg(QString::fromStdString(id.hex()), where()));
        raw = scratch->raw.data();
    } else {
        return makeError("backup.format",
            QStringLiteral("object %1 (%2) has unknown compression %3")
                .arg(QString::fromStdString(id.hex()), where())
                .arg(plain[0]));
    }
    if (checkId && blobId(raw, rawLength) != id)
        return makeError("backup.tampered",
            QStringLiteral("object %1 (%2) does not match its id")
                .arg(QString::fromStdString(id.hex()), where()));
    return raw;
}

QString Repository::packPath(const Id &pack) const
{
    const QString hex = QString::fromStdString(pack.hex());
    return m_path + QStringLiteral("/data/") + hex.left(2) + QLatin1Char('/') + hex;
}

Result<Bytes> Repository::readBlob(const Id &id) const
{
    BlobLocation loc;
    if (!locate(id, &loc))
        return makeError("backup.missing",
            QStringLiteral("object %1 is not in the index: the repository lacks data a "
                           "snapshot needs")
                .arg(QString::fromStdString(id.hex())),
            { QString::fromStdString(id.hex()) });
    const QString path = packPath(packId(loc.pack));
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ioError("open pack", path);
    Bytes sealed(loc.length);
    auto r = preadAll(fd, sealed.data(), sealed.size(), loc.offset, path);
    ::close(fd);
    if (!r)
        return r.error();
    return decodeBlob(loc.type, id, sealed.data(), sealed.size(), loc.rawLength,
        QStringLiteral("pack %1 at byte %2").arg(path).arg(loc.offset));
}

} // namespace Shivx::Backup
