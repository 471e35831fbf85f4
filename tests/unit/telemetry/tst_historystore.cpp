#include "telemetry/historystore.h"

#include <QFile>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <functional>

using namespace Shivx;

namespace {

constexpr qint64 Sec = 1000;
constexpr qint64 Min = 60 * Sec;
constexpr qint64 Hour = 60 * Min;
constexpr qint64 Day = 24 * Hour;
// An hour boundary, so that block and bucket arithmetic in the tests stays readable.
constexpr qint64 T0 = 1'764'370'800'000; // 2025-11-28T23:00:00Z

QString errorText(const Error &e)
{
    return e.toString();
}

// 2-decimal CPU-like values: a slow daily wave, a faster wobble and noise.
double cpuLike(QRandomGenerator &rng, qint64 tsMs)
{
    const double t = double(tsMs) / 1000.0;
    const double v = 30 + 15 * std::sin(t / 13750.0) + 5 * std::sin(t / 300.0)
        + rng.bounded(-200, 201) / 100.0;
    return std::round(std::clamp(v, 0.0, 100.0) * 100) / 100;
}

} // namespace

class tst_HistoryStore : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void resolutionNames_data();
    void resolutionNames();
    void rawBeforeAndAfterMaintain();
    void rollupsAreExact();
    void pendingDataVisibleAtEveryResolution();
    void latePointsAreMerged();
    void latePointsPastRawRetentionFoldIntoRollups();
    void sameTimestampReplaces();
    void retentionDeletesOnlyOldData();
    void autoResolution_data();
    void autoResolution();
    void autoAvoidsResolutionCutByRetention();
    void listSeries();
    void reopenKeepsEverything();
    void readerConnectionSeesCommittedPoints();
    void invalidInputIsRefused();
    void unknownSeries();
    void corruptedFileIsRefusedAndUntouched();
    void damagedPagesGiveAnErrorNamingTheFile();
    void bytesPerSampleUnderBudget();

private:
    std::unique_ptr<HistoryStore> openStore(const HistoryRetention &retention = {});
    void appendSeconds(HistoryStore &store, const QString &series, qint64 from, int count,
        const std::function<double(qint64)> &value, int batch = 60);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    int m_connection = 0;
};

void tst_HistoryStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("shivx.db"));
}

void tst_HistoryStore::cleanup()
{
    m_dir.reset();
}

std::unique_ptr<HistoryStore> tst_HistoryStore::openStore(const HistoryRetention &retention)
{
    auto store
        = HistoryStore::open(m_path, QStringLiteral("history-%1").arg(++m_connection), retention);
    if (!store.ok())
        qWarning("%s", qPrintable(errorText(store.error())));
    return store.ok() ? std::move(*store) : nullptr;
}

void tst_HistoryStore::appendSeconds(HistoryStore &store, const QString &series, qint64 from,
    int count, const std::function<double(qint64)> &value, int batch)
{
    QList<SamplePoint> points;
    for (int i = 0; i < count; ++i) {
        const qint64 ts = from + i * Sec;
        points.append({ series, ts, value(ts) });
        if (points.size() == batch || i == count - 1) {
            const auto r = store.append(points);
            QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : errorText(r.error())));
            points.clear();
        }
    }
}

void tst_HistoryStore::resolutionNames_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("resolution");
    QTest::newRow("auto") << "auto" << int(Resolution::Auto);
    QTest::newRow("1s") << "1s" << int(Resolution::Raw);
    QTest::newRow("1m") << "1m" << int(Resolution::Minute);
    QTest::newRow("1h") << "1h" << int(Resolution::Hour);
}

void tst_HistoryStore::resolutionNames()
{
    QFETCH(QString, text);
    QFETCH(int, resolution);
    const auto r = parseResolution(text);
    QVERIFY(r.ok());
    QCOMPARE(int(*r), resolution);
    QCOMPARE(toString(*r), text);
    QVERIFY(!parseResolution(QStringLiteral("5m")).ok());
    QVERIFY(parseResolution(QStringLiteral("5m")).error().message.contains(QLatin1String("5m")));
}

