#pragma once

#include "audit/verify/auditverifier.h"
#include "audit/verify/verifyreport.h"

#include <QHash>
#include <QList>
#include <QString>

#include <atomic>
#include <functional>
#include <optional>

class QThreadPool;

namespace Shivx::Internal {

// Where the chain holds one of the wanted seqs.
struct FoundEntry
{
    QByteArray hash;
    QString segment;
    qint64 line = 0;
};

struct StreamScanResult
{
    StreamSummary summary;
    std::optional<VerifyFinding> finding; // the first problem in the segments
    QHash<qint64, FoundEntry> found; // wanted seq -> where it is
    // Entries up to this seq are in segments retention removed (0: none); the chain starts from
    // their seals, and a checkpoint below it can only be checked where a seal ends.
    qint64 retiredThroughSeq = 0;
    QString lastSegment; // name of the highest segment file ("" when none)
    qint64 linesInLastSegment = 0;
    bool cancelled = false;
};

// Verifies the segments of one stream in order, scanning chunks on `pool` and stitching them
// on the calling thread. `advance` gets the file bytes consumed since its last call.
StreamScanResult verifyStreamSegments(const QString &streamDir, const QString &stream,
    const AuditVerifyOptions &options, QThreadPool *pool, const QList<qint64> &wanted,
    const std::function<void(qint64)> &advance, const std::atomic_bool *cancel);

} // namespace Shivx::Internal
