// Audit chain append throughput per durability mode (entry, batch, os), ~270-byte entries.
//
//   bench_audit_append [--entries N] [--sync-entries N] [--dir DIR]
//
// For each mode the engine's AuditWriter runs on its own thread ("shivx-audit") as in the
// engine, one producer thread calls record() as fast as it can, and the time runs until the
// last entry is on disk (entriesWritten() == N, after finish()). The peer in the same run is a
// plain append of equally long lines to a file with the same syncing (fdatasync per line, per
// 1000 lines, or never): what the disk allows without canonical JSON, SHA-256, the lock and
// head.json. DIR defaults to a temporary directory under $TMPDIR (use a real disk: tmpfs makes
// fdatasync free).
#include "audit/auditconfig.h"
#include "audit/auditwriter.h"
#include "audit/segmentfiles.h"
#include "audit/segmentseal.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <fcntl.h>
#include <unistd.h>

using namespace Shivx;

namespace {

// About 270 bytes on disk, of which 128 are the hex of hash and prev and ~125 the other
// members' names, seq, stream and ts: the smallest realistic entry.
QJsonObject data(qint64 i)
{
    return { { QStringLiteral("i"), i } };
}

double runWriter(const QString &dir, AuditConfig::Durability mode, qint64 n, qint64 *bytes)
{
    AuditConfig config;
    config.durability = mode;
    config.checkpointEveryEntries = 100'000'000; // measure appends, not signatures
    QThread thread;
    thread.setObjectName(QStringLiteral("shivx-audit"));
    auto *w = new AuditWriter(dir, config);
    w->moveToThread(&thread);
    QObject::connect(&thread, &QThread::finished, w, &QObject::deleteLater);
    thread.start();
    QMetaObject::invokeMethod(
        w, [w] { (void)w->open(); }, Qt::BlockingQueuedConnection);
    QElapsedTimer t;
    t.start();
    for (qint64 i = 0; i < n; ++i)
        w->record({ QStringLiteral("resilience"), QStringLiteral("engine"),
            QStringLiteral("test.append"), data(i), 0 });
    while (w->entriesWritten() < n)
        QThread::usleep(200);
    const double seconds = t.nsecsElapsed() / 1e9;
    QMetaObject::invokeMethod(
        w, [w] { w->finish(false); }, Qt::BlockingQueuedConnection);
    thread.quit();
    thread.wait();
    *bytes = 0;
    for (const auto &seg :
        AuditFiles::listSegments(AuditFiles::streamDir(dir, QStringLiteral("resilience"))))
        *bytes += seg.sealed() ? AuditFiles::readSeal(seg.sealPath)->bytes
                               : QFileInfo(seg.path).size();
    return seconds;
}

double runPlain(const QString &path, AuditConfig::Durability mode, qint64 n, int lineBytes)
{
    const int fd = ::open(
        QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_APPEND | O_TRUNC, 0600);
    QByteArray line(lineBytes - 1, 'x');
    line += '\n';
    QByteArray batch;
    QElapsedTimer t;
    t.start();
    for (qint64 i = 0; i < n; ++i) {
        batch += line;
        const bool flush = mode == AuditConfig::Durability::Entry
            || batch.size() >= 1000 * lineBytes || i + 1 == n;
        if (!flush)
            continue;
        if (::write(fd, batch.constData(), size_t(batch.size())) != batch.size())
            qFatal("write failed");
        batch.clear();
        if (mode != AuditConfig::Durability::Os)
            ::fdatasync(fd);
    }
    const double seconds = t.nsecsElapsed() / 1e9;
    ::close(fd);
    return seconds;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    qint64 entries = 200'000, syncEntries = 2'000;
    QString base;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--entries") && i + 1 < args.size())
            entries = args.at(++i).toLongLong();
        else if (args.at(i) == QLatin1String("--sync-entries") && i + 1 < args.size())
            syncEntries = args.at(++i).toLongLong();
        else if (args.at(i) == QLatin1String("--dir") && i + 1 < args.size())
            base = args.at(++i);
        else {
            out << "usage: bench_audit_append [--entries N (batch, os; default 200000)]\n"
                   "                          [--sync-entries N (entry; default 2000)] [--dir "
                   "DIR]\n";
            return args.at(i) == QLatin1String("--help") ? 0 : 2;
        }
    }
    QTemporaryDir tmp(base.isEmpty() ? QDir::tempPath() + QStringLiteral("/bench-audit-XXXXXX")
                                     : base + QStringLiteral("/bench-audit-XXXXXX"));
    out << "audit append throughput, " << tmp.path() << "\n\n";
    out << QStringLiteral("%1 %2 %3 %4 %5 %6\n")
               .arg(QStringLiteral("durability"), -11)
               .arg(QStringLiteral("entries"), 9)
               .arg(QStringLiteral("bytes/entry"), 12)
               .arg(QStringLiteral("shivx entries/s"), 16)
               .arg(QStringLiteral("plain entries/s"), 16)
               .arg(QStringLiteral("shivx/plain"), 12);
    const struct
    {
        const char *name;
        AuditConfig::Durability mode;
    } modes[] = {
        { "entry", AuditConfig::Durability::Entry },
        { "batch", AuditConfig::Durability::Batch },
        { "os", AuditConfig::Durability::Os },
    };
    int run = 0;
    for (const auto &m : modes) {
        const qint64 n = m.mode == AuditConfig::Durability::Entry ? syncEntries : entries;
        const QString dir = tmp.filePath(QStringLiteral("run%1").arg(run++));
        qint64 bytes = 0;
        const double ours = runWriter(dir, m.mode, n, &bytes);
        const int lineBytes = int(bytes / n);
        const double plain
            = runPlain(tmp.filePath(QStringLiteral("plain-%1").arg(run)), m.mode, n, lineBytes);
        out << QStringLiteral("%1 %2 %3 %4 %5 %6\n")
                   .arg(QLatin1String(m.name), -11)
                   .arg(n, 9)
                   .arg(lineBytes, 12)
                   .arg(n / ours, 16, 'f', 0)
                   .arg(n / plain, 16, 'f', 0)
                   .arg((n / ours) / (n / plain), 12, 'f', 2);
        out.flush();
    }
    return 0;
}
