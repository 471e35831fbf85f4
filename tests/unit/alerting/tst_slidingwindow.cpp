#include "alerting/slidingwindow.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace Shivx;

class TstSlidingWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aggregatesFollowTheWindow()
    {
        SlidingWindow w(10'000, true);
        for (int i = 0; i < 20; ++i)
            w.add(1'000'000 + i * 1000, i); // 0..19 at 1 s
        // The window holds ts >= last - 10 s: values 9..19.
        QCOMPARE(w.size(), 11);
        QCOMPARE(w.value(WindowFunction::Min), 9.0);
        QCOMPARE(w.value(WindowFunction::Max), 19.0);
        QCOMPARE(w.value(WindowFunction::Avg), 14.0);
        QCOMPARE(w.value(WindowFunction::Last), 19.0);
        QCOMPARE(w.value(WindowFunction::Quantile, 0.5), 14.0);
        QCOMPARE(w.value(WindowFunction::Quantile, 0.9), 18.0);
        QCOMPARE(w.value(WindowFunction::Increase), 10.0);
        QCOMPARE(w.value(WindowFunction::Rate), 1.0);
    }

    void counterResetCountsFromZero()
    {
        SlidingWindow w(60'000);
        w.add(0, 100);
        w.add(1000, 110);
        w.add(2000, 5); // restart: counted as 5, not -105
        w.add(3000, 8);
        QCOMPARE(w.value(WindowFunction::Increase), 18.0);
    }

    // The incremental aggregates agree with a recomputation from the raw samples, over many
    // evictions (random walk, max/min/avg/quantile).
    void incrementalMatchesRecomputed()
    {
        SlidingWindow w(30'000, true);
        std::vector<std::pair<qint64, double>> raw;
        double v = 50;
        quint32 seed = 12345;
        for (int i = 0; i < 5000; ++i) {
            seed = seed * 1103515245u + 12345u;
            v += double(int(seed >> 16) % 21 - 10) / 10.0;
            const qint64 ts = qint64(i) * 700;
            w.add(ts, v);
            raw.push_back({ ts, v });
            if (i % 97 != 0)
                continue;
            std::vector<double> in;
            for (const auto &[t, x] : raw)
                if (t >= ts - 30'000)
                    in.push_back(x);
            QCOMPARE(w.size(), int(in.size()));
            QCOMPARE(w.value(WindowFunction::Max), *std::max_element(in.begin(), in.end()));
            QCOMPARE(w.value(WindowFunction::Min), *std::min_element(in.begin(), in.end()));
            double sum = 0;
            for (double x : in)
                sum += x;
            QVERIFY(std::fabs(w.value(WindowFunction::Avg) - sum / double(in.size())) < 1e-6);
        }
    }

    void hoursUntilFromALinearFit()
    {
        SlidingWindow w(6 * 3600'000LL);
        // 1000 GB free, losing 10 GB an hour, sampled every minute for 3 hours.
        for (int m = 0; m <= 180; ++m)
            w.add(qint64(m) * 60'000, 1000e9 - 10e9 * m / 60.0);
        // 970 GB left at 10 GB/h: 97 hours.
        QVERIFY(std::fabs(w.hoursUntil(0) - 97.0) < 1e-6);
        QVERIFY(std::fabs(w.slopePerSecond() * 3600 + 10e9) < 1);
        // A target the trend moves away from is never reached.
        QVERIFY(std::isinf(w.hoursUntil(2000e9)));
    }

    void tooFewSamplesIsNaN()
    {
        SlidingWindow w(1000);
        QVERIFY(std::isnan(w.value(WindowFunction::Avg)));
        w.add(0, 1);
        QVERIFY(std::isnan(w.value(WindowFunction::Rate)));
        QVERIFY(std::isnan(w.hoursUntil(0)));
    }
};

QTEST_GUILESS_MAIN(TstSlidingWindow)
#include "tst_slidingwindow.moc"
