// The DAG view's costs for a big pipeline, side by side with Graphviz's dot laying out the same
// graph in the same run:
//
//   bench_daglayout [--stages 500] [--reps 5] [--seed 5]
//
// 1. DagLayout::compute on a random pipeline-shaped DAG (about 3 dependencies per stage, mostly
//    on the 40 stages before, one in 8 on any earlier stage) and on one whose dependencies are
//    spread evenly (window = all stages): median wall time of --reps runs, with layers, lanes and
//    crossings; `dot -Tplain` on the same graph (each node as wide as its label) timed the same
//    way, as the reference point of a mature layered layout.
// 2. DagView on the offscreen platform, 1280x800: setGraph (layout plus items), a full paint
//    fitted and at 100%, and a batch of --stages state updates (every stage) followed by the
//    repaint Qt makes of the dirty region; and one pulse step with 20 stages running.
//
// Timings are wall time on a shared machine; compare within one run.

#include "pipelines/daglayout.h"
#include "pipelines/dagview.h"
#include "randomdag.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QGraphicsView>
#include <QProcess>
#include <QStandardPaths>
#include <QStringList>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <vector>

#include <sys/resource.h>

using namespace Shivx;
using namespace Shivx::Ui;

namespace {

// Median wall and CPU time of `reps` runs, in ms. CPU time is this thread's plus that of the
// children waited for (dot); on a machine shared with other builds it moves far less than the
// wall time does, so both are printed.
struct Times
{
    double wall;
    double cpu;
};

double cpuNow()
{
    timespec self {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &self);
    rusage children {};
    getrusage(RUSAGE_CHILDREN, &children);
    return self.tv_sec * 1e3 + self.tv_nsec / 1e6 + children.ru_utime.tv_sec * 1e3
        + children.ru_utime.tv_usec / 1e3 + children.ru_stime.tv_sec * 1e3
        + children.ru_stime.tv_usec / 1e3;
}

Times median(int reps, const std::function<void()> &run)
{
    std::vector<double> wall;
    std::vector<double> cpu;
    for (int i = 0; i < reps; ++i) {
        QElapsedTimer timer;
        const double cpuStart = cpuNow();
        timer.start();
        run();
        wall.push_back(double(timer.nsecsElapsed()) / 1e6);
        cpu.push_back(cpuNow() - cpuStart);
    }
    std::sort(wall.begin(), wall.end());
    std::sort(cpu.begin(), cpu.end());
    return { wall[wall.size() / 2], cpu[cpu.size() / 2] };
}

// What DagNodeItem::sizeFor gives for "stage-123" (its minimum box), so that both layouts
// place the same boxes.
const QSizeF kBox(96, 30);

void benchLayout(const QString &name, const ShivxTest::RandomDag &dag, int reps, const QString &dot)
{
    DagLayoutInput input;
    input.ids = dag.ids;
    input.sizes.fill(kBox, dag.ids.size());
    input.edges = dag.edges;
    DagLayoutResult last;
    const Times ours = median(reps, [&] { last = DagLayout::compute(input).value(); });
    std::printf("%-28s DagLayout   %8.1f ms wall %8.1f ms CPU  (%d stages, %d edges, %d layers, "
                "%d lanes, %d crossings)\n",
        qPrintable(name), ours.wall, ours.cpu, int(dag.ids.size()), int(dag.edges.size()),
        int(last.layers.size()), last.dummyCount, last.crossings);
    if (dot.isEmpty()) {
        std::printf("%-28s dot        (not installed: installer/install-deps.sh --bench)\n",
            qPrintable(name));
        return;
    }
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("graph.dot"));
    QFile out(file);
    if (!out.open(QIODevice::WriteOnly))
        return;
    // rankdir=LR and fixed-size boxes as the view draws them (points: 96 x 30 px at 72 dpi).
    QByteArray text = "digraph g { rankdir=LR; node [shape=box, fixedsize=true, width=1.33, "
                      "height=0.42];\n";
    for (const auto &[from, to] : dag.edges)
        text += "\"" + dag.ids[from].toUtf8() + "\" -> \"" + dag.ids[to].toUtf8() + "\";\n";
    text += "}\n";
    out.write(text);
    out.close();
    const int dotReps = std::max(1, std::min(reps, 3));
    bool ok = true;
    const Times theirs = median(dotReps, [&] {
        QProcess process;
        process.start(dot, { QStringLiteral("-Tplain"), file });
        ok = process.waitForFinished(600000) && process.exitCode() == 0 && ok;
    });
    std::printf("%-28s dot -Tplain %8.1f ms wall %8.1f ms CPU  (median of %d%s)\n",
        qPrintable(name), theirs.wall, theirs.cpu, dotReps, ok ? "" : ", FAILED");
}

