#pragma once

// Shared by the files that implement HistoryStore: historystore.cpp (opening, appending,
// listing), historyquery.cpp (the read path) and historymaintenance.cpp (sealing, rollups,
// retention). Not part of the engine's interface.

#include "storage/sqlitestatement.h"
#include "telemetry/historystore.h"
#include "telemetry/seriescodec.h"

#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>

#include <algorithm>
#include <limits>
#include <optional>
#include <vector>

namespace Shivx {

namespace Internal {

// One block per series per clock hour: 3600 points at 1 s, large enough for zstd to find the
// regularities and small enough that a late point re-encodes only one hour.
inline constexpr qint64 BlockMs = 3'600'000;
inline constexpr qint64 MinuteMs = 60'000;
inline constexpr qint64 HourMs = 3'600'000;
inline constexpr qint64 Never = std::numeric_limits<qint64>::max();

inline qint64 floorTo(qint64 ts, qint64 step)
{
    return ts / step * step; // timestamps are >= 0 (append() refuses others)
}

struct Aggregate
{
    double min = 0;
    double max = 0;
    double sum = 0;
    qint64 count = 0;

    void add(double v)
    {
        if (count == 0) {
            min = max = v;
        } else {
            min = std::min(min, v);
            max = std::max(max, v);
        }
        sum += v;
        ++count;
    }
    void merge(const Aggregate &o)
    {
        if (o.count == 0)
            return;
        if (count == 0) {
            *this = o;
            return;
        }
        min = std::min(min, o.min);
        max = std::max(max, o.max);
        sum += o.sum;
        count += o.count;
    }
};

// Where each resolution's data begins for one series; Never when it has none. Used to decide
// whether a resolution still covers a range or retention has already dropped its start.
struct Coverage
{
    qint64 raw = Never; // first point in a block or in history_raw
    qint64 minute = Never; // first 1-minute bucket, rolled up or pending in history_raw
    qint64 hour = Never;

    qint64 start(Resolution r) const
    {
        return r == Resolution::Raw ? raw : r == Resolution::Minute ? minute : hour;
    }
    // A resolution is complete from its first point on when no coarser one has data before
    // it; otherwise retention has cut it and a range reaching further back needs the coarser.
    bool completeFrom(Resolution r, qint64 fromMs) const
    {
        const qint64 s = start(r);
        if (fromMs >= s)
            return true;
        if (s == Never)
            return minute == Never && hour == Never && raw == Never;
        if (r == Resolution::Raw && minute < floorTo(s, MinuteMs))
            return false;
        if (r != Resolution::Hour && hour < floorTo(s, HourMs))
            return false;
        return true;
    }
    qint64 first() const
    {
        if (raw != Never && completeFrom(Resolution::Raw, 0))
            return raw;
        if (minute != Never && completeFrom(Resolution::Minute, 0))
            return minute;
        return hour;
    }
};

} // namespace Internal

struct HistoryStore::Private
{
    QString path;
    QString connectionName;
    HistoryRetention retention;
    QSqlDatabase db;
    QHash<QString, qint64> seriesIds;
    // Prepared once on SQLite's own API: binding through QSqlQuery's QVariants cost more
    // than SQLite's insert (bench/engine_cpu).
    std::optional<SqliteStatement> insertRaw;

    Error sqlError(const QSqlQuery &q, const char *what) const
    {
        const QSqlError e = q.lastError();
        return makeError("history.sql",
            QStringLiteral("%1: %2: %3")
                .arg(path, QString::fromLatin1(what),
                    e.databaseText().isEmpty() ? e.text() : e.databaseText()));
    }

    Result<qint64> seriesId(const QString &name, bool create);
    Result<Internal::Coverage> coverage(qint64 id);
    Result<QList<HistoryPoint>> fetchRaw(qint64 id, qint64 fromMs, qint64 toMs);
    Result<QList<HistoryPoint>> fetchRollup(qint64 id, qint64 fromMs, qint64 toMs, Resolution r);
    Result<qint64> estimateRaw(qint64 id, qint64 fromMs, qint64 toMs, qint64 limit);
    Result<qint64> countRollup(qint64 id, qint64 fromMs, qint64 toMs, Resolution r, qint64 limit);
    Result<void> sealGroup(qint64 id, qint64 windowStart,
        const std::vector<Internal::RawPoint> &fresh, qint64 rawCutoff);
    Result<void> applyRetention(const QList<qint64> &ids, qint64 nowMs);
    Result<void> writeRollups(
        qint64 id, const std::vector<Internal::RawPoint> &points, bool combine);
    void releaseSpace();
};

} // namespace Shivx