void tst_HistoryStore::rawBeforeAndAfterMaintain()
{
    auto store = openStore();
    QVERIFY(store);
    // 2 h 30 min of 1-s data with values i*0.01 (exact at 2 decimals).
    const int n = 9000;
    appendSeconds(*store, QStringLiteral("cpu"), T0, n,
        [](qint64 ts) { return double((ts - T0) / Sec % 1000) / 100.0; });
    const auto check = [&]() {
        const auto r = store->query(QStringLiteral("cpu"), T0, T0 + n * Sec, Resolution::Raw);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : errorText(r.error())));
        QCOMPARE(int(r->resolution), int(Resolution::Raw));
        QCOMPARE(r->points.size(), n);
        for (int i = 0; i < n; ++i) {
            const HistoryPoint &p = r->points.at(i);
            QCOMPARE(p.tsMs, T0 + i * Sec);
            QCOMPARE(p.min, double(i % 1000) / 100.0);
            QCOMPARE(p.max, p.min);
            QCOMPARE(p.avg, p.min);
            QCOMPARE(p.count, 1);
        }
    };
    check();
    // Seals the first two hours; the third stays in history_raw.
    QVERIFY(store->maintain(T0 + n * Sec).ok());
    check();
    // A subrange that starts and ends inside blocks.
    const auto sub
        = store->query(QStringLiteral("cpu"), T0 + 3599 * Sec, T0 + 3601 * Sec, Resolution::Raw);
    QVERIFY(sub.ok());
    QCOMPARE(sub->points.size(), 3);
    QCOMPARE(sub->points.at(0).tsMs, T0 + 3599 * Sec);
}

void tst_HistoryStore::rollupsAreExact()
{
    auto store = openStore();
    QVERIFY(store);
    // Two hours of values 0..119 repeating per 2 minutes: minute k holds 60*(k%2) .. +59.
    const int n = 7200;
    appendSeconds(*store, QStringLiteral("s"), T0, n,
        [](qint64 ts) { return double((ts - T0) / Sec % 120); });
    QVERIFY(store->maintain(T0 + 3 * Hour).ok());

    const auto minutes
        = store->query(QStringLiteral("s"), T0, T0 + 2 * Hour - 1, Resolution::Minute);
    QVERIFY(minutes.ok());
    QCOMPARE(int(minutes->resolution), int(Resolution::Minute));
    QCOMPARE(minutes->points.size(), 120);
    for (int k = 0; k < 120; ++k) {
        const HistoryPoint &p = minutes->points.at(k);
        const double lo = (k % 2) * 60;
        QCOMPARE(p.tsMs, T0 + k * Min);
        QCOMPARE(p.min, lo);
        QCOMPARE(p.max, lo + 59);
        QCOMPARE(p.avg, lo + 29.5);
        QCOMPARE(p.count, 60);
    }
    const auto hours = store->query(QStringLiteral("s"), T0, T0 + 2 * Hour - 1, Resolution::Hour);
    QVERIFY(hours.ok());
    QCOMPARE(hours->points.size(), 2);
    for (int h = 0; h < 2; ++h) {
        const HistoryPoint &p = hours->points.at(h);
        QCOMPARE(p.tsMs, T0 + h * Hour);
        QCOMPARE(p.min, 0.0);
        QCOMPARE(p.max, 119.0);
        QCOMPARE(p.avg, 59.5);
        QCOMPARE(p.count, 3600);
    }
    // A range starting mid-bucket still returns that whole bucket.
    const auto mid
        = store->query(QStringLiteral("s"), T0 + 90 * Sec, T0 + 150 * Sec, Resolution::Minute);
    QVERIFY(mid.ok());
    QCOMPARE(mid->points.size(), 2);
    QCOMPARE(mid->points.at(0).tsMs, T0 + Min);
    QCOMPARE(mid->points.at(0).count, 60);
}

