// File integrity checks, side by side in one run on the same tree: our `full` and `fast`
// (1 % of the files changed) against `aide --check` (Debian's aide, sha256 only,
// --workers=2) and `find DIR -type f -print0 | xargs -0 -P2 -n 200 openssl dgst -sha256`.
//
//   bench_integrity --dir DIR [--files 50000] [--mb 1024] [--runs 3] [--seed 42]
//
// The tree (DIR/tree) is generated reproducibly from the seed: mixed sizes (most files small,
// some of tens to hundreds of KiB, a few of MiB), random content, 100 directories of 10
// subdirectories. It is reused when DIR/tree/.bench-corpus names the same parameters. Our
// checks run in process exactly as the engine runs them (verify the baseline file's digest,
// load it, walk, hash on 2 threads, compare). This machine evicts idle page cache after about
// a minute, so each measurement is preceded by reading every file (warm cache for all).
#include "integrity/baselinestore.h"
#include "integrity/integritychecker.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTextStream>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace Shivx;

namespace {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

QString loadText()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly)
        ? QString::fromLatin1(f.readAll()).section(QLatin1Char(' '), 0, 2)
        : QStringLiteral("?");
}

struct Corpus
{
    QString root;
    QStringList files;
    qint64 bytes = 0;
};

// Most files small, some medium, a few large; then scaled so that the total is `totalBytes`.
std::vector<qint64> corpusSizes(int files, qint64 totalBytes, std::mt19937_64 &rng)
{
    std::uniform_real_distribution<double> u(0, 1);
    const auto logUniform = [&](double lo, double hi) {
        return std::exp(std::log(lo) + u(rng) * (std::log(hi) - std::log(lo)));
    };
    std::vector<double> raw(static_cast<size_t>(files));
    double sum = 0;
    for (double &s : raw) {
        const double pick = u(rng);
        s = pick < 0.90    ? logUniform(100, 16 * 1024)
            : pick < 0.995 ? logUniform(16 * 1024, 512 * 1024)
                           : logUniform(1 << 20, 32 << 20);
        sum += s;
    }
    std::vector<qint64> sizes(static_cast<size_t>(files));
    for (size_t i = 0; i < raw.size(); ++i)
        sizes[i] = qMax<qint64>(1, qint64(raw[i] * double(totalBytes) / sum));
    return sizes;
}

