#pragma once

#include "backup/backupcrypto.h"
#include "backup/chunker.h"
#include "backup/keyslots.h"
#include "core/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

namespace Shivx::Backup {

enum class BlobType : std::uint8_t { Data = 0, Tree = 1 };

// Where an object lives: which pack, at which byte, how long sealed and how long raw.
struct BlobLocation
{
    std::uint32_t pack = 0; // index into Repository::packIds()
    std::uint32_t offset = 0;
    std::uint32_t length = 0; // sealed: nonce + ciphertext + tag
    std::uint32_t rawLength = 0; // plaintext before compression
    BlobType type = BlobType::Data;
};

// One object as a pack header and an index file list it (45 bytes on disk).
struct PackEntry
{
    BlobType type = BlobType::Data;
    Id id;
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
    std::uint32_t rawLength = 0;
};

struct SnapshotInfo
{
    Id id; // SHA-256 of the snapshot file, its name
    QDateTime time;
    QString host;
    QString set;
    QString type; // full | incremental | differential
    Id parent;
    Id tree;
    QStringList paths;
    QJsonObject stats;
    QJsonObject json; // the whole document, as stored
};

// The set of the integrity module's snapshots when its safe snapshots share the repository
// (engine/integrity/safesnapshots.h): they name copies, not a backup, so `latest` and a point
// in time without a set never pick one.
constexpr char IntegrityRootSet[] = "integrity-baseline";
inline bool isBackup(const SnapshotInfo &s)
{
    return s.set != QLatin1String(IntegrityRootSet);
}

// Byte-layout constants (docs/backup-format.md).
namespace Format {
constexpr char PackMagic[] = "SHXPACK\x01";
constexpr char PackEndMagic[] = "SHXPEND\x01";
constexpr char IndexMagic[] = "SHXINDX\x01";
constexpr char SnapshotMagic[] = "SHXSNAP\x01";
constexpr std::size_t MagicSize = 8;
constexpr std::size_t TrailerSize = 4 + MagicSize; // u32 header length + end magic
constexpr std::size_t EntrySize = 1 + 32 + 4 + 4 + 4;
constexpr std::string_view PackHeaderAad = "SHXPACKH";
constexpr std::string_view IndexAad = "SHXINDEX";
constexpr std::string_view SnapshotAad = "SHXSNAPS";
constexpr std::uint8_t CompressionNone = 0;
constexpr std::uint8_t CompressionZstd = 1;
// One PackEntry in EntrySize bytes, as pack headers and index files hold it.
void encodeEntry(const PackEntry &e, std::uint8_t *p);
PackEntry decodeEntry(const std::uint8_t *p);
} // namespace Format

class PackWriter;

// An opened repository (docs/backup-format.md): its master key, its configuration and the
// index of every object (loaded with loadIndex()). Reading objects and the index is
// thread-safe after loadIndex(); adding to the index happens through addToIndex() under the
// repository's mutex.
//
// The index is held in memory as a hash map of 32-byte ids to 16-byte locations (about 80
// bytes an object with the table's overhead): with 1 MiB average chunks that is ~80 MB per TB
// stored, independent of the number of snapshots. An on-disk sorted-runs index for larger
// repositories is left for later (docs/backup.md, "Memory").
class Repository
{
public:
    struct InitOptions
    {
        Chunker::Params chunker;
        ScryptParams scrypt;
        QString label = QStringLiteral("initial");
    };

    static Result<std::unique_ptr<Repository>> init(
        const QString &path, const Credential &credential, const InitOptions &options);
    static Result<std::unique_ptr<Repository>> open(
        const QString &path, const Credential &credential);
    ~Repository();

    const QString &path() const { return m_path; }
    const MasterKey &key() const { return m_key; }
    const Chunker &chunker() const { return *m_chunker; }
    QString repositoryId() const { return m_repoId; }
    std::size_t packTargetSize() const { return m_packTarget; }
    QString slotId() const { return m_slotId; }

    // --- Index ---
    // Reads every index file. Problems with one file are errors naming it.
    Result<void> loadIndex();
    bool hasBlob(const Id &id) const;
    bool locate(const Id &id, BlobLocation *out) const;
    std::size_t blobCount() const;
    std::vector<Id> packIds() const;
    Id packId(std::uint32_t index) const;
    // The index files read by loadIndex() (names), for prune to replace.
    QStringList indexFiles() const { return m_indexFiles; }
    // Records a finished pack's entries in memory (the index file is written separately).
    void addToIndex(const Id &pack, const std::vector<PackEntry> &entries);
    // Writes one index file listing `packs` (pack id -> entries), atomically.
    Result<QString> writeIndexFile(const std::vector<std::pair<Id, std::vector<PackEntry>>> &packs);
    // Every (pack, entries) in the index, for prune.
    std::vector<std::pair<Id, std::vector<PackEntry>>> indexByPack() const;

