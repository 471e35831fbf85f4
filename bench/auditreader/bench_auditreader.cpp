// AuditReader on one stream of N entries (default 1,000,000), side by side with the plain
// tools that do the same byte work, in the same run on the same files:
//   index   AuditReader::open()            vs  wc -l over the segments
//   row     readRow(N-1) on a fresh reader  (no peer: one block read)
//   search  search(action "breaker")       vs  grep -c '"action":"breaker' over the segments
//
//   bench_auditreader [--entries 1000000] [--per-segment 250000] [--compressed]
//
// --compressed stores all but the active segment as .ndjson.zst (then the peer is
// zstdcat | wc -l). Prints milliseconds, the index size and the resident-memory growth.
#include "audit/auditreader.h"
#include "auditstreamfixture.h"
#include "procfs.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>

#include <cstdio>

namespace {

// Runs a shell pipeline (the peer), returns its wall time in ms and its output.
double runPeer(const QString &script, QString *out)
{
    QElapsedTimer t;
    t.start();
    QProcess p;
    p.start(QStringLiteral("/bin/sh"), { QStringLiteral("-c"), script });
    p.waitForFinished(-1);
    *out = QString::fromLocal8Bit(p.readAllStandardOutput()).trimmed();
    return double(t.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    qint64 entries = 1'000'000, perSegment = 250'000;
    bool compressed = false;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--entries") && i + 1 < args.size())
            entries = args[++i].toLongLong();
        else if (args[i] == QLatin1String("--per-segment") && i + 1 < args.size())
            perSegment = args[++i].toLongLong();
        else if (args[i] == QLatin1String("--compressed"))
            compressed = true;
        else {
            std::fprintf(stderr,
                "usage: bench_auditreader [--entries N] [--per-segment N] [--compressed]\n");
            return 2;
        }
    }

    QTemporaryDir tmp;
    AuditStreamFixture::Options opt;
    opt.entries = entries;
    opt.perSegment = perSegment;
    opt.compressRotated = compressed;
    std::printf("writing %lld entries (%lld per segment, %s)...\n", entries, perSegment,
        compressed ? "rotated segments zstd" : "all plain");
    const auto written = AuditStreamFixture::writeStream(tmp.path(), opt);
    // Warm the page cache for both sides alike.
    QString ignored;
    runPeer(QStringLiteral("cat %1/seg-*.ndjson* > /dev/null").arg(written.dir), &ignored);

    const qint64 rss0 = ShivxTest::selfRssKiB();
    QElapsedTimer t;
    t.start();
    auto reader = Shivx::AuditReader::open(written.dir);
    const double indexMs = double(t.nsecsElapsed()) / 1e6;
    if (!reader) {
        std::fprintf(stderr, "open: %s\n", qPrintable(reader.error().toString()));
        return 1;
    }
    const qint64 rss1 = ShivxTest::selfRssKiB();

    Shivx::AuditReader fresh = reader.value();
    t.restart();
    const Shivx::AuditRecord last = fresh.readRow(entries - 1);
    const double rowMs = double(t.nsecsElapsed()) / 1e6;

    Shivx::AuditFilter filter;
    filter.action = QStringLiteral("breaker");
    qint64 matches = 0;
    t.restart();
    reader->search(filter, 0, [&](const QList<qint64> &rows, qint64) {
        matches += rows.size();
        return true;
    });
    const double searchMs = double(t.nsecsElapsed()) / 1e6;

    // The peers read the plain segments directly and the compressed ones through zstdcat.
    const QString d = written.dir;
    QString wcOut, grepOut;
    const double wcMs = runPeer(compressed
            ? QStringLiteral("{ zstdcat -q %1/*.ndjson.zst; cat %1/*.ndjson; } | wc -l").arg(d)
            : QStringLiteral("cat %1/*.ndjson | wc -l").arg(d),
        &wcOut);
    const QString pattern = QStringLiteral("'^{\"action\":\"breaker'");
    const double grepMs = runPeer(compressed
            ? QStringLiteral("{ zstdcat -q %1/*.ndjson.zst; cat %1/*.ndjson; } | grep -c %2")
                  .arg(d, pattern)
            : QStringLiteral("cat %1/*.ndjson | grep -c %2").arg(d, pattern),
        &grepOut);

    std::printf("rows %lld (wc -l: %s), last row seq %lld valid %d\n", reader->rowCount(),
        qPrintable(wcOut), last.entry.seq, int(last.valid));
    std::printf(
        "index:  %8.1f ms   peer wc -l    %8.1f ms   ratio %.2f\n", indexMs, wcMs, indexMs / wcMs);
    std::printf("search: %8.1f ms   peer grep -c  %8.1f ms   ratio %.2f  (%lld matches, grep %s)\n",
        searchMs, grepMs, searchMs / grepMs, matches, qPrintable(grepOut));
    std::printf("row %lld on a fresh reader: %.2f ms\n", entries - 1, rowMs);
    std::printf("index size %lld bytes (%.2f bytes/entry); RSS growth while indexing %lld KiB\n",
        reader->indexBytes(), double(reader->indexBytes()) / double(entries), rss1 - rss0);
    return 0;
}
