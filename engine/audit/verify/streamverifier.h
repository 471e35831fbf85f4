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

// One segment file of a stream as found on disk.
struct SegmentFile
{
    int number = 0;
    QString name; // seg-000001.ndjson or seg-000001.ndjson.zst (the file that is read)
    QString path;
    qint64 size = 0;
    bool compressed = false;
    bool sealed = false; // seg-NNNNNN.seal exists
};

// Segment files of a stream directory, by number. Numbers that are missing are absent here
// (the verifier reports them as a SegmentGap). A .ndjson wins over a .zst of the same number:
// the writer removes the .ndjson only once the .zst is complete.
QList<SegmentFile> listSegments(const QString &streamDir);
QString segmentName(int number); // "seg-000001.ndjson"

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
