#include "telemetry/historystore.h"
#include "telemetry/historystore_p.h"

#include "storage/database.h"

#include <QFileInfo>
#include <QVariant>

#include <algorithm>
#include <cmath>

namespace Shivx {

using Internal::Coverage;
using Internal::floorTo;
using Internal::HourMs;
using Internal::MinuteMs;
using Internal::Never;

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
            QStringLiteral("%1: no history for series \"%2\"").arg(path, name), { name });
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

HistoryStore::~HistoryStore()
{
    if (!d)
        return;
    d->insertRaw.reset();
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
    auto insert = SqliteStatement::prepare(store->d->db,
        "INSERT OR REPLACE INTO history_raw (series_id, ts, value) VALUES (?, ?, ?)", dbPath);
    if (!insert)
        return makeError("history.sql", insert.error().message, { dbPath });
    store->d->insertRaw.emplace(std::move(*insert));
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
    struct Row
    {
        qint64 seriesId;
        qint64 ts;
        double value;
    };
    std::vector<Row> rows;
    rows.reserve(size_t(points.size()));
    for (const SamplePoint &p : points) {
        const auto id = d->seriesId(p.series, true);
        if (!id) {
            d->seriesIds.clear(); // ids added in this transaction are rolled back with it
            return id.error();
        }
        rows.push_back({ *id, p.tsMs, p.value });
    }
    // In key order, consecutive inserts land on the same leaf page of the (series_id, ts)
    // tree instead of one page per series in turn: appends take 30 % less time
    // (bench/history, 1200 series, 5 s batches). Stable, so that of two points with one key the
    // later still wins.
    std::stable_sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
        return a.seriesId != b.seriesId ? a.seriesId < b.seriesId : a.ts < b.ts;
    });
    SqliteStatement &insert = *d->insertRaw;
    for (const Row &p : rows) {
        insert.bind(1, p.seriesId);
        insert.bind(2, p.ts);
        insert.bind(3, p.value);
        if (auto r = insert.run("appending points"); !r) {
            d->seriesIds.clear();
            return makeError("history.sql", r.error().message, { d->path });
        }
    }
    const auto c = tx.commit();
    if (!c)
        d->seriesIds.clear();
    return c;
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

qint64 HistoryStore::diskBytes() const
{
    return QFileInfo(d->path).size() + QFileInfo(d->path + QStringLiteral("-wal")).size();
}

} // namespace Shivx
