// DagLayout: exact layers of small graphs, cycles refused with the cycle named, the crossing
// count of an exhaustive search reached, and on random pipeline-shaped DAGs (fixed seeds,
// 50-500 stages) no edge segment through a node, no overlapping nodes, routes from border to
// border, and the same result twice. Time is measured in bench/daglayout, not here.

#include "pipelines/daglayout.h"
#include "randomdag.h"

#include <QHash>
#include <QLineF>
#include <QTest>

#include <algorithm>
#include <climits>

using namespace Shivx;
using namespace Shivx::Ui;

namespace {

DagLayoutInput graph(const QStringList &ids, const QList<std::pair<QString, QString>> &edges)
{
    DagLayoutInput input;
    input.ids = ids;
    for (const QString &id : ids)
        input.sizes.append(QSizeF(40 + 6 * id.size(), 24));
    for (const auto &[from, to] : edges)
        input.edges.append({ int(ids.indexOf(from)), int(ids.indexOf(to)) });
    return input;
}

DagLayoutInput fromRandom(const ShivxTest::RandomDag &dag)
{
    DagLayoutInput input;
    input.ids = dag.ids;
    for (int i = 0; i < dag.ids.size(); ++i)
        input.sizes.append(QSizeF(70 + 9 * (i % 9), 26 + 4 * (i % 3)));
    input.edges = dag.edges;
    return input;
}

// Whether the segment a-b meets the inside of `rect` (Liang–Barsky clipping).
bool segmentEntersRect(QPointF a, QPointF b, const QRectF &rect)
{
    double t0 = 0;
    double t1 = 1;
    const double dx = b.x() - a.x();
    const double dy = b.y() - a.y();
    const double p[4] = { -dx, dx, -dy, dy };
    const double q[4]
        = { a.x() - rect.left(), rect.right() - a.x(), a.y() - rect.top(), rect.bottom() - a.y() };
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0) {
            if (q[i] <= 0)
                return false;
            continue;
        }
        const double t = q[i] / p[i];
        if (p[i] < 0)
            t0 = std::max(t0, t);
        else
            t1 = std::min(t1, t);
        if (t0 >= t1)
            return false;
    }
    return true;
}

// Crossings of the drawn routes: pairs of segments that intersect at a point inside both
// (segments that only share an end point, as edges of one node do, do not count).
int geometricCrossings(const QList<QList<QPointF>> &routes)
{
    QList<QLineF> segments;
    QList<int> owner;
    for (int r = 0; r < routes.size(); ++r) {
        for (int i = 0; i + 1 < routes[r].size(); ++i) {
            segments.append(QLineF(routes[r][i], routes[r][i + 1]));
            owner.append(r);
        }
    }
    int crossings = 0;
    for (int i = 0; i < segments.size(); ++i) {
        for (int j = i + 1; j < segments.size(); ++j) {
            if (owner[i] == owner[j] || routes[owner[i]] == routes[owner[j]])
                continue;
            QPointF at;
            if (segments[i].intersects(segments[j], &at) != QLineF::BoundedIntersection)
                continue;
            const auto isEnd = [&at](const QLineF &s) {
                return QLineF(at, s.p1()).length() < 1e-6 || QLineF(at, s.p2()).length() < 1e-6;
            };
            if (!isEnd(segments[i]) && !isEnd(segments[j]))
                ++crossings;
        }
    }
    return crossings;
}

// Crossings between neighbouring layers for a given order of every layer.
int orderCrossings(const QList<QList<int>> &layers, const QList<std::pair<int, int>> &edges,
    const QList<int> &layerOf)
{
    QHash<int, int> pos;
    for (const auto &row : layers) {
        for (int i = 0; i < row.size(); ++i)
            pos.insert(row[i], i);
    }
    int c = 0;
    for (int a = 0; a < edges.size(); ++a) {
        for (int b = a + 1; b < edges.size(); ++b) {
            const auto [u1, v1] = edges[a];
            const auto [u2, v2] = edges[b];
            if (layerOf[u1] != layerOf[u2] || u1 == u2 || v1 == v2)
                continue;
            if ((pos[u1] < pos[u2]) != (pos[v1] < pos[v2]))
                ++c;
        }
    }
    return c;
}

} // namespace

