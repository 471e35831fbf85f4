#include "verifyreporthtml.h"

#include "core/timeutil.h"
#include "verifywording.h"

#include <QLocale>
#include <QStringList>

namespace Shivx::Reports {

namespace {

// Colours that print well in black and white too (dark enough for white text).
constexpr const char *kIntact = "#1b6e33";
constexpr const char *kTampered = "#b3261e";
constexpr const char *kError = "#8a5a00";
constexpr const char *kStripe = "#f6f7f9";
constexpr const char *kHeadBg = "#eef1f5";
constexpr const char *kMuted = "#5f6670";

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

QString num(qint64 n)
{
    return QLocale().toString(n);
}

QString when(qint64 ms)
{
    return ms > 0 ? TimeUtil::toRfc3339(ms) : QStringLiteral("—");
}

QString mono(const QString &s, double pt = 7)
{
    return s.isEmpty() ? QStringLiteral("—")
                       : QStringLiteral("<span style=\"font-family:'DejaVu Sans Mono',monospace; "
                                        "font-size:%2pt;\">%1</span>")
                             .arg(esc(s))
                             .arg(pt);
}

QString bytesText(qint64 b)
{
    const QLocale l;
    return l.formattedDataSize(b, 1, QLocale::DataSizeSIFormat) + QStringLiteral(" (")
        + VerifyWording::tr("%1 bytes").arg(num(b)) + QLatin1Char(')');
}

const char *verdictColour(VerifyReport::Verdict v)
{
    switch (v) {
    case VerifyReport::Verdict::Intact:
        return kIntact;
    case VerifyReport::Verdict::Tampered:
        return kTampered;
    case VerifyReport::Verdict::Error:
        break;
    }
    return kError;
}

// A table with a shaded header row that repeats on every page it spans, and striped rows
// (Qt's rich text draws cell borders unevenly in PDF; stripes read as well and print cleanly).
class Table
{
public:
    explicit Table(
        const QStringList &headers, const QList<int> &widthsPercent = {}, double fontPt = 8.5)
    {
        m_html = QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"5\" "
                                "style=\"font-size:%1pt;\"><thead><tr>")
                     .arg(fontPt);
        for (int i = 0; i < headers.size(); ++i) {
            const QString width = i < widthsPercent.size()
                ? QStringLiteral(" width=\"%1%\"").arg(widthsPercent[i])
                : QString();
            m_html += QStringLiteral("<th align=\"left\" bgcolor=\"%1\"%2>%3</th>")
                          .arg(QLatin1String(kHeadBg), width, esc(headers[i]));
        }
        m_html += QStringLiteral("</tr></thead>");
    }
    // Cells are HTML already.
    void row(const QStringList &cells, const QString &background = QString())
    {
        const QString bg = !background.isEmpty()
            ? background
            : (m_rows % 2 ? QLatin1String(kStripe) : QString());
        ++m_rows;
        m_html += QStringLiteral("<tr>");
        for (const QString &c : cells) {
            m_html += bg.isEmpty()
                ? QStringLiteral("<td valign=\"top\">%1</td>").arg(c)
                : QStringLiteral("<td valign=\"top\" bgcolor=\"%1\">%2</td>").arg(bg, c);
        }
        m_html += QStringLiteral("</tr>");
    }
    QString html() const { return m_html + QStringLiteral("</table>"); }

private:
    QString m_html;
    int m_rows = 0;
};

QString keyValueTable(const QList<std::pair<QString, QString>> &rows)
{
    QString html = QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\">");
    for (const auto &[key, value] : rows) {
        html += QStringLiteral("<tr><td width=\"24%\" valign=\"top\" style=\"color:%1;\">%2</td>"
                               "<td valign=\"top\">%3</td></tr>")
                    .arg(QLatin1String(kMuted), esc(key), value);
    }
    return html + QStringLiteral("</table>");
}

QString h2(const QString &title)
{
    return QStringLiteral(
        "<h2 style=\"font-size:13pt; margin-top:16px; margin-bottom:6px;\">%1</h2>")
        .arg(esc(title));
}

