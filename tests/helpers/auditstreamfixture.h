#pragma once

// Writes real audit stream directories in the on-disk format (docs/audit-format.md) for the
// reader, console and report tests: segments (rotated ones zstd-compressed with a .seal),
// head.json and Ed25519-signed checkpoints. Lines are built in the canonical shape directly
// because a million entries through AuditEntryCodec::seal would take minutes in a Debug build;
// tst_auditreader checks that these lines are byte-identical to what seal() writes.
// Link PkgConfig::ZSTD when including this.

#include "audit/auditentry.h"
#include "audit/canonicaljson.h"
#include "audit/checkpointkey.h"
#include "core/timeutil.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <zstd.h>

namespace AuditStreamFixture {

inline const QList<QByteArray> &actions()
{
    static const QList<QByteArray> a{ "breaker.opened", "breaker.closed",
        "degradation.level_changed", "target.state_changed", "process.exited", "process.restarted",
        "operator.login" };
    return a;
}
inline const QList<QByteArray> &actors()
{
    static const QList<QByteArray> a{ "engine", "supervisor", "operator:alice" };
    return a;
}
// Deterministic content of entry `seq`, so that tests can count what a filter must find.
inline QByteArray actionOf(qint64 seq) { return actions().at(int(seq % actions().size())); }
inline QByteArray actorOf(qint64 seq) { return actors().at(int(seq % actors().size())); }
inline QByteArray dataOf(qint64 seq)
{
    static const QList<QByteArray> targets{ "api-gateway", "billing-db", "payments", "search",
        "cache-eu-1" };
    return "{\"attempt\":" + QByteArray::number(seq % 5 + 1) + ",\"reason\":\"probe "
        + (seq % 2 ? "timeout after 2000ms" : "HTTP 503") + "\",\"target\":\""
        + targets.at(int(seq % targets.size())) + "\"}";
}

struct Line
{
    QByteArray bytes; // without "\n"
    QByteArray hash;
};

// The canonical line of an entry with string-only action/actor/stream and canonical `data`.
inline Line makeLine(const QByteArray &stream, qint64 seq, qint64 tsMs, const QByteArray &actor,
    const QByteArray &action, const QByteArray &data, const QByteArray &prev)
{
    const QByteArray head = "{\"action\":\"" + action + "\",\"actor\":\"" + actor
        + "\",\"data\":" + data + ",";
    const QByteArray tail = "\"prev\":\"" + prev + "\",\"seq\":" + QByteArray::number(seq)
        + ",\"stream\":\"" + stream + "\",\"ts\":\"" + Shivx::TimeUtil::toRfc3339(tsMs).toLatin1()
        + "\"}";
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(head);
    h.addData(tail);
    h.addData(prev);
    Line line;
    line.hash = h.result().toHex();
    line.bytes = head + "\"hash\":\"" + line.hash + "\"," + tail;
    return line;
}

struct Options
{
    QByteArray stream = "resilience";
    qint64 entries = 100;
    qint64 perSegment = 40;      // entries per segment
    bool compressRotated = true; // rotated segments as .ndjson.zst
    qint64 startTsMs = 1'795'000'000'000; // 2026-11-18
    qint64 stepMs = 1000;
    qint64 checkpointEvery = 0;  // 0 = no checkpoints
    const Shivx::CheckpointKey *key = nullptr;
};

struct Written
{
    QString dir;
    QByteArray lastHash;
    QList<QByteArray> hashes; // hashes[seq - 1] (only kept for small streams)
    QStringList segments;
};

inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

inline QByteArray canonical(const QJsonObject &o)
{
    return Shivx::CanonicalJson::serialize(o).value();
}

inline Written writeStream(const QString &auditDir, const Options &opt)
{
    Written w;
    w.dir = auditDir + QLatin1Char('/') + QString::fromLatin1(opt.stream);
    QDir().mkpath(w.dir);
    QByteArray prev = Shivx::AuditEntryCodec::genesisHash();
    QByteArray segment;
    QByteArray checkpoints;
    qint64 segFirst = 1;
    QByteArray segPrev = prev;
    const int segCount = int((opt.entries + opt.perSegment - 1) / opt.perSegment);
    auto flushSegment = [&](int number, qint64 lastSeq, bool rotated) {
        const QString name = QStringLiteral("seg-%1.ndjson").arg(number, 6, 10, QLatin1Char('0'));
        if (rotated && opt.compressRotated) {
            QByteArray z(qsizetype(ZSTD_compressBound(size_t(segment.size()))), Qt::Uninitialized);
            const size_t n = ZSTD_compress(z.data(), size_t(z.size()), segment.constData(),
                size_t(segment.size()), 3);
            z.resize(qsizetype(n));
            writeFile(w.dir + QLatin1Char('/') + name + QStringLiteral(".zst"), z);
            w.segments << name + QStringLiteral(".zst");
        } else {
            writeFile(w.dir + QLatin1Char('/') + name, segment);
            w.segments << name;
        }
        if (rotated) {
            const QJsonObject seal{ { QStringLiteral("bytes"), segment.size() },
                { QStringLiteral("entries"), lastSeq - segFirst + 1 },
                { QStringLiteral("first_seq"), segFirst }, { QStringLiteral("last_seq"), lastSeq },
                { QStringLiteral("last_hash"), QString::fromLatin1(prev) },
                { QStringLiteral("prev"), QString::fromLatin1(segPrev) },
                { QStringLiteral("segment"), name },
                { QStringLiteral("sha256"),
                    QString::fromLatin1(
                        QCryptographicHash::hash(segment, QCryptographicHash::Sha256).toHex()) } };
            writeFile(w.dir + QStringLiteral("/seg-%1.seal").arg(number, 6, 10, QLatin1Char('0')),
                canonical(seal) + "\n");
        }
        segment.clear();
        segFirst = lastSeq + 1;
        segPrev = prev;
    };
    for (qint64 seq = 1; seq <= opt.entries; ++seq) {
        const qint64 ts = opt.startTsMs + (seq - 1) * opt.stepMs;
        const Line line = makeLine(opt.stream, seq, ts, actorOf(seq), actionOf(seq), dataOf(seq), prev);
        segment += line.bytes;
        segment += '\n';
        prev = line.hash;
        if (opt.entries <= 100'000)
            w.hashes << line.hash;
        if (opt.checkpointEvery > 0 && opt.key && seq % opt.checkpointEvery == 0) {
            Shivx::Checkpoint cp;
            cp.stream = QString::fromLatin1(opt.stream);
            cp.seq = seq;
            cp.hash = line.hash;
            cp.tsMs = ts + 5;
            opt.key->sign(cp);
            checkpoints += cp.toLine() + "\n";
        }
        const int number = int((seq - 1) / opt.perSegment) + 1;
        if (seq % opt.perSegment == 0 && number < segCount)
            flushSegment(number, seq, true);
    }
    flushSegment(segCount, opt.entries, false);
    w.lastHash = prev;
    const QJsonObject head{ { QStringLiteral("hash"), QString::fromLatin1(prev) },
        { QStringLiteral("segment"), QStringLiteral("seg-%1.ndjson").arg(segCount, 6, 10, QLatin1Char('0')) },
        { QStringLiteral("seq"), opt.entries }, { QStringLiteral("stream"), QString::fromLatin1(opt.stream) },
        { QStringLiteral("ts"),
            Shivx::TimeUtil::toRfc3339(opt.startTsMs + (opt.entries - 1) * opt.stepMs) } };
    writeFile(w.dir + QStringLiteral("/head.json"), canonical(head) + "\n");
    if (!checkpoints.isEmpty())
        writeFile(w.dir + QStringLiteral("/checkpoints.ndjson"), checkpoints);
    return w;
}

// Replaces the first occurrence of `from` in line `line` (1-based) of an uncompressed segment.
inline bool tamperLine(const QString &segmentPath, qint64 line, const QByteArray &from,
    const QByteArray &to)
{
    QFile f(segmentPath);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    QList<QByteArray> lines = f.readAll().split('\n');
    f.close();
    if (line < 1 || line > lines.size() || !lines[int(line - 1)].contains(from))
        return false;
    lines[int(line - 1)].replace(lines[int(line - 1)].indexOf(from), from.size(), to);
    return writeFile(segmentPath, lines.join('\n'));
}

} // namespace AuditStreamFixture