void tst_HistoryStore::pendingDataVisibleAtEveryResolution()
{
    auto store = openStore();
    QVERIFY(store);
    // 90 s in the open hour, never maintained: rollups come from history_raw on the fly.
    appendSeconds(
        *store, QStringLiteral("s"), T0, 90, [](qint64 ts) { return double((ts - T0) / Sec); });
    const auto m = store->query(QStringLiteral("s"), T0, T0 + Hour, Resolution::Minute);
    QVERIFY(m.ok());
    QCOMPARE(m->points.size(), 2);
    QCOMPARE(m->points.at(0).count, 60);
    QCOMPARE(m->points.at(0).max, 59.0);
    QCOMPARE(m->points.at(1).count, 30);
    QCOMPARE(m->points.at(1).min, 60.0);
    QCOMPARE(m->points.at(1).avg, 74.5);
    const auto h = store->query(QStringLiteral("s"), T0, T0 + Hour, Resolution::Hour);
    QVERIFY(h.ok());
    QCOMPARE(h->points.size(), 1);
    QCOMPARE(h->points.at(0).count, 90);
    QCOMPARE(h->points.at(0).avg, 44.5);
}

void tst_HistoryStore::latePointsAreMerged()
{
    auto store = openStore();
    QVERIFY(store);
    // Every other second of an hour, sealed; then the missing seconds arrive late.
    QList<SamplePoint> even, odd;
    for (int i = 0; i < 3600; ++i)
        (i % 2 ? odd : even).append({ QStringLiteral("s"), T0 + i * Sec, double(i) });
    QVERIFY(store->append(even).ok());
    QVERIFY(store->maintain(T0 + Hour + Min).ok());
    QVERIFY(store->append(odd).ok());

    // Before maintain: raw merges blocks and pending points, rollups add them up.
    auto raw = store->query(QStringLiteral("s"), T0, T0 + Hour - 1, Resolution::Raw);
    QVERIFY(raw.ok());
    QCOMPARE(raw->points.size(), 3600);
    auto hour = store->query(QStringLiteral("s"), T0, T0 + Hour - 1, Resolution::Hour);
    QVERIFY(hour.ok());
    QCOMPARE(hour->points.size(), 1);
    QCOMPARE(hour->points.at(0).count, 3600);

    QVERIFY(store->maintain(T0 + Hour + 2 * Min).ok());
    raw = store->query(QStringLiteral("s"), T0, T0 + Hour - 1, Resolution::Raw);
    QVERIFY(raw.ok());
    QCOMPARE(raw->points.size(), 3600);
    for (int i = 0; i < 3600; ++i)
        QCOMPARE(raw->points.at(i).avg, double(i));
    hour = store->query(QStringLiteral("s"), T0, T0 + Hour - 1, Resolution::Hour);
    QCOMPARE(hour->points.at(0).count, 3600);
    QCOMPARE(hour->points.at(0).min, 0.0);
    QCOMPARE(hour->points.at(0).max, 3599.0);
    QCOMPARE(hour->points.at(0).avg, 1799.5);
    const auto minute = store->query(QStringLiteral("s"), T0, T0 + Min - 1, Resolution::Minute);
    QCOMPARE(minute->points.size(), 1);
    QCOMPARE(minute->points.at(0).count, 60);
    QCOMPARE(minute->points.at(0).avg, 29.5);
    // Only one block per hour, however many times it was resealed.
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("peek"));
    {
        db.setDatabaseName(m_path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(
            q.exec(QStringLiteral("SELECT COUNT(*), SUM(count) FROM history_block")) && q.next());
        QCOMPARE(q.value(0).toInt(), 1);
        QCOMPARE(q.value(1).toInt(), 3600);
        QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM history_raw")) && q.next());
        QCOMPARE(q.value(0).toInt(), 0);
    }
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("peek"));
}

