#pragma once

#include "audit/verify/verifyreport.h"

#include <QString>

namespace Shivx::Reports {

// The body of the verification report as Qt rich text (the HTML subset QTextDocument
// understands), laid out for an A4 page. Header, footer and page numbers are drawn by the
// PDF writer around it. Long checkpoint lists are shortened to the newest
// `maxCheckpointsPerStream` plus every one whose signature failed; the text says how many
// were left out (the JSON report lists all).
QString verifyReportHtml(const VerifyReport &report, int maxCheckpointsPerStream = 25);

} // namespace Shivx::Reports
