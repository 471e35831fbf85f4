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
// Shared by the writer, the verifier, the reader (the console), `shivx audit tail` and the
// tests: plain functions, thread-safe, no state. This is the one place that knows which file
// names are segments and how their files pair up; segmentseal.h reads seals and
// segmentreader.h reads a segment's bytes (plain or zstd).

QString auditDir(const QString &dataDir); // DATA/audit
QString keysDir(const QString &dataDir); // DATA/audit/keys
QString lockPath(const QString &dataDir); // DATA/audit/lock
QString streamDir(const QString &dataDir, const QString &stream); // DATA/audit/STREAM
QString headPath(const QString &streamDir); // STREAM/head.json
QString checkpointsPath(const QString &streamDir); // STREAM/checkpoints.ndjson
QString tornDir(const QString &streamDir); // STREAM/torn

// The streams of DATA/audit (directories with a valid stream name, "keys" excluded), sorted.
QStringList listStreams(const QString &dataDir);
// The same for an audit directory given directly (DATA/audit).
QStringList listStreamsIn(const QString &auditDirectory);

// Segment file names (docs/audit-format.md "Segment files"). Segment n >= 1 is written in
// decimal zero-padded to six digits (seg-000001 ... seg-999999, then seg-1000000 on, at most
// nine digits), and has up to three files: seg-N.ndjson (its data), seg-N.ndjson.zst (its data,
// compressed) and seg-N.seal. A file is a segment file only when its name is exactly one of
// these: "seg-0.ndjson", "seg-000000.ndjson", "seg-0000001.ndjson" (padded past six digits),
// "seg-000001.ndjson.tmp" are not, and every reader of the chain ignores them.
enum class SegmentPart { Data, Compressed, Seal };
struct SegmentFileName
{
    int number = 0; // 0: not a segment file
    SegmentPart part = SegmentPart::Data;
};
SegmentFileName parseSegmentFileName(const QString &fileName);
// The number of a segment file name, 0 when it is none: 1 for "seg-000001.ndjson",
// "seg-000001.ndjson.zst" and "seg-000001.seal".
int segmentNumber(const QString &fileName);
QString segmentName(int number); // 1 -> "seg-000001.ndjson"
QString compressedSegmentName(int number); // 1 -> "seg-000001.ndjson.zst"
QString sealName(int number); // 1 -> "seg-000001.seal"

struct SegmentFile
{
    int number = 0;
    QString name; // logical name "seg-000001.ndjson", also when compressed or retired
    QString path; // the data file: .ndjson, or .ndjson.zst when compressed;
                  // empty when retention removed it and only the seal is left
    bool compressed = false;
    qint64 size = 0; // bytes of the data file (compressed bytes for .zst); 0 when retired
    QString sealPath; // STREAM/seg-000001.seal; empty when the segment is not sealed
    bool sealed() const { return !sealPath.isEmpty(); }
    bool retired() const { return path.isEmpty(); }
    // The data file's name ("seg-000001.ndjson.zst" when compressed); `name` when retired.
    QString fileName() const;
};
// Every segment of a stream directory, ascending by number: one entry per number that has any
// of its three files. When both seg-N.ndjson and seg-N.ndjson.zst exist (a crash during
// compression) the .ndjson is the data: it is removed only after the .zst is synced. A number
// with only its .seal is retired. Numbers without any file are absent (whether that is a gap
// is the caller's judgement). Names that are not segment files are ignored.
QList<SegmentFile> listSegments(const QString &streamDir);

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

// Writes PATH.tmp, fsyncs it when `sync`, renames it over PATH and fsyncs the directory. On any
// failure (a full disk: ENOSPC at write, fsync or close) PATH is left as it was, PATH.tmp is
// removed and the error names the file, the step and the system's reason.
Result<void> writeFileAtomic(const QString &path, const QByteArray &bytes, bool sync);
Result<void> syncDirectory(const QString &dir);
// Appends `bytes` to the file descriptor with as many write(2) calls as it takes. On failure
// (ENOSPC after a short write) some of the bytes may be in the file; `path` names it in the error.
Result<void> writeAll(int fd, const QByteArray &bytes, const QString &path);

// zstd: compress seg-N.ndjson to seg-N.ndjson.zst (temp, fsync, rename, directory fsync),
// then remove the .ndjson. Level 3 (zstd's default). Reading: SegmentReader.
Result<void> compressSegmentFile(const QString &ndjsonPath);

} // namespace Shivx::AuditFiles
