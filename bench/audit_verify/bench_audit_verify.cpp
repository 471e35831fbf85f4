// Audit chain verification throughput, side by side in one run with the plain hashers on the
// same files: `openssl dgst -sha256` (SHA-NI), `sha256sum`, the in-process AuditVerifier and the
// `shivx audit verify` CLI; and the CLI's peak RSS on a small and a large chain, which must not
// grow with the chain's length.
//
//   bench_audit_verify [--mb 1024] [--small-mb 100] [--runs 3] [--dir DIR]
//
// The chains are built once (tests/helpers/chainbuilder.h: canonical entries, segments rotated at
// 256 MB and sealed, a signed checkpoint every 100000 entries). This machine evicts idle page
// cache after about a minute, so every measurement is preceded by reading the files (warm).
#include "chainbuilder.h"

#include "audit/verify/auditverifier.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

struct Chain
{
    QString dataDir;
    QStringList files;
    qint64 bytes = 0;
    qint64 entries = 0;
};

Chain buildChain(const QString &dataDir, qint64 megabytes)
{
    QElapsedTimer t;
    t.start();
    Shivx::Test::ChainBuilder b(dataDir);
    const QString stream = QStringLiteral("bench");
    // Entry length with this builder and stream name: measured from the first line.
    b.append(stream, 1);
    const qint64 lineBytes = QFileInfo(b.segmentPath(stream, 1)).size();
    const qint64 total = megabytes * 1000 * 1000 / lineBytes;
    const qint64 perSegment = 256LL * 1000 * 1000 / lineBytes;
    b.setSegmentEntries(perSegment);
    b.setCheckpointEvery(100000);
    b.append(stream, total - 1);
    b.finish();
    Chain c;
    c.dataDir = dataDir;
    c.entries = total;
    const QDir dir(b.streamDir(stream));
    for (const QFileInfo &fi :
        dir.entryInfoList({ QStringLiteral("seg-*.ndjson") }, QDir::Files, QDir::Name)) {
        c.files << fi.filePath();
        c.bytes += fi.size();
    }
    out() << "built " << c.entries << " entries (" << lineBytes << " bytes each), "
          << c.files.size() << " segment(s), " << c.bytes / 1000000 << " MB in "
          << t.elapsed() / 1000.0 << " s"
          << (b.error().isEmpty() ? QString() : QStringLiteral(" ERROR ") + b.error()) << "\n"
          << Qt::flush;
    return c;
}

void warm(const Chain &c)
{
    std::vector<char> buf(1 << 20);
    for (const QString &f : c.files) {
        QFile file(f);
        file.open(QIODevice::ReadOnly | QIODevice::Unbuffered);
        while (file.read(buf.data(), qint64(buf.size())) > 0) { }
    }
}

