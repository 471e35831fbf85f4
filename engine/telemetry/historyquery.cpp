#include "telemetry/historystore_p.h"

#include <QVariant>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace Shivx {

using Internal::Aggregate;
using Internal::BlockMs;
using Internal::floorTo;
using Internal::HourMs;
using Internal::MinuteMs;
using Internal::RawPoint;
using Internal::SeriesCodec;

namespace {

// The rollup table of a resolution and the buckets a range touches in it.
struct RollupRange
{
    qint64 step;
    QString table;
    qint64 firstBucket;
    qint64 lastBucket;
};

RollupRange rollupRange(qint64 fromMs, qint64 toMs, Resolution r)
{
    const qint64 step = r == Resolution::Minute ? MinuteMs : HourMs;
    return { step,
        r == Resolution::Minute ? QStringLiteral("history_1m") : QStringLiteral("history_1h"),
        floorTo(fromMs, step), floorTo(toMs, step) };
}

} // namespace

Result<QList<HistoryPoint>> HistoryStore::Private::fetchRaw(qint64 id, qint64 fromMs, qint64 toMs)
{
    QList<HistoryPoint> out;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    // start_ts >= from - BlockMs keeps the scan on the (series_id, start_ts) index: a block
    // never spans more than one window.
    q.prepare(QStringLiteral("SELECT payload FROM history_block WHERE series_id = ?"
                             " AND start_ts > ? AND start_ts <= ? AND end_ts >= ?"
                             " ORDER BY start_ts"));
    q.addBindValue(id);
    q.addBindValue(fromMs - BlockMs);
    q.addBindValue(toMs);
    q.addBindValue(fromMs);
    if (!q.exec())
        return sqlError(q, "reading history blocks");
    std::vector<RawPoint> sealed;
    while (q.next()) {
        auto points = SeriesCodec::decode(q.value(0).toByteArray());
        if (!points)
            return makeError("history.block_damaged",
                QStringLiteral("%1: %2").arg(path, points.error().message));
        for (const RawPoint &p : *points) {
            if (p.tsMs >= fromMs && p.tsMs <= toMs)
                sealed.push_back(p);
        }
    }
    q.finish();

    q.prepare(QStringLiteral("SELECT ts, value FROM history_raw WHERE series_id = ?"
                             " AND ts >= ? AND ts <= ? ORDER BY ts"));
    q.addBindValue(id);
    q.addBindValue(fromMs);
    q.addBindValue(toMs);
    if (!q.exec())
        return sqlError(q, "reading recent history");
    std::vector<RawPoint> pending;
    while (q.next())
        pending.push_back({ q.value(0).toLongLong(), q.value(1).toDouble() });

    // Both lists are sorted; a pending point replaces a sealed one with the same timestamp
    // (a late rewrite that maintain() has not merged yet).
    out.reserve(static_cast<qsizetype>(sealed.size() + pending.size()));
    size_t i = 0, j = 0;
    const auto push = [&out](const RawPoint &p) {
        out.append({ p.tsMs, p.value, p.value, p.value, 1 });
    };
    while (i < sealed.size() || j < pending.size()) {
        if (j == pending.size() || (i < sealed.size() && sealed[i].tsMs < pending[j].tsMs)) {
            push(sealed[i++]);
        } else {
            if (i < sealed.size() && sealed[i].tsMs == pending[j].tsMs)
                ++i;
            push(pending[j++]);
        }
    }
    return out;
}

