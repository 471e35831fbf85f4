#include "audit/segmentreader.h"

#include "audit/segmentfiles.h"

#define ZSTD_STATIC_LINKING_ONLY // ZSTD_FRAMEHEADERSIZE_MAX
#include <zstd.h>

#include <unistd.h>

namespace Shivx::AuditFiles {

SegmentReader::~SegmentReader()
{
    ZSTD_freeDCtx(m_zstd);
}

Result<std::unique_ptr<SegmentReader>> SegmentReader::open(const SegmentFile &segment)
{
    if (segment.retired())
        return makeError(
            "audit.retired", QStringLiteral("%1 was removed by retention").arg(segment.name));
    return open(segment.path);
}

Result<std::unique_ptr<SegmentReader>> SegmentReader::open(const QString &path)
{
    std::unique_ptr<SegmentReader> r(new SegmentReader);
    r->m_file.setFileName(path);
    // Unbuffered: reads go straight into the caller's large buffer instead of through QFile's.
    if (!r->m_file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return makeError(
            "audit.io", QStringLiteral("cannot read %1: %2").arg(path, r->m_file.errorString()));
    r->m_fileSize = r->m_file.size();
    if (path.endsWith(QLatin1String(".zst"))) {
        r->m_zstd = ZSTD_createDCtx();
        if (!r->m_zstd)
            return makeError(
                "audit.io", QStringLiteral("%1: cannot create a zstd decoder").arg(path));
        r->m_in.resize(int(ZSTD_DStreamInSize()));
        // Peeked with pread so that the stream position stays at 0.
        char header[ZSTD_FRAMEHEADERSIZE_MAX];
        const ssize_t n = ::pread(r->m_file.handle(), header, sizeof header, 0);
        const unsigned long long size
            = n > 0 ? ZSTD_getFrameContentSize(header, size_t(n)) : ZSTD_CONTENTSIZE_UNKNOWN;
        if (size != ZSTD_CONTENTSIZE_UNKNOWN && size != ZSTD_CONTENTSIZE_ERROR
            && size < (1ULL << 34))
            r->m_sizeHint = qint64(size);
    } else {
        r->m_sizeHint = r->m_fileSize;
    }
    return r;
}

Result<qint64> SegmentReader::read(char *dst, qint64 max)
{
    if (m_zstd)
        return readZstd(dst, max);
    qint64 total = 0;
    while (total < max) {
        const qint64 n = m_file.read(dst + total, max - total);
        if (n < 0)
            return makeError("audit.io",
                QStringLiteral("cannot read %1: %2").arg(m_file.fileName(), m_file.errorString()));
        if (n == 0)
            break;
        total += n;
    }
    m_filePos += total;
    return total;
}

Result<qint64> SegmentReader::readZstd(char *dst, qint64 max)
{
    if (m_pendingError)
        return *m_pendingError;
    ZSTD_outBuffer out { dst, size_t(max), 0 };
    // Bytes decoded before a failure are returned first, so that the lines before the damage
    // are verified and the failure is located right after them.
    const auto failAfterOutput = [&](Error e) -> Result<qint64> {
        if (out.pos == 0)
            return e;
        m_pendingError = std::move(e);
        return qint64(out.pos);
    };
    while (out.pos < out.size) {
        if (m_inPos == m_inLen && !m_inEof) {
            const qint64 n = m_file.read(m_in.data(), m_in.size());
            if (n < 0)
                return failAfterOutput(makeError("audit.io",
                    QStringLiteral("cannot read %1: %2")
                        .arg(m_file.fileName(), m_file.errorString())));
            m_filePos += n;
            m_inLen = n;
            m_inPos = 0;
            m_inEof = n == 0;
        }
        ZSTD_inBuffer in { m_in.constData(), size_t(m_inLen), size_t(m_inPos) };
        const size_t before = out.pos;
        const size_t ret = ZSTD_decompressStream(m_zstd, &out, &in);
        const bool progress = out.pos != before || qint64(in.pos) != m_inPos;
        m_inPos = qint64(in.pos);
        // Only a call that moved data tells where the frame stands: with no input left zstd
        // returns the size of the next frame's header, which is not an error.
        if (progress || ZSTD_isError(ret))
            m_lastRet = ret;
        if (ZSTD_isError(m_lastRet))
            return failAfterOutput(makeError("audit.corrupt_segment",
                QStringLiteral("%1: zstd: %2 (near compressed byte %3)")
                    .arg(m_file.fileName(), QLatin1String(ZSTD_getErrorName(m_lastRet)))
                    .arg(m_filePos)));
        if (m_inEof && m_inPos == m_inLen && !progress) {
            // No input left and nothing more came out: the end, which must be the end of a
            // frame; otherwise the file was cut short.
            if (m_lastRet != 0)
                return failAfterOutput(makeError("audit.corrupt_segment",
                    QStringLiteral("%1: zstd stream is truncated (the last frame is incomplete)")
                        .arg(m_file.fileName())));
            break;
        }
    }
    return qint64(out.pos);
}

Result<QByteArray> SegmentReader::readAll()
{
    QByteArray out;
    // One allocation when the size is known; grown as it comes otherwise.
    qint64 capacity = m_sizeHint >= 0 ? m_sizeHint + 1 : qint64(1) << 20;
    for (;;) {
        if (out.size() == capacity)
            capacity *= 2;
        const qint64 done = out.size();
        out.resize(qsizetype(capacity));
        const auto n = read(out.data() + done, capacity - done);
        if (!n)
            return n.error();
        out.resize(qsizetype(done + *n));
        if (*n == 0)
            return out;
    }
}

Result<QByteArray> readSegment(const SegmentFile &segment)
{
    auto reader = SegmentReader::open(segment);
    if (!reader)
        return reader.error();
    return (*reader)->readAll();
}

} // namespace Shivx::AuditFiles
