#pragma once

#include "audit/verify/verifyreport.h"

#include <QCoreApplication>
#include <QString>

namespace Shivx::Reports {

// What an operator or auditor reads about a verification, shared by the PDF report and the
// console's Audit page. The engine's toString() codes stay for logs and JSON; this is the
// translated wording (context "Shivx::Reports::VerifyWording").
class VerifyWording
{
    Q_DECLARE_TR_FUNCTIONS(Shivx::Reports::VerifyWording)
public:
    // "Hash mismatch"
    static QString problem(VerifyProblem problem);
    // One sentence on what the problem means for the chain.
    static QString problemExplanation(VerifyProblem problem);
    // "Intact", "Tampered", "Error"
    static QString verdict(VerifyReport::Verdict verdict);
    // "resilience, seg-000002.ndjson line 17 (seq 57)": where a finding is, with the parts known.
    static QString location(const VerifyFinding &finding);
    // One line for the whole report: the verdict and the first finding or the totals.
    static QString summary(const VerifyReport &report);
};

} // namespace Shivx::Reports