void tst_HistoryStore::latePointsPastRawRetentionFoldIntoRollups()
{
    HistoryRetention retention;
    retention.rawMs = 2 * Hour;
    auto store = openStore(retention);
    QVERIFY(store);
    appendSeconds(*store, QStringLiteral("s"), T0, 60, [](qint64) { return 10.0; });
    QVERIFY(store->maintain(T0 + 5 * Hour).ok()); // the block is past raw retention: dropped
    QVERIFY(store->query(QStringLiteral("s"), T0, T0 + Hour, Resolution::Raw)->points.isEmpty());
    QVERIFY(store->append({ { QStringLiteral("s"), T0 + 30 * Sec + 500, 40.0 } }).ok());
    QVERIFY(store->maintain(T0 + 5 * Hour + Sec).ok());
    const auto m = store->query(QStringLiteral("s"), T0, T0 + Min - 1, Resolution::Minute);
    QVERIFY(m.ok());
    QCOMPARE(m->points.size(), 1);
    QCOMPARE(m->points.at(0).count, 61);
    QCOMPARE(m->points.at(0).max, 40.0);
    QCOMPARE(m->points.at(0).min, 10.0);
    QCOMPARE(m->points.at(0).avg, 640.0 / 61);
}

void tst_HistoryStore::sameTimestampReplaces()
{
    auto store = openStore();
    QVERIFY(store);
    QVERIFY(
        store->append({ { QStringLiteral("s"), T0, 1.0 }, { QStringLiteral("s"), T0 + Sec, 2.0 } })
            .ok());
    QVERIFY(store->maintain(T0 + Hour).ok());
    QVERIFY(store->append({ { QStringLiteral("s"), T0, 5.0 } }).ok());
    auto r = store->query(QStringLiteral("s"), T0, T0 + Sec, Resolution::Raw);
    QCOMPARE(r->points.size(), 2);
    QCOMPARE(r->points.at(0).avg, 5.0);
    QVERIFY(store->maintain(T0 + Hour).ok());
    r = store->query(QStringLiteral("s"), T0, T0 + Sec, Resolution::Raw);
    QCOMPARE(r->points.size(), 2);
    QCOMPARE(r->points.at(0).avg, 5.0);
    const auto h = store->query(QStringLiteral("s"), T0, T0 + Sec, Resolution::Hour);
    QCOMPARE(h->points.at(0).count, 2);
    QCOMPARE(h->points.at(0).max, 5.0);
}

void tst_HistoryStore::retentionDeletesOnlyOldData()
{
    HistoryRetention retention;
    retention.rawMs = 2 * Hour;
    retention.minuteMs = 4 * Hour;
    retention.hourMs = 6 * Hour;
    auto store = openStore(retention);
    QVERIFY(store);
    // One point per minute for 8 hours, sealed as it goes.
    for (int m = 0; m < 8 * 60; ++m) {
        QVERIFY(store->append({ { QStringLiteral("s"), T0 + m * Min, double(m) } }).ok());
        if (m % 30 == 0)
            QVERIFY(store->maintain(T0 + m * Min).ok());
    }
    const qint64 now = T0 + 8 * Hour;
    QVERIFY(store->maintain(now).ok());
    const auto raw = store->query(QStringLiteral("s"), T0, now, Resolution::Raw);
    const auto minute = store->query(QStringLiteral("s"), T0, now, Resolution::Minute);
    const auto hour = store->query(QStringLiteral("s"), T0, now, Resolution::Hour);
    QVERIFY(raw.ok() && minute.ok() && hour.ok());
    // Raw: blocks whose last point is older than now-2h are gone; the rest is complete.
    QCOMPARE(raw->points.first().tsMs, T0 + 6 * Hour);
    QCOMPARE(raw->points.last().tsMs, T0 + 8 * Hour - Min);
    QCOMPARE(raw->points.size(), 120);
    // Minute buckets that end at or before now-4h are gone.
    QCOMPARE(minute->points.first().tsMs, T0 + 4 * Hour);
    QCOMPARE(minute->points.size(), 4 * 60);
    QCOMPARE(hour->points.first().tsMs, T0 + 2 * Hour);
    QCOMPARE(hour->points.size(), 6);
    QCOMPARE(hour->points.first().count, 60);
}

