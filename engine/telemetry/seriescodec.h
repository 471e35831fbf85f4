#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QtGlobal>

#include <vector>

namespace Shivx::Internal {

struct RawPoint
{
    qint64 tsMs = 0;
    double value = 0;
};

// The compressed block format of metric history (byte layout in docs/storage.md).
// Lossless for every double, NaN and infinities included; timestamps are delta-of-delta
// varints and values decimal-scaled integer deltas when a scale fits, so a regular 1-second
// series of 2-decimal values takes about one to two bytes per point before rollups.
class SeriesCodec
{
public:
    enum ValueEncoding : quint8 {
        // 0..6: values are integers times 10^-k, stored as zigzag varint deltas
        MaxDecimalScale = 6,
        XorDoubles = 0x80, // IEEE bits XORed with the previous value, 8 bytes big-endian
    };

    // `points` must be sorted by strictly increasing tsMs and not empty.
    static Result<QByteArray> encode(const std::vector<RawPoint> &points);
    // Never trusts the payload: a damaged block gives an error, not a crash or a wrong count.
    static Result<std::vector<RawPoint>> decode(const QByteArray &payload);

    // The value encoding encode() picks for these values (exposed for tests and the docs).
    static quint8 chooseValueEncoding(const std::vector<RawPoint> &points);

    static constexpr quint8 FormatVersion = 1;
};

} // namespace Shivx::Internal