QString stageId(int i)
{
    return QStringLiteral("stage-%1").arg(i, 3, 10, QLatin1Char('0'));
}

void benchView(const ShivxTest::RandomDag &dag, int reps)
{
    DagGraph graph;
    for (const QString &id : dag.ids)
        graph.nodes.append({ id, id, DagNodeState::Pending });
    for (const auto &[from, to] : dag.edges)
        graph.edges.append({ dag.ids[from], dag.ids[to] });
    DagView view;
    view.resize(1280, 800);
    view.show();
    QCoreApplication::processEvents();
    const Times setGraph = median(reps, [&] { (void)view.setGraph(graph); });
    QWidget *viewport = view.graphicsView()->viewport();
    QCoreApplication::processEvents();
    const int stages = int(dag.ids.size());
    auto fullPaint = [&] { viewport->repaint(); };
    // Every stage changes state (Pending -> Queued -> Running -> Succeeded -> ...), then the
    // event loop turn that paints what changed.
    int round = 0;
    const DagNodeState cycle[] = { DagNodeState::Queued, DagNodeState::Running,
        DagNodeState::Succeeded, DagNodeState::Failed, DagNodeState::Pending };
    auto updates = [&] {
        const DagNodeState state = cycle[round++ % 5];
        for (int i = 0; i < stages; ++i)
            view.setNodeState(stageId(i), state);
        QCoreApplication::processEvents();
    };
    const Times fitPaint = median(reps, fullPaint);
    const Times fitUpdates = median(reps, updates);
    std::printf("DagView 1280x800, %d stages (ms wall / CPU): setGraph %.1f / %.1f\n", stages,
        setGraph.wall, setGraph.cpu);
    std::printf("  fitted (%.0f%%): full paint %.1f / %.1f, %d state updates + repaint %.1f / "
                "%.1f\n",
        view.zoom() * 100, fitPaint.wall, fitPaint.cpu, stages, fitUpdates.wall, fitUpdates.cpu);
    view.resetZoom();
    QCoreApplication::processEvents();
    const Times fullPaint100 = median(reps, fullPaint);
    const Times updates100 = median(reps, updates);
    std::printf("  at 100%%:     full paint %.1f / %.1f, %d state updates + repaint %.1f / %.1f\n",
        fullPaint100.wall, fullPaint100.cpu, stages, updates100.wall, updates100.cpu);
    // A run's usual picture: a few stages running, their rings pulsing on the view's timer.
    for (int i = 0; i < stages; ++i)
        view.setNodeState(stageId(i), i % 25 == 0 ? DagNodeState::Running : DagNodeState::Pending);
    QCoreApplication::processEvents();
    auto interval = [] {
        QElapsedTimer wait;
        wait.start();
        // One pulse interval (60 ms) passes; measured is the whole turn incl. the repaints.
        while (wait.elapsed() < 60)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
    };
    const Times pulse100 = median(reps * 4, interval);
    view.fitToView();
    QCoreApplication::processEvents();
    const Times pulseFit = median(reps * 4, interval);
    std::printf("  %d running stages pulsing, one 60 ms interval: at 100%% %.1f / %.1f, fitted "
                "%.1f / %.1f\n",
        (stages + 24) / 25, pulse100.wall, pulse100.cpu, pulseFit.wall, pulseFit.cpu);
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    auto option = [&args](const char *name, int fallback) {
        const int at = int(args.indexOf(QString::fromLatin1(name)));
        return at >= 0 && at + 1 < args.size() ? args.at(at + 1).toInt() : fallback;
    };
    const int stages = option("--stages", 500);
    const int reps = std::max(1, option("--reps", 5));
    const quint32 seed = quint32(option("--seed", 5));
    const QString dot = QStandardPaths::findExecutable(QStringLiteral("dot"));

    benchLayout(QStringLiteral("pipeline-shaped (window 40)"),
        ShivxTest::randomDag(stages, seed, 3, 40), reps, dot);
    benchLayout(QStringLiteral("spread (window = all)"),
        ShivxTest::randomDag(stages, seed, 3, stages), reps, dot);
    benchView(ShivxTest::randomDag(stages, seed, 3, 40), reps);
    return 0;
}
