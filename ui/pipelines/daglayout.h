#pragma once

#include "core/result.h"

#include <QList>
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QString>

#include <utility>

namespace Shivx::Ui {

// The graph DagLayout places: nodes by index with their id (only to name them in errors) and
// their size in pixels, and edges as (from, to) node indices. Duplicate edges share one route.
struct DagLayoutInput
{
    QList<QString> ids;
    QList<QSizeF> sizes;
    QList<std::pair<int, int>> edges;
};

struct DagLayoutOptions
{
    enum class Direction { LeftToRight, TopToBottom };
    Direction direction = Direction::LeftToRight;
    // Pixels between neighbouring layers (columns for LeftToRight), between neighbours within
    // a layer, and the room a long edge takes in a layer it passes through.
    double layerGap = 72;
    double nodeGap = 14;
    double edgeLane = 6;
    // Barycenter sweeps (down and up) at most; they stop earlier after four without gain.
    int maxSweeps = 24;
};

// Where everything goes. Rectangles and routes are in one coordinate system whose bounds start
// at (0, 0).
struct DagLayoutResult
{
    QList<int> layerOf; // per node: 0 for the first layer
    // Per layer, its real nodes in drawing order (dummies of long edges left out).
    QList<QList<int>> layers;
    QList<QRectF> nodeRects; // per node
    // Per input edge: a polyline from the border of its source to the border of its target.
    // It leaves and enters nodes straight along the layer axis, runs straight along that axis
    // through every layer it crosses (at a lane kept free of nodes) and diagonally only in the
    // gaps between layers, so that no segment passes through a node.
    QList<QList<QPointF>> edgeRoutes;
    // Edge crossings between neighbouring layers of the final order (segments that share an
    // end point do not count).
    int crossings = 0;
    int dummyCount = 0; // lanes added for edges longer than one layer
    QSizeF size;
};

// Sugiyama-style layered layout of a directed acyclic graph: longest-path layers with sources
// pulled towards their successors, a lane node per layer a long edge crosses, barycenter
// sweeps with a transpose step against crossings (the best order seen is kept), and positions
// in each layer from a weighted isotonic regression towards the neighbours' positions (lanes
// weigh more, so long edges run straight). Pure computation, no Qt Gui; the same input gives
// the same result. Any thread.
//
// The rejected alternative, Brandes–Köpf coordinates, gives straighter long edges but four
// passes of alignment bookkeeping; the regression keeps every layer's order and minimum gaps
// exactly and is a few dozen lines.
namespace DagLayout {

// Fails with "dag.cycle" naming the cycle ("a -> b -> a"; args: the ids in order),
// "dag.bad_edge" for an edge whose end is not a node index, "dag.bad_input" when ids and
// sizes differ in length.
Result<DagLayoutResult> compute(const DagLayoutInput &input, const DagLayoutOptions &options = {});

} // namespace DagLayout
} // namespace Shivx::Ui
