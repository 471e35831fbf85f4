#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QFile>
#include <QString>

#include <memory>
#include <optional>

struct ZSTD_DCtx_s;

namespace Shivx::AuditFiles {

struct SegmentFile;

// The one reader of segment bytes: a plain seg-NNNNNN.ndjson, or a rotated
// seg-NNNNNN.ndjson.zst decompressed while reading, front to back in pieces of the caller's
// size. The verifier streams 1 MiB chunks through it, the reader (AuditReader) indexes big
// segments without holding them, and readSegment() below takes a whole one for the writer.
// Files are read with plain reads (no mmap): a writer truncating a torn tail cannot fault it.
//
// Error codes: "audit.io" (the file cannot be read), "audit.corrupt_segment" (the .zst is not a
// valid, complete zstd stream; the message says "zstd"), "audit.retired" (only the seal is
// left). Not thread-safe; one reader per thread.
class SegmentReader
{
public:
    ~SegmentReader();
    SegmentReader(const SegmentReader &) = delete;
    SegmentReader &operator=(const SegmentReader &) = delete;

    static Result<std::unique_ptr<SegmentReader>> open(const SegmentFile &segment);
    // A segment data file by path; a name ending in ".zst" is read as zstd.
    static Result<std::unique_ptr<SegmentReader>> open(const QString &path);

    // Copies up to `max` uncompressed bytes to dst. Returns the number copied; 0 only at the end
    // of the segment (after which a truncated .zst has already been reported as an error).
    // Bytes decoded before damage in a .zst are returned first; the error comes with the next
    // call, so that a caller can place it after the last good byte.
    Result<qint64> read(char *dst, qint64 max);
    // Everything from the current position to the end.
    Result<QByteArray> readAll();

    bool compressed() const { return m_zstd != nullptr; }
    qint64 fileSize() const { return m_fileSize; }
    // Bytes of the file itself (compressed bytes for .zst) consumed so far: for progress.
    qint64 filePosition() const { return m_filePos; }
    // The uncompressed size when known up front (a plain file's size, or the content size a
    // zstd frame header declares, as zstd's one-shot API and CLI write), else -1. A hint for
    // allocation only: the bytes read are what counts.
    qint64 sizeHint() const { return m_sizeHint; }

private:
    SegmentReader() = default;
    Result<qint64> readZstd(char *dst, qint64 max);

    QFile m_file;
    qint64 m_fileSize = 0;
    qint64 m_filePos = 0;
    qint64 m_sizeHint = -1;
    ZSTD_DCtx_s *m_zstd = nullptr;
    QByteArray m_in; // compressed input buffer (zstd only)
    qint64 m_inLen = 0;
    qint64 m_inPos = 0;
    bool m_inEof = false;
    // Last ZSTD_decompressStream result: 0 = a frame ended cleanly. Starts non-zero so that an
    // empty .zst (not even one frame) is reported as truncated.
    size_t m_lastRet = 1;
    std::optional<Error> m_pendingError; // reported by the read() after the one that hit it
};

// The uncompressed bytes of a whole segment (SegmentReader::readAll). Fails for a retired one.
Result<QByteArray> readSegment(const SegmentFile &segment);

} // namespace Shivx::AuditFiles
