#pragma once

#include "core/result.h"

#include <QFile>
#include <QString>

#include <memory>
#include <optional>

struct ZSTD_DCtx_s;

namespace Shivx::Internal {

// Reads the uncompressed bytes of one audit segment file front to back: a plain
// seg-NNNNNN.ndjson, or a rotated seg-NNNNNN.ndjson.zst (zstd, decompressed while reading).
// Error codes: "audit.io" (the file cannot be read) and "audit.corrupt_segment" (the .zst is
// not a valid, complete zstd stream). Not thread-safe; one reader per thread.
class SegmentReader
{
public:
    ~SegmentReader();
    SegmentReader(const SegmentReader &) = delete;
    SegmentReader &operator=(const SegmentReader &) = delete;

    static Result<std::unique_ptr<SegmentReader>> open(const QString &path);

    // Copies up to `max` uncompressed bytes to dst. Returns the number copied; 0 only at the end
    // of the segment (after which a truncated .zst has already been reported as an error).
    Result<qint64> read(char *dst, qint64 max);

    bool compressed() const { return m_zstd != nullptr; }
    qint64 fileSize() const { return m_fileSize; }
    // Bytes of the file itself (compressed bytes for .zst) consumed so far: for progress.
    qint64 filePosition() const { return m_filePos; }

private:
    SegmentReader() = default;
    Result<qint64> readZstd(char *dst, qint64 max);

    QFile m_file;
    qint64 m_fileSize = 0;
    qint64 m_filePos = 0;
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

} // namespace Shivx::Internal
