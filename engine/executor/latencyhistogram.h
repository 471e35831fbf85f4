#pragma once

#include <QtGlobal>

#include <array>

namespace Shivx {

// Quantiles of durations in fixed memory (about 8 KB), for p50/p99 of executor wait and run
// times. Log-linear buckets: values below 16 µs are exact, larger ones fall into one of 16
// buckets per power of two, so a reported quantile is within 1/16 (6.25 %) of a value that
// was recorded. Covers 0 µs to about 2^42 µs (50 days); larger values count in the top bucket.
//
// Why buckets and not a sample (reservoir) or P² markers: the bucket counts give every
// quantile from one structure, merge exactly, never drift with the order of arrivals, and a
// test can predict them exactly. Not thread-safe: the owner guards it (BoundedExecutor
// records under its queue lock).
class LatencyHistogram
{
public:
    void record(qint64 micros);
    // The q-quantile (0..1) in µs: the middle of the bucket holding the ceil(q * count)-th
    // smallest value, clamped to the smallest and largest value recorded; 0 when empty.
    qint64 quantile(double q) const;

    quint64 count() const { return m_count; }
    // Sum of all recorded values in µs (Prometheus summaries report it).
    quint64 sum() const { return m_sum; }
    qint64 min() const { return m_count ? m_min : 0; }
    qint64 max() const { return m_count ? m_max : 0; }
    void reset();

    static int bucketOf(qint64 micros);
    static qint64 bucketLow(int bucket);
    static qint64 bucketHigh(int bucket); // inclusive

private:
    static constexpr int SubBits = 4; // 16 buckets per power of two
    static constexpr int SubCount = 1 << SubBits;
    static constexpr int MaxExponent = 42;
    static constexpr int BucketCount = SubCount + (MaxExponent - SubBits + 1) * SubCount;

    std::array<quint32, BucketCount> m_buckets {};
    quint64 m_count = 0;
    quint64 m_sum = 0;
    qint64 m_min = 0;
    qint64 m_max = 0;
};

} // namespace Shivx
