// A random DAG of `true` stages run by the pipeline runner with its SQLite job store on
// (per-attempt logs, states, leases: everything a real run writes), side by side with
// `ninja -j2` running the same DAG from a generated build.ninja, in the same run; and the
// runner's per-stage scheduling overhead (last dependency finished -> process started).
//
//   bench_pipelines [--stages 1000] [--edges 3] [--seed 13] [--rounds 3] [--jobs 2]
//
// The DAG: stage i depends on min(i, edges) distinct stages drawn from 0..i-1 (fixed seed).
// Rounds alternate ninja and shivx so that machine load weighs on both; the medians are
// compared. Each round starts from an empty directory (ninja: no .ninja_log; shivx: a new
// database and run directory).
#include "executor/boundedexecutor.h"
#include "pipelines/pipelinerunner.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <set>

using namespace Shivx;

namespace {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

struct Options
{
    int stages = 1000;
    int edges = 3;
    quint32 seed = 13;
    int rounds = 3;
    int jobs = 2;
};

QList<QList<int>> randomDag(const Options &o)
{
    QRandomGenerator rng(o.seed);
    QList<QList<int>> deps(o.stages);
    for (int i = 1; i < o.stages; ++i) {
        std::set<int> picked;
        const int want = std::min(i, o.edges);
        while (int(picked.size()) < want)
            picked.insert(int(rng.bounded(i)));
        deps[i] = QList<int>(picked.begin(), picked.end());
    }
    return deps;
}

QByteArray pipelineYaml(const QList<QList<int>> &deps)
{
    QByteArray y = "name: dag\nstages:\n";
    for (int i = 0; i < deps.size(); ++i) {
        y += "  - {name: s" + QByteArray::number(i) + ", command: 'true'";
        if (!deps[i].isEmpty()) {
            y += ", needs: [";
            for (int j = 0; j < deps[i].size(); ++j)
                y += (j ? ", s" : "s") + QByteArray::number(deps[i][j]);
            y += "]";
        }
        y += "}\n";
    }
    return y;
}

QByteArray ninjaFile(const QList<QList<int>> &deps)
{
    // Order-only dependencies: each edge runs after its inputs, and no output files are
    // compared (like the pipeline, which has none).
    QByteArray n = "rule t\n  command = true\n\n";
    for (int i = 0; i < deps.size(); ++i) {
        n += "build s" + QByteArray::number(i) + ": t";
        if (!deps[i].isEmpty()) {
            n += " ||";
            for (int d : deps[i])
                n += " s" + QByteArray::number(d);
        }
        n += "\n";
    }
    return n;
}

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v.at(v.size() / 2);
}

double percentile(QList<qint64> v, double p)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const int i = std::min(int(v.size()) - 1, int(p * (v.size() - 1) + 0.5));
    return double(v.at(i));
}

double runNinja(const QString &ninja, const QByteArray &file, int jobs)
{
    QTemporaryDir dir;
    QFile f(dir.filePath(QStringLiteral("build.ninja")));
    if (!f.open(QIODevice::WriteOnly))
        return -1;
    f.write(file);
    f.close();
    QProcess p;
    p.setWorkingDirectory(dir.path());
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QElapsedTimer t;
    t.start();
    p.start(ninja, { QStringLiteral("-j%1").arg(jobs), QStringLiteral("-k0") });
    p.waitForFinished(-1);
    const double s = t.nsecsElapsed() / 1e9;
    if (p.exitCode() != 0) {
        out() << "ninja failed: " << p.readAllStandardOutput() << Qt::endl;
        return -1;
    }
    return s;
}

struct ShivxRound
{
    double seconds = -1;
    QList<qint64> delaysUs; // last dependency finished -> process started
    QList<qint64> overheadUs; // the same less the wait for a free slot
};