QString seqRange(qint64 first, qint64 last)
{
    if (first <= 0 && last <= 0)
        return QStringLiteral("—");
    return QStringLiteral("%1 – %2").arg(num(first), num(last));
}

QString streamSection(const StreamSummary &s, const VerifyReport &report, int maxCheckpoints)
{
    using W = VerifyWording;
    // Each stream starts a page: its tables then never begin under an orphaned heading.
    QString html = QStringLiteral("<h3 style=\"font-size:12pt; margin-top:0px; margin-bottom:4px; "
                                  "page-break-before:always;\">%1</h3>")
                       .arg(esc(VerifyWording::tr("Stream “%1”").arg(s.name)));
    html += keyValueTable({
        { VerifyWording::tr("Result"),
            QStringLiteral("<b style=\"color:%1;\">%2</b>")
                .arg(QLatin1String(s.intact ? kIntact : kTampered),
                    esc(s.intact ? VerifyWording::tr("Intact") : VerifyWording::tr("Tampered"))) },
        { VerifyWording::tr("Entries"),
            VerifyWording::tr("%1 (seq %2)").arg(num(s.entries), seqRange(s.firstSeq, s.lastSeq)) },
        { VerifyWording::tr("First hash"), mono(QString::fromLatin1(s.firstHash)) },
        { VerifyWording::tr("Last hash"), mono(QString::fromLatin1(s.lastHash)) },
    });
    for (const VerifyFinding &f : report.findings) {
        if (f.stream == s.name) {
            html += QStringLiteral("<p style=\"color:%1;\"><b>%2</b> %3</p>")
                        .arg(QLatin1String(kTampered),
                            esc(W::problem(f.problem) + QStringLiteral(":")), esc(W::location(f)));
        }
    }

    if (!s.segments.isEmpty()) {
        html += QStringLiteral("<p style=\"margin-top:8px; margin-bottom:3px;\"><b>%1</b></p>")
                    .arg(esc(VerifyWording::tr("Segments")));
        Table t({ VerifyWording::tr("File"), VerifyWording::tr("Seq range"),
                    VerifyWording::tr("Entries"), VerifyWording::tr("Bytes"),
                    VerifyWording::tr("Stored") },
            { 34, 24, 12, 16, 14 });
        for (const SegmentSummary &seg : s.segments) {
            t.row({ esc(seg.file), seqRange(seg.firstSeq, seg.lastSeq), num(seg.entries),
                num(seg.bytes),
                esc(seg.compressed ? VerifyWording::tr("zstd") : VerifyWording::tr("plain")) });
        }
        html += t.html();
    }

    html += QStringLiteral("<p style=\"margin-top:8px; margin-bottom:3px;\"><b>%1</b></p>")
                .arg(esc(VerifyWording::tr("Signed checkpoints")));
    if (s.checkpoints.isEmpty()) {
        html += QStringLiteral("<p>%1</p>").arg(esc(VerifyWording::tr("None.")));
        return html;
    }
    // The newest ones, plus every failed one wherever it is: those are what an auditor needs.
    QList<int> shown;
    const int total = int(s.checkpoints.size());
    for (int i = 0; i < total; ++i) {
        const bool bad = !s.checkpoints[i].signatureValid;
        if (bad || i >= total - maxCheckpoints)
            shown << i;
    }
    Table t({ VerifyWording::tr("Seq"), VerifyWording::tr("Signed at (UTC)"),
                VerifyWording::tr("Hash"), VerifyWording::tr("Signature") },
        { 10, 25, 53, 12 }, 8);
    for (int i : shown) {
        const CheckpointSummary &c = s.checkpoints[i];
        t.row({ num(c.seq), esc(when(c.tsMs)), mono(QString::fromLatin1(c.hash), 6.5),
            c.signatureValid
                ? esc(VerifyWording::tr("valid"))
                : QStringLiteral("<b style=\"color:%1;\">%2</b>")
                      .arg(QLatin1String(kTampered), esc(VerifyWording::tr("INVALID"))) });
    }
    html += t.html();
    const int omitted = total - int(shown.size());
    if (omitted > 0) {
        html += QStringLiteral("<p style=\"color:%1;\">%2</p>")
                    .arg(QLatin1String(kMuted),
                        esc(VerifyWording::tr(
                            "Older checkpoints not listed: %1, all with valid signatures. "
                            "The JSON report lists every checkpoint.")
                                .arg(num(omitted))));
    }
    return html;
}

} // namespace

