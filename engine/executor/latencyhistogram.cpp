#include "executor/latencyhistogram.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace Shivx {

int LatencyHistogram::bucketOf(qint64 micros)
{
    if (micros < SubCount)
        return int(std::max<qint64>(micros, 0));
    const int exponent = 63 - __builtin_clzll(quint64(micros)); // >= SubBits
    if (exponent > MaxExponent)
        return BucketCount - 1;
    const int sub = int((quint64(micros) >> (exponent - SubBits)) & (SubCount - 1));
    return SubCount + (exponent - SubBits) * SubCount + sub;
}

qint64 LatencyHistogram::bucketLow(int bucket)
{
    if (bucket < SubCount)
        return bucket;
    const int exponent = (bucket - SubCount) / SubCount + SubBits;
    const int sub = (bucket - SubCount) % SubCount;
    return (qint64(1) << exponent) + (qint64(sub) << (exponent - SubBits));
}

qint64 LatencyHistogram::bucketHigh(int bucket)
{
    if (bucket < SubCount)
        return bucket;
    const int exponent = (bucket - SubCount) / SubCount + SubBits;
    return bucketLow(bucket) + (qint64(1) << (exponent - SubBits)) - 1;
}

void LatencyHistogram::record(qint64 micros)
{
    micros = std::max<qint64>(micros, 0);
    const int bucket = bucketOf(micros);
    // quint32 per bucket keeps the structure small; a saturated bucket stops counting rather
    // than wrapping to 0 (4 billion values in one bucket: quantiles stay right in practice).
    if (m_buckets[size_t(bucket)] != std::numeric_limits<quint32>::max())
        ++m_buckets[size_t(bucket)];
    m_min = m_count ? std::min(m_min, micros) : micros;
    m_max = m_count ? std::max(m_max, micros) : micros;
    ++m_count;
    m_sum += quint64(micros);
}

qint64 LatencyHistogram::quantile(double q) const
{
    if (m_count == 0)
        return 0;
    q = std::clamp(q, 0.0, 1.0);
    quint64 total = 0;
    for (quint32 c : m_buckets)
        total += c;
    const quint64 rank = std::max<quint64>(1, quint64(std::ceil(q * double(total))));
    quint64 seen = 0;
    for (int b = 0; b < BucketCount; ++b) {
        seen += m_buckets[size_t(b)];
        if (seen >= rank) {
            const qint64 mid = bucketLow(b) + (bucketHigh(b) - bucketLow(b)) / 2;
            return std::clamp(mid, m_min, m_max);
        }
    }
    return m_max;
}

void LatencyHistogram::reset()
{
    *this = LatencyHistogram {};
}

} // namespace Shivx
