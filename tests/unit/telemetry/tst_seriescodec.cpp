#include "telemetry/seriescodec.h"

#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

using namespace Shivx::Internal;

using Points = std::vector<RawPoint>;
Q_DECLARE_METATYPE(Points)

namespace {

constexpr qint64 T0 = 1'764'370'800'000; // 2025-11-28T23:00:00Z

Points regular(int n, qint64 stepMs, const std::function<double(int)> &value)
{
    Points out;
    for (int i = 0; i < n; ++i)
        out.push_back({ T0 + i * stepMs, value(i) });
    return out;
}

bool sameBits(double a, double b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

} // namespace

class tst_SeriesCodec : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void compressesRegularSeries();
    void rejectsUnsortedOrEmpty();
    void damagedPayloadIsAnError_data();
    void damagedPayloadIsAnError();
};

void tst_SeriesCodec::roundTrip_data()
{
    QTest::addColumn<Points>("points");
    QTest::addColumn<int>("encoding");

    QRandomGenerator rng(42);
    QTest::newRow("single point") << Points { { T0, 12.5 } } << 1;
    QTest::newRow("constant") << regular(3600, 1000, [](int) { return 42.0; }) << 0;
    QTest::newRow("integers") << regular(3600, 1000, [&](int) { return double(rng.bounded(1000)); })
                              << 0;
    QTest::newRow("2-decimal values")
        << regular(3600, 1000, [&](int) { return rng.bounded(10000) / 100.0; }) << 2;
    QTest::newRow("negative 3-decimal values")
        << regular(100, 1000, [&](int) { return -(rng.bounded(100000) / 1000.0); }) << 3;
    QTest::newRow("noisy doubles -> xor")
        << regular(1000, 1000, [&](int) { return rng.generateDouble() * 100; })
        << int(SeriesCodec::XorDoubles);
    QTest::newRow("nan and infinities -> xor")
        << Points { { T0, 1.0 }, { T0 + 1000, std::numeric_limits<double>::quiet_NaN() },
               { T0 + 2000, std::numeric_limits<double>::infinity() },
               { T0 + 3000, -std::numeric_limits<double>::infinity() } }
        << int(SeriesCodec::XorDoubles);
    QTest::newRow("negative zero kept -> xor")
        << Points { { T0, 0.0 }, { T0 + 1000, -0.0 } } << int(SeriesCodec::XorDoubles);
    QTest::newRow("huge values beyond 2^53 -> xor")
        << Points { { T0, 1e300 }, { T0 + 1000, -1e300 } } << int(SeriesCodec::XorDoubles);
    QTest::newRow("extreme magnitudes in range")
        << Points { { T0, 9007199254740992.0 }, { T0 + 1, -9007199254740992.0 } } << 0;
    QTest::newRow("huge gaps in time")
        << Points { { 0, 1 }, { 1, 2 }, { T0, 3 }, { T0 + 86'400'000LL * 365 * 100, 4 } } << 0;
    QTest::newRow("irregular timestamps") << regular(500, 1, [&](int i) { return i * 0.5; }) << 1;
    Points jitter;
    qint64 t = T0;
    for (int i = 0; i < 2000; ++i) {
        t += 1000 + rng.bounded(-30, 31);
        jitter.push_back({ t, rng.bounded(400) / 4.0 });
    }
    QTest::newRow("jittered 1-s timestamps") << jitter << 2;
    QTest::newRow("six decimals") << Points { { T0, 0.000001 }, { T0 + 1000, 123.456789 } } << 6;
}

void tst_SeriesCodec::roundTrip()
{
    QFETCH(Points, points);
    QFETCH(int, encoding);
    QCOMPARE(int(SeriesCodec::chooseValueEncoding(points)), encoding);
    const auto payload = SeriesCodec::encode(points);
    QVERIFY2(payload.ok(), payload.ok() ? "" : qPrintable(payload.error().toString()));
    const auto decoded = SeriesCodec::decode(*payload);
    QVERIFY2(decoded.ok(), decoded.ok() ? "" : qPrintable(decoded.error().toString()));
    QCOMPARE(decoded->size(), points.size());
    for (size_t i = 0; i < points.size(); ++i) {
        QCOMPARE((*decoded)[i].tsMs, points[i].tsMs);
        QVERIFY2(sameBits((*decoded)[i].value, points[i].value),
            qPrintable(QStringLiteral("point %1: %2 != %3")
                           .arg(i)
                           .arg((*decoded)[i].value, 0, 'g', 17)
                           .arg(points[i].value, 0, 'g', 17)));
    }
}

void tst_SeriesCodec::compressesRegularSeries()
{
    // An hour of a CPU-like 1-s series with 2 decimals: slow wave plus noise.
    QRandomGenerator rng(7);
    const Points points = regular(3600, 1000, [&](int i) {
        const double v = 35 + 20 * std::sin(i / 600.0) + rng.bounded(-300, 301) / 100.0;
        return std::round(v * 100) / 100;
    });
    const auto payload = SeriesCodec::encode(points);
    QVERIFY(payload.ok());
    const double perPoint = double(payload->size()) / double(points.size());
    qInfo("%.3f bytes per point", perPoint);
    QVERIFY2(perPoint < 2.0, qPrintable(QString::number(perPoint)));

    const Points constant = regular(3600, 1000, [](int) { return 1.0; });
    QVERIFY(SeriesCodec::encode(constant)->size() < 64);
}

void tst_SeriesCodec::rejectsUnsortedOrEmpty()
{
    QVERIFY(!SeriesCodec::encode({}).ok());
    QVERIFY(!SeriesCodec::encode({ { T0 + 1, 1 }, { T0, 2 } }).ok());
    QVERIFY(!SeriesCodec::encode({ { T0, 1 }, { T0, 2 } }).ok());
}

void tst_SeriesCodec::damagedPayloadIsAnError_data()
{
    QTest::addColumn<QByteArray>("payload");
    const QByteArray good
        = *SeriesCodec::encode(regular(100, 1000, [](int i) { return i * 0.25; }));
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("unknown version") << QByteArray(1, '\x7f') + good.mid(1);
    QTest::newRow("truncated frame") << good.left(good.size() / 2);
    QByteArray flipped = good;
    flipped[flipped.size() / 2] = char(flipped[flipped.size() / 2] ^ 0x55);
    QTest::newRow("flipped byte") << flipped;
    QTest::newRow("not zstd") << QByteArray(1, '\x01') + QByteArray("hello world, not zstd");
    QTest::newRow("trailing garbage") << good + QByteArray("xx");
}

void tst_SeriesCodec::damagedPayloadIsAnError()
{
    QFETCH(QByteArray, payload);
    const auto decoded = SeriesCodec::decode(payload);
    QVERIFY(!decoded.ok());
    QCOMPARE(decoded.error().code, QStringLiteral("history.block_damaged"));
}

QTEST_GUILESS_MAIN(tst_SeriesCodec)
#include "tst_seriescodec.moc"