Corpus makeCorpus(const QString &dir, int files, qint64 megabytes, quint64 seed)
{
    Corpus c;
    c.root = dir + QStringLiteral("/tree");
    const QString stamp
        = QStringLiteral("files=%1 mb=%2 seed=%3\n").arg(files).arg(megabytes).arg(seed);
    QFile marker(c.root + QStringLiteral("/.bench-corpus"));
    std::mt19937_64 rng(seed);
    const std::vector<qint64> sizes = corpusSizes(files, megabytes * 1024 * 1024, rng);
    const auto pathOf = [&](int i) {
        return QStringLiteral("%1/d%2/s%3/f%4.dat")
            .arg(c.root)
            .arg(i % 100, 3, 10, QLatin1Char('0'))
            .arg((i / 100) % 10)
            .arg(i);
    };
    for (int i = 0; i < files; ++i) {
        c.files.append(pathOf(i));
        c.bytes += sizes[size_t(i)];
    }
    if (marker.open(QIODevice::ReadOnly) && marker.readAll() == stamp.toLatin1()) {
        out() << "corpus: reusing " << c.root << "\n" << Qt::flush;
        return c;
    }
    marker.close();
    QDir(c.root).removeRecursively();
    QElapsedTimer t;
    t.start();
    std::vector<quint64> buffer(size_t(4 << 20) / sizeof(quint64));
    for (int i = 0; i < files; ++i) {
        if (i % 1000 == 0)
            QDir().mkpath(QFileInfo(pathOf(i)).absolutePath());
        QDir().mkpath(QFileInfo(pathOf(i)).absolutePath());
        const int fd = ::open(QFile::encodeName(c.files[i]).constData(),
            O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        qint64 left = sizes[size_t(i)];
        while (left > 0) {
            const size_t n = size_t(qMin<qint64>(left, qint64(buffer.size() * sizeof(quint64))));
            for (size_t w = 0; w < (n + 7) / 8; ++w)
                buffer[w] = rng();
            if (::write(fd, buffer.data(), n) != ssize_t(n)) {
                out() << "corpus: write failed\n";
                std::exit(1);
            }
            left -= qint64(n);
        }
        ::close(fd);
    }
    QFile m(c.root + QStringLiteral("/.bench-corpus"));
    if (m.open(QIODevice::WriteOnly))
        m.write(stamp.toLatin1());
    out() << "corpus: wrote " << files << " files, " << c.bytes / (1024 * 1024) << " MiB in "
          << t.elapsed() / 1000.0 << " s\n"
          << Qt::flush;
    return c;
}

// Reads every file once, so that every contender starts from a warm page cache.
void warm(const Corpus &c)
{
    std::vector<char> buffer(1 << 20);
    for (const QString &f : c.files) {
        const int fd = ::open(QFile::encodeName(f).constData(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        while (::read(fd, buffer.data(), buffer.size()) > 0) { }
        ::close(fd);
    }
}

double runShell(const QString &script)
{
    QElapsedTimer t;
    t.start();
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.setStandardOutputFile(QProcess::nullDevice());
    p.start(QStringLiteral("/bin/bash"), { QStringLiteral("-c"), script });
    p.waitForFinished(-1);
    return t.nsecsElapsed() / 1e9;
}

QList<IntegrityPathSet> setsFor(const Corpus &c)
{
    IntegrityPathSet s;
    s.name = QStringLiteral("bench");
    s.paths = { c.root };
    s.excludes = { QStringLiteral(".bench-corpus") };
    return { s };
}

// Times of the phases of our last check, for the breakdown printed at the end.
QString g_phases;

// As the engine's scanner runs a check: the baseline it loaded at start stays in memory, and
// each check first hashes the file and compares the digest with the audited one.
double runOurs(const Corpus &c, const QString &baselinePath, const QByteArray &digest,
    const Baseline &loaded, IntegrityMode mode, IntegrityResult *r)
{
    QElapsedTimer t;
    t.start();
    const auto d = BaselineStore(baselinePath).digest();
    if (!d || *d != digest) {
        out() << "baseline digest mismatch\n";
        std::exit(1);
    }
    const qint64 verified = t.nsecsElapsed();
    QList<QPair<QString, qint64>> marks { { QStringLiteral("verify"), 0 } };
    IntegrityChecker::Options o;
    o.mode = mode;
    o.threads = 2;
    o.phase = [&](const QString &phase, qint64, qint64) {
        marks.append({ phase, t.nsecsElapsed() });
    };
    *r = IntegrityResult();
    IntegrityChecker::check(setsFor(c), loaded, o, r);
    const qint64 end = t.nsecsElapsed();
    marks.append({ QStringLiteral("end"), end });
    marks[0].second = 0;
    marks.insert(1, { QStringLiteral("(verified)"), verified });
    g_phases.clear();
    for (int i = 0; i + 1 < marks.size(); ++i)
        if (marks[i].first != QLatin1String("(verified)"))
            g_phases += QStringLiteral("%1 %2 ms, ")
                            .arg(marks[i].first)
                            .arg((marks[i + 1].second - marks[i].second) / 1e6, 0, 'f', 0);
    return end / 1e9;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    p.addOption({ QStringLiteral("dir"), QStringLiteral("work directory (the tree, the baselines)"),
        QStringLiteral("DIR") });
    p.addOption({ QStringLiteral("files"), QStringLiteral("files in the tree"), QStringLiteral("N"),
        QStringLiteral("50000") });
    p.addOption({ QStringLiteral("mb"), QStringLiteral("MiB in the tree"), QStringLiteral("N"),
        QStringLiteral("1024") });
    p.addOption({ QStringLiteral("runs"), QStringLiteral("runs of each contender"),
        QStringLiteral("N"), QStringLiteral("3") });
    p.addOption({ QStringLiteral("seed"), QStringLiteral("corpus seed"), QStringLiteral("N"),
        QStringLiteral("42") });
    p.process(app);
    if (!p.isSet(QStringLiteral("dir"))) {
        out() << "bench_integrity: --dir DIR is required (about 1 GB is written there)\n";
        return 2;
    }
    const QString dir = QDir(p.value(QStringLiteral("dir"))).absolutePath();
    const int files = p.value(QStringLiteral("files")).toInt();
    const int runs = qMax(1, p.value(QStringLiteral("runs")).toInt());
    const quint64 seed = p.value(QStringLiteral("seed")).toULongLong();
    QDir().mkpath(dir);
    out() << "load average before: " << loadText() << "\n" << Qt::flush;
    const Corpus c = makeCorpus(dir, files, p.value(QStringLiteral("mb")).toLongLong(), seed);

    // Baselines: ours and aide's, of the unchanged tree.
    warm(c);
    IntegrityResult scanned;
    QElapsedTimer t;
    t.start();
    Baseline baseline;
    for (FileState &f : IntegrityChecker::scan(setsFor(c), {}, &scanned))
        baseline.files.insert(f.path, std::move(f));
    const QString baselinePath = dir + QStringLiteral("/baseline.db");
    QFile::remove(baselinePath);
    const auto digest = BaselineStore(baselinePath).write(baseline);
    if (!digest) {
        out() << digest.error().message << "\n";
        return 1;
    }
    QElapsedTimer loadTime;
    loadTime.start();
    const Baseline loaded = *BaselineStore(baselinePath).load();
    out() << "ours: baseline loaded in " << loadTime.elapsed() / 1000.0
          << " s (once, at engine start)\n";
    out() << "ours: baseline of " << baseline.files.size() << " files in " << t.elapsed() / 1000.0
          << " s\n"
          << Qt::flush;
    const QString aideConf = dir + QStringLiteral("/aide.conf");
    {
        QFile f(aideConf);
        f.open(QIODevice::WriteOnly);
        f.write(QStringLiteral("database_in=file:%1/aide.db\n"
                               "database_out=file:%1/aide.db.new\n"
                               "gzip_dbout=no\n"
                               "log_level=error\n"
                               "report_level=changed_attributes\n"
                               "Sha = sha256\n"
                               "%2 Sha\n"
                               "!%2/\\.bench-corpus$\n")
                    .arg(dir, c.root)
                    .toUtf8());
    }
    warm(c);
    const double aideInit = runShell(
        QStringLiteral("aide --init --workers=2 --config='%1' && mv '%2/aide.db.new' '%2/aide.db'")
            .arg(aideConf, dir));
    out() << "aide: baseline in " << aideInit << " s\n" << Qt::flush;

    // 1 % of the files changed (the same ones every time for a seed): one byte rewritten.
    std::mt19937_64 rng(seed + 1);
    std::vector<int> order(size_t(c.files.size()));
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = int(i);
    std::shuffle(order.begin(), order.end(), rng);
    const int changed = qMax(1, int(c.files.size() / 100));
    for (int i = 0; i < changed; ++i) {
        const int fd
            = ::open(QFile::encodeName(c.files[order[size_t(i)]]).constData(), O_RDWR | O_CLOEXEC);
        char byte = 0;
        if (::pread(fd, &byte, 1, 0) == 1) {
            byte = char(~byte);
            if (::pwrite(fd, &byte, 1, 0) != 1)
                out() << "pwrite failed\n";
        }
        ::close(fd);
    }
    out() << "changed " << changed << " files (1 %)\n" << Qt::flush;

    std::vector<double> full, fast, aide, openssl;
    IntegrityResult fullResult, fastResult;
    const QString opensslScript
        = QStringLiteral("find '%1' -type f -print0 | xargs -0 -P2 -n 200 openssl dgst -sha256")
              .arg(c.root);
    const QString aideScript
        = QStringLiteral("aide --check --workers=2 --config='%1'; s=$?; [ $s -lt 14 ]")
              .arg(aideConf);
    for (int run = 0; run < runs; ++run) {
        warm(c);
        full.push_back(runOurs(c, baselinePath, *digest, loaded, IntegrityMode::Full, &fullResult));
        const QString fullPhases = g_phases;
        warm(c);
        fast.push_back(runOurs(c, baselinePath, *digest, loaded, IntegrityMode::Fast, &fastResult));
        out() << "  full: " << fullPhases << "\n  fast: " << g_phases << "\n" << Qt::flush;
        warm(c);
        aide.push_back(runShell(aideScript));
        warm(c);
        openssl.push_back(runShell(opensslScript));
        out() << "run " << run + 1 << ": full " << full.back() << " s, fast " << fast.back()
              << " s, aide --check " << aide.back() << " s, find|xargs openssl " << openssl.back()
              << " s (load " << loadText() << ")\n"
              << Qt::flush;
    }
    out() << "\n"
          << c.files.size() << " files, " << c.bytes / (1024 * 1024) << " MiB; medians of " << runs
          << " run(s):\n"
          << "  ours full   " << median(full) << " s  (" << fullResult.filesHashed << " hashed, "
          << fullResult.differences.size() << " differences)\n"
          << "  ours fast   " << median(fast) << " s  (" << fastResult.filesHashed << " hashed, "
          << fastResult.differences.size() << " differences)\n"
          << "  aide --check --workers=2       " << median(aide) << " s\n"
          << "  find | xargs -P2 openssl dgst  " << median(openssl) << " s\n"
          << "  full / aide     " << median(full) / median(aide) << "  (goal <= 0.1)\n"
          << "  full / openssl  " << median(full) / median(openssl) << "  (goal < 1)\n"
          << "  fast / aide     " << median(fast) / median(aide) << "  (goal <= 0.02)\n"
          << "load average after: " << loadText() << "\n"
          << Qt::flush;
    return 0;
}
