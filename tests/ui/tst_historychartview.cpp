// The History chart's lines: where a series is broken into pieces, and that the pieces read
// as one series (one colour, one legend entry). No database; points are fed directly.

#include "history/historychartview.h"

#include <QChart>
#include <QDateTimeAxis>
#include <QDir>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QTest>
#include <QValueAxis>

using Shivx::Ui::HistoryChartView;

namespace {

constexpr qint64 kSecondMs = 1000;
constexpr qint64 kBaseMs = 1'700'000'000'000;

// `count` points `spacingMs` apart starting at `fromMs`.
QList<QPointF> run(qint64 fromMs, int count, qint64 spacingMs)
{
    QList<QPointF> points;
    for (int i = 0; i < count; ++i)
        points.append(QPointF(double(fromMs + i * spacingMs), 10.0 + i));
    return points;
}

int visibleLegendEntries(QChart *chart)
{
    int visible = 0;
    for (QLegendMarker *marker : chart->legend()->markers())
        visible += marker->isVisible();
    return visible;
}

} // namespace

class TstHistoryChartView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void splitAtGaps_data();
    void splitAtGaps();
    void gapMakesTwoSegmentsWithOneLegendEntry();
    void noGapKeepsOneSegment();
    void loneSegmentPointIsMarked();
    void removeSeriesDropsAllSegments();

private:
    QChart *m_chart = nullptr;
    HistoryChartView *m_view = nullptr;
};

void TstHistoryChartView::init()
{
    m_chart = new QChart;
    m_chart->addAxis(new QDateTimeAxis(m_chart), Qt::AlignBottom);
    m_chart->addAxis(new QValueAxis(m_chart), Qt::AlignLeft);
    m_view = new HistoryChartView(m_chart); // takes the chart
    // Legend markers report visible only after the legend's next layout, on screen.
    m_view->resize(800, 400);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view));
}

void TstHistoryChartView::cleanup()
{
    delete m_view;
    m_view = nullptr;
    m_chart = nullptr;
}

