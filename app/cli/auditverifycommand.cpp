#include "auditverifycommand.h"

#include "reportapplication.h"
#include "verifyreportpdf.h"

#include "audit/verify/auditverifier.h"
#include "audit/verify/verifyreportjson.h"
#include "clicommon.h"
#include "core/datadir.h"
#include "core/timeutil.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

namespace Shivx::Cli {

namespace {

const char HelpText[]
    = "Usage: shivx audit verify [--data-dir DIR] [--stream NAME]... [--public-key FILE]\n"
      "                          [--witness FILE] [--report FILE.json|FILE.pdf] [--threads N]\n"
      "                          [--seal-digests]\n"
      "\n"
      "Verifies the tamper-evident audit chains in DIR/audit: every entry's hash, its link to\n"
      "the previous entry and its seq, JSON validity, segment continuity (seals, compressed\n"
      "segments), the head file and every signed checkpoint. Prints the first problem of each\n"
      "stream: stream, segment file, line, seq and what is wrong.\n"
      "\n"
      "Options:\n"
      "  --data-dir DIR      data directory (default: $XDG_DATA_HOME/shivx)\n"
      "  --stream NAME       verify only this stream (repeatable; default: every stream)\n"
      "  --public-key FILE   Ed25519 public key (PEM) the checkpoints must be signed with\n"
      "                      (default: DIR/audit/keys/checkpoint.pub)\n"
      "  --witness FILE      a checkpoint export (shivx audit checkpoint export): the chain must\n"
      "                      still contain each of its checkpoints\n"
      "  --report FILE       also write the report: FILE.json, or FILE.pdf\n"
      "  --threads N         threads for the line checks (default: one per core)\n"
      "  --seal-digests      also recompute the SHA-256 each .seal records for its segment\n"
      "                      (implied by the chain check; costs a second hash pass)\n"
      "  -h, --help          this help\n"
      "\n"
      "Exit status: 0 intact; 1 tampered; 2 usage error, or a file could not be read.\n";

int fail(int code, const QString &message)
{
    err() << "shivx audit verify: " << message << "\n" << Qt::flush;
    return code;
}

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

void printReport(const VerifyReport &r)
{
    QTextStream &o = out();
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

int auditVerifyCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    p.addOptions({
        { { QStringLiteral("h"), QStringLiteral("help") }, QStringLiteral("Help.") },
        { QStringLiteral("data-dir"), QStringLiteral("Data directory."), QStringLiteral("DIR") },
        { QStringLiteral("stream"), QStringLiteral("Stream."), QStringLiteral("NAME") },
        { QStringLiteral("public-key"), QStringLiteral("Public key."), QStringLiteral("FILE") },
        { QStringLiteral("witness"), QStringLiteral("Witness."), QStringLiteral("FILE") },
        { QStringLiteral("report"), QStringLiteral("Report."), QStringLiteral("FILE") },
        { QStringLiteral("threads"), QStringLiteral("Threads."), QStringLiteral("N") },
        { QStringLiteral("seal-digests"), QStringLiteral("Recompute seal digests.") },
    });
    if (!p.parse(QStringList { QStringLiteral("shivx audit verify") } + args))
        return fail(ExitUsage, p.errorText() + QStringLiteral(" (see shivx audit verify --help)"));
    if (p.isSet(QStringLiteral("help"))) {
        out() << HelpText << Qt::flush;
        return ExitOk;
    }
    if (!p.positionalArguments().isEmpty())
        return fail(ExitUsage,
            QStringLiteral("unexpected argument \"%1\"").arg(p.positionalArguments().first()));
    if (p.isSet(QStringLiteral("data-dir")) && p.value(QStringLiteral("data-dir")).isEmpty())
        return fail(ExitUsage, QStringLiteral("--data-dir needs a directory"));

    AuditVerifyOptions options;
    options.dataDir = p.isSet(QStringLiteral("data-dir"))
        ? DataDir::resolve(p.value(QStringLiteral("data-dir")), QString())
        : DataDir::defaultPath();
    options.streams = p.values(QStringLiteral("stream"));
    options.publicKeyFile = p.value(QStringLiteral("public-key"));
    options.witnessFile = p.value(QStringLiteral("witness"));
    options.checkSealDigest = p.isSet(QStringLiteral("seal-digests"));
    if (p.isSet(QStringLiteral("threads"))) {
        bool ok = false;
        options.threads = p.value(QStringLiteral("threads")).toInt(&ok);
        if (!ok || options.threads < 1 || options.threads > 256)
            return fail(ExitUsage,
                QStringLiteral("--threads needs a number from 1 to 256, not \"%1\"")
                    .arg(p.value(QStringLiteral("threads"))));
    }
    const QString reportPath = p.value(QStringLiteral("report"));
    const QString suffix = QFileInfo(reportPath).suffix().toLower();
    if (p.isSet(QStringLiteral("report")) && suffix != QLatin1String("json")
        && suffix != QLatin1String("pdf"))
        return fail(ExitUsage,
            QStringLiteral("--report must name a .json or .pdf file, not \"%1\"").arg(reportPath));
    if (!QFileInfo(options.dataDir).isDir())
        return fail(
            ExitUsage, QStringLiteral("data directory %1 does not exist").arg(options.dataDir));
    for (const QString &s : std::as_const(options.streams))
        if (!QFileInfo(options.dataDir + QStringLiteral("/audit/") + s).isDir())
            return fail(
                ExitUsage, QStringLiteral("no stream \"%1\" in %2/audit").arg(s, options.dataDir));

    const VerifyReport report = AuditVerifier(options).run();
    if (report.verdict == VerifyReport::Verdict::Error && report.streams.isEmpty())
        return fail(ExitUsage, report.errorMessage);
    printReport(report);
    if (!reportPath.isEmpty()) {
        const auto written = suffix == QLatin1String("pdf")
            ? writePdfReport(report, reportPath)
            : VerifyReportJson::writeFile(report, reportPath);
        if (!written)
            return fail(ExitUsage, written.error().message);
    }
    switch (report.verdict) {
    case VerifyReport::Verdict::Intact:
        return ExitOk;
    case VerifyReport::Verdict::Tampered:
        return ExitFailure;
    case VerifyReport::Verdict::Error:
        break;
    }
    return fail(ExitUsage, report.errorMessage);
}

} // namespace Shivx::Cli
