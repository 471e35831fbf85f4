// Ingest and query cost of the metric history store, side by side with the naive layout a
// first version would use: one SQLite row per sample, (series_id, ts, value) plus an index.
// Both get the same samples in the same transactions, the same WAL/synchronous settings, and
// the same queries, so the ratios measure the layout and nothing else.

#include "telemetry/historystore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <vector>

using namespace Shivx;

namespace {

constexpr qint64 Sec = 1000;
constexpr qint64 Hour = 3600 * Sec;
constexpr qint64 Day = 24 * Hour;

struct Options
{
    qint64 samples = 4LL * 30 * 86400; // 4 series x 30 days at 1 s = 10.4 M
    int series = 4;
    // The engine commits once per second; a minute per transaction keeps the 10 M-sample run
    // within minutes. --batch-seconds 1 writes exactly as the engine does.
    int batchSeconds = 60;
    int maintainSeconds = 600;
    int runs = 5;
    QString dir;
};

// Values shaped and rounded like the engine's own series (hostsampler.cpp, healthscore.cpp):
// 2-decimal percentages, whole bytes per second, 3-decimal latencies, 1-decimal scores.
struct Generator
{
    QString name;
    std::function<double(qint64 sec, QRandomGenerator &rng)> value;
};

double round(double v, int decimals)
{
    const double f = std::pow(10.0, decimals);
    return std::round(v * f) / f;
}

std::vector<Generator> generators()
{
    const auto wave = [](qint64 s, double period) { return std::sin(double(s) / period); };
    std::vector<Generator> all = {
        { QStringLiteral("host.cpu.percent"),
            [=](qint64 s, QRandomGenerator &r) {
                return round(std::clamp(30 + 15 * wave(s, 13750) + 5 * wave(s, 300)
                                     + r.bounded(-200, 201) / 100.0,
                                 0.0, 100.0),
                    2);
            } },
        { QStringLiteral("host.net.rx_bytes_per_sec"),
            [=](qint64 s, QRandomGenerator &r) {
                return std::round(40000 + 30000 * wave(s, 9000) + r.bounded(0, 20000)
                    + (r.bounded(100) == 0 ? r.bounded(1, 5'000'000) : 0));
            } },
        { QStringLiteral("target.web.latency_ms"),
            [=](qint64, QRandomGenerator &r) {
                return round(
                    12 + std::exp(r.generateDouble() * 3) + (r.bounded(500) == 0 ? 900 : 0), 3);
            } },
        { QStringLiteral("health.score"),
            [=](qint64 s, QRandomGenerator &r) {
                return (s / 600) % 17 == 0 ? round(85 + r.bounded(100) / 10.0, 1) : 100.0;
            } },
        { QStringLiteral("host.mem.percent"),
            [=](qint64 s, QRandomGenerator &r) {
                return round(55 + 10 * wave(s, 40000) + r.bounded(-5, 6) / 100.0, 2);
            } },
        { QStringLiteral("host.disk.write_bytes_per_sec"),
            [=](qint64, QRandomGenerator &r) {
                return r.bounded(10) < 7 ? 0.0 : double(r.bounded(1, 400) * 4096);
            } },
        { QStringLiteral("host.disk.root.used_percent"),
            [=](qint64 s, QRandomGenerator &) { return round(61.2 + double(s) / 2e6, 2); } },
        { QStringLiteral("host.process.cpu_percent"),
            [=](qint64, QRandomGenerator &r) { return round(r.bounded(0, 300) / 100.0, 2); } },
    };
    return all;
}

double medianMs(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

qint64 fileBytes(const QString &path)
{
    return QFileInfo(path).size() + QFileInfo(path + QStringLiteral("-wal")).size();
}

// The numbers compare layouts, not WAL high-water marks: fold the WAL into the main file.
bool checkpoint(const QString &path)
{
    bool ok = false;
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("ckpt"));
        db.setDatabaseName(path);
        ok = db.open() && QSqlQuery(db).exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("ckpt"));
    return ok;
}

[[noreturn]] void die(const QString &what)
{
    std::fprintf(stderr, "bench_history: %s\n", qPrintable(what));
    std::exit(2);
}