Result<QList<HistoryPoint>> HistoryStore::Private::fetchRollup(
    qint64 id, qint64 fromMs, qint64 toMs, Resolution r)
{
    const auto [step, table, firstBucket, lastBucket] = rollupRange(fromMs, toMs, r);

    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT ts, min, max, sum, count FROM %1 WHERE series_id = ?"
                             " AND ts >= ? AND ts <= ? ORDER BY ts")
                  .arg(table));
    q.addBindValue(id);
    q.addBindValue(firstBucket / 1000);
    q.addBindValue(lastBucket / 1000);
    if (!q.exec())
        return sqlError(q, "reading rollups");
    std::vector<std::pair<qint64, Aggregate>> stored;
    while (q.next()) {
        stored.push_back({ q.value(0).toLongLong() * 1000,
            { q.value(1).toDouble(), q.value(2).toDouble(), q.value(3).toDouble(),
                q.value(4).toLongLong() } });
    }
    q.finish();

    // Points not sealed yet have no rollup; aggregate them here so that the last minutes
    // show up at every resolution without waiting for maintain().
    q.prepare(QStringLiteral("SELECT ts / :step * :step AS b, MIN(value), MAX(value),"
                             " SUM(value), COUNT(*) FROM history_raw WHERE series_id = :id"
                             " AND ts >= :from AND ts < :to GROUP BY b ORDER BY b"));
    q.bindValue(QStringLiteral(":step"), step);
    q.bindValue(QStringLiteral(":id"), id);
    q.bindValue(QStringLiteral(":from"), firstBucket);
    q.bindValue(QStringLiteral(":to"), lastBucket + step);
    if (!q.exec())
        return sqlError(q, "aggregating recent history");
    std::vector<std::pair<qint64, Aggregate>> pending;
    while (q.next()) {
        pending.push_back({ q.value(0).toLongLong(),
            { q.value(1).toDouble(), q.value(2).toDouble(), q.value(3).toDouble(),
                q.value(4).toLongLong() } });
    }

    // Both lists are sorted by bucket; a bucket in both (late points) is merged.
    QList<HistoryPoint> out;
    out.reserve(static_cast<qsizetype>(stored.size() + pending.size()));
    const auto push = [&out](qint64 ts, const Aggregate &a) {
        out.append({ ts, a.min, a.max, a.sum / static_cast<double>(a.count), a.count });
    };
    size_t i = 0, j = 0;
    while (i < stored.size() || j < pending.size()) {
        if (j == pending.size() || (i < stored.size() && stored[i].first < pending[j].first)) {
            push(stored[i].first, stored[i].second);
            ++i;
        } else if (i == stored.size() || pending[j].first < stored[i].first) {
            push(pending[j].first, pending[j].second);
            ++j;
        } else {
            Aggregate a = stored[i++].second;
            a.merge(pending[j].second);
            push(pending[j++].first, a);
        }
    }
    return out;
}

Result<qint64> HistoryStore::Private::estimateRaw(
    qint64 id, qint64 fromMs, qint64 toMs, qint64 limit)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM (SELECT 1 FROM history_raw WHERE series_id = ?"
                             " AND ts >= ? AND ts <= ? LIMIT ?)"));
    q.addBindValue(id);
    q.addBindValue(fromMs);
    q.addBindValue(toMs);
    q.addBindValue(limit + 1);
    if (!q.exec() || !q.next())
        return sqlError(q, "counting recent history");
    double n = q.value(0).toDouble();
    q.finish();

    // Blocks only partly inside the range count in proportion to the overlap; query() checks
    // the real number after decoding, so the estimate only has to keep Auto from decoding
    // months. It stops as soon as the limit is passed: for 1-s data after the first block.
    q.prepare(QStringLiteral("SELECT count, start_ts, end_ts FROM history_block"
                             " WHERE series_id = ? AND start_ts > ? AND start_ts <= ?"
                             " AND end_ts >= ? ORDER BY start_ts"));
    q.addBindValue(id);
    q.addBindValue(fromMs - BlockMs);
    q.addBindValue(toMs);
    q.addBindValue(fromMs);
    if (!q.exec())
        return sqlError(q, "counting history blocks");
    while (n <= double(limit) && q.next()) {
        const double count = q.value(0).toDouble();
        const qint64 start = q.value(1).toLongLong();
        const qint64 end = q.value(2).toLongLong();
        n += count * double(std::min(end, toMs) - std::max(start, fromMs) + 1)
            / double(end - start + 1);
    }
    return std::llround(n);
}

