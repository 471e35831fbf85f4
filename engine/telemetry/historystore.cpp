#include "telemetry/historystore.h"

#include "storage/database.h"
#include "telemetry/seriescodec.h"

#include <QFileInfo>
#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>

namespace Shivx {

using Internal::RawPoint;
using Internal::SeriesCodec;

namespace {

constexpr int InsertChunk = 64;

// One block per series per clock hour: 3600 points at 1 s, large enough for zstd to find the
// regularities and small enough that a late point re-encodes only one hour.
constexpr qint64 BlockMs = 3'600'000;
constexpr qint64 MinuteMs = 60'000;
constexpr qint64 HourMs = 3'600'000;
constexpr qint64 Never = std::numeric_limits<qint64>::max();

qint64 floorTo(qint64 ts, qint64 step)
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

} // namespace

QString toString(Resolution r)
{
    switch (r) {
    case Resolution::Auto:
        return QStringLiteral("auto");
    case Resolution::Raw:
        return QStringLiteral("1s");
    case Resolution::Minute:
        return QStringLiteral("1m");
    case Resolution::Hour:
        return QStringLiteral("1h");
    }
    return QStringLiteral("auto");
}

Result<Resolution> parseResolution(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("auto"))
        return Resolution::Auto;
    if (t == QLatin1String("1s") || t == QLatin1String("raw"))
        return Resolution::Raw;
    if (t == QLatin1String("1m"))
        return Resolution::Minute;
    if (t == QLatin1String("1h"))
        return Resolution::Hour;
    return makeError("history.resolution",
        QStringLiteral("\"%1\" is not a resolution (expected auto, 1s, 1m or 1h)").arg(text));
}

struct HistoryStore::Private
{
    QString path;
    QString connectionName;
    HistoryRetention retention;
    QSqlDatabase db;
    QHash<QString, qint64> seriesIds;
    // One row per statement, and InsertChunk rows per statement for the bulk of a batch:
    // with Qt's per-exec overhead, multi-row VALUES more than halves the cost per point.
    std::optional<QSqlQuery> insertRaw;
    std::optional<QSqlQuery> insertRawChunk;

    Error sqlError(const QSqlQuery &q, const char *what) const
    {
        const QSqlError e = q.lastError();
        return makeError("history.sql",
            QStringLiteral("%1: %2: %3")
                .arg(path, QString::fromLatin1(what),
                    e.databaseText().isEmpty() ? e.text() : e.databaseText()));
    }

    Result<qint64> seriesId(const QString &name, bool create);
    Result<Coverage> coverage(qint64 id);
    Result<QList<HistoryPoint>> fetchRaw(qint64 id, qint64 fromMs, qint64 toMs);
    Result<QList<HistoryPoint>> fetchRollup(qint64 id, qint64 fromMs, qint64 toMs, Resolution r);
    Result<qint64> estimateRaw(qint64 id, qint64 fromMs, qint64 toMs, qint64 limit);
    Result<qint64> countRollup(qint64 id, qint64 fromMs, qint64 toMs, Resolution r, qint64 limit);
    Result<void> sealGroup(
        qint64 id, qint64 windowStart, const std::vector<RawPoint> &fresh, qint64 rawCutoff);
    Result<void> applyRetention(const QList<qint64> &ids, qint64 nowMs);
    Result<void> writeRollups(qint64 id, const std::vector<RawPoint> &points, bool combine);
    void releaseSpace();
};

Result<qint64> HistoryStore::Private::seriesId(const QString &name, bool create)
{
    const auto it = seriesIds.constFind(name);
    if (it != seriesIds.constEnd())
        return *it;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT id FROM series WHERE name = ?"));
    q.addBindValue(name);
    if (!q.exec())
        return sqlError(q, "looking up a series");
    if (q.next()) {
        const qint64 id = q.value(0).toLongLong();
        seriesIds.insert(name, id);
        return id;
    }
    if (!create)
        return makeError("history.unknown_series",
            QStringLiteral("%1: no history for series \"%2\"").arg(path, name));
    q.prepare(QStringLiteral("INSERT INTO series (name) VALUES (?)"));
    q.addBindValue(name);
    if (!q.exec())
        return sqlError(q, "adding a series");
    const qint64 id = q.lastInsertId().toLongLong();
    seriesIds.insert(name, id);
    return id;
}