// Feeds the same samples, in the same batches, to both stores.
template <typename Sink> void generate(const Options &o, qint64 base, const Sink &sink)
{
    const auto gens = generators();
    const qint64 perSeries = o.samples / o.series;
    std::vector<QRandomGenerator> rngs;
    for (int s = 0; s < o.series; ++s)
        rngs.emplace_back(quint32(1000 + s));
    QList<SamplePoint> batch;
    for (qint64 sec = 0; sec < perSeries; ++sec) {
        for (int s = 0; s < o.series; ++s) {
            const Generator &g = gens[size_t(s) % gens.size()];
            const QString name
                = s < int(gens.size()) ? g.name : g.name + QStringLiteral(".%1").arg(s);
            batch.append({ name, base + sec * Sec, g.value(sec, rngs[size_t(s)]) });
        }
        if ((sec + 1) % o.batchSeconds == 0 || sec + 1 == perSeries) {
            sink(batch, base + (sec + 1) * Sec);
            batch.clear();
        }
    }
}

class NaiveTable
{
public:
    explicit NaiveTable(const QString &path)
        : m_path(path)
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("naive"));
        db.setDatabaseName(path);
        if (!db.open())
            die(path + QStringLiteral(": ") + db.lastError().text());
        for (const char *sql : { "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL",
                 "CREATE TABLE samples (series_id INTEGER, ts INTEGER, value REAL)",
                 "CREATE INDEX samples_series_ts ON samples (series_id, ts)",
                 "CREATE TABLE series (id INTEGER PRIMARY KEY, name TEXT UNIQUE)" }) {
            QSqlQuery q(db);
            if (!q.exec(QString::fromLatin1(sql)))
                die(q.lastError().text());
        }
        m_insert = QSqlQuery(db);
        m_insert.prepare(QStringLiteral("INSERT INTO samples VALUES (?, ?, ?)"));
        m_db = db;
    }
    ~NaiveTable()
    {
        m_insert = QSqlQuery();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("naive"));
    }

    void append(const QList<SamplePoint> &points)
    {
        QSqlQuery(m_db).exec(QStringLiteral("BEGIN IMMEDIATE"));
        for (const SamplePoint &p : points) {
            auto it = m_ids.find(p.series);
            if (it == m_ids.end())
                it = m_ids.insert(p.series, m_ids.size() + 1);
            m_insert.bindValue(0, *it);
            m_insert.bindValue(1, p.tsMs);
            m_insert.bindValue(2, p.value);
            if (!m_insert.exec())
                die(m_insert.lastError().text());
        }
        QSqlQuery(m_db).exec(QStringLiteral("COMMIT"));
    }

    // What a naive store does for each resolution: read rows, or GROUP BY on the fly.
    qint64 query(const QString &series, qint64 from, qint64 to, qint64 bucketMs)
    {
        QSqlQuery q(m_db);
        q.setForwardOnly(true);
        if (bucketMs == 0) {
            q.prepare(QStringLiteral("SELECT ts, value FROM samples WHERE series_id = ?"
                                     " AND ts BETWEEN ? AND ? ORDER BY ts"));
        } else {
            q.prepare(
                QStringLiteral("SELECT ts / %1 * %1 AS b, MIN(value), MAX(value), AVG(value),"
                               " COUNT(*) FROM samples WHERE series_id = ? AND ts BETWEEN ? AND ?"
                               " GROUP BY b ORDER BY b")
                    .arg(bucketMs));
        }
        q.addBindValue(m_ids.value(series));
        q.addBindValue(from);
        q.addBindValue(to);
        if (!q.exec())
            die(q.lastError().text());
        QList<HistoryPoint> out;
        while (q.next()) {
            if (bucketMs == 0) {
                const double v = q.value(1).toDouble();
                out.append({ q.value(0).toLongLong(), v, v, v, 1 });
            } else {
                out.append({ q.value(0).toLongLong(), q.value(1).toDouble(), q.value(2).toDouble(),
                    q.value(3).toDouble(), q.value(4).toLongLong() });
            }
        }
        return out.size();
    }

private:
    QString m_path;
    QSqlDatabase m_db;
    QSqlQuery m_insert;
    QHash<QString, qint64> m_ids;
};

QString human(double bytes)
{
    if (bytes >= 1 << 20)
        return QString::number(bytes / (1 << 20), 'f', 1) + QStringLiteral(" MiB");
    return QString::number(bytes / 1024, 'f', 1) + QStringLiteral(" KiB");
}