    // --- Objects ---
    // Compresses (when that saves at least 1/32; a 32 KiB sample decides for large objects)
    // and seals `raw` as object `id`.
    Bytes encodeBlob(BlobType type, const Id &id, const std::uint8_t *raw, std::size_t size,
        int zstdLevel) const;
    // Opens a sealed object read from a pack, checks its id and returns the raw bytes; the
    // error names the object and where it was ("backup.tampered"). `checkId` false skips
    // recomputing the HMAC id: the GCM tag over the id (the AAD) already proves that a key
    // holder sealed these bytes as this object; restore does so and checks each whole file's
    // SHA-256 instead, verify checks both.
    Result<Bytes> decodeBlob(BlobType type, const Id &id, const std::uint8_t *sealed,
        std::size_t size, std::uint32_t rawLength, const QString &where, bool checkId = true) const;
    // Buffers of one thread for decodeBlobInPlace(), kept between calls: they only grow, so
    // decoding allocates nothing and zero-fills nothing after the first objects.
    struct DecodeScratch
    {
        Bytes plain; // compression byte || payload
        Bytes raw; // zstd's output
    };
    // As decodeBlob, without allocating or copying: the raw bytes (rawLength of them) are
    // decompressed into `scratch` or, when stored uncompressed, left where decryption put them;
    // the pointer is valid until the next call with the same scratch. `where` is called for an
    // error's message only (building it for every object was a tenth of a restore's CPU).
    Result<const std::uint8_t *> decodeBlobInPlace(BlobType type, const Id &id,
        const std::uint8_t *sealed, std::size_t size, std::uint32_t rawLength,
        const std::function<QString()> &where, bool checkId, DecodeScratch *scratch) const;
    // Reads object `id` through the index.
    Result<Bytes> readBlob(const Id &id) const;
    Id blobId(const std::uint8_t *data, std::size_t size) const;

    QString packPath(const Id &pack) const;

    // --- Snapshots ---
    Result<QList<SnapshotInfo>> snapshots() const; // oldest first
    Result<SnapshotInfo> readSnapshot(const Id &id) const;
    Result<Id> writeSnapshot(const QJsonObject &document);
    Result<void> removeSnapshot(const Id &id);
    // "latest", a full id or an unambiguous prefix of one (git-style).
    Result<SnapshotInfo> findSnapshot(const QString &spec) const;

private:
    Repository() = default;
    Result<void> readConfig();
    Result<void> readIndexFile(const QString &file);

    QString m_path;
    QString m_repoId;
    QString m_slotId;
    MasterKey m_key;
    std::unique_ptr<Chunker> m_chunker;
    std::unique_ptr<HmacKey> m_idMac;
    std::size_t m_packTarget = 16 * 1024 * 1024;

    mutable std::mutex m_indexMutex;
    std::unordered_map<Id, BlobLocation, IdHash> m_index;
    std::vector<Id> m_packs;
    std::unordered_map<Id, std::uint32_t, IdHash> m_packNumbers;
    QStringList m_indexFiles;
};

// Writes packs: objects are appended to a temporary file under data/; at the target size the
// sealed header and trailer are added and the file is renamed to the SHA-256 of its bytes.
// Writeback starts at once (sync_file_range) and flush() fsyncs every pack before returning,
// so that an index never names a pack that is not durable. Thread-safe (one mutex).
class PackWriter
{
public:
    explicit PackWriter(Repository &repo);
    ~PackWriter(); // removes an unfinished temporary pack

    // Appends a sealed object. Returns false (with the error kept) after an I/O failure.
    Result<void> add(BlobType type, const Id &id, const Bytes &sealed, std::uint32_t rawLength);
    // Finishes the open pack, fsyncs all packs of this writer and their directories, and
    // returns every finished pack with its entries (also added to the repository's index).
    Result<std::vector<std::pair<Id, std::vector<PackEntry>>>> flush();
    std::uint64_t bytesWritten() const { return m_written.load(); }
    int packsWritten() const;

private:
    Result<void> openPack();
    Result<void> finishPack();

    Repository &m_repo;
    mutable std::mutex m_mutex;
    int m_fd = -1;
    QString m_tmpPath;
    std::uint64_t m_offset = 0;
    std::unique_ptr<Sha256> m_hash;
    std::vector<PackEntry> m_entries;
    std::vector<std::pair<Id, std::vector<PackEntry>>> m_done;
    std::vector<int> m_unsynced; // finished packs' descriptors, fsynced by flush()
    QStringList m_dirs;
    std::atomic<std::uint64_t> m_written { 0 };
};

} // namespace Shivx::Backup