Result<Coverage> HistoryStore::Private::coverage(qint64 id)
{
    Coverage c;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    // Each MIN() is one index seek on the (series_id, ts) keys.
    q.prepare(
        QStringLiteral("SELECT (SELECT MIN(start_ts) FROM history_block WHERE series_id = :id),"
                       " (SELECT MIN(ts) FROM history_raw WHERE series_id = :id),"
                       " (SELECT MIN(ts) FROM history_1m WHERE series_id = :id),"
                       " (SELECT MIN(ts) FROM history_1h WHERE series_id = :id)"));
    q.bindValue(QStringLiteral(":id"), id);
    if (!q.exec() || !q.next())
        return sqlError(q, "reading the extent of a series");
    const auto get = [&](int col, qint64 scale) {
        return q.value(col).isNull() ? Never : q.value(col).toLongLong() * scale;
    };
    const qint64 block = get(0, 1), pending = get(1, 1);
    c.raw = std::min(block, pending);
    c.minute = std::min(get(2, 1000), pending == Never ? Never : floorTo(pending, MinuteMs));
    c.hour = std::min(get(3, 1000), pending == Never ? Never : floorTo(pending, HourMs));
    return c;
}

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
    const qint64 step = r == Resolution::Minute ? MinuteMs : HourMs;
    const QString table
        = r == Resolution::Minute ? QStringLiteral("history_1m") : QStringLiteral("history_1h");
    const qint64 firstBucket = floorTo(fromMs, step);
    const qint64 lastBucket = floorTo(toMs, step);

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
    const qint64 step = r == Resolution::Minute ? MinuteMs : HourMs;
    const QString table
        = r == Resolution::Minute ? QStringLiteral("history_1m") : QStringLiteral("history_1h");
    const qint64 firstBucket = floorTo(fromMs, step);
    const qint64 lastBucket = floorTo(toMs, step);
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

Result<void> HistoryStore::Private::writeRollups(
    qint64 id, const std::vector<RawPoint> &points, bool combine)
{
    // combine: the hour's block is gone (past raw retention) so the existing rollups cannot
    // be recomputed from it; fold the late points into them instead.
    const QString upsert = combine
        ? QStringLiteral("INSERT INTO %1 (series_id, ts, min, max, sum, count)"
                         " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (series_id, ts) DO UPDATE SET"
                         " min = MIN(min, excluded.min), max = MAX(max, excluded.max),"
                         " sum = sum + excluded.sum, count = count + excluded.count")
        : QStringLiteral("INSERT OR REPLACE INTO %1 (series_id, ts, min, max, sum, count)"
                         " VALUES (?, ?, ?, ?, ?, ?)");
    for (const auto &[table, step] : { std::pair { QStringLiteral("history_1m"), MinuteMs },
             std::pair { QStringLiteral("history_1h"), HourMs } }) {
        QSqlQuery q(db);
        q.prepare(upsert.arg(table));
        size_t i = 0;
        while (i < points.size()) {
            const qint64 bucket = floorTo(points[i].tsMs, step);
            Aggregate a;
            while (i < points.size() && floorTo(points[i].tsMs, step) == bucket)
                a.add(points[i++].value);
            q.addBindValue(id);
            q.addBindValue(bucket / 1000);
            q.addBindValue(a.min);
            q.addBindValue(a.max);
            q.addBindValue(a.sum);
            q.addBindValue(a.count);
            if (!q.exec())
                return sqlError(q, "writing rollups");
        }
    }
    return {};
}

