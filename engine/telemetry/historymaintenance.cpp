#include "telemetry/historystore_p.h"

#include "storage/database.h"

#include <QVariant>

#include <algorithm>
#include <map>
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
    // Four statements per series every minute: on SQLite's own API (SqliteStatement), as
    // QSqlQuery's binding cost more than the index probes.
    const char *const sql[] = {
        "DELETE FROM history_block WHERE series_id = ?1 AND start_ts < ?2 AND end_ts < ?2",
        "DELETE FROM history_raw WHERE series_id = ?1 AND ts < ?2",
        "DELETE FROM history_1m WHERE series_id = ?1 AND ts < ?2",
        "DELETE FROM history_1h WHERE series_id = ?1 AND ts < ?2",
    };
    // ts + step <= cutoff, in seconds, for the rollups.
    const qint64 cutoffs[]
        = { rawCutoff, rawCutoff, floorTo(std::max<qint64>(minuteCutoff, 0), 1000) / 1000 - 59,
              floorTo(std::max<qint64>(hourCutoff, 0), 1000) / 1000 - 3599 };
    std::vector<SqliteStatement> deletes;
    for (const char *s : sql) {
        auto st = SqliteStatement::prepare(db, s, path);
        if (!st)
            return makeError("history.sql", st.error().message, { path });
        deletes.push_back(std::move(*st));
    }
    for (const qint64 id : ids) {
        for (std::size_t i = 0; i < deletes.size(); ++i) {
            deletes[i].bind(1, id);
            deletes[i].bind(2, cutoffs[i]);
            if (auto r = deletes[i].run("applying retention"); !r)
                return makeError("history.sql", r.error().message, { path });
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
        auto select = SqliteStatement::prepare(d->db,
            "SELECT ts, value FROM history_raw WHERE series_id = ? AND ts < ? ORDER BY ts",
            d->path);
        if (!select)
            return makeError("history.sql", select.error().message, { d->path });
        QSqlQuery remove(d->db);
        remove.prepare(QStringLiteral("DELETE FROM history_raw WHERE series_id = ? AND ts < ?"));
        for (const qint64 id : ids) {
            select->bind(1, id);
            select->bind(2, sealBefore);
            std::vector<RawPoint> points;
            for (;;) {
                const auto row = select->next("reading points to seal");
                if (!row)
                    return makeError("history.sql", row.error().message, { d->path });
                if (!*row)
                    break;
                points.push_back({ select->int64At(0), select->realAt(1) });
            }
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

} // namespace Shivx
