#pragma once

#include <QList>
#include <QRandomGenerator>
#include <QString>

#include <algorithm>
#include <utility>

namespace ShivxTest {

// A random DAG shaped like a pipeline, the same for the same seed: stage i depends on up to
// `perStage` distinct earlier stages, mostly among the `window` just before it (a pipeline's
// stages mostly use recent outputs) and one time in `farOneIn` on any earlier stage (long
// edges across many layers). Edges go (dependency, dependent).
struct RandomDag
{
    QList<QString> ids;
    QList<std::pair<int, int>> edges;
};

inline RandomDag randomDag(
    int stages, quint32 seed, int perStage = 3, int window = 40, int farOneIn = 8)
{
    QRandomGenerator random(seed);
    RandomDag dag;
    for (int i = 0; i < stages; ++i) {
        dag.ids.append(QStringLiteral("stage-%1").arg(i, 3, 10, QLatin1Char('0')));
        QList<int> picked;
        const int wanted = std::min(i, perStage);
        while (picked.size() < wanted) {
            const bool far = random.bounded(farOneIn) == 0;
            const int low = far ? 0 : std::max(0, i - window);
            const int from = low + int(random.bounded(quint32(i - low)));
            if (!picked.contains(from))
                picked.append(from);
        }
        std::sort(picked.begin(), picked.end());
        for (const int from : picked)
            dag.edges.append({ from, i });
    }
    return dag;
}

} // namespace ShivxTest
