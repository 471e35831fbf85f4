#pragma once

#include "audit/verify/verifyreport.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace Shivx::Internal {

// The hot path of `shivx audit verify`: checks a run of complete entry lines of one stream.
// Verifying line i needs only line i and the hash of line i-1, so a segment is cut into chunks
// at newlines and chunks are scanned in parallel; AuditVerifier stitches the chunk boundaries
// (seq and prev of each chunk's first line) in file order.
struct ChunkScan
{
    struct Found
    {
        qint64 seq = 0;
        QByteArray hash; // 64 hex
        qint64 index = 0; // 0-based line index within the chunk
    };

    qint64 lines = 0; // lines that passed every check
    // Seq and prev of line 0, set once that line is valid JSON of this stream (even when its
    // hash then mismatches); the caller checks them against the previous chunk. 0 = not read.
    qint64 firstSeq = 0;
    QByteArray firstPrev;
    QByteArray firstHash; // hash of line 0 once it passed every check
    qint64 lastSeq = 0; // seq and hash of the last line that passed
    QByteArray lastHash;

    // The first problem in the chunk. At index 0 only problems of the line itself are reported
    // (BadJson, WrongStream, HashMismatch); its seq and prev are the caller's to check.
    VerifyProblem problem = VerifyProblem::None;
    qint64 problemIndex = -1;
    qint64 problemSeq = 0; // 0 when the line has no readable seq
    QString detail;

    QList<Found> found; // the wanted seqs (checkpoints, witness) met in this chunk
};

namespace LineScanner {

// Scans [data, data + size). Every line ends with '\n' except, when `unterminated` is set,
// the last one (a torn write, reported as BadJson). At least 64 readable bytes must follow
// data + size (the JSON check reads 64-byte windows). `wanted` is sorted ascending.
// Thread-safe: each thread keeps its own hash buffers.
ChunkScan scan(const char *data, qint64 size, bool unterminated, const QByteArray &stream,
    const QList<qint64> &wanted);

// Bytes of readable padding scan() needs after the data.
constexpr qint64 Padding = 64;

} // namespace LineScanner

} // namespace Shivx::Internal
