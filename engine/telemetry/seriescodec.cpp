#include "telemetry/seriescodec.h"

#include <zstd.h>

#include <cmath>
#include <cstring>
#include <memory>

namespace Shivx::Internal {

namespace {

// zstd level 9: blocks are a few KiB, so even this level costs microseconds per block, and it
// finds the repeats of a regular series that level 3 leaves (measured in bench_history).
constexpr int ZstdLevel = 9;
// A decoded block is at most this large; a payload claiming more is damaged.
constexpr quint64 MaxInnerBytes = 64u * 1024 * 1024;
constexpr double MaxExactInteger = 9007199254740992.0; // 2^53

const double Pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6 };

quint64 zigzag(qint64 n)
{
    return (static_cast<quint64>(n) << 1) ^ static_cast<quint64>(n >> 63);
}

qint64 unzigzag(quint64 u)
{
    return static_cast<qint64>(u >> 1) ^ -static_cast<qint64>(u & 1);
}

void putVarint(QByteArray &out, quint64 v)
{
    while (v >= 0x80) {
        out.append(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.append(static_cast<char>(v));
}

quint64 bitsOf(double v)
{
    quint64 bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    return bits;
}

double doubleOf(quint64 bits)
{
    double v = 0;
    std::memcpy(&v, &bits, sizeof v);
    return v;
}

// Exactness is judged on the bits, not with ==, so that -0.0 is not silently turned into 0.0.
bool fitsScale(double v, int k, qint64 *scaled)
{
    if (!std::isfinite(v))
        return false;
    const double s = std::round(v * Pow10[k]);
    if (std::fabs(s) > MaxExactInteger)
        return false;
    // The decoder's exact computation, from the integer (which has no -0).
    const auto i = static_cast<qint64>(s);
    if (bitsOf(static_cast<double>(i) / Pow10[k]) != bitsOf(v))
        return false;
    if (scaled)
        *scaled = i;
    return true;
}

class Reader
{
public:
    explicit Reader(const QByteArray &data)
        : m_data(data)
    {
    }

    bool varint(quint64 *out)
    {
        quint64 v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_pos >= m_data.size())
                return false;
            const auto byte = static_cast<quint8>(m_data.at(m_pos++));
            v |= static_cast<quint64>(byte & 0x7f) << shift;
            if (!(byte & 0x80)) {
                *out = v;
                return true;
            }
        }
        return false; // more than 10 bytes: not a varint we wrote
    }

    bool byte(quint8 *out)
    {
        if (m_pos >= m_data.size())
            return false;
        *out = static_cast<quint8>(m_data.at(m_pos++));
        return true;
    }

    bool bigEndian64(quint64 *out)
    {
        if (m_data.size() - m_pos < 8)
            return false;
        quint64 v = 0;
        for (int i = 0; i < 8; ++i)
            v = (v << 8) | static_cast<quint8>(m_data.at(m_pos++));
        *out = v;
        return true;
    }

    qsizetype remaining() const { return m_data.size() - m_pos; }

private:
    const QByteArray &m_data;
    qsizetype m_pos = 0;
};

Error damaged(const QString &what)
{
    return makeError(
        "history.block_damaged", QStringLiteral("damaged history block: %1").arg(what));
}

} // namespace

quint8 SeriesCodec::chooseValueEncoding(const std::vector<RawPoint> &points)
{
    for (int k = 0; k <= MaxDecimalScale; ++k) {
        bool all = true;
        for (const RawPoint &p : points) {
            if (!fitsScale(p.value, k, nullptr)) {
                all = false;
                break;
            }
        }
        if (all)
            return static_cast<quint8>(k);
    }
    return XorDoubles;
}

