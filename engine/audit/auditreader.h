#pragma once

#include "audit/auditentry.h"
#include "audit/auditfilter.h"
#include "audit/checkpointkey.h"
#include "core/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace Shivx {

// One segment file of a stream as the reader indexed it (docs/audit-format.md).
struct AuditSegmentInfo
{
    QString file; // "seg-000001.ndjson" or "seg-000001.ndjson.zst"
    int number = 0;
    bool compressed = false;
    qint64 firstRow = 0; // row of the segment's first line
    qint64 lines = 0; // rows it contributes
    qint64 bytes = 0; // uncompressed bytes indexed
    QString error; // set when the file could not be read; it then has no rows
};

// What a stream directory says about itself without reading its segments.
struct AuditStreamStatus
{
    QString name;
    QString directory;
    bool hasHead = false;
    qint64 headSeq = 0; // seq of the last entry according to head.json
    QByteArray headHash;
    qint64 headTsMs = 0;
    QString headError; // head.json present but not readable
    int checkpointCount = 0;
    std::optional<Checkpoint> lastCheckpoint;
    int segmentCount = 0;
};

// One row (= one line of a segment) as read: the entry when the line parses, otherwise why not.
struct AuditRecord
{
    qint64 row = -1;
    QString segment; // file name within the stream directory
    qint64 line = 0; // 1-based within the segment
    bool valid = false;
    AuditEntry entry; // when valid
    QString error; // when not valid
    QByteArray raw; // the line without its newline
};

// Reads one audit stream directory for display: lists the segments, indexes their lines
// compactly (the offset of every kBlockLines-th line, about 0.25 bytes per entry), reads rows
// by number and runs filtered scans. Rows are the lines of the segments in segment order,
// complete lines only ("\n"-terminated, except in a rotated segment, whose unterminated
// last line is shown as a bad row). Compressed segments (.ndjson.zst) are decompressed into
// memory; the reader keeps the last two it used.
//
// Never throws and never crashes on content: a line that does not parse is a row with
// valid == false. Files are read with plain reads (no mmap) so that a writer truncating a
// torn tail cannot fault the reader; a row that vanished reads as not valid.
//
// Thread-safety: one instance per thread. Copies are cheap and share the immutable index,
// so a worker thread gets its own copy.
class AuditReader
{
public:
    static constexpr int kBlockLines = 32;

    AuditReader();
    AuditReader(const AuditReader &other);
    AuditReader &operator=(const AuditReader &other);
    AuditReader(AuditReader &&) noexcept;
    AuditReader &operator=(AuditReader &&) noexcept;
    ~AuditReader();

    // Indexes STREAM_DIR. Fails only when the directory cannot be listed; unreadable
    // segments are listed with an error and no rows.
    static Result<AuditReader> open(const QString &streamDir);

    // The streams under DATA/audit (directories with a valid stream name), sorted by name.
    static QList<AuditStreamStatus> listStreams(const QString &auditDir);
    // head.json and checkpoints.ndjson of one stream directory.
    static AuditStreamStatus streamStatus(const QString &streamDir);

    bool isOpen() const;
    QString directory() const;
    QString streamName() const;
    qint64 rowCount() const;
    QList<AuditSegmentInfo> segments() const;
    // Heap bytes held by the index (not counting the decompressed-segment cache).
    qint64 indexBytes() const;

    // Rows [first, first + count) clipped to rowCount(); one read per segment touched.
    QList<AuditRecord> readRows(qint64 first, qint64 count) const;
    AuditRecord readRow(qint64 row) const;

    // The row of line `line` (1-based) of `segment` ("seg-000002.ndjson"; the ".zst" suffix
    // is ignored, the content is the same), or -1.
    qint64 rowOf(const QString &segment, qint64 line) const;
    // The row holding entry `seq`, or -1. Assumes rows are mostly in seq order (they are
    // unless tampered): tries row seq - firstSeq, then binary search, then a linear scan.
    qint64 rowOfSeq(qint64 seq) const;

    // Scans rows [fromRow, rowCount) in order, kScanRows at a time, and after each piece
    // calls onMatches with its matching rows (ascending, possibly none) and the number of rows
    // scanned so far, so a caller can report progress. Returns the rows scanned. Stops early
    // when *cancel becomes true or onMatches returns false. Matching: AuditLineMatcher.
    static constexpr qint64 kScanRows = 4096;
    using MatchSink = std::function<bool(const QList<qint64> &rows, qint64 scanned)>;
    qint64 search(const AuditFilter &filter, qint64 fromRow, const MatchSink &onMatches,
        const std::atomic_bool *cancel = nullptr) const;

private:
    struct Index;
    struct Cache;
    // Calls fn(row, line, readError) for each row in [first, last) reading whole blocks;
    // readError is set (and line empty) when the segment could not be read. false stops.
    bool forEachLine(qint64 first, qint64 last,
        const std::function<bool(qint64 row, const QByteArray &line, const QString &readError)> &fn)
        const;
    int segmentOfRow(qint64 row) const;
    // The bytes [from, to) of segment `seg`'s uncompressed content, or an error.
    Result<QByteArray> segmentBytes(int seg, qint64 from, qint64 to) const;

    std::shared_ptr<const Index> m_index;
    std::unique_ptr<Cache> m_cache;
};

} // namespace Shivx