class TstDagLayout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exactLayers_data();
    void exactLayers();
    void cycleIsRefusedAndNamed_data();
    void cycleIsRefusedAndNamed();
    void badEdgeIsRefused();
    void reachesMinimalCrossings();
    void randomDagsKeepEdgesOutOfNodes_data();
    void randomDagsKeepEdgesOutOfNodes();
    void sameInputSameLayout();
    void topToBottomStacksLayersDownwards();
    void emptyGraph();
};

void TstDagLayout::exactLayers_data()
{
    QTest::addColumn<QStringList>("ids");
    QTest::addColumn<QStringList>("edges"); // "a>b"
    QTest::addColumn<QList<int>>("layers");
    QTest::newRow("chain") << QStringList { "a", "b", "c" } << QStringList { "a>b", "b>c" }
                           << QList<int> { 0, 1, 2 };
    QTest::newRow("diamond") << QStringList { "a", "b", "c", "d" }
                             << QStringList { "a>b", "a>c", "b>d", "c>d" }
                             << QList<int> { 0, 1, 1, 2 };
    QTest::newRow("late source pulled next to its successor") << QStringList { "a", "b", "c", "d",
        "x" } << QStringList { "a>b", "b>c", "c>d", "x>d" } << QList<int> { 0, 1, 2, 3, 2 };
    QTest::newRow("shortcut edge keeps longest path") << QStringList { "a", "b",
        "c" } << QStringList { "a>b", "b>c", "a>c" } << QList<int> { 0, 1, 2 };
    QTest::newRow("isolated node in the first layer")
        << QStringList { "a", "b", "lonely" } << QStringList { "a>b" } << QList<int> { 0, 1, 0 };
    QTest::newRow("pipeline of the sample")
        << QStringList { "collect", "features", "train", "evaluate", "deploy" }
        << QStringList { "collect>features", "features>train", "train>evaluate", "evaluate>deploy",
               "features>evaluate" }
        << QList<int> { 0, 1, 2, 3, 4 };
}

void TstDagLayout::exactLayers()
{
    QFETCH(QStringList, ids);
    QFETCH(QStringList, edges);
    QFETCH(QList<int>, layers);
    QList<std::pair<QString, QString>> pairs;
    for (const QString &e : edges)
        pairs.append({ e.section(QLatin1Char('>'), 0, 0), e.section(QLatin1Char('>'), 1, 1) });
    const auto result = DagLayout::compute(graph(ids, pairs));
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    QCOMPARE(result->layerOf, layers);
    // Left to right: a later layer starts right of where every earlier one ends.
    for (const auto &[from, to] : graph(ids, pairs).edges)
        QVERIFY(result->nodeRects[to].left() > result->nodeRects[from].right());
}

void TstDagLayout::cycleIsRefusedAndNamed_data()
{
    QTest::addColumn<QStringList>("ids");
    QTest::addColumn<QStringList>("edges");
    QTest::addColumn<QString>("message");
    QTest::newRow("three-cycle behind a source")
        << QStringList { "a", "b", "c", "d" } << QStringList { "d>a", "a>b", "b>c", "c>a" }
        << QStringLiteral("the graph has a cycle: a -> b -> c -> a");
    QTest::newRow("self loop") << QStringList { "a", "b" } << QStringList { "a>b", "b>b" }
                               << QStringLiteral("the graph has a cycle: b -> b");
    QTest::newRow("two-cycle downstream of a DAG part")
        << QStringList { "x", "y", "p", "q" } << QStringList { "x>y", "y>p", "p>q", "q>p" }
        << QStringLiteral("the graph has a cycle: p -> q -> p");
}

