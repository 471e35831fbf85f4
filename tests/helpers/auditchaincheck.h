#pragma once

// Test helper: reads a whole stream through the engine's reading helpers (AuditFiles) and
// checks it the way a verifier must: every line hash-verified, seq continuous from 1 (or from
// the first seal after retention), prev linked across segments, seals and head consistent.

#include "audit/auditentry.h"
#include "audit/segmentfiles.h"
#include "audit/segmentreader.h"
#include "audit/segmentseal.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

struct ChainCheck
{
    QString error; // empty when the chain is valid
    QList<Shivx::AuditEntry> entries; // every readable entry, in order
    int segments = 0, compressed = 0, retired = 0;
    bool ok() const { return error.isEmpty(); }
};

inline ChainCheck checkChain(const QString &streamDir)
{
    using namespace Shivx;
    ChainCheck c;
    qint64 seq = 0;
    QByteArray hash = AuditEntryCodec::genesisHash();
    bool seenData = false;
    int expectedNumber = 0;
    for (const AuditFiles::SegmentFile &s : AuditFiles::listSegments(streamDir)) {
        ++c.segments;
        if (expectedNumber && s.number != expectedNumber) {
            c.error = QStringLiteral("segment %1 missing").arg(expectedNumber);
            return c;
        }
        expectedNumber = s.number + 1;
        std::optional<AuditFiles::SegmentSeal> seal;
        if (s.sealed()) {
            auto r = AuditFiles::readSeal(s.sealPath);
            if (!r) {
                c.error = r.error().message;
                return c;
            }
            seal = *r;
        }
        if (s.retired()) {
            ++c.retired;
            if (seenData || !seal) {
                c.error = QStringLiteral("%1 removed in the middle of the chain").arg(s.name);
                return c;
            }
            seq = seal->lastSeq;
            hash = seal->lastHash;
            continue;
        }
        if (s.compressed)
            ++c.compressed;
        auto bytes = AuditFiles::readSegment(s);
        if (!bytes) {
            c.error = bytes.error().message;
            return c;
        }
        if (seal
            && (AuditFiles::sha256Hex(*bytes) != seal->sha256 || seal->bytes != bytes->size())) {
            c.error = QStringLiteral("%1 differs from its seal").arg(s.name);
            return c;
        }
        if (!bytes->isEmpty() && !bytes->endsWith('\n')) {
            c.error = QStringLiteral("%1 ends without a newline").arg(s.name);
            return c;
        }
        const qint64 firstSeq = seq + 1;
        for (const AuditFiles::Line &l : AuditFiles::splitLines(*bytes)) {
            auto e = AuditEntryCodec::parseVerified(l.text);
            if (!e) {
                c.error
                    = QStringLiteral("%1 @%2: %3").arg(s.name).arg(l.offset).arg(e.error().message);
                return c;
            }
            if (e->seq != seq + 1 || e->prev != hash) {
                c.error = QStringLiteral("%1: seq %2 does not follow seq %3")
                              .arg(s.name)
                              .arg(e->seq)
                              .arg(seq);
                return c;
            }
            seq = e->seq;
            hash = e->hash;
            c.entries.append(*e);
        }
        seenData = true;
        if (seal
            && (seal->firstSeq != firstSeq || seal->lastSeq != seq || seal->lastHash != hash)) {
            c.error = QStringLiteral("%1: seal does not describe the segment").arg(s.name);
            return c;
        }
    }
    QFile head(AuditFiles::headPath(streamDir));
    if (seq > 0) {
        if (!head.open(QIODevice::ReadOnly)) {
            c.error = QStringLiteral("head.json missing");
            return c;
        }
        const QJsonObject h = QJsonDocument::fromJson(head.readAll()).object();
        if (h.value(QStringLiteral("seq")).toInteger() != seq
            || h.value(QStringLiteral("hash")).toString().toLatin1() != hash)
            c.error = QStringLiteral("head.json says seq %1, chain ends at %2")
                          .arg(h.value(QStringLiteral("seq")).toInteger())
                          .arg(seq);
    }
    return c;
}
