#pragma once

#include "audit/verify/verifyreport.h"
#include "core/result.h"

#include <QString>

namespace Shivx::Reports {

// Writes `report` as a PDF an operator can hand to an auditor: title, verdict, summary,
// findings with their exact location, per-stream tables (segments, entry ranges, first and
// last hash, checkpoints), method, and page numbers. A4, text selectable and searchable.
// Needs a QGuiApplication (see reportapplication.h); without one it returns an error instead
// of crashing. Writes to a temporary file and renames it, so `path` is never half-written.
// Main thread only (QFont).
Result<void> writeVerifyReportPdf(const VerifyReport &report, const QString &path);

} // namespace Shivx::Reports
