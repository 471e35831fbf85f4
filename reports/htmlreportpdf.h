#pragma once

#include "core/result.h"

#include <QCoreApplication>
#include <QString>

namespace Shivx::Reports {

// A report laid out from HTML: the audit verification report and the DR run report share
// this page frame so that both look alike and there is one PDF writer to keep right.
struct HtmlReport
{
    QString title; // the PDF's title and the running header's left side
    QString headerRight; // e.g. the verdict or the run's outcome, on every page
    QString html; // the body (Qt's rich text subset)
};

// Writes `report` as an A4 PDF with a running header (title, headerRight), a footer with the
// generation time and "Page i of n", text selectable and searchable (ligatures off). Needs a
// QGuiApplication (reportapplication.h); without one it returns report.no_gui instead of
// crashing. Writes to a temporary file and renames it, so `path` is never half-written.
// Main thread only (QFont). Errors: report.no_gui, report.write.
Result<void> writeHtmlReportPdf(const HtmlReport &report, const QString &path);

// The translated wording of the page frame (context "Shivx::Reports::ReportFrame").
class ReportFrame
{
    Q_DECLARE_TR_FUNCTIONS(Shivx::Reports::ReportFrame)
};

} // namespace Shivx::Reports
