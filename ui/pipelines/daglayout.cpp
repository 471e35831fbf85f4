#include "pipelines/daglayout.h"

#include <QHash>
#include <QRandomGenerator>
#include <QStringList>

#include <algorithm>
#include <climits>
#include <vector>

namespace Shivx::Ui::DagLayout {

namespace {

// The layered graph: real nodes 0..n-1 first, then one lane node per layer a long edge
// crosses. Every edge of it joins neighbouring layers.
struct Layered
{
    int realCount = 0;
    std::vector<int> layer;
    std::vector<std::vector<int>> up; // neighbours in the layer before
    std::vector<std::vector<int>> down; // neighbours in the layer after
    std::vector<std::vector<int>> chains; // per unique edge: source, lanes..., target
    std::vector<std::vector<int>> order; // per layer, left to right (top to bottom)
    std::vector<int> pos; // index within its layer

    bool isLane(int v) const { return v >= realCount; }
};

// Kahn's order; shorter than n when there is a cycle.
std::vector<int> topologicalOrder(
    int n, const std::vector<std::vector<int>> &succ, const std::vector<std::vector<int>> &pred)
{
    std::vector<int> indegree(size_t(n), 0);
    for (int v = 0; v < n; ++v)
        indegree[size_t(v)] = int(pred[size_t(v)].size());
    std::vector<int> order;
    order.reserve(size_t(n));
    for (int v = 0; v < n; ++v) {
        if (indegree[size_t(v)] == 0)
            order.push_back(v);
    }
    for (size_t i = 0; i < order.size(); ++i) {
        for (const int w : succ[size_t(order[i])]) {
            if (--indegree[size_t(w)] == 0)
                order.push_back(w);
        }
    }
    return order;
}

// A cycle among the nodes Kahn could not order: each of them has a predecessor that is also
// left, so walking predecessors from the lowest index must come back to a node it passed.
QStringList findCycle(int n, const DagLayoutInput &input, const std::vector<std::vector<int>> &pred,
    const std::vector<int> &ordered)
{
    std::vector<char> left(size_t(n), 1);
    for (const int v : ordered)
        left[size_t(v)] = 0;
    int start = 0;
    while (!left[size_t(start)])
        ++start;
    std::vector<int> seenAt(size_t(n), -1);
    std::vector<int> walk;
    int v = start;
    while (seenAt[size_t(v)] < 0) {
        seenAt[size_t(v)] = int(walk.size());
        walk.push_back(v);
        for (const int u : pred[size_t(v)]) {
            if (left[size_t(u)]) {
                v = u;
                break;
            }
        }
    }
    // walk[seenAt[v]..] is the cycle backwards; name it forwards, closing on its first node.
    QStringList names;
    for (int i = int(walk.size()) - 1; i >= seenAt[size_t(v)]; --i)
        names.append(input.ids.value(walk[size_t(i)], QString::number(walk[size_t(i)])));
    std::rotate(names.begin(), names.end() - 1, names.end());
    names.append(names.first());
    return names;
}

// Longest path from the sources, then each node with more outgoing than incoming edges moves
// down next to its nearest successor: that shortens more edges than it lengthens. Sources are
// the common case (a pipeline's inputs would otherwise all sit in the first layer).
std::vector<int> assignLayers(int n, const std::vector<int> &topo,
    const std::vector<std::vector<int>> &succ, const std::vector<std::vector<int>> &pred)
{
    std::vector<int> layer(size_t(n), 0);
    for (const int v : topo) {
        for (const int w : succ[size_t(v)])
            layer[size_t(w)] = std::max(layer[size_t(w)], layer[size_t(v)] + 1);
    }
    for (auto it = topo.rbegin(); it != topo.rend(); ++it) {
        const int v = *it;
        if (succ[size_t(v)].size() <= pred[size_t(v)].size())
            continue;
        int nearest = INT_MAX;
        for (const int w : succ[size_t(v)])
            nearest = std::min(nearest, layer[size_t(w)]);
        layer[size_t(v)] = std::max(layer[size_t(v)], nearest - 1);
    }
    const int lowest = n > 0 ? *std::min_element(layer.begin(), layer.end()) : 0;
    for (int &l : layer)
        l -= lowest;
    return layer;
}

void buildLayered(Layered &g, int n, const std::vector<int> &layer,
    const std::vector<std::pair<int, int>> &uniqueEdges)
{
    g.realCount = n;
    g.layer = layer;
    g.up.assign(size_t(n), {});
    g.down.assign(size_t(n), {});
    for (const auto &[from, to] : uniqueEdges) {
        std::vector<int> chain { from };
        int previous = from;
        for (int l = layer[size_t(from)] + 1; l <= layer[size_t(to)]; ++l) {
            int next = to;
            if (l < layer[size_t(to)]) {
                next = int(g.layer.size());
                g.layer.push_back(l);
                g.up.emplace_back();
                g.down.emplace_back();
            }
            g.down[size_t(previous)].push_back(next);
            g.up[size_t(next)].push_back(previous);
            chain.push_back(next);
            previous = next;
        }
        g.chains.push_back(std::move(chain));
    }
}

// First order: depth-first from each node in input order, so that a node's descendants start
// out near it; then the sweeps improve on it.
void initialOrder(Layered &g, int layerCount)
{
    const int total = int(g.layer.size());
    g.order.assign(size_t(layerCount), {});
    g.pos.assign(size_t(total), 0);
    std::vector<char> seen(size_t(total), 0);
    std::vector<int> stack;
    for (int root = 0; root < total; ++root) {
        if (seen[size_t(root)] || (g.isLane(root)))
            continue;
        stack.push_back(root);
        while (!stack.empty()) {
            const int v = stack.back();
            stack.pop_back();
            if (seen[size_t(v)])
                continue;
            seen[size_t(v)] = 1;
            g.pos[size_t(v)] = int(g.order[size_t(g.layer[size_t(v)])].size());
            g.order[size_t(g.layer[size_t(v)])].push_back(v);
            const auto &next = g.down[size_t(v)];
            for (auto it = next.rbegin(); it != next.rend(); ++it) {
                if (!seen[size_t(*it)])
                    stack.push_back(*it);
            }
        }
    }
}

// Crossings between layer l and l + 1: the targets' positions read in source order, counted
// as inversions with a Fenwick tree (Barth, Jünger, Mutzel), O(E log V).
int crossingsBelow(const Layered &g, int l, std::vector<int> &targets, std::vector<int> &tree)
{
    targets.clear();
    for (const int v : g.order[size_t(l)]) {
        const size_t first = targets.size();
        for (const int w : g.down[size_t(v)])
            targets.push_back(g.pos[size_t(w)]);
        std::sort(targets.begin() + long(first), targets.end());
    }
    const size_t width = g.order[size_t(l) + 1].size();
    tree.assign(width + 1, 0);
    int crossings = 0;
    int inserted = 0;
    for (const int p : targets) {
        // Count earlier targets strictly to the right of p.
        int atMost = 0;
        for (int i = p + 1; i > 0; i -= i & -i)
            atMost += tree[size_t(i)];
        crossings += inserted - atMost;
        for (int i = p + 1; i <= int(width); i += i & -i)
            ++tree[size_t(i)];
        ++inserted;
    }
    return crossings;
}

int totalCrossings(const Layered &g)
{
    std::vector<int> targets;
    std::vector<int> tree;
    int sum = 0;
    for (int l = 0; l + 1 < int(g.order.size()); ++l)
        sum += crossingsBelow(g, l, targets, tree);
    return sum;
}

// Crossings among the edges of v and w towards one neighbouring layer when v is placed first.
int pairCrossings(const Layered &g, const std::vector<int> &nv, const std::vector<int> &nw)
{
    int c = 0;
    for (const int a : nv) {
        for (const int b : nw) {
            if (g.pos[size_t(a)] > g.pos[size_t(b)])
                ++c;
        }
    }
    return c;
}

void placeInLayer(Layered &g, int l)
{
    auto &row = g.order[size_t(l)];
    for (int i = 0; i < int(row.size()); ++i)
        g.pos[size_t(row[size_t(i)])] = i;
}

// One barycenter pass over the layers in `direction` (+1 down, -1 up), each layer ordered by
// the mean position of its neighbours in the layer just fixed. A node without such neighbours
// keeps its place (its current index as the key).
void barycenterPass(Layered &g, int direction)
{
    const int layers = int(g.order.size());
    std::vector<std::pair<double, int>> keyed;
    for (int step = 1; step < layers; ++step) {
        const int l = direction > 0 ? step : layers - 1 - step;
        auto &row = g.order[size_t(l)];
        keyed.clear();
        for (int i = 0; i < int(row.size()); ++i) {
            const int v = row[size_t(i)];
            const auto &fixed = direction > 0 ? g.up[size_t(v)] : g.down[size_t(v)];
            double key = i;
            if (!fixed.empty()) {
                double sum = 0;
                for (const int u : fixed)
                    sum += g.pos[size_t(u)];
                key = sum / double(fixed.size());
            }
            keyed.emplace_back(key, v);
        }
        std::stable_sort(keyed.begin(), keyed.end(),
            [](const auto &a, const auto &b) { return a.first < b.first; });
        for (int i = 0; i < int(row.size()); ++i)
            row[size_t(i)] = keyed[size_t(i)].second;
        placeInLayer(g, l);
    }
}

// Swaps neighbours in a layer while that lowers the crossings with both adjacent layers
// (Gansner et al.'s transpose). Each swap strictly lowers the total, so it ends; the pass
// count bounds the time on wide layers.
void transpose(Layered &g)
{
    for (int pass = 0; pass < 4; ++pass) {
        bool improved = false;
        for (auto &row : g.order) {
            for (int i = 0; i + 1 < int(row.size()); ++i) {
                const int v = row[size_t(i)];
                const int w = row[size_t(i) + 1];
                const int keep = pairCrossings(g, g.up[size_t(v)], g.up[size_t(w)])
                    + pairCrossings(g, g.down[size_t(v)], g.down[size_t(w)]);
                const int swapped = pairCrossings(g, g.up[size_t(w)], g.up[size_t(v)])
                    + pairCrossings(g, g.down[size_t(w)], g.down[size_t(v)]);
                if (swapped < keep) {
                    std::swap(row[size_t(i)], row[size_t(i) + 1]);
                    g.pos[size_t(v)] = i + 1;
                    g.pos[size_t(w)] = i;
                    improved = true;
                }
            }
        }
        if (!improved)
            break;
    }
}

// Sifting (Matuszewski, Schönfeld, Molitor): each node in turn tries every place in its layer
// and takes the one with the fewest crossings towards both neighbouring layers. Moving v past u
// changes the count by c(u, v) - c(v, u), so one node costs O(width x degree). It leaves the
// local minima that barycenter sweeps and adjacent swaps get stuck in.
bool sift(Layered &g)
{
    bool improved = false;
    for (int l = 0; l < int(g.order.size()); ++l) {
        auto &row = g.order[size_t(l)];
        const std::vector<int> nodes = row;
        for (const int v : nodes) {
            const int from = g.pos[size_t(v)];
            row.erase(row.begin() + from);
            // cost(p) relative to p = 0; the current place is `from`.
            int cost = 0;
            int best = 0;
            int bestPlace = 0;
            int costAtFrom = 0;
            for (int p = 0; p < int(row.size()); ++p) {
                const int u = row[size_t(p)];
                cost += pairCrossings(g, g.up[size_t(u)], g.up[size_t(v)])
                    + pairCrossings(g, g.down[size_t(u)], g.down[size_t(v)])
                    - pairCrossings(g, g.up[size_t(v)], g.up[size_t(u)])
                    - pairCrossings(g, g.down[size_t(v)], g.down[size_t(u)]);
                if (p + 1 == from)
                    costAtFrom = cost;
                if (cost < best) {
                    best = cost;
                    bestPlace = p + 1;
                }
            }
            // Ties keep the current place, so a round without gain changes nothing.
            const int place = best < costAtFrom ? bestPlace : from;
            improved = improved || place != from;
            row.insert(row.begin() + place, v);
            placeInLayer(g, l);
        }
    }
    return improved;
}

int reduceCrossings(Layered &g, int maxSweeps)
{
    int best = totalCrossings(g);
    auto bestOrder = g.order;
    int withoutGain = 0;
    for (int sweep = 0; sweep < maxSweeps && best > 0 && withoutGain < 4; ++sweep) {
        barycenterPass(g, sweep % 2 == 0 ? 1 : -1);
        transpose(g);
        const int crossings = totalCrossings(g);
        if (crossings < best) {
            best = crossings;
            bestOrder = g.order;
            withoutGain = 0;
        } else {
            ++withoutGain;
        }
    }
    g.order = std::move(bestOrder);
    for (int l = 0; l < int(g.order.size()); ++l)
        placeInLayer(g, l);
    for (int round = 0; round < 6 && best > 0 && sift(g); ++round)
        transpose(g);
    return totalCrossings(g);
}

// The sweeps end in a local minimum that depends on where they start. Small graphs can afford
// more starts (each layer shuffled by a fixed seed, so the result stays the same for the same
// input); a 500-stage pipeline with thousands of lanes gets one.
int reduceCrossingsWithRestarts(Layered &g, int maxSweeps)
{
    int best = reduceCrossings(g, maxSweeps);
    const int size = int(g.layer.size()) + int(g.chains.size());
    const int restarts = std::clamp(4000 / std::max(size, 1), 0, 15);
    auto bestOrder = g.order;
    QRandomGenerator random(0x5eed);
    for (int r = 0; r < restarts && best > 0; ++r) {
        for (auto &row : g.order) {
            for (int i = int(row.size()) - 1; i > 0; --i)
                std::swap(row[size_t(i)], row[size_t(random.bounded(i + 1))]);
        }
        for (int l = 0; l < int(g.order.size()); ++l)
            placeInLayer(g, l);
        const int crossings = reduceCrossings(g, maxSweeps);
        if (crossings < best) {
            best = crossings;
            bestOrder = g.order;
        }
    }
    g.order = std::move(bestOrder);
    for (int l = 0; l < int(g.order.size()); ++l)
        placeInLayer(g, l);
    return best;
}

// Centres along the layer (order axis) closest, in weighted least squares, to `wanted`,
// keeping the order and the minimum distances `gap[i]` between centre i and i + 1:
// pool-adjacent-violators on the centres shifted by their cumulative gaps. O(width).
void isotonicPlace(const std::vector<double> &wanted, const std::vector<double> &weight,
    const std::vector<double> &gap, std::vector<double> &out)
{
    const size_t n = wanted.size();
    std::vector<double> offset(n, 0);
    for (size_t i = 1; i < n; ++i)
        offset[i] = offset[i - 1] + gap[i - 1];
    struct Block
    {
        double weight;
        double sum;
        size_t count;
        double mean() const { return sum / weight; }
    };
    std::vector<Block> blocks;
    for (size_t i = 0; i < n; ++i) {
        blocks.push_back({ weight[i], weight[i] * (wanted[i] - offset[i]), 1 });
        while (blocks.size() > 1 && blocks[blocks.size() - 2].mean() > blocks.back().mean()) {
            const Block last = blocks.back();
            blocks.pop_back();
            blocks.back().weight += last.weight;
            blocks.back().sum += last.sum;
            blocks.back().count += last.count;
        }
    }
    out.resize(n);
    size_t i = 0;
    for (const Block &b : blocks) {
        for (size_t k = 0; k < b.count; ++k, ++i)
            out[i] = b.mean() + offset[i];
    }
}

// Order-axis centres: packed first, then rounds of moving each layer towards the mean of its
// neighbours above, below, and finally both.
std::vector<double> assignCoordinates(
    const Layered &g, const std::vector<double> &extent, const DagLayoutOptions &options)
{
    const int total = int(g.layer.size());
    std::vector<double> centre(size_t(total), 0);
    auto gapAfter = [&](int a, int b) {
        const double space = (g.isLane(a) || g.isLane(b)) ? options.edgeLane : options.nodeGap;
        return (extent[size_t(a)] + extent[size_t(b)]) / 2 + space;
    };
    for (const auto &row : g.order) {
        double at = 0;
        for (size_t i = 0; i < row.size(); ++i) {
            if (i > 0)
                at += gapAfter(row[i - 1], row[i]);
            centre[size_t(row[i])] = at;
        }
    }
    std::vector<double> wanted;
    std::vector<double> weight;
    std::vector<double> gap;
    std::vector<double> placed;
    auto placeLayer = [&](int l, bool useUp, bool useDown) {
        const auto &row = g.order[size_t(l)];
        wanted.clear();
        weight.clear();
        gap.clear();
        for (size_t i = 0; i < row.size(); ++i) {
            const int v = row[i];
            double sum = 0;
            int count = 0;
            if (useUp) {
                for (const int u : g.up[size_t(v)]) {
                    sum += centre[size_t(u)];
                    ++count;
                }
            }
            if (useDown) {
                for (const int w : g.down[size_t(v)]) {
                    sum += centre[size_t(w)];
                    ++count;
                }
            }
            wanted.push_back(count > 0 ? sum / count : centre[size_t(v)]);
            // Lanes weigh most so that long edges run straight; a node with no neighbour on
            // the side in use weighs little, so it makes room for those that have.
            weight.push_back(g.isLane(v) ? 8.0 : (count > 0 ? 1.0 + count : 0.1));
            if (i + 1 < row.size())
                gap.push_back(gapAfter(v, row[i + 1]));
        }
        isotonicPlace(wanted, weight, gap, placed);
        for (size_t i = 0; i < row.size(); ++i)
            centre[size_t(row[i])] = placed[i];
    };
    const int layers = int(g.order.size());
    for (int round = 0; round < 4; ++round) {
        for (int l = 1; l < layers; ++l)
            placeLayer(l, true, false);
        for (int l = layers - 2; l >= 0; --l)
            placeLayer(l, false, true);
    }
    for (int round = 0; round < 2; ++round) {
        for (int l = 0; l < layers; ++l)
            placeLayer(l, true, true);
    }
    return centre;
}

} // namespace

Result<DagLayoutResult> compute(const DagLayoutInput &input, const DagLayoutOptions &options)
{
    const int n = int(input.ids.size());
    if (input.sizes.size() != input.ids.size()) {
        return makeError("dag.bad_input",
            QStringLiteral("%1 node ids but %2 node sizes").arg(n).arg(input.sizes.size()),
            { n, int(input.sizes.size()) });
    }
    std::vector<std::vector<int>> succ(static_cast<size_t>(n));
    std::vector<std::vector<int>> pred(static_cast<size_t>(n));
    std::vector<std::pair<int, int>> uniqueEdges;
    QList<int> chainOfEdge;
    QHash<quint64, int> chainIndex;
    for (int e = 0; e < int(input.edges.size()); ++e) {
        const auto [from, to] = input.edges.at(e);
        if (from < 0 || from >= n || to < 0 || to >= n) {
            return makeError("dag.bad_edge",
                QStringLiteral("edge %1 (%2 -> %3) names a node that does not exist (%4 nodes)")
                    .arg(e)
                    .arg(from)
                    .arg(to)
                    .arg(n),
                { e, from, to, n });
        }
        const quint64 key = (quint64(quint32(from)) << 32) | quint32(to);
        const auto found = chainIndex.constFind(key);
        if (found != chainIndex.constEnd()) {
            chainOfEdge.append(*found);
            continue;
        }
        chainIndex.insert(key, int(uniqueEdges.size()));
        chainOfEdge.append(int(uniqueEdges.size()));
        uniqueEdges.emplace_back(from, to);
        succ[size_t(from)].push_back(to);
        pred[size_t(to)].push_back(from);
    }
    const std::vector<int> topo = topologicalOrder(n, succ, pred);
    if (int(topo.size()) != n) {
        const QStringList cycle = findCycle(n, input, pred, topo);
        QVariantList args;
        for (const QString &id : cycle)
            args.append(id);
        return makeError("dag.cycle",
            QStringLiteral("the graph has a cycle: %1").arg(cycle.join(QStringLiteral(" -> "))),
            args);
    }

    DagLayoutResult result;
    result.size = QSizeF(0, 0);
    if (n == 0)
        return result;
    const bool leftToRight = options.direction == DagLayoutOptions::Direction::LeftToRight;
    const std::vector<int> layer = assignLayers(n, topo, succ, pred);
    const int layerCount = *std::max_element(layer.begin(), layer.end()) + 1;

    Layered g;
    buildLayered(g, n, layer, uniqueEdges);
    initialOrder(g, layerCount);
    result.crossings = reduceCrossingsWithRestarts(g, options.maxSweeps);
    result.dummyCount = int(g.layer.size()) - n;

    // Extent of each node along the order axis and the layer axis.
    const int total = int(g.layer.size());
    std::vector<double> across(size_t(total), 0);
    std::vector<double> along(size_t(total), 0);
    for (int v = 0; v < n; ++v) {
        const QSizeF s = input.sizes.at(v);
        across[size_t(v)] = leftToRight ? s.height() : s.width();
        along[size_t(v)] = leftToRight ? s.width() : s.height();
    }
    std::vector<double> centre = assignCoordinates(g, across, options);
    // Shift the order axis to start at 0.
    double lowest = 0;
    bool first = true;
    for (int v = 0; v < total; ++v) {
        const double start = centre[size_t(v)] - across[size_t(v)] / 2;
        lowest = first ? start : std::min(lowest, start);
        first = false;
    }
    double highest = 0;
    for (int v = 0; v < total; ++v) {
        centre[size_t(v)] -= lowest;
        highest = std::max(highest, centre[size_t(v)] + across[size_t(v)] / 2);
    }

    // Layer columns (rows for TopToBottom): as wide as their widest node.
    std::vector<double> layerStart(size_t(layerCount), 0);
    std::vector<double> layerExtent(size_t(layerCount), 0);
    for (int v = 0; v < n; ++v)
        layerExtent[size_t(layer[size_t(v)])]
            = std::max(layerExtent[size_t(layer[size_t(v)])], along[size_t(v)]);
    for (int l = 1; l < layerCount; ++l)
        layerStart[size_t(l)]
            = layerStart[size_t(l) - 1] + layerExtent[size_t(l) - 1] + options.layerGap;
    const double lengthAlong = layerStart.back() + layerExtent.back();

    auto point = [&](double alongPos, double acrossPos) {
        return leftToRight ? QPointF(alongPos, acrossPos) : QPointF(acrossPos, alongPos);
    };
    result.layerOf = QList<int>(layer.begin(), layer.end());
    result.nodeRects.resize(n);
    for (int v = 0; v < n; ++v) {
        const int l = layer[size_t(v)];
        const double mid = layerStart[size_t(l)] + layerExtent[size_t(l)] / 2;
        const QPointF topLeft
            = point(mid - along[size_t(v)] / 2, centre[size_t(v)] - across[size_t(v)] / 2);
        result.nodeRects[v] = QRectF(topLeft, input.sizes.at(v));
    }
    result.layers.resize(layerCount);
    for (int l = 0; l < layerCount; ++l) {
        for (const int v : g.order[size_t(l)]) {
            if (!g.isLane(v))
                result.layers[l].append(v);
        }
    }

    std::vector<QList<QPointF>> chainRoutes;
    chainRoutes.reserve(g.chains.size());
    for (const auto &chain : g.chains) {
        QList<QPointF> route;
        auto add = [&route](const QPointF &p) {
            if (route.isEmpty() || route.constLast() != p)
                route.append(p);
        };
        const int from = chain.front();
        const int to = chain.back();
        const int lf = layer[size_t(from)];
        const int lt = layer[size_t(to)];
        const double fromMid = layerStart[size_t(lf)] + layerExtent[size_t(lf)] / 2;
        const double toMid = layerStart[size_t(lt)] + layerExtent[size_t(lt)] / 2;
        add(point(fromMid + along[size_t(from)] / 2, centre[size_t(from)]));
        add(point(layerStart[size_t(lf)] + layerExtent[size_t(lf)], centre[size_t(from)]));
        for (size_t i = 1; i + 1 < chain.size(); ++i) {
            const int lane = chain[i];
            const int l = g.layer[size_t(lane)];
            add(point(layerStart[size_t(l)], centre[size_t(lane)]));
            add(point(layerStart[size_t(l)] + layerExtent[size_t(l)], centre[size_t(lane)]));
        }
        add(point(layerStart[size_t(lt)], centre[size_t(to)]));
        add(point(toMid - along[size_t(to)] / 2, centre[size_t(to)]));
        chainRoutes.push_back(std::move(route));
    }
    result.edgeRoutes.reserve(chainOfEdge.size());
    for (const int c : chainOfEdge)
        result.edgeRoutes.append(chainRoutes[size_t(c)]);
    result.size = leftToRight ? QSizeF(lengthAlong, highest) : QSizeF(highest, lengthAlong);
    return result;
}

} // namespace Shivx::Ui::DagLayout
