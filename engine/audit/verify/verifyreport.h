#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace Shivx {

// What `shivx audit verify`, the console's Verify button and the PDF/JSON reports share.
// Produced by AuditVerifier (engine/audit/verify/auditverifier.h); plain values, copyable across
// threads.

enum class VerifyProblem {
    None,
    HashMismatch, // the line's hash is not SHA-256(line without hash + prev)
    BrokenLink, // prev differs from the previous entry's hash
    SeqGap, // seq jumps forward
    SeqRepeat, // seq repeats or goes back
    BadJson, // not a canonical entry line (not JSON, wrong members or types)
    WrongStream, // the entry names another stream
    SegmentGap, // a segment file is missing, or segments do not continue each other
    SegmentHashMismatch, // a sealed (rotated/compressed) segment differs from its recorded hash
    MissingTail, // the chain ends before a signed checkpoint (or witness) it must contain
    CheckpointMismatch, // a checkpoint names a hash the chain does not have at that seq
    BadSignature, // a checkpoint signature does not verify with the public key
    HeadMismatch, // the head file disagrees with the chain's last entry
    IoError, // a file could not be read
    CorruptSegment, // a compressed segment is not a valid, complete zstd stream
};
QString toString(VerifyProblem problem); // stable code, e.g. "hash_mismatch"
std::optional<VerifyProblem> verifyProblemFromString(const QString &code);

// Where the first problem is. Line numbers are 1-based within the segment file.
struct VerifyFinding
{
    VerifyProblem problem = VerifyProblem::None;
    QString stream;
    QString segment; // file name within the stream directory, e.g. "seg-000003.ndjson"
    qint64 line = 0;
    qint64 seq = 0; // the entry's seq (or the expected one when the line has none)
    QString detail; // human explanation: expected vs found
};

struct SegmentSummary
{
    QString file;
    qint64 firstSeq = 0, lastSeq = 0, entries = 0, bytes = 0;
    bool compressed = false;
};

struct CheckpointSummary
{
    qint64 seq = 0;
    QByteArray hash;
    qint64 tsMs = 0;
    bool signatureValid = false;
};

struct StreamSummary
{
    QString name;
    qint64 entries = 0;
    qint64 firstSeq = 0, lastSeq = 0;
    QByteArray firstHash, lastHash;
    QList<SegmentSummary> segments;
    QList<CheckpointSummary> checkpoints;
    bool intact = true;
};

struct VerifyReport
{
    enum class Verdict { Intact, Tampered, Error };
    Verdict verdict = Verdict::Intact;
    qint64 startedAtMs = 0, finishedAtMs = 0;
    QString verifiedBy; // "user@host"
    QString dataDir;
    QString keyFingerprint; // SHA-256 hex of the raw Ed25519 public key
    QString publicKeySource; // the file the public key came from
    QString witnessFile; // --witness, if any
    QList<StreamSummary> streams;
    QList<VerifyFinding> findings; // first problem per stream (empty when intact)
    qint64 bytesVerified = 0;
    QString errorMessage; // for Verdict::Error (usage or I/O)
    bool cancelled = false; // stopped by the caller (Verdict::Error)
};
QString toString(VerifyReport::Verdict verdict); // "intact", "tampered", "error"
std::optional<VerifyReport::Verdict> verdictFromString(const QString &code);

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::VerifyReport)