void TstHistoryChartView::splitAtGaps_data()
{
    QTest::addColumn<QList<QPointF>>("points");
    QTest::addColumn<qint64>("stepMs");
    QTest::addColumn<QList<int>>("pieceSizes");

    QTest::newRow("empty -> no pieces") << QList<QPointF>() << kSecondMs << QList<int>();
    QTest::newRow("one point -> one piece")
        << run(kBaseMs, 1, kSecondMs) << kSecondMs << QList<int> { 1 };
    QTest::newRow("raw 1 s, no gap -> one piece")
        << run(kBaseMs, 30, kSecondMs) << kSecondMs << QList<int> { 30 };
    QTest::newRow("raw 1 s, stopped an hour -> two pieces")
        << run(kBaseMs, 20, kSecondMs) + run(kBaseMs + 3600 * kSecondMs, 10, kSecondMs) << kSecondMs
        << QList<int> { 20, 10 };
    QTest::newRow("raw, 5 s sampler, no gap -> one piece (median spacing wins)")
        << run(kBaseMs, 40, 5 * kSecondMs) << kSecondMs << QList<int> { 40 };
    QTest::newRow("raw, 5 s sampler, 2 missed samples -> one piece")
        << run(kBaseMs, 20, 5 * kSecondMs) + run(kBaseMs + 110 * kSecondMs, 20, 5 * kSecondMs)
        << kSecondMs << QList<int> { 40 };
    QTest::newRow("raw, 5 s sampler, one minute out -> two pieces")
        << run(kBaseMs, 20, 5 * kSecondMs) + run(kBaseMs + 160 * kSecondMs, 20, 5 * kSecondMs)
        << kSecondMs << QList<int> { 20, 20 };
    QTest::newRow("minute averages, two gaps -> three pieces")
        << run(kBaseMs, 10, 60 * kSecondMs) + run(kBaseMs + 3600 * kSecondMs, 10, 60 * kSecondMs)
            + run(kBaseMs + 7200 * kSecondMs, 5, 60 * kSecondMs)
        << 60 * kSecondMs << QList<int> { 10, 10, 5 };
    // One spacing is its own median: nothing tells a gap from a slow sampler.
    QTest::newRow("two points far apart -> one piece")
        << QList<QPointF> { QPointF(double(kBaseMs), 1), QPointF(double(kBaseMs + 60'000), 2) }
        << kSecondMs << QList<int> { 2 };
}

void TstHistoryChartView::splitAtGaps()
{
    QFETCH(QList<QPointF>, points);
    QFETCH(qint64, stepMs);
    QFETCH(QList<int>, pieceSizes);

    const QList<QList<QPointF>> pieces = HistoryChartView::splitAtGaps(points, stepMs);
    QList<int> sizes;
    QList<QPointF> joined;
    for (const QList<QPointF> &piece : pieces) {
        sizes.append(int(piece.size()));
        joined += piece;
    }
    QCOMPARE(sizes, pieceSizes);
    QCOMPARE(joined, points); // nothing lost, nothing reordered
}

void TstHistoryChartView::gapMakesTwoSegmentsWithOneLegendEntry()
{
    const QString name = QStringLiteral("host.cpu.percent");
    m_view->setSeriesPoints(name,
        run(kBaseMs, 100, kSecondMs) + run(kBaseMs + 3600 * kSecondMs, 100, kSecondMs), kSecondMs);

    const QList<QLineSeries *> segments = m_view->segments(name);
    QCOMPARE(segments.size(), 2);
    QCOMPARE(segments.at(0)->count(), 100);
    QCOMPARE(segments.at(1)->count(), 100);
    QCOMPARE(m_chart->series().size(), 2);
    QTRY_COMPARE(visibleLegendEntries(m_chart), 1);
    QCOMPARE(segments.at(1)->color(), segments.at(0)->color());
    QCOMPARE(segments.at(1)->name(), name); // the hover tooltip names the series
    QCOMPARE(segments.at(1)->attachedAxes().size(), 2); // zoom and pan move every piece
    QVERIFY(!segments.at(0)->pointsVisible()); // dense: a line, no markers

    // A second series keeps its own colour and legend entry.
    const QString other = QStringLiteral("health.score");
    m_view->setSeriesPoints(other, run(kBaseMs, 50, kSecondMs), kSecondMs);
    QCOMPARE(m_view->segments(other).size(), 1);
    QTRY_COMPARE(visibleLegendEntries(m_chart), 2);
    QVERIFY(m_view->segments(other).at(0)->color() != segments.at(0)->color());
    m_chart->axes(Qt::Horizontal)
        .at(0)
        ->setRange(QDateTime::fromMSecsSinceEpoch(kBaseMs),
            QDateTime::fromMSecsSinceEpoch(kBaseMs + 3800 * kSecondMs));
    m_chart->axes(Qt::Vertical).at(0)->setRange(0, 120);
    const QString dir = QStringLiteral(SHIVX_BINARY_DIR "/screenshots");
    QDir().mkpath(dir);
    QVERIFY(m_view->grab().save(dir + QStringLiteral("/history-gap.png")));

    // The gap closes (the next answer has the missing hour): back to one piece.
    m_view->setSeriesPoints(name, run(kBaseMs, 3700, kSecondMs), kSecondMs);
    QCOMPARE(m_view->segments(name).size(), 1);
    QCOMPARE(m_view->segments(name).at(0), segments.at(0)); // reused, not recreated
    QCOMPARE(m_chart->series().size(), 2);
    QTRY_COMPARE(visibleLegendEntries(m_chart), 2);
}

void TstHistoryChartView::noGapKeepsOneSegment()
{
    const QString name = QStringLiteral("host.mem.percent");
    m_view->setSeriesPoints(name, run(kBaseMs, 30, 5 * kSecondMs), kSecondMs);
    QCOMPARE(m_view->segments(name).size(), 1);
    QCOMPARE(m_view->segments(name).at(0)->count(), 30);
    QTRY_COMPARE(visibleLegendEntries(m_chart), 1);
    QVERIFY(m_view->segments(name).at(0)->pointsVisible()); // sparse: marked

    // An empty answer keeps the (empty) line, so the legend still names the series.
    m_view->setSeriesPoints(name, {}, kSecondMs);
    QCOMPARE(m_view->segments(name).size(), 1);
    QCOMPARE(m_view->segments(name).at(0)->count(), 0);
}

void TstHistoryChartView::loneSegmentPointIsMarked()
{
    const QString name = QStringLiteral("host.load1");
    // A dense run, then one sample after the engine came back and was stopped again.
    m_view->setSeriesPoints(name,
        run(kBaseMs, 100, kSecondMs) + run(kBaseMs + 600 * kSecondMs, 1, kSecondMs), kSecondMs);
    const QList<QLineSeries *> segments = m_view->segments(name);
    QCOMPARE(segments.size(), 2);
    QVERIFY(!segments.at(0)->pointsVisible());
    QVERIFY(segments.at(1)->pointsVisible()); // a one-point line would draw nothing
}

void TstHistoryChartView::removeSeriesDropsAllSegments()
{
    const QString name = QStringLiteral("host.cpu.percent");
    m_view->setSeriesPoints(name,
        run(kBaseMs, 10, kSecondMs) + run(kBaseMs + 100 * kSecondMs, 10, kSecondMs)
            + run(kBaseMs + 200 * kSecondMs, 10, kSecondMs),
        kSecondMs);
    QCOMPARE(m_view->segments(name).size(), 3);
    m_view->removeSeries(name);
    QVERIFY(m_view->segments(name).isEmpty());
    QVERIFY(m_view->seriesNames().isEmpty());
    QVERIFY(m_chart->series().isEmpty());
    QCOMPARE(m_chart->legend()->markers().size(), 0);
}

QTEST_MAIN(TstHistoryChartView)
#include "tst_historychartview.moc"