double cpuSeconds(const rusage &ru)
{
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec
        + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// Wall and CPU seconds of one measurement: this machine's cores are shared, so CPU seconds
// (user + system, all threads) show the work done independently of what else runs.
struct Timing
{
    double wall = 1e9;
    double cpu = 1e9;
};

struct ChildRun
{
    double seconds = 0;
    double cpu = 0;
    long maxRssKb = 0;
    int exitCode = -1;
};

// fork/exec/wait4: wall time and the child's own peak RSS (ru_maxrss).
ChildRun runChild(const QStringList &argv)
{
    std::vector<QByteArray> args;
    for (const QString &a : argv)
        args.push_back(a.toLocal8Bit());
    std::vector<char *> cargs;
    for (QByteArray &a : args)
        cargs.push_back(a.data());
    cargs.push_back(nullptr);
    QElapsedTimer t;
    t.start();
    const pid_t pid = fork();
    if (pid == 0) {
        const int devnull = ::open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        execvp(cargs[0], cargs.data());
        _exit(127);
    }
    int status = 0;
    rusage ru {};
    wait4(pid, &status, 0, &ru);
    ChildRun r;
    r.seconds = t.elapsed() / 1000.0;
    r.maxRssKb = ru.ru_maxrss;
    r.cpu = cpuSeconds(ru);
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

Timing inProcess(const Chain &c, bool sealDigest, int *verdictOk)
{
    rusage before {};
    getrusage(RUSAGE_SELF, &before);
    Shivx::AuditVerifyOptions o;
    o.dataDir = c.dataDir;
    o.checkSealDigest = sealDigest;
    QElapsedTimer t;
    t.start();
    const Shivx::VerifyReport r = Shivx::AuditVerifier(o).run();
    *verdictOk = r.verdict == Shivx::VerifyReport::Verdict::Intact;
    rusage after {};
    getrusage(RUSAGE_SELF, &after);
    return Timing { t.elapsed() / 1000.0, cpuSeconds(after) - cpuSeconds(before) };
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    p.addOptions({ { QStringLiteral("mb"), QStringLiteral("Size of the large chain in MB."),
                       QStringLiteral("N"), QStringLiteral("1024") },
        { QStringLiteral("small-mb"), QStringLiteral("Size of the small chain in MB."),
            QStringLiteral("N"), QStringLiteral("100") },
        { QStringLiteral("runs"), QStringLiteral("Runs of each measurement (best is kept)."),
            QStringLiteral("N"), QStringLiteral("3") },
        { QStringLiteral("dir"), QStringLiteral("Where to build the chains (default: a temp dir)."),
            QStringLiteral("DIR") },
        { QStringLiteral("keep"),
            QStringLiteral("Keep the chains (for profiling); with --runs 0 only build them.") } });
    p.process(app);
    const int runs = std::max(0, p.value(QStringLiteral("runs")).toInt());
    if (p.isSet(QStringLiteral("dir")))
        QDir().mkpath(p.value(QStringLiteral("dir")));
    QTemporaryDir tmp(p.isSet(QStringLiteral("dir"))
            ? p.value(QStringLiteral("dir")) + QStringLiteral("/bench-XXXXXX")
            : QDir::tempPath() + QStringLiteral("/bench_audit_verify-XXXXXX"));
    if (!tmp.isValid()) {
        out() << "cannot create the chain directory: " << tmp.errorString() << "\n";
        return 2;
    }
    tmp.setAutoRemove(!p.isSet(QStringLiteral("keep")));
    out() << "cores: " << QThread::idealThreadCount() << ", chain dir: " << tmp.path() << "\n";

    const Chain small = buildChain(
        tmp.filePath(QStringLiteral("small")), p.value(QStringLiteral("small-mb")).toLongLong());
    const Chain large = buildChain(
        tmp.filePath(QStringLiteral("large")), p.value(QStringLiteral("mb")).toLongLong());

    if (runs == 0)
        return 0;
    const double mb = large.bytes / 1e6;
    struct Result
    {
        QString name;
        Timing best;
    };
    std::vector<Result> results { { QStringLiteral("openssl dgst -sha256"), {} },
        { QStringLiteral("sha256sum"), {} }, { QStringLiteral("AuditVerifier (in-process)"), {} },
        { QStringLiteral("AuditVerifier --seal-digests"), {} },
        { QStringLiteral("shivx audit verify (CLI)"), {} } };
    const auto keep = [](Timing &best, Timing t) {
        best.wall = std::min(best.wall, t.wall);
        best.cpu = std::min(best.cpu, t.cpu);
    };
    const auto child = [](const QStringList &command, bool *ok = nullptr) {
        const ChildRun r = runChild(command);
        if (ok)
            *ok = r.exitCode == 0;
        return Timing { r.seconds, r.cpu };
    };
    bool allIntact = true;
    for (int run = 0; run < runs; ++run) {
        warm(large);
        keep(results[0].best,
            child(QStringList {
                      QStringLiteral("openssl"), QStringLiteral("dgst"), QStringLiteral("-sha256") }
                + large.files));
        warm(large);
        keep(results[1].best, child(QStringList { QStringLiteral("sha256sum") } + large.files));
        int ok = 0;
        warm(large);
        keep(results[2].best, inProcess(large, false, &ok));
        allIntact = allIntact && ok;
        warm(large);
        keep(results[3].best, inProcess(large, true, &ok));
        allIntact = allIntact && ok;
        warm(large);
        bool cliOk = false;
        keep(results[4].best,
            child({ QStringLiteral(SHIVX_CLI), QStringLiteral("audit"), QStringLiteral("verify"),
                      QStringLiteral("--data-dir"), large.dataDir },
                &cliOk));
        allIntact = allIntact && cliOk;
    }
    double load[3] = { 0, 0, 0 };
    getloadavg(load, 3);
    out() << "\nthroughput on " << large.bytes / 1000000 << " MB (" << large.files.size()
          << " files, " << large.entries << " entries), best of " << runs
          << ", page cache warm, load average " << QString::number(load[0], 'f', 1) << " on "
          << QThread::idealThreadCount() << " cores:\n"
          << "  " << QStringLiteral("").leftJustified(30)
          << "  wall MB/s   wall s  vs openssl  | CPU s  MB per CPU-s\n";
    for (const Result &r : results)
        out() << "  " << r.name.leftJustified(30)
              << QString::number(mb / r.best.wall, 'f', 0).rightJustified(10)
              << QString::number(r.best.wall, 'f', 2).rightJustified(9)
              << QString::number(results[0].best.wall / r.best.wall, 'f', 2).rightJustified(11)
              << "  |" << QString::number(r.best.cpu, 'f', 2).rightJustified(6)
              << QString::number(mb / r.best.cpu, 'f', 0).rightJustified(14) << "\n";
    out() << "  every verification intact: " << (allIntact ? "yes" : "NO") << "\n";

    out() << "\npeak RSS of shivx audit verify (CLI):\n";
    for (const Chain *c : { &small, &large }) {
        warm(*c);
        const ChildRun r = runChild({ QStringLiteral(SHIVX_CLI), QStringLiteral("audit"),
            QStringLiteral("verify"), QStringLiteral("--data-dir"), c->dataDir });
        out() << "  " << QString::number(c->bytes / 1000000).rightJustified(5)
              << " MB chain: " << r.maxRssKb / 1024 << " MB peak RSS, exit " << r.exitCode << "\n";
    }
    out() << Qt::flush;
    return allIntact ? 0 : 1;
}