void TstDagLayout::cycleIsRefusedAndNamed()
{
    QFETCH(QStringList, ids);
    QFETCH(QStringList, edges);
    QFETCH(QString, message);
    QList<std::pair<QString, QString>> pairs;
    for (const QString &e : edges)
        pairs.append({ e.section(QLatin1Char('>'), 0, 0), e.section(QLatin1Char('>'), 1, 1) });
    const auto result = DagLayout::compute(graph(ids, pairs));
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("dag.cycle"));
    QCOMPARE(result.error().message, message);
}

void TstDagLayout::badEdgeIsRefused()
{
    DagLayoutInput input = graph({ "a", "b" }, { { "a", "b" } });
    input.edges.append({ 1, 7 });
    const auto result = DagLayout::compute(input);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("dag.bad_edge"));
    QVERIFY(result.error().message.contains(QStringLiteral("edge 1 (1 -> 7)")));
}

// Three layers of four nodes each, given in an order that crosses a lot. The minimum over all
// 4!^3 orders of the layers is found by search and must be what the layout reaches and draws.
void TstDagLayout::reachesMinimalCrossings()
{
    const QStringList ids { "a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3", "c0", "c1", "c2",
        "c3" };
    const QList<std::pair<QString, QString>> edges { { "a0", "b3" }, { "a0", "b1" }, { "a1", "b2" },
        { "a1", "b0" }, { "a2", "b3" }, { "a3", "b0" }, { "a3", "b2" }, { "a2", "b1" },
        { "b0", "c2" }, { "b1", "c0" }, { "b2", "c3" }, { "b3", "c1" }, { "b0", "c1" },
        { "b3", "c3" } };
    const DagLayoutInput input = graph(ids, edges);
    const auto result = DagLayout::compute(input);
    QVERIFY(result.ok());
    QCOMPARE(result->layerOf, (QList<int> { 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2 }));

    QList<int> a { 0, 1, 2, 3 };
    QList<int> b { 4, 5, 6, 7 };
    QList<int> c { 8, 9, 10, 11 };
    int best = INT_MAX;
    int worst = 0;
    QList<int> pa = a;
    do {
        QList<int> pb = b;
        do {
            QList<int> pc = c;
            do {
                const int n = orderCrossings({ pa, pb, pc }, input.edges, result->layerOf);
                best = std::min(best, n);
                worst = std::max(worst, n);
            } while (std::next_permutation(pc.begin(), pc.end()));
        } while (std::next_permutation(pb.begin(), pb.end()));
    } while (std::next_permutation(pa.begin(), pa.end()));
    QVERIFY2(worst > best, "the graph must have orders that cross more than the minimum");
    QCOMPARE(orderCrossings({ a, b, c }, input.edges, result->layerOf) > best, true);
    QCOMPARE(result->crossings, best);
    QCOMPARE(orderCrossings(result->layers, input.edges, result->layerOf), best);
    QCOMPARE(geometricCrossings(result->edgeRoutes), best);
}

void TstDagLayout::randomDagsKeepEdgesOutOfNodes_data()
{
    QTest::addColumn<int>("stages");
    QTest::addColumn<quint32>("seed");
    QTest::addColumn<int>("window");
    QTest::newRow("50 stages, seed 1") << 50 << 1u << 40;
    QTest::newRow("50 stages, seed 2, far edges only") << 50 << 2u << 50;
    QTest::newRow("120 stages, seed 3") << 120 << 3u << 40;
    QTest::newRow("250 stages, seed 4, narrow window") << 250 << 4u << 8;
    QTest::newRow("500 stages, seed 5") << 500 << 5u << 40;
    QTest::newRow("500 stages, seed 6, wide window") << 500 << 6u << 200;
}