Result<void> HistoryStore::Private::sealGroup(
    qint64 id, qint64 windowStart, const std::vector<RawPoint> &fresh, qint64 rawCutoff)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT payload FROM history_block WHERE series_id = ?"
                             " AND start_ts >= ? AND start_ts < ?"));
    q.addBindValue(id);
    q.addBindValue(windowStart);
    q.addBindValue(windowStart + BlockMs);
    if (!q.exec())
        return sqlError(q, "reading a history block");
    std::map<qint64, double> merged;
    bool hadBlock = false;
    while (q.next()) {
        hadBlock = true;
        auto old = SeriesCodec::decode(q.value(0).toByteArray());
        if (!old)
            return makeError(
                "history.block_damaged", QStringLiteral("%1: %2").arg(path, old.error().message));
        for (const RawPoint &p : *old)
            merged[p.tsMs] = p.value;
    }
    q.finish();

    if (!hadBlock && windowStart + BlockMs <= rawCutoff) {
        // Too old to keep at 1 s: the block would be dropped by retention right away.
        return writeRollups(id, fresh, true);
    }
    for (const RawPoint &p : fresh)
        merged[p.tsMs] = p.value;
    std::vector<RawPoint> points;
    points.reserve(merged.size());
    for (const auto &[ts, v] : merged)
        points.push_back({ ts, v });

    const auto payload = SeriesCodec::encode(points);
    if (!payload)
        return payload.error();
    if (hadBlock) {
        q.prepare(QStringLiteral("DELETE FROM history_block WHERE series_id = ?"
                                 " AND start_ts >= ? AND start_ts < ?"));
        q.addBindValue(id);
        q.addBindValue(windowStart);
        q.addBindValue(windowStart + BlockMs);
        if (!q.exec())
            return sqlError(q, "replacing a history block");
    }
    q.prepare(QStringLiteral("INSERT INTO history_block (series_id, start_ts, end_ts, count,"
                             " codec, payload) VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(id);
    q.addBindValue(points.front().tsMs);
    q.addBindValue(points.back().tsMs);
    q.addBindValue(static_cast<qint64>(points.size()));
    q.addBindValue(static_cast<int>(SeriesCodec::chooseValueEncoding(points)));
    q.addBindValue(*payload);
    if (!q.exec())
        return sqlError(q, "writing a history block");
    return writeRollups(id, points, false);
}

Result<void> HistoryStore::Private::applyRetention(const QList<qint64> &ids, qint64 nowMs)
{
    // Per series, so that every delete is a range on the (series_id, ts) keys rather than a
    // scan of the whole table. A bucket or block goes only when all of it is past the cutoff.
    const qint64 rawCutoff = nowMs - retention.rawMs;
    const qint64 minuteCutoff = nowMs - retention.minuteMs;
    const qint64 hourCutoff = nowMs - retention.hourMs;
    QSqlQuery blocks(db), raw(db), minutes(db), hours(db);
    blocks.prepare(QStringLiteral("DELETE FROM history_block WHERE series_id = ?"
                                  " AND start_ts < ? AND end_ts < ?"));
    raw.prepare(QStringLiteral("DELETE FROM history_raw WHERE series_id = ? AND ts < ?"));
    minutes.prepare(QStringLiteral("DELETE FROM history_1m WHERE series_id = ? AND ts < ?"));
    hours.prepare(QStringLiteral("DELETE FROM history_1h WHERE series_id = ? AND ts < ?"));
    for (const qint64 id : ids) {
        blocks.addBindValue(id);
        blocks.addBindValue(rawCutoff);
        blocks.addBindValue(rawCutoff);
        raw.addBindValue(id);
        raw.addBindValue(rawCutoff);
        // ts + step <= cutoff, in seconds
        minutes.addBindValue(id);
        minutes.addBindValue(floorTo(std::max<qint64>(minuteCutoff, 0), 1000) / 1000 - 59);
        hours.addBindValue(id);
        hours.addBindValue(floorTo(std::max<qint64>(hourCutoff, 0), 1000) / 1000 - 3599);
        for (QSqlQuery *q : { &blocks, &raw, &minutes, &hours }) {
            if (!q->exec())
                return sqlError(*q, "applying retention");
        }
    }
    return {};
}

void HistoryStore::Private::releaseSpace()
{
    // Freed pages are reused by later inserts anyway; give them back to the file system only
    // when more than a tenth of the file is free (after sealing an hour of raw points, or
    // retention dropping a day), in steps small enough not to stall the writer.
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT (SELECT freelist_count FROM pragma_freelist_count),"
                               " (SELECT page_count FROM pragma_page_count)"))
        || !q.next())
        return;
    const qint64 freePages = q.value(0).toLongLong();
    const qint64 pages = q.value(1).toLongLong();
    q.finish();
    if (freePages > 64 && freePages * 10 > pages)
        q.exec(
            QStringLiteral("PRAGMA incremental_vacuum(%1)").arg(std::min<qint64>(freePages, 4096)));
    while (q.next()) { }
}