void row(const char *label, const QString &ours, const QString &peer, const QString &ratio)
{
    std::printf(
        "%-28s %22s %22s %14s\n", label, qPrintable(ours), qPrintable(peer), qPrintable(ratio));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Ingests 1-s samples into the ShivX history store and into a plain indexed SQLite table,\n"
        "then compares bytes per sample and 30-day query latency."));
    parser.addHelpOption();
    const QCommandLineOption samples(QStringLiteral("samples"),
        QStringLiteral("Total samples (default 10368000 = 4 series x 30 days)."),
        QStringLiteral("n"));
    const QCommandLineOption series(
        QStringLiteral("series"), QStringLiteral("Series (default 4)."), QStringLiteral("n"));
    const QCommandLineOption batch(QStringLiteral("batch-seconds"),
        QStringLiteral("Seconds of samples per append transaction "
                       "(default 60; the engine writes every 1)."),
        QStringLiteral("n"));
    const QCommandLineOption maintain(QStringLiteral("maintain-seconds"),
        QStringLiteral("Seconds of data between maintain() calls (default 600)."),
        QStringLiteral("n"));
    const QCommandLineOption runs(QStringLiteral("runs"),
        QStringLiteral("Query repetitions (default 5)."), QStringLiteral("n"));
    const QCommandLineOption dir(QStringLiteral("dir"),
        QStringLiteral("Keep the databases in this directory (default: a temporary one)."),
        QStringLiteral("dir"));
    parser.addOptions({ samples, series, batch, maintain, runs, dir });
    parser.process(app);

    Options o;
    const auto intOption = [&](const QCommandLineOption &opt, auto &target) {
        if (!parser.isSet(opt))
            return;
        bool ok = false;
        const qint64 v = parser.value(opt).toLongLong(&ok);
        if (!ok || v < 1)
            die(QStringLiteral("--%1 needs a positive integer").arg(opt.names().first()));
        target = static_cast<std::decay_t<decltype(target)>>(v);
    };
    intOption(samples, o.samples);
    intOption(series, o.series);
    intOption(batch, o.batchSeconds);
    intOption(maintain, o.maintainSeconds);
    intOption(runs, o.runs);
    if (o.samples < o.series)
        die(QStringLiteral("--samples must be at least --series"));

    QTemporaryDir tmp;
    const QString base = parser.isSet(dir) ? parser.value(dir) : tmp.path();
    QDir().mkpath(base);
    const QString ourPath = base + QStringLiteral("/shivx.db");
    const QString naivePath = base + QStringLiteral("/naive.db");
    QFile::remove(ourPath);
    QFile::remove(naivePath);

    const qint64 perSeries = o.samples / o.series;
    const qint64 total = perSeries * o.series;
    // The data ends at the last whole hour, as if the engine had been running until now.
    const qint64 end = QDateTime::currentMSecsSinceEpoch() / Hour * Hour;
    const qint64 start = end - perSeries * Sec;
    std::printf(
        "ShivX history benchmark: %d series x %lld samples at 1 s = %lld samples (%.1f days)\n",
        o.series, perSeries, total, double(perSeries) / 86400);
    std::printf("writes: one transaction per %d s of samples (%d points), maintain() every %d s of "
                "data;\nretention keeps everything so that every sample is on disk at 1 s.\n\n",
        o.batchSeconds, o.batchSeconds * o.series, o.maintainSeconds);
    std::fflush(stdout);

    HistoryRetention keepAll;
    keepAll.rawMs = keepAll.minuteMs = keepAll.hourMs = 10 * 365 * Day;
    auto opened = HistoryStore::open(ourPath, QStringLiteral("bench"), keepAll);
    if (!opened)
        die(opened.error().toString());
    std::unique_ptr<HistoryStore> store = std::move(*opened);

    QElapsedTimer timer;
    double appendMs = 0, maintainMs = 0;
    qint64 lastMaintain = start;
    timer.start();
    generate(o, start, [&](const QList<SamplePoint> &points, qint64 now) {
        QElapsedTimer t;
        t.start();
        if (const auto r = store->append(points); !r)
            die(r.error().toString());
        appendMs += double(t.nsecsElapsed()) / 1e6;
        if (now - lastMaintain >= o.maintainSeconds * Sec) {
            t.restart();
            if (const auto r = store->maintain(now); !r)
                die(r.error().toString());
            maintainMs += double(t.nsecsElapsed()) / 1e6;
            lastMaintain = now;
        }
    });
    {
        QElapsedTimer t;
        t.start();
        // An hour later: everything is sealed into blocks and rolled up.
        if (const auto r = store->maintain(end + Hour); !r)
            die(r.error().toString());
        maintainMs += double(t.nsecsElapsed()) / 1e6;
    }
    const double ourIngestS = double(timer.nsecsElapsed()) / 1e9;
    checkpoint(ourPath);
    const qint64 ourBytes = fileBytes(ourPath);
    std::printf("shivx history: ingested in %.1f s (append %.1f s, maintain %.1f s)\n", ourIngestS,
        appendMs / 1000, maintainMs / 1000);
    std::fflush(stdout);

    NaiveTable naive(naivePath);
    timer.restart();
    generate(o, start, [&](const QList<SamplePoint> &points, qint64) { naive.append(points); });
    const double naiveIngestS = double(timer.nsecsElapsed()) / 1e9;
    checkpoint(naivePath);
    const qint64 naiveBytes = fileBytes(naivePath);
    std::printf("naive table:   ingested in %.1f s\n\n", naiveIngestS);

    const QString name = generators().front().name;
    const qint64 from = end - 30 * Day;
    struct Timing
    {
        double ms;
        qint64 points;
    };
    const auto time = [&](const std::function<qint64()> &f) {
        std::vector<double> ms;
        qint64 points = 0;
        for (int i = 0; i < o.runs; ++i) {
            QElapsedTimer t;
            t.start();
            points = f();
            ms.push_back(double(t.nsecsElapsed()) / 1e6);
        }
        return Timing { medianMs(ms), points };
    };
    Resolution autoPicked = Resolution::Auto;
    const auto ours = [&](Resolution r) {
        return time([&] {
            const auto q = store->query(name, from, end, r, 2000);
            if (!q)
                die(q.error().toString());
            if (r == Resolution::Auto)
                autoPicked = q->resolution;
            return qint64(q->points.size());
        });
    };

    std::printf("%-28s %22s %22s %14s\n", "", "shivx history", "naive table", "naive/shivx");
    row("ingest, samples/s", QString::number(double(total) / ourIngestS, 'f', 0),
        QString::number(double(total) / naiveIngestS, 'f', 0),
        QString::number(ourIngestS / naiveIngestS, 'f', 2) + QStringLiteral("x"));
    row("bytes on disk", human(double(ourBytes)), human(double(naiveBytes)),
        QString::number(double(naiveBytes) / double(ourBytes), 'f', 1) + QStringLiteral("x"));
    row("bytes/sample", QString::number(double(ourBytes) / double(total), 'f', 2),
        QString::number(double(naiveBytes) / double(total), 'f', 2),
        QString::number(double(naiveBytes) / double(ourBytes), 'f', 1) + QStringLiteral("x"));

    std::printf(
        "\n30-day query of %s (median of %d runs, ms [points]):\n", qPrintable(name), o.runs);
    const std::pair<Resolution, qint64> resolutions[]
        = { { Resolution::Raw, 0 }, { Resolution::Minute, 60 * Sec }, { Resolution::Hour, Hour } };
    for (const auto &[r, bucket] : resolutions) {
        const Timing a = ours(r);
        const qint64 b = bucket;
        const Timing n = time([&] { return naive.query(name, from, end, b); });
        const QByteArray label = QByteArrayLiteral("query ") + toString(r).toLatin1();
        row(label.constData(), QStringLiteral("%1 [%2]").arg(a.ms, 0, 'f', 2).arg(a.points),
            QStringLiteral("%1 [%2]").arg(n.ms, 0, 'f', 2).arg(n.points),
            QString::number(n.ms / std::max(a.ms, 1e-3), 'f', 1) + QStringLiteral("x"));
    }
    const Timing a = ours(Resolution::Auto);
    row("query auto (max 2000)",
        QStringLiteral("%1 [%2, %3]").arg(a.ms, 0, 'f', 2).arg(a.points).arg(toString(autoPicked)),
        QStringLiteral("-"), QStringLiteral("-"));
    if (parser.isSet(dir))
        std::printf("\ndatabases kept in %s\n", qPrintable(base));
    return 0;
}
