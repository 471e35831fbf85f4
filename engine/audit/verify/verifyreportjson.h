#pragma once

#include "audit/verify/verifyreport.h"
#include "core/result.h"

#include <QJsonObject>

namespace Shivx::VerifyReportJson {

// The JSON form of a verification report (`shivx audit verify --report FILE.json`, and what the
// console reloads). Top level: format ("shivx-audit-verify-report/1"), verdict, started_at,
// finished_at (RFC 3339 ms), verified_by, data_dir, key_fingerprint, public_key_source,
// witness_file, bytes_verified, error, cancelled, streams[] {name, intact, entries, first_seq,
// last_seq, first_hash, last_hash, segments[] {file, compressed, first_seq, last_seq, entries,
// bytes}, checkpoints[] {seq, hash, ts, signature_valid}}, findings[] {problem, stream, segment,
// line, seq, detail}. Hashes are 64 hex; problem codes are toString(VerifyProblem).
QJsonObject toJson(const VerifyReport &report);

// Inverse of toJson; fails naming the member that is missing or of the wrong type.
Result<VerifyReport> fromJson(const QJsonObject &object);

// Writes toJson() indented to `path` atomically (temporary file + rename).
Result<void> writeFile(const VerifyReport &report, const QString &path);

inline constexpr char Format[] = "shivx-audit-verify-report/1";

} // namespace Shivx::VerifyReportJson