Result<qint64> HistoryStore::Private::countRollup(
    qint64 id, qint64 fromMs, qint64 toMs, Resolution r, qint64 limit)
{
    const auto [step, table, firstBucket, lastBucket] = rollupRange(fromMs, toMs, r);
    QSqlQuery q(db);
    q.setForwardOnly(true);
    // An upper bound (a pending bucket may also have a rollup row, after late points), and
    // counting stops past the limit: Auto only needs to know whether it fits.
    q.prepare(QStringLiteral("SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM %1 WHERE series_id = :id"
                             " AND ts >= :fromS AND ts <= :toS LIMIT :limit)),"
                             " (SELECT COUNT(DISTINCT ts / :step) FROM history_raw"
                             " WHERE series_id = :id AND ts >= :from AND ts < :to)")
                  .arg(table));
    q.bindValue(QStringLiteral(":id"), id);
    q.bindValue(QStringLiteral(":fromS"), firstBucket / 1000);
    q.bindValue(QStringLiteral(":toS"), lastBucket / 1000);
    q.bindValue(QStringLiteral(":limit"), limit + 1);
    q.bindValue(QStringLiteral(":step"), step);
    q.bindValue(QStringLiteral(":from"), firstBucket);
    q.bindValue(QStringLiteral(":to"), lastBucket + step);
    if (!q.exec() || !q.next())
        return sqlError(q, "counting rollups");
    return q.value(0).toLongLong() + q.value(1).toLongLong();
}

Result<HistoryQueryResult> HistoryStore::query(
    const QString &series, qint64 fromMs, qint64 toMs, Resolution resolution, int maxPoints)
{
    if (fromMs > toMs)
        return makeError("history.range", QStringLiteral("the range starts after it ends"));
    if (resolution == Resolution::Auto && maxPoints < 1)
        return makeError("history.range", QStringLiteral("maxPoints must be at least 1"));
    const auto id = d->seriesId(series, false);
    if (!id)
        return id.error();
    fromMs = std::max<qint64>(fromMs, 0);
    toMs = std::max<qint64>(toMs, 0);

    HistoryQueryResult result;
    result.series = series;
    const auto fetch = [&](Resolution r) -> Result<void> {
        auto pts = r == Resolution::Raw ? d->fetchRaw(*id, fromMs, toMs)
                                        : d->fetchRollup(*id, fromMs, toMs, r);
        if (!pts)
            return pts.error();
        result.resolution = r;
        result.points = std::move(*pts);
        return {};
    };

    if (resolution != Resolution::Auto) {
        const auto r = fetch(resolution);
        if (!r)
            return r.error();
        return result;
    }

    const auto cov = d->coverage(*id);
    if (!cov)
        return cov.error();
    if (cov->completeFrom(Resolution::Raw, fromMs)) {
        const auto n = d->estimateRaw(*id, fromMs, toMs, maxPoints);
        if (!n)
            return n.error();
        if (*n <= maxPoints) {
            const auto r = fetch(Resolution::Raw);
            if (!r)
                return r.error();
            if (result.points.size() <= maxPoints)
                return result;
        }
    }
    if (cov->completeFrom(Resolution::Minute, fromMs)) {
        const auto n = d->countRollup(*id, fromMs, toMs, Resolution::Minute, maxPoints);
        if (!n)
            return n.error();
        if (*n <= maxPoints) {
            const auto r = fetch(Resolution::Minute);
            if (!r)
                return r.error();
            return result;
        }
    }
    // The coarsest resolution answers even when it exceeds maxPoints (a range of years).
    const auto r = fetch(Resolution::Hour);
    if (!r)
        return r.error();
    return result;
}

} // namespace Shivx