HistoryStore::~HistoryStore()
{
    if (!d)
        return;
    d->insertRaw.reset();
    d->insertRawChunk.reset();
    d->db = QSqlDatabase();
    Database::close(d->connectionName);
}

Result<std::unique_ptr<HistoryStore>> HistoryStore::open(
    const QString &dbPath, const QString &connectionName, const HistoryRetention &retention)
{
    auto db = Database::open(dbPath, connectionName);
    if (!db)
        return db.error();
    std::unique_ptr<HistoryStore> store(new HistoryStore);
    store->d = std::make_unique<Private>();
    store->d->path = dbPath;
    store->d->connectionName = connectionName;
    store->d->retention = retention;
    store->d->db = *db;
    const QString insert = QStringLiteral(
        "INSERT OR REPLACE INTO history_raw (series_id, ts, value) VALUES (?, ?, ?)");
    QString chunk = insert;
    for (int i = 1; i < InsertChunk; ++i)
        chunk += QStringLiteral(", (?, ?, ?)");
    store->d->insertRaw.emplace(store->d->db);
    store->d->insertRawChunk.emplace(store->d->db);
    if (!store->d->insertRaw->prepare(insert))
        return store->d->sqlError(*store->d->insertRaw, "preparing inserts");
    if (!store->d->insertRawChunk->prepare(chunk))
        return store->d->sqlError(*store->d->insertRawChunk, "preparing inserts");
    return store;
}

Result<void> HistoryStore::append(const QList<SamplePoint> &points)
{
    // Validate the whole batch first: a batch is stored entirely or not at all.
    for (const SamplePoint &p : points) {
        if (p.series.isEmpty())
            return makeError("history.invalid_point", QStringLiteral("a point has no series name"));
        if (!std::isfinite(p.value))
            return makeError("history.invalid_point",
                QStringLiteral("series \"%1\": value at %2 is not a finite number")
                    .arg(p.series)
                    .arg(p.tsMs));
        if (p.tsMs < 0)
            return makeError("history.invalid_point",
                QStringLiteral("series \"%1\": timestamp %2 is before 1970")
                    .arg(p.series)
                    .arg(p.tsMs));
    }
    if (points.isEmpty())
        return {};
    Transaction tx(d->db);
    if (!tx.begin())
        return tx.begin().error();
    qsizetype i = 0;
    while (i < points.size()) {
        const bool bulk = points.size() - i >= InsertChunk;
        QSqlQuery &insert = bulk ? *d->insertRawChunk : *d->insertRaw;
        const int rows = bulk ? InsertChunk : 1;
        for (int row = 0; row < rows; ++row, ++i) {
            const SamplePoint &p = points.at(i);
            const auto id = d->seriesId(p.series, true);
            if (!id) {
                d->seriesIds.clear(); // ids added in this transaction are rolled back with it
                return id.error();
            }
            insert.bindValue(row * 3, *id);
            insert.bindValue(row * 3 + 1, p.tsMs);
            insert.bindValue(row * 3 + 2, p.value);
        }
        if (!insert.exec()) {
            d->seriesIds.clear();
            return d->sqlError(insert, "appending points");
        }
    }
    const auto c = tx.commit();
    if (!c)
        d->seriesIds.clear();
    return c;
}

