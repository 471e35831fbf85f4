#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace Shivx {
struct AuditEntry;
}

namespace Shivx::AuditFiles {

// Paths and files of the audit chain under the data directory (docs/audit-format.md).
// Shared by the writer, the verifier, `shivx audit tail` and the console: plain functions,
// thread-safe, no state. Everything that reads segments goes through here so that .zst
// segments and retired (seal-only) segments are handled in one place.

QString auditDir(const QString &dataDir); // DATA/audit
QString keysDir(const QString &dataDir); // DATA/audit/keys
QString lockPath(const QString &dataDir); // DATA/audit/lock
QString streamDir(const QString &dataDir, const QString &stream); // DATA/audit/STREAM
QString headPath(const QString &streamDir); // STREAM/head.json
QString checkpointsPath(const QString &streamDir); // STREAM/checkpoints.ndjson
QString tornDir(const QString &streamDir); // STREAM/torn

// The streams that exist on disk (directories with a valid stream name), sorted.
QStringList listStreams(const QString &dataDir);

QString segmentName(int number); // 1 -> "seg-000001.ndjson"
// 1 for "seg-000001.ndjson", "seg-000001.ndjson.zst" or "seg-000001.seal"; 0 otherwise.
int segmentNumber(const QString &fileName);

struct SegmentFile
{
    int number = 0;
    QString name; // logical name "seg-000001.ndjson", also when compressed
    QString path; // the data file: .ndjson, or .ndjson.zst when compressed;
                  // empty when retention removed it and only the seal is left
    bool compressed = false;
    QString sealPath; // STREAM/seg-000001.seal; empty when the segment is not sealed
    bool sealed() const { return !sealPath.isEmpty(); }
    bool retired() const { return path.isEmpty(); }
};
// Every segment of a stream directory by number. When both seg-N.ndjson and its .zst exist
// (a crash during compression) the .ndjson wins: it is only removed after the .zst is synced.
QList<SegmentFile> listSegments(const QString &streamDir);

// Written when a segment is rotated; see docs/audit-format.md "Seal".
struct SegmentSeal
{
    QString segment; // "seg-000001.ndjson"
    qint64 bytes = 0; // uncompressed size
    qint64 entries = 0;
    qint64 firstSeq = 0, lastSeq = 0;
    QByteArray prev; // prev of the first entry
    QByteArray lastHash;
    QByteArray sha256; // hex SHA-256 of the uncompressed bytes

    QByteArray toJson() const; // canonical JSON, no newline
    static Result<SegmentSeal> parse(const QByteArray &json);
};
Result<SegmentSeal> readSeal(const QString &path);

// The uncompressed bytes of a segment (decompressing .zst). Fails for a retired segment.
Result<QByteArray> readSegment(const SegmentFile &segment);

struct Line
{
    QByteArray text; // without the "\n"
    qint64 offset = 0; // byte offset of the line's start in the (uncompressed) segment
    bool terminated = true; // false for a last line without "\n"
};
QList<Line> splitLines(const QByteArray &bytes);

// The first complete line of a plain file (without "\n"); empty if there is none.
QByteArray readFirstLine(const QString &path);
// Up to `count` last complete-or-not lines of a plain file, reading only its end.
Result<QList<Line>> readLastLines(const QString &path, int count);

// The last `maxCount` entries of a stream with seq > afterSeq, oldest first, reading segments
// from the newest back only as far as needed (the active one from its end). Lines that do
// not parse (a torn tail being written) are skipped; hashes are not checked (that is verify).
Result<QList<AuditEntry>> readRecentEntries(
    const QString &streamDir, qint64 afterSeq, int maxCount);

QByteArray sha256Hex(const QByteArray &bytes);

// Writes PATH.tmp, fsyncs it when `sync`, renames it over PATH and fsyncs the directory.
Result<void> writeFileAtomic(const QString &path, const QByteArray &bytes, bool sync);
Result<void> syncDirectory(const QString &dir);

// zstd: compress seg-N.ndjson to seg-N.ndjson.zst (temp, fsync, rename, directory fsync),
// then remove the .ndjson. Level 3 (zstd's default).
Result<void> compressSegmentFile(const QString &ndjsonPath);
Result<QByteArray> zstdDecompress(const QByteArray &compressed, const QString &source);

} // namespace Shivx::AuditFiles