void tst_HistoryStore::autoResolution_data()
{
    QTest::addColumn<qint64>("span");
    QTest::addColumn<int>("maxPoints");
    QTest::addColumn<int>("expected");
    QTest::newRow("10 min, 2000 points -> 1s") << 10 * Min << 2000 << int(Resolution::Raw);
    QTest::newRow("10 min, 100 points -> 1m") << 10 * Min << 100 << int(Resolution::Minute);
    QTest::newRow("6 h, 2000 points -> 1m") << 6 * Hour << 2000 << int(Resolution::Minute);
    QTest::newRow("6 h, 10 points -> 1h") << 6 * Hour << 10 << int(Resolution::Hour);
    QTest::newRow("6 h, 1 point -> 1h anyway") << 6 * Hour << 1 << int(Resolution::Hour);
}

void tst_HistoryStore::autoResolution()
{
    QFETCH(qint64, span);
    QFETCH(int, maxPoints);
    QFETCH(int, expected);
    auto store = openStore();
    QVERIFY(store);
    const int n = int(6 * Hour / Sec);
    appendSeconds(
        *store, QStringLiteral("s"), T0, n, [](qint64) { return 1.5; }, 3600);
    QVERIFY(store->maintain(T0 + 6 * Hour + Sec).ok());
    const auto r
        = store->query(QStringLiteral("s"), T0, T0 + span - 1, Resolution::Auto, maxPoints);
    QVERIFY(r.ok());
    QCOMPARE(int(r->resolution), expected);
    if (expected != int(Resolution::Hour))
        QVERIFY(r->points.size() <= maxPoints);
    QVERIFY(!r->points.isEmpty());
}

void tst_HistoryStore::autoAvoidsResolutionCutByRetention()
{
    HistoryRetention retention;
    retention.rawMs = 2 * Hour;
    auto store = openStore(retention);
    QVERIFY(store);
    appendSeconds(*store, QStringLiteral("s"), T0, 300, [](qint64) { return 1.0; });
    for (int h = 1; h < 5; ++h)
        appendSeconds(*store, QStringLiteral("s"), T0 + h * Hour, 300, [](qint64) { return 2.0; });
    QVERIFY(store->maintain(T0 + 5 * Hour).ok());
    // 1500 raw points would fit in 2000, but the first hours are only left as rollups.
    const auto all = store->query(QStringLiteral("s"), T0, T0 + 5 * Hour, Resolution::Auto, 2000);
    QVERIFY(all.ok());
    QCOMPARE(int(all->resolution), int(Resolution::Minute));
    qint64 total = 0;
    for (const HistoryPoint &p : all->points)
        total += p.count;
    QCOMPARE(total, 1500);
    // The retained part alone is still answered at 1 s.
    const auto recent
        = store->query(QStringLiteral("s"), T0 + 3 * Hour, T0 + 5 * Hour, Resolution::Auto, 2000);
    QVERIFY(recent.ok());
    QCOMPARE(int(recent->resolution), int(Resolution::Raw));
    QCOMPARE(recent->points.size(), 600);
}