Result<void> HistoryStore::maintain(qint64 nowMs)
{
    const qint64 sealBefore = floorTo(std::max<qint64>(nowMs, 0), BlockMs);
    const qint64 rawCutoff = nowMs - d->retention.rawMs;
    {
        Transaction tx(d->db);
        if (!tx.begin())
            return tx.begin().error();

        QList<qint64> ids;
        QSqlQuery q(d->db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral("SELECT id FROM series")))
            return d->sqlError(q, "listing series");
        while (q.next())
            ids.append(q.value(0).toLongLong());
        q.finish();

        // Per series, so that each statement is a range on the (series_id, ts) key: when
        // nothing is due (most calls) maintain() costs a few index probes, not a table scan.
        QSqlQuery select(d->db), remove(d->db);
        select.setForwardOnly(true);
        select.prepare(QStringLiteral("SELECT ts, value FROM history_raw WHERE series_id = ?"
                                      " AND ts < ? ORDER BY ts"));
        remove.prepare(QStringLiteral("DELETE FROM history_raw WHERE series_id = ? AND ts < ?"));
        for (const qint64 id : ids) {
            select.addBindValue(id);
            select.addBindValue(sealBefore);
            if (!select.exec())
                return d->sqlError(select, "reading points to seal");
            std::vector<RawPoint> points;
            while (select.next())
                points.push_back({ select.value(0).toLongLong(), select.value(1).toDouble() });
            select.finish();
            if (points.empty())
                continue;
            // Sorted by ts, so each window's points are contiguous.
            size_t begin = 0;
            while (begin < points.size()) {
                const qint64 window = floorTo(points[begin].tsMs, BlockMs);
                size_t end = begin;
                while (end < points.size() && floorTo(points[end].tsMs, BlockMs) == window)
                    ++end;
                const std::vector<RawPoint> group(points.begin() + static_cast<qsizetype>(begin),
                    points.begin() + static_cast<qsizetype>(end));
                const auto r = d->sealGroup(id, window, group, rawCutoff);
                if (!r)
                    return r.error();
                begin = end;
            }
            remove.addBindValue(id);
            remove.addBindValue(sealBefore);
            if (!remove.exec())
                return d->sqlError(remove, "removing sealed points");
        }

        const auto r = d->applyRetention(ids, nowMs);
        if (!r)
            return r.error();
        const auto c = tx.commit();
        if (!c)
            return c.error();
    }
    d->releaseSpace();
    return {};
}

Result<QList<SeriesInfo>> HistoryStore::listSeries()
{
    QList<std::pair<qint64, QString>> all;
    {
        QSqlQuery q(d->db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral("SELECT id, name FROM series ORDER BY name")))
            return d->sqlError(q, "listing series");
        while (q.next())
            all.append({ q.value(0).toLongLong(), q.value(1).toString() });
    }
    QList<SeriesInfo> out;
    for (const auto &[id, name] : all) {
        const auto c = d->coverage(id);
        if (!c)
            return c.error();
        const qint64 first = c->first();
        if (first == Never)
            continue; // every point has gone to retention
        QSqlQuery q(d->db);
        q.setForwardOnly(true);
        q.prepare(QStringLiteral(
            "SELECT MAX(COALESCE((SELECT MAX(ts) FROM history_raw WHERE series_id = :id), -1),"
            " COALESCE((SELECT MAX(end_ts) FROM history_block WHERE series_id = :id), -1)),"
            " (SELECT MAX(ts) FROM history_1m WHERE series_id = :id) * 1000,"
            " (SELECT MAX(ts) FROM history_1h WHERE series_id = :id) * 1000"));
        q.bindValue(QStringLiteral(":id"), id);
        if (!q.exec() || !q.next())
            return d->sqlError(q, "reading the extent of a series");
        // Rollups only know their bucket start; they give the last time only when the raw
        // points have gone.
        qint64 last = q.value(0).toLongLong();
        if (last < 0)
            last = q.value(1).isNull() ? q.value(2).toLongLong() : q.value(1).toLongLong();
        out.append({ name, first, last });
    }
    return out;
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

qint64 HistoryStore::diskBytes() const
{
    return QFileInfo(d->path).size() + QFileInfo(d->path + QStringLiteral("-wal")).size();
}

} // namespace Shivx
