#include "executor/latencyhistogram.h"

#include <QTest>

using namespace Shivx;

class tst_LatencyHistogram : public QObject
{
    Q_OBJECT
private slots:
    void emptyReportsZero()
    {
        LatencyHistogram h;
        QCOMPARE(h.quantile(0.5), 0);
        QCOMPARE(h.count(), 0u);
    }

    void smallValuesAreExact()
    {
        LatencyHistogram h;
        for (int v : { 3, 1, 2, 5, 4 })
            h.record(v);
        QCOMPARE(h.quantile(0.5), 3);
        QCOMPARE(h.quantile(0.0), 1);
        QCOMPARE(h.quantile(1.0), 5);
        QCOMPARE(h.sum(), 15u);
        QCOMPARE(h.min(), 1);
        QCOMPARE(h.max(), 5);
    }

    void bucketsTileTheRange()
    {
        for (int b = 0; b < 600; ++b) {
            QCOMPARE(LatencyHistogram::bucketOf(LatencyHistogram::bucketLow(b)), b);
            QCOMPARE(LatencyHistogram::bucketOf(LatencyHistogram::bucketHigh(b)), b);
            QCOMPARE(LatencyHistogram::bucketHigh(b) + 1, LatencyHistogram::bucketLow(b + 1));
        }
    }

    void quantilesWithinRelativeError_data()
    {
        QTest::addColumn<qint64>("scale");
        QTest::newRow("microseconds") << qint64(1);
        QTest::newRow("milliseconds") << qint64(1000);
        QTest::newRow("seconds") << qint64(1000000);
    }
    void quantilesWithinRelativeError()
    {
        QFETCH(qint64, scale);
        LatencyHistogram h;
        // 1..1000 in a scrambled order: the order of arrival must not matter.
        for (int i = 0; i < 1000; ++i)
            h.record(qint64((i * 617) % 1000 + 1) * scale);
        const double p50 = double(h.quantile(0.5)) / double(scale);
        const double p99 = double(h.quantile(0.99)) / double(scale);
        QVERIFY2(qAbs(p50 - 500) <= 500 / 16.0 + 1, qPrintable(QString::number(p50)));
        QVERIFY2(qAbs(p99 - 990) <= 990 / 16.0 + 1, qPrintable(QString::number(p99)));
    }

    void outliersDoNotMoveTheMedian()
    {
        LatencyHistogram h;
        for (int i = 0; i < 99; ++i)
            h.record(100);
        h.record(qint64(1) << 50); // beyond the top bucket: counted there, max kept exact
        QCOMPARE(h.quantile(0.5),
            LatencyHistogram::bucketLow(LatencyHistogram::bucketOf(100))
                + (LatencyHistogram::bucketHigh(LatencyHistogram::bucketOf(100))
                      - LatencyHistogram::bucketLow(LatencyHistogram::bucketOf(100)))
                    / 2);
        QCOMPARE(h.max(), qint64(1) << 50);
        QVERIFY(h.quantile(1.0) >= qint64(1) << 42);
    }

    void negativeCountsAsZero()
    {
        LatencyHistogram h;
        h.record(-5);
        QCOMPARE(h.quantile(0.5), 0);
        QCOMPARE(h.min(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_LatencyHistogram)
#include "tst_latencyhistogram.moc"
