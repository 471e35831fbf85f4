#pragma once

// Audit streams with varied, deterministic content for the reader, console and report tests,
// written by ChainBuilder (segments, zstd-compressed rotated segments with a .seal, head.json,
// signed checkpoints). Link OpenSSL::Crypto and PkgConfig::ZSTD when including this.

#include "audit/segmentfiles.h"
#include "chainbuilder.h"

namespace AuditStreamFixture {

inline const QList<QByteArray> &actions()
{
    static const QList<QByteArray> a { "breaker.opened", "breaker.closed",
        "degradation.level_changed", "target.state_changed", "process.exited", "process.restarted",
        "operator.login" };
    return a;
}
inline const QList<QByteArray> &actors()
{
    static const QList<QByteArray> a { "engine", "supervisor", "operator:alice" };
    return a;
}
// Deterministic content of entry `seq`, so that tests can count what a filter must find.
inline QByteArray actionOf(qint64 seq)
{
    return actions().at(int(seq % actions().size()));
}
inline QByteArray actorOf(qint64 seq)
{
    return actors().at(int(seq % actors().size()));
}
inline QByteArray dataOf(qint64 seq)
{
    static const QList<QByteArray> targets { "api-gateway", "billing-db", "payments", "search",
        "cache-eu-1" };
    return "{\"attempt\":" + QByteArray::number(seq % 5 + 1) + ",\"reason\":\"probe "
        + (seq % 2 ? "timeout after 2000ms" : "HTTP 503") + "\",\"target\":\""
        + targets.at(int(seq % targets.size())) + "\"}";
}

inline Shivx::Test::ChainBuilder::Content contentOf(qint64 seq)
{
    return { actorOf(seq), actionOf(seq), dataOf(seq) };
}

struct Options
{
    QByteArray stream = "resilience";
    qint64 entries = 100;
    qint64 perSegment = 40; // entries per segment
    bool compressRotated = true; // rotated segments as .ndjson.zst
    qint64 startTsMs = 1'795'000'000'000; // 2026-11-18
    qint64 stepMs = 1000;
    qint64 checkpointEvery = 0; // 0 = no checkpoints; signed with the key in AUDIT_DIR/keys
};

struct Written
{
    QString dir;
    QByteArray lastHash;
    QList<QByteArray> hashes; // hashes[seq - 1] (only kept for small streams)
    QStringList segments;
    QString error; // empty when the stream was written as asked
};

inline Written writeStream(const QString &auditDir, const Options &opt)
{
    Shivx::Test::ChainBuilder b(auditDir, Shivx::Test::ChainBuilder::AuditDir);
    b.setContent(contentOf);
    b.setTimestamps(opt.startTsMs, opt.stepMs);
    b.setSegmentEntries(opt.perSegment);
    b.setCompressRotated(opt.compressRotated);
    b.setCheckpointEvery(opt.checkpointEvery);
    const QString stream = QString::fromLatin1(opt.stream);
    Written w;
    w.dir = b.streamDir(stream);
    for (qint64 seq = 1; seq <= opt.entries; ++seq) {
        b.appendEntry(stream);
        if (opt.entries <= 100'000)
            w.hashes << b.state(stream).hash;
    }
    b.writeHead(stream);
    b.finish();
    w.lastHash = b.state(stream).hash;
    for (const Shivx::AuditFiles::SegmentFile &s : Shivx::AuditFiles::listSegments(w.dir))
        if (!s.retired())
            w.segments << s.fileName();
    w.error = b.error();
    return w;
}

// Replaces the first occurrence of `from` in line `line` (1-based) of an uncompressed segment.
inline bool tamperLine(
    const QString &segmentPath, qint64 line, const QByteArray &from, const QByteArray &to)
{
    QFile f(segmentPath);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    QList<QByteArray> lines = f.readAll().split('\n');
    f.close();
    if (line < 1 || line > lines.size() || !lines[int(line - 1)].contains(from))
        return false;
    lines[int(line - 1)].replace(lines[int(line - 1)].indexOf(from), from.size(), to);
    return Shivx::Test::ChainBuilder::saveFile(segmentPath, lines.join('\n'));
}

} // namespace AuditStreamFixture