QString verifyReportHtml(const VerifyReport &r, int maxCheckpointsPerStream)
{
    using W = VerifyWording;
    qint64 entries = 0;
    int checkpoints = 0;
    for (const StreamSummary &s : r.streams) {
        entries += s.entries;
        checkpoints += int(s.checkpoints.size());
    }

    QString html = QStringLiteral("<html><body>");
    html += QStringLiteral("<h1 style=\"font-size:20pt; margin-bottom:2px;\">%1</h1>")
                .arg(esc(VerifyWording::tr("Audit chain verification report")));
    html += QStringLiteral("<p style=\"color:%1; margin-top:0px;\">%2</p>")
                .arg(QLatin1String(kMuted),
                    esc(VerifyWording::tr("ShivX Resilience Console · %1").arg(r.dataDir)));

    // The verdict, unmissable: a coloured band with the one-line summary.
    html += QStringLiteral(
        "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"10\" style=\"margin-top:10px;\">"
        "<tr><td bgcolor=\"%1\" style=\"color:#ffffff;\">"
        "<span style=\"font-size:16pt; font-weight:bold;\">%2</span><br/>"
        "<span style=\"font-size:10pt;\">%3</span></td></tr></table>")
                .arg(QLatin1String(verdictColour(r.verdict)), esc(W::verdict(r.verdict).toUpper()),
                    esc(W::summary(r)));

    html += h2(VerifyWording::tr("Summary"));
    QList<std::pair<QString, QString>> summary {
        { VerifyWording::tr("Verdict"),
            QStringLiteral("<b>%1</b>").arg(esc(W::verdict(r.verdict))) },
        { VerifyWording::tr("Verified by"),
            esc(r.verifiedBy.isEmpty() ? QStringLiteral("—") : r.verifiedBy) },
        { VerifyWording::tr("Started"), esc(when(r.startedAtMs)) },
        { VerifyWording::tr("Finished"),
            esc(when(r.finishedAtMs)
                + (r.finishedAtMs >= r.startedAtMs && r.startedAtMs > 0
                        ? VerifyWording::tr(" (took %1)")
                              .arg(TimeUtil::formatDurationMs(
                                  std::max<qint64>(r.finishedAtMs - r.startedAtMs, 1)))
                        : QString())) },
        { VerifyWording::tr("Data directory"), esc(r.dataDir) },
        { VerifyWording::tr("Streams"), esc(QString::number(r.streams.size())) },
        { VerifyWording::tr("Entries verified"), esc(num(entries)) },
        { VerifyWording::tr("Bytes verified"), esc(bytesText(r.bytesVerified)) },
        { VerifyWording::tr("Checkpoints checked"), esc(num(checkpoints)) },
        { VerifyWording::tr("Public key"),
            esc(r.publicKeySource.isEmpty() ? QStringLiteral("—") : r.publicKeySource) },
        { VerifyWording::tr("Key fingerprint"),
            mono(r.keyFingerprint)
                + QStringLiteral("<br/><span style=\"color:%1; font-size:7pt;\">%2</span>")
                      .arg(QLatin1String(kMuted),
                          esc(VerifyWording::tr("SHA-256 of the raw Ed25519 public key"))) },
        { VerifyWording::tr("Witness file"),
            esc(r.witnessFile.isEmpty() ? VerifyWording::tr("none") : r.witnessFile) },
    };
    if (r.verdict == VerifyReport::Verdict::Error)
        summary.insert(1, { VerifyWording::tr("Error"), esc(r.errorMessage) });
    html += keyValueTable(summary);

    html += h2(VerifyWording::tr("Findings"));
    if (r.findings.isEmpty()) {
        html
            += QStringLiteral("<p>%1</p>")
                   .arg(esc(r.verdict == VerifyReport::Verdict::Error
                           ? VerifyWording::tr(
                               "No tampering was found in what could be read; see the error above.")
                           : VerifyWording::tr("No problems were found. Every entry's hash, every "
                                               "link to the previous "
                                               "entry, the sequence numbers and every checkpoint "
                                               "signature verified.")));
    } else {
        html += QStringLiteral("<p>%1</p>")
                    .arg(esc(VerifyWording::tr("The first problem in each affected stream. Entries "
                                               "after it in that stream cannot be "
                                               "trusted until the cause is understood.")));
        Table t({ VerifyWording::tr("Stream"), VerifyWording::tr("Problem"),
                    VerifyWording::tr("Segment"), VerifyWording::tr("Line"),
                    VerifyWording::tr("Seq"), VerifyWording::tr("Detail") },
            { 12, 22, 25, 8, 10, 23 });
        for (const VerifyFinding &f : r.findings) {
            t.row({ QStringLiteral("<b>%1</b>").arg(esc(f.stream)),
                      QStringLiteral("<b style=\"color:%1;\">%2</b><br/><span "
                                     "style=\"font-size:7.5pt;\">%3</span>")
                          .arg(QLatin1String(kTampered), esc(W::problem(f.problem)),
                              esc(W::problemExplanation(f.problem))),
                      esc(f.segment.isEmpty() ? QStringLiteral("—") : f.segment),
                      f.line > 0 ? QString::number(f.line) : QStringLiteral("—"),
                      f.seq > 0 ? QString::number(f.seq) : QStringLiteral("—"), esc(f.detail) },
                QStringLiteral("#fdf0ef"));
        }
        html += t.html();
    }

    html += h2(VerifyWording::tr("Streams"));
    Table streams({ VerifyWording::tr("Stream"), VerifyWording::tr("Result"),
                      VerifyWording::tr("Entries"), VerifyWording::tr("Seq range"),
                      VerifyWording::tr("Segments"), VerifyWording::tr("Checkpoints") },
        { 18, 14, 16, 24, 13, 15 });
    for (const StreamSummary &s : r.streams) {
        int valid = 0;
        for (const CheckpointSummary &c : s.checkpoints)
            valid += c.signatureValid ? 1 : 0;
        streams.row({ QStringLiteral("<b>%1</b>").arg(esc(s.name)),
            QStringLiteral("<span style=\"color:%1;\"><b>%2</b></span>")
                .arg(QLatin1String(s.intact ? kIntact : kTampered),
                    esc(s.intact ? VerifyWording::tr("Intact") : VerifyWording::tr("Tampered"))),
            num(s.entries), seqRange(s.firstSeq, s.lastSeq), num(s.segments.size()),
            esc(VerifyWording::tr("%1 of %2 valid").arg(num(valid), num(s.checkpoints.size()))) });
    }
    html += streams.html();

    for (const StreamSummary &s : r.streams)
        html += streamSection(s, r, maxCheckpointsPerStream);

    html += h2(VerifyWording::tr("Method"));
    html += QStringLiteral("<p style=\"color:%1;\">%2</p>")
                .arg(QLatin1String(kMuted),
                    esc(VerifyWording::tr(
                        "Each stream is a chain of entries in NDJSON segments. For every entry "
                        "the SHA-256 hash of its canonical JSON (without the hash) followed by "
                        "the previous entry's hash was recomputed and compared; sequence numbers "
                        "were checked to increase by one across segments; sealed segments were "
                        "compared with the SHA-256 recorded at rotation; every signed checkpoint "
                        "was verified with the Ed25519 public key above and matched against the "
                        "entry it names. Anyone with the data directory and the public key can "
                        "repeat this with “shivx audit verify” and compare the last hashes.")));
    html += QStringLiteral("</body></html>");
    return html;
}

} // namespace Shivx::Reports