void TstDagLayout::randomDagsKeepEdgesOutOfNodes()
{
    QFETCH(int, stages);
    QFETCH(quint32, seed);
    QFETCH(int, window);
    const DagLayoutInput input = fromRandom(ShivxTest::randomDag(stages, seed, 3, window));
    const auto result = DagLayout::compute(input);
    QVERIFY(result.ok());
    const auto &rects = result->nodeRects;
    QCOMPARE(rects.size(), stages);
    QCOMPARE(result->edgeRoutes.size(), input.edges.size());
    const QRectF bounds(QPointF(0, 0), result->size);

    for (int i = 0; i < stages; ++i) {
        QCOMPARE(rects[i].size(), input.sizes[i]);
        QVERIFY(bounds.contains(rects[i]));
        for (int j = i + 1; j < stages; ++j) {
            if (rects[i].intersects(rects[j]))
                QFAIL(qPrintable(QStringLiteral("nodes %1 and %2 overlap").arg(i).arg(j)));
        }
    }
    for (int e = 0; e < input.edges.size(); ++e) {
        const auto [from, to] = input.edges[e];
        const QList<QPointF> &route = result->edgeRoutes[e];
        QVERIFY(result->layerOf[to] > result->layerOf[from]);
        QVERIFY(route.size() >= 2);
        // Border to border: leaves the source's right side, enters the target's left side.
        QCOMPARE(route.first().x(), rects[from].right());
        QVERIFY(route.first().y() > rects[from].top() && route.first().y() < rects[from].bottom());
        QCOMPARE(route.last().x(), rects[to].left());
        QVERIFY(route.last().y() > rects[to].top() && route.last().y() < rects[to].bottom());
        for (int s = 0; s + 1 < route.size(); ++s) {
            QVERIFY(route[s + 1].x() >= route[s].x()); // always forwards
            for (int v = 0; v < stages; ++v) {
                // The inside of the node: touching its border where the edge starts or ends
                // is fine.
                const QRectF inside = rects[v].adjusted(0.5, 0.5, -0.5, -0.5);
                if (segmentEntersRect(route[s], route[s + 1], inside)) {
                    QFAIL(qPrintable(QStringLiteral("edge %1 (%2 -> %3), segment %4 passes "
                                                    "through node %5")
                                         .arg(e)
                                         .arg(from)
                                         .arg(to)
                                         .arg(s)
                                         .arg(v)));
                }
            }
        }
    }
    // The count the layout reports is what it draws (checked where the quadratic count is
    // affordable).
    if (stages <= 120)
        QCOMPARE(geometricCrossings(result->edgeRoutes), result->crossings);
    qInfo("%d stages, %d edges: %d layers, %d lanes, %d crossings", stages, int(input.edges.size()),
        int(result->layers.size()), result->dummyCount, result->crossings);
}

void TstDagLayout::sameInputSameLayout()
{
    const DagLayoutInput input = fromRandom(ShivxTest::randomDag(300, 11));
    const auto first = DagLayout::compute(input);
    const auto second = DagLayout::compute(input);
    QVERIFY(first.ok() && second.ok());
    QCOMPARE(first->nodeRects, second->nodeRects);
    QCOMPARE(first->edgeRoutes, second->edgeRoutes);
    QCOMPARE(first->layers, second->layers);
    QCOMPARE(first->crossings, second->crossings);
}

void TstDagLayout::topToBottomStacksLayersDownwards()
{
    DagLayoutOptions options;
    options.direction = DagLayoutOptions::Direction::TopToBottom;
    const DagLayoutInput input = fromRandom(ShivxTest::randomDag(60, 9));
    const auto result = DagLayout::compute(input, options);
    QVERIFY(result.ok());
    for (int e = 0; e < input.edges.size(); ++e) {
        const auto [from, to] = input.edges[e];
        QVERIFY(result->nodeRects[to].top() > result->nodeRects[from].bottom());
        QCOMPARE(result->edgeRoutes[e].first().y(), result->nodeRects[from].bottom());
        QCOMPARE(result->edgeRoutes[e].last().y(), result->nodeRects[to].top());
    }
}

void TstDagLayout::emptyGraph()
{
    const auto result = DagLayout::compute({});
    QVERIFY(result.ok());
    QVERIFY(result->nodeRects.isEmpty());
    QCOMPARE(result->size, QSizeF(0, 0));
}

QTEST_GUILESS_MAIN(TstDagLayout)
#include "tst_daglayout.moc"