void tst_HistoryStore::listSeries()
{
    auto store = openStore();
    QVERIFY(store);
    QVERIFY(store->listSeries()->isEmpty());
    appendSeconds(
        *store, QStringLiteral("b.series"), T0 + 5 * Sec, 7200, [](qint64) { return 1.0; });
    appendSeconds(*store, QStringLiteral("a.series"), T0 + Hour, 10, [](qint64) { return 1.0; });
    QVERIFY(store->maintain(T0 + 2 * Hour + 5 * Sec).ok());
    const auto list = store->listSeries();
    QVERIFY(list.ok());
    QCOMPARE(list->size(), 2);
    QCOMPARE(list->at(0).name, QStringLiteral("a.series"));
    QCOMPARE(list->at(0).firstMs, T0 + Hour);
    QCOMPARE(list->at(0).lastMs, T0 + Hour + 9 * Sec);
    QCOMPARE(list->at(1).name, QStringLiteral("b.series"));
    QCOMPARE(list->at(1).firstMs, T0 + 5 * Sec);
    QCOMPARE(list->at(1).lastMs, T0 + 5 * Sec + 7199 * Sec);
}

void tst_HistoryStore::reopenKeepsEverything()
{
    {
        auto store = openStore();
        QVERIFY(store);
        appendSeconds(
            *store, QStringLiteral("s"), T0, 5000, [](qint64 ts) { return double(ts % 97); });
        QVERIFY(store->maintain(T0 + Hour + 10 * Min).ok());
        appendSeconds(*store, QStringLiteral("s"), T0 + 5000 * Sec, 10, [](qint64) { return 7.0; });
    }
    auto store = openStore();
    QVERIFY(store);
    const auto r = store->query(QStringLiteral("s"), T0, T0 + Day, Resolution::Raw);
    QVERIFY(r.ok());
    QCOMPARE(r->points.size(), 5010);
    QCOMPARE(r->points.at(4999).avg, double((T0 + 4999 * Sec) % 97));
    QCOMPARE(r->points.last().avg, 7.0);
    const auto h = store->query(QStringLiteral("s"), T0, T0 + Day, Resolution::Hour);
    QCOMPARE(h->points.size(), 2);
    QCOMPARE(h->points.at(0).count + h->points.at(1).count, 5010);
}

void tst_HistoryStore::readerConnectionSeesCommittedPoints()
{
    auto writer = openStore();
    auto reader = openStore();
    QVERIFY(writer && reader);
    appendSeconds(*writer, QStringLiteral("s"), T0, 100, [](qint64) { return 3.0; });
    auto r = reader->query(QStringLiteral("s"), T0, T0 + Hour, Resolution::Raw);
    QVERIFY(r.ok());
    QCOMPARE(r->points.size(), 100);
    QVERIFY(writer->maintain(T0 + Hour).ok());
    r = reader->query(QStringLiteral("s"), T0, T0 + Hour, Resolution::Minute);
    QVERIFY(r.ok());
    QCOMPARE(r->points.size(), 2);
    QCOMPARE(r->points.at(0).count + r->points.at(1).count, 100);
}

void tst_HistoryStore::invalidInputIsRefused()
{
    auto store = openStore();
    QVERIFY(store);
    const auto nan = store->append(
        { { QStringLiteral("ok"), T0, 1.0 }, { QStringLiteral("s"), T0, std::nan("") } });
    QVERIFY(!nan.ok());
    QCOMPARE(nan.error().code, QStringLiteral("history.invalid_point"));
    QVERIFY(nan.error().message.contains(QLatin1String("\"s\"")));
    QVERIFY(!store->append({ { QStringLiteral("s"), T0, HUGE_VAL } }).ok());
    QVERIFY(!store->append({ { QString(), T0, 1.0 } }).ok());
    QVERIFY(!store->append({ { QStringLiteral("s"), -5, 1.0 } }).ok());
    // The batch is all or nothing: the valid point before the NaN was not stored.
    QVERIFY(store->listSeries()->isEmpty());
    QVERIFY(store->append({ { QStringLiteral("s"), T0, 1.0 } }).ok());
    QVERIFY(!store->query(QStringLiteral("s"), T0 + 1, T0).ok());
}

void tst_HistoryStore::unknownSeries()
{
    auto store = openStore();
    QVERIFY(store);
    const auto r = store->query(QStringLiteral("nope"), T0, T0 + Hour);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("history.unknown_series"));
    QVERIFY(r.error().message.contains(QLatin1String("nope")));
}

