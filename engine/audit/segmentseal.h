#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QString>

namespace Shivx::AuditFiles {

// seg-NNNNNN.seal: written when a segment is rotated, read by the writer (to continue the chain
// after an empty active segment, for retention), the verifier and the tests; see
// docs/audit-format.md "Segments, seals and compression". Plain value, thread-safe functions.
struct SegmentSeal
{
    QString segment; // "seg-000001.ndjson"
    qint64 bytes = 0; // uncompressed size
    qint64 entries = 0;
    qint64 firstSeq = 0, lastSeq = 0;
    QByteArray prev; // prev of the first entry
    QByteArray lastHash;
    QByteArray sha256; // hex SHA-256 of the uncompressed bytes

    QByteArray toJson() const; // canonical JSON, no newline
    // Strict: exactly the eight members with their types and shapes ("audit.bad_seal" naming
    // what is wrong otherwise).
    static Result<SegmentSeal> parse(const QByteArray &json);
};
// Errors: "audit.io" (cannot read the file), "audit.bad_seal" (not a seal; names the file).
Result<SegmentSeal> readSeal(const QString &path);

} // namespace Shivx::AuditFiles