Result<QByteArray> SeriesCodec::encode(const std::vector<RawPoint> &points)
{
    if (points.empty())
        return makeError("history.codec", QStringLiteral("cannot encode an empty block"));
    for (size_t i = 1; i < points.size(); ++i) {
        if (points[i].tsMs <= points[i - 1].tsMs)
            return makeError(
                "history.codec", QStringLiteral("block timestamps must increase strictly"));
    }

    const quint8 encoding = chooseValueEncoding(points);
    QByteArray inner;
    inner.reserve(static_cast<qsizetype>(points.size() * 3 + 16));
    putVarint(inner, points.size());
    inner.append(static_cast<char>(encoding));

    // Timestamps first, then values: two homogeneous streams compress better than interleaved.
    // Unsigned arithmetic: differences of arbitrary qint64 wrap instead of overflowing (UB),
    // and the decoder wraps back the same way.
    putVarint(inner, zigzag(points[0].tsMs));
    quint64 prevDelta = 0;
    for (size_t i = 1; i < points.size(); ++i) {
        const quint64 delta
            = static_cast<quint64>(points[i].tsMs) - static_cast<quint64>(points[i - 1].tsMs);
        putVarint(inner, zigzag(static_cast<qint64>(delta - prevDelta)));
        prevDelta = delta;
    }

    if (encoding <= MaxDecimalScale) {
        qint64 prev = 0;
        for (const RawPoint &p : points) {
            qint64 scaled = 0;
            fitsScale(p.value, encoding, &scaled);
            // |scaled| <= 2^53, so the difference cannot overflow.
            putVarint(inner, zigzag(scaled - prev));
            prev = scaled;
        }
    } else {
        quint64 prev = 0;
        for (const RawPoint &p : points) {
            const quint64 bits = bitsOf(p.value);
            const quint64 x = bits ^ prev;
            for (int shift = 56; shift >= 0; shift -= 8)
                inner.append(static_cast<char>((x >> shift) & 0xff));
            prev = bits;
        }
    }

    QByteArray out;
    const size_t bound = ZSTD_compressBound(static_cast<size_t>(inner.size()));
    out.resize(static_cast<qsizetype>(bound + 1));
    out[0] = static_cast<char>(FormatVersion);
    // One context per thread: creating one per block would cost more than compressing it.
    // The frame checksum (4 bytes per block) turns a damaged page into an error instead of
    // plausible wrong values.
    struct CCtxDeleter
    {
        void operator()(ZSTD_CCtx *c) const { ZSTD_freeCCtx(c); }
    };
    thread_local std::unique_ptr<ZSTD_CCtx, CCtxDeleter> cctx(ZSTD_createCCtx());
    if (!cctx)
        return makeError("history.codec", QStringLiteral("zstd: out of memory"));
    ZSTD_CCtx_reset(cctx.get(), ZSTD_reset_session_and_parameters);
    ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, ZstdLevel);
    ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1);
    const size_t n = ZSTD_compress2(
        cctx.get(), out.data() + 1, bound, inner.constData(), static_cast<size_t>(inner.size()));
    if (ZSTD_isError(n))
        return makeError("history.codec",
            QStringLiteral("zstd: %1").arg(QString::fromUtf8(ZSTD_getErrorName(n))));
    out.resize(static_cast<qsizetype>(n + 1));
    return out;
}

Result<std::vector<RawPoint>> SeriesCodec::decode(const QByteArray &payload)
{
    if (payload.isEmpty())
        return damaged(QStringLiteral("empty payload"));
    if (static_cast<quint8>(payload.at(0)) != FormatVersion)
        return damaged(
            QStringLiteral("unknown format version %1").arg(static_cast<quint8>(payload.at(0))));
    const char *frame = payload.constData() + 1;
    const size_t frameSize = static_cast<size_t>(payload.size() - 1);
    const unsigned long long size = ZSTD_getFrameContentSize(frame, frameSize);
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > MaxInnerBytes)
        return damaged(QStringLiteral("bad zstd frame header"));
    QByteArray inner(static_cast<qsizetype>(size), Qt::Uninitialized);
    const size_t n = ZSTD_decompress(inner.data(), static_cast<size_t>(size), frame, frameSize);
    if (ZSTD_isError(n) || n != size)
        return damaged(QStringLiteral("zstd: %1")
                           .arg(ZSTD_isError(n) ? QString::fromUtf8(ZSTD_getErrorName(n))
                                                : QStringLiteral("short frame")));

    Reader r(inner);
    quint64 count = 0;
    quint8 encoding = 0;
    if (!r.varint(&count) || !r.byte(&encoding))
        return damaged(QStringLiteral("truncated header"));
    // Every point takes at least two bytes (timestamp and value), which bounds the allocation.
    if (count == 0 || count > static_cast<quint64>(r.remaining()) / 2)
        return damaged(QStringLiteral("point count %1 does not fit the payload").arg(count));
    if (encoding > MaxDecimalScale && encoding != XorDoubles)
        return damaged(QStringLiteral("unknown value encoding %1").arg(encoding));

    std::vector<RawPoint> points(static_cast<size_t>(count));
    quint64 u = 0;
    if (!r.varint(&u))
        return damaged(QStringLiteral("truncated timestamps"));
    quint64 ts = static_cast<quint64>(unzigzag(u));
    quint64 delta = 0;
    points[0].tsMs = static_cast<qint64>(ts);
    for (size_t i = 1; i < points.size(); ++i) {
        if (!r.varint(&u))
            return damaged(QStringLiteral("truncated timestamps"));
        delta += static_cast<quint64>(unzigzag(u));
        ts += delta;
        points[i].tsMs = static_cast<qint64>(ts);
    }

    if (encoding <= MaxDecimalScale) {
        quint64 scaled = 0;
        for (RawPoint &p : points) {
            if (!r.varint(&u))
                return damaged(QStringLiteral("truncated values"));
            scaled += static_cast<quint64>(unzigzag(u));
            p.value = static_cast<double>(static_cast<qint64>(scaled)) / Pow10[encoding];
        }
    } else {
        quint64 prev = 0;
        for (RawPoint &p : points) {
            quint64 x = 0;
            if (!r.bigEndian64(&x))
                return damaged(QStringLiteral("truncated values"));
            prev ^= x;
            p.value = doubleOf(prev);
        }
    }
    if (r.remaining() != 0)
        return damaged(QStringLiteral("%1 trailing bytes").arg(r.remaining()));
    return points;
}

} // namespace Shivx::Internal