void tst_HistoryStore::corruptedFileIsRefusedAndUntouched()
{
    const QByteArray garbage = QByteArray("\x00\x01garbage, not SQLite", 21).repeated(500);
    {
        QFile f(m_path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(garbage);
    }
    const auto store = HistoryStore::open(m_path, QStringLiteral("corrupt"));
    QVERIFY(!store.ok());
    QVERIFY(store.error().message.contains(m_path));
    QFile f(m_path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), garbage);
}

void tst_HistoryStore::damagedPagesGiveAnErrorNamingTheFile()
{
    {
        auto store = openStore();
        QVERIFY(store);
        appendSeconds(
            *store, QStringLiteral("s"), T0, 3 * 3600, [](qint64 ts) { return double(ts % 1013); },
            600);
        QVERIFY(store->maintain(T0 + 4 * Hour).ok());
    } // the last connection closing folds the WAL into the file
    QByteArray bytes;
    {
        QFile f(m_path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.size() > 4 * 4096);
        f.seek(2 * 4096); // keep the header and the schema page, wreck the rest
        f.write(QByteArray(int(f.size()) - 2 * 4096, '\xAB'));
        f.flush();
        f.seek(0);
        bytes = f.readAll();
    }
    auto opened = HistoryStore::open(m_path, QStringLiteral("damaged"));
    Error error;
    if (!opened.ok()) {
        error = opened.error();
    } else {
        const auto r = (*opened)->query(QStringLiteral("s"), T0, T0 + 4 * Hour, Resolution::Raw);
        QVERIFY(!r.ok());
        error = r.error();
        opened = Error {};
    }
    qInfo("%s", qPrintable(error.toString()));
    QVERIFY2(error.message.contains(m_path), qPrintable(error.toString()));
    QFile f(m_path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), bytes);
}

void tst_HistoryStore::bytesPerSampleUnderBudget()
{
    // A day of 1-s samples of a realistic series, written the way the engine writes: one
    // append per second, maintain every 10 minutes.
    auto store = openStore();
    QVERIFY(store);
    // The empty database already holds every module's tables (a page or two each); the budget
    // is for the samples, so that schema is not charged to them.
    const auto checkpoint = [this] {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("ckpt"));
        db.setDatabaseName(m_path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")));
    };
    checkpoint();
    QSqlDatabase::removeDatabase(QStringLiteral("ckpt"));
    const qint64 schemaBytes = store->diskBytes();
    QRandomGenerator rng(1234);
    const int n = int(Day / Sec);
    for (int i = 0; i < n; ++i) {
        const qint64 ts = T0 + i * Sec;
        const auto r
            = store->append({ { QStringLiteral("host.cpu.percent"), ts, cpuLike(rng, ts) } });
        QVERIFY(r.ok());
        if (i % 600 == 599)
            QVERIFY(store->maintain(ts + Sec).ok());
    }
    QVERIFY(store->maintain(T0 + Day + Hour).ok());
    // Compare the data, not the WAL's high-water mark: checkpoint so the main file holds all.
    checkpoint();
    QSqlDatabase::removeDatabase(QStringLiteral("ckpt"));
    const double perSample = double(store->diskBytes() - schemaBytes) / n;
    qInfo("%lld bytes on disk (%lld of them the empty schema) for %d samples: %.3f bytes/sample",
        store->diskBytes(), schemaBytes, n, perSample);
    QVERIFY2(perSample < 4.0, qPrintable(QString::number(perSample)));
    const auto h
        = store->query(QStringLiteral("host.cpu.percent"), T0, T0 + Day - 1, Resolution::Hour);
    QVERIFY(h.ok());
    QCOMPARE(h->points.size(), 24);
}

QTEST_GUILESS_MAIN(tst_HistoryStore)
#include "tst_historystore.moc"