ShivxRound runShivx(const QByteArray &yaml, int jobs)
{
    ShivxRound round;
    QTemporaryDir dir;
    dir.setAutoRemove(qEnvironmentVariableIsEmpty("SHIVX_BENCH_KEEP"));
    if (!dir.autoRemove())
        out() << "keeping " << dir.path() << Qt::endl;
    QDir().mkpath(dir.filePath(QStringLiteral("defs")));
    QFile f(dir.filePath(QStringLiteral("defs/dag.yaml")));
    if (!f.open(QIODevice::WriteOnly))
        return round;
    f.write(yaml);
    f.close();
    // The engine's executor as configured by default (engine.workers: 2): the stages are
    // spawned there.
    BoundedExecutor executor;
    PipelineRunner::Options o;
    o.executor = &executor;
    o.config.maxParallelStages = jobs;
    o.pipelinesDirectory = dir.filePath(QStringLiteral("defs"));
    o.dataDir = dir.filePath(QStringLiteral("data"));
    QDir().mkpath(o.dataDir);
    o.databasePath = dir.filePath(QStringLiteral("data/shivx.db"));
    PipelineRunner runner(o);
    if (const auto r = runner.start(); !r) {
        out() << "runner: " << r.error().message << Qt::endl;
        return round;
    }
    QEventLoop loop;
    qint64 id = 0;
    QObject::connect(&runner, &PipelineRunner::runChanged, &loop, [&](const RunRecord &r) {
        if (r.id == id && isFinished(r.state))
            loop.quit();
    });
    QElapsedTimer t;
    t.start();
    const auto started = runner.trigger(
        QStringLiteral("dag"), {}, QStringLiteral("manual"), QStringLiteral("engine"));
    if (!started) {
        out() << "trigger: " << started.error().message << Qt::endl;
        return round;
    }
    id = *started;
    loop.exec();
    round.seconds = t.nsecsElapsed() / 1e9;
    const auto detail = runner.run(id);
    if (!detail || detail->run.state != RunState::Succeeded) {
        out() << "run did not succeed: " << (detail ? detail->run.error : detail.error().message)
              << Qt::endl;
        round.seconds = -1;
        return round;
    }
    for (const AttemptRecord &a : detail->attempts) {
        round.delaysUs.append(a.scheduleDelayUs);
        round.overheadUs.append(a.scheduleDelayUs - a.slotWaitUs);
    }
    runner.shutdown();
    return round;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Options o;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        const QString &k = args.at(i);
        const int v = args.at(i + 1).toInt();
        if (k == QLatin1String("--stages"))
            o.stages = v;
        else if (k == QLatin1String("--edges"))
            o.edges = v;
        else if (k == QLatin1String("--seed"))
            o.seed = quint32(v);
        else if (k == QLatin1String("--rounds"))
            o.rounds = v;
        else if (k == QLatin1String("--jobs"))
            o.jobs = v;
    }
    const QString ninja = QStandardPaths::findExecutable(QStringLiteral("ninja"));
    if (ninja.isEmpty()) {
        out() << "ninja not found (installer/install-deps.sh --bench)" << Qt::endl;
        return 1;
    }
    const QList<QList<int>> deps = randomDag(o);
    int edges = 0;
    for (const auto &d : deps)
        edges += int(d.size());
    out() << "DAG: " << o.stages << " stages of `true`, " << edges << " edges (seed " << o.seed
          << "), " << o.jobs << " at once, " << o.rounds << " rounds" << Qt::endl;
    const QByteArray yaml = pipelineYaml(deps);
    const QByteArray nf = ninjaFile(deps);
    QList<double> ninjaTimes;
    QList<double> shivxTimes;
    QList<qint64> delays;
    QList<qint64> overheads;
    for (int r = 0; r < o.rounds; ++r) {
        const double n = runNinja(ninja, nf, o.jobs);
        const ShivxRound s = runShivx(yaml, o.jobs);
        if (n < 0 || s.seconds < 0)
            return 1;
        ninjaTimes.append(n);
        shivxTimes.append(s.seconds);
        delays += s.delaysUs;
        overheads += s.overheadUs;
        out() << QStringLiteral("round %1: ninja -j%2 %3 s, shivx %4 s (%5x)")
                     .arg(r + 1)
                     .arg(o.jobs)
                     .arg(n, 0, 'f', 3)
                     .arg(s.seconds, 0, 'f', 3)
                     .arg(s.seconds / n, 0, 'f', 2)
              << Qt::endl;
    }
    const double nm = median(ninjaTimes);
    const double sm = median(shivxTimes);
    out() << QStringLiteral(
        "median: ninja %1 s, shivx (job store on) %2 s: %3x ninja (goal <= 1.5x)")
                 .arg(nm, 0, 'f', 3)
                 .arg(sm, 0, 'f', 3)
                 .arg(sm / nm, 0, 'f', 2)
          << Qt::endl;
    out() << QStringLiteral("last dependency finished -> process started, %1 stages: p50 %2 ms, "
                            "p99 %3 ms (includes waiting for one of the %4 slots)")
                 .arg(delays.size())
                 .arg(percentile(delays, 0.5) / 1000, 0, 'f', 3)
                 .arg(percentile(delays, 0.99) / 1000, 0, 'f', 3)
                 .arg(o.jobs)
          << Qt::endl;
    out() << QStringLiteral("scheduling overhead (ready and a slot free -> process started): "
                            "p50 %1 ms, p99 %2 ms (goal p99 <= 5 ms)")
                 .arg(percentile(overheads, 0.5) / 1000, 0, 'f', 3)
                 .arg(percentile(overheads, 0.99) / 1000, 0, 'f', 3)
          << Qt::endl;
    return 0;
}
