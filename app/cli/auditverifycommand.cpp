#include "auditverifycommand.h"

#include "reportapplication.h"
#include "verifyreportpdf.h"

#include "audit/verify/auditverifier.h"
#include "audit/verify/verifyreportjson.h"
#include "commandcontext.h"
#include "core/timeutil.h"

#include <QFileInfo>

namespace Shivx::Cli {

namespace {

const char HelpText[]
    = "Usage: shivx audit verify [--data-dir DIR] [--stream NAME]... [--public-key FILE]\n"
      "                          [--witness FILE] [--report FILE.json|FILE.pdf] [--threads N]\n"
      "                          [--seal-digests] [--format text|json]\n"
      "\n"
      "Verifies the tamper-evident audit chains in DIR/audit: every entry's hash, its link to\n"
      "the previous entry and its seq, JSON validity, segment continuity (seals, compressed\n"
      "segments), the head file and every signed checkpoint. Prints the first problem of each\n"
      "stream: stream, segment file, line, seq and what is wrong.\n"
      "\n"
      "Options:\n"
      "  --stream NAME       verify only this stream (repeatable; default: every stream)\n"
      "  --public-key FILE   Ed25519 public key (PEM) the checkpoints must be signed with\n"
      "                      (default: DIR/audit/keys/checkpoint.pub)\n"
      "  --witness FILE      a checkpoint export (shivx audit checkpoint export): the chain must\n"
      "                      still contain each of its checkpoints\n"
      "  --report FILE       also write the report: FILE.json, or FILE.pdf\n"
      "  --threads N         threads for the line checks (default: one per core)\n"
      "  --seal-digests      also recompute the SHA-256 each .seal records for its segment\n"
      "                      (implied by the chain check; costs a second hash pass)\n";

const char ExitText[]
    = "Exit status: 0 intact; 1 tampered; 2 usage error, or a file could not be read.\n";

// The PDF report is rendered by the reports library (reports/verifyreportpdf.h).
Result<void> writePdfReport(const VerifyReport &report, const QString &path)
{
    // main() created a QGuiApplication on the offscreen platform because --report names a PDF.
    if (!Reports::canWritePdf())
        return makeError("audit.report",
            QStringLiteral("%1: the PDF writer needs the GUI application that "
                           "`shivx audit verify --report FILE.pdf` creates")
                .arg(path));
    return Reports::writeVerifyReportPdf(report, path);
}

void printReport(QTextStream &o, const VerifyReport &r)
{
    for (const StreamSummary &s : r.streams) {
        o << s.name << ": " << (s.intact ? "intact" : "TAMPERED") << ", " << s.entries
          << " entries";
        if (s.entries > 0)
            o << " (seq " << s.firstSeq << ".." << s.lastSeq << ")";
        o << " in " << s.segments.size() << " segment(s), " << s.checkpoints.size()
          << " checkpoint(s)\n";
    }
    for (const VerifyFinding &f : r.findings) {
        o << "  " << f.stream << ": " << toString(f.problem);
        if (!f.segment.isEmpty())
            o << " in " << f.segment;
        if (f.line > 0)
            o << " line " << f.line;
        if (f.seq > 0)
            o << " seq " << f.seq;
        o << ": " << f.detail << "\n";
    }
    o << "verdict: " << toString(r.verdict) << " (" << r.bytesVerified << " bytes in "
      << TimeUtil::formatDurationMs(r.finishedAtMs - r.startedAtMs) << ", key "
      << r.keyFingerprint.left(16) << (r.keyFingerprint.isEmpty() ? "none" : "...") << ")\n"
      << Qt::flush;
}

} // namespace

int auditVerifyCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    using F = CommandContext::Format;
    CommandContext c(QStringLiteral("audit verify"), out, err);
    c.setHelp(HelpText, ExitText);
    c.addDataDirOptions();
    c.addFormatOption({ F::Text, F::Json },
        QStringLiteral("text (default) or json: the report as --report FILE.json writes it\n"
                       "                      (format shivx-audit-verify-report/1)"));
    for (const char *name : { "stream", "public-key", "witness", "report", "threads" })
        c.addOption({ QLatin1String(name), QString(), QStringLiteral("VALUE") });
    c.addOption({ QStringLiteral("seal-digests"), QString() });
    if (const auto done = c.parse(args))
        return *done;
    if (const auto done = c.rejectArgumentsBeyond(0))
        return *done;
    const auto format = c.format({ F::Text, F::Json });
    if (!format)
        return c.fail(ExitUsage, format.error().message);

    AuditVerifyOptions options;
    options.dataDir = c.dataDir();
    options.streams = c.values(QStringLiteral("stream"));
    options.publicKeyFile = c.value(QStringLiteral("public-key"));
    options.witnessFile = c.value(QStringLiteral("witness"));
    options.checkSealDigest = c.isSet(QStringLiteral("seal-digests"));
    if (c.isSet(QStringLiteral("threads"))) {
        bool ok = false;
        options.threads = c.value(QStringLiteral("threads")).toInt(&ok);
        if (!ok || options.threads < 1 || options.threads > 256)
            return c.fail(ExitUsage,
                QStringLiteral("--threads needs a number from 1 to 256, not \"%1\"")
                    .arg(c.value(QStringLiteral("threads"))));
    }
    const QString reportPath = c.value(QStringLiteral("report"));
    const QString suffix = QFileInfo(reportPath).suffix().toLower();
    if (c.isSet(QStringLiteral("report")) && suffix != QLatin1String("json")
        && suffix != QLatin1String("pdf"))
        return c.fail(ExitUsage,
            QStringLiteral("--report must name a .json or .pdf file, not \"%1\"").arg(reportPath));
    if (!QFileInfo(options.dataDir).isDir())
        return c.fail(
            ExitUsage, QStringLiteral("data directory %1 does not exist").arg(options.dataDir));
    for (const QString &s : std::as_const(options.streams))
        if (!QFileInfo(options.dataDir + QStringLiteral("/audit/") + s).isDir())
            return c.fail(
                ExitUsage, QStringLiteral("no stream \"%1\" in %2/audit").arg(s, options.dataDir));

    const VerifyReport report = AuditVerifier(options).run();
    if (report.verdict == VerifyReport::Verdict::Error && report.streams.isEmpty())
        return c.fail(ExitUsage, report.errorMessage);
    if (*format == F::Json)
        c.printJson(VerifyReportJson::toJson(report));
    else
        printReport(c.out(), report);
    if (!reportPath.isEmpty()) {
        const auto written = suffix == QLatin1String("pdf")
            ? writePdfReport(report, reportPath)
            : VerifyReportJson::writeFile(report, reportPath);
        if (!written)
            return c.fail(ExitUsage, written.error().message);
    }
    switch (report.verdict) {
    case VerifyReport::Verdict::Intact:
        return ExitOk;
    case VerifyReport::Verdict::Tampered:
        return ExitFailure;
    case VerifyReport::Verdict::Error:
        break;
    }
    return c.fail(ExitUsage, report.errorMessage);
}

} // namespace Shivx::Cli
