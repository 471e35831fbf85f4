#include "verifyreportpdf.h"

#include "htmlreportpdf.h"
#include "verifyreporthtml.h"
#include "verifywording.h"

namespace Shivx::Reports {

Result<void> writeVerifyReportPdf(const VerifyReport &report, const QString &path)
{
    return writeHtmlReportPdf(
        { VerifyWording::tr("Audit chain verification report"),
            VerifyWording::tr("Verdict: %1").arg(VerifyWording::verdict(report.verdict)),
            verifyReportHtml(report) },
        path);
}

} // namespace Shivx::Reports
