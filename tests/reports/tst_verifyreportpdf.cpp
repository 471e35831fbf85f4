// The PDF verification report as an auditor gets it: a real PDF file read back with poppler's
// pdftotext/pdfinfo (installer/install-deps.sh --test installs poppler-utils). Page 1 is also
// rendered to build/screenshots/verify-report-*.png for a person to look at.
//
// The same executable doubles as a child program for the two command-line situations:
//   --child-core FILE         a QCoreApplication asks for a PDF -> clear error, exit 3
//   --child-cli --report FILE the CLI's createApplication() path, no QT_QPA_PLATFORM set

#include "reportapplication.h"
#include "verifyreportpdf.h"
#include "verifywording.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QProcess>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

#include <cstdio>
#include <cstring>

using namespace Shivx;

namespace {

QByteArray hex64(char c)
{
    return QByteArray(64, c);
}

// A realistic report: three streams, rotated segments, many checkpoints (one with a bad
// signature), tampering in one stream.
VerifyReport sampleReport(bool tampered, int segmentsPerStream = 3)
{
    VerifyReport r;
    r.verdict = tampered ? VerifyReport::Verdict::Tampered : VerifyReport::Verdict::Intact;
    r.startedAtMs = 1'795'000'000'000;
    r.finishedAtMs = r.startedAtMs + 4321;
    r.verifiedBy = QStringLiteral("alice@ops-ws-07");
    r.dataDir = QStringLiteral("/var/lib/shivx");
    r.keyFingerprint
        = QStringLiteral("9f2c4e7a0b1d3c5e7f9a1b3d5c7e9f0a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e");
    r.publicKeySource = QStringLiteral("/var/lib/shivx/audit/keys/checkpoint.pub");
    r.bytesVerified = 318'402'112;
    const QStringList names { "operator", "resilience", "security" };
    for (int s = 0; s < names.size(); ++s) {
        StreamSummary st;
        st.name = names[s];
        const qint64 perSeg = 100'000 * (s + 1);
        for (int g = 0; g < segmentsPerStream; ++g) {
            SegmentSummary seg;
            seg.file = QStringLiteral("seg-%1.ndjson%2")
                           .arg(g + 1, 6, 10, QLatin1Char('0'))
                           .arg(g + 1 < segmentsPerStream ? QStringLiteral(".zst") : QString());
            seg.compressed = g + 1 < segmentsPerStream;
            seg.firstSeq = g * perSeg + 1;
            seg.lastSeq = (g + 1) * perSeg;
            seg.entries = perSeg;
            seg.bytes = perSeg * 312;
            st.segments << seg;
        }
        st.entries = perSeg * segmentsPerStream;
        st.firstSeq = 1;
        st.lastSeq = st.entries;
        st.firstHash = hex64(char('a' + s));
        st.lastHash = hex64(char('0' + s));
        for (int c = 1; c <= (s == 1 ? 60 : 4); ++c) {
            CheckpointSummary cp;
            cp.seq = c * 5000;
            cp.hash = hex64(char('c' + s));
            cp.tsMs = r.startedAtMs - (70 - c) * 60'000;
            cp.signatureValid = !(tampered && s == 1 && c == 3);
            st.checkpoints << cp;
        }
        st.intact = !(tampered && s == 1);
        r.streams << st;
    }
    if (tampered) {
        VerifyFinding f;
        f.problem = VerifyProblem::HashMismatch;
        f.stream = QStringLiteral("resilience");
        f.segment = QStringLiteral("seg-000002.ndjson.zst");
        f.line = 4711;
        f.seq = 204'711;
        f.detail = QStringLiteral("recorded hash 5be0…91aa, content hashes to 0d17…c3f2");
        r.findings << f;
    }
    return r;
}

QString pdfTool(const char *name)
{
    return QStandardPaths::findExecutable(QString::fromLatin1(name));
}

QString runTool(const QString &tool, const QStringList &args)
{
    QProcess p;
    p.start(tool, args);
    if (!p.waitForFinished(60'000) || p.exitCode() != 0)
        return QStringLiteral("<%1 failed: %2>")
            .arg(tool, QString::fromLocal8Bit(p.readAllStandardError()));
    return QString::fromUtf8(p.readAllStandardOutput());
}

int pageCount(const QString &pdf)
{
    const QString info = runTool(pdfTool("pdfinfo"), { pdf });
    for (const QString &line : info.split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1String("Pages:")))
            return line.mid(6).trimmed().toInt();
    }
    return -1;
}

// Copies the PDF to build/screenshots/NAME.pdf and renders its pages to NAME-N.png there,
// for a person to look at.
void keepForAPerson(const QString &pdf, const QString &name)
{
    const QString base = QStringLiteral(SHIVX_BINARY_DIR "/screenshots/") + name;
    QDir().mkpath(QFileInfo(base).path());
    QFile::remove(base + QStringLiteral(".pdf"));
    QFile::copy(pdf, base + QStringLiteral(".pdf"));
    QProcess::execute(pdfTool("pdftoppm"),
        { QStringLiteral("-png"), QStringLiteral("-r"), QStringLiteral("80"), pdf, base });
}

} // namespace

class TstVerifyReportPdf : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void tamperedReportNamesTheLocation();
    void intactReport();
    void germanReport();
    void longReportHasNumberedPages();
    void unwritablePathIsAnError();
    void withoutGuiApplicationIsAnError();
    void cliApplicationWritesPdfWithoutDisplay();
    void argumentsAskForPdf_data();
    void argumentsAskForPdf();
};

void TstVerifyReportPdf::initTestCase()
{
    QVERIFY2(!pdfTool("pdftotext").isEmpty() && !pdfTool("pdfinfo").isEmpty(),
        "pdftotext/pdfinfo missing: run installer/install-deps.sh --test (poppler-utils)");
}

void TstVerifyReportPdf::tamperedReportNamesTheLocation()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("report.pdf"));
    const auto written = Reports::writeVerifyReportPdf(sampleReport(true), path);
    QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().toString()));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.read(5) == "%PDF-");
    QVERIFY(pageCount(path) >= 1);

    const QString text
        = runTool(pdfTool("pdftotext"), { QStringLiteral("-layout"), path, QStringLiteral("-") });
    QVERIFY2(text.contains(QLatin1String("Audit chain verification report")),
        qPrintable(text.left(400)));
    QVERIFY(text.contains(QLatin1String("TAMPERED")));
    for (const char *stream : { "operator", "resilience", "security" })
        QVERIFY2(text.contains(QLatin1String(stream)), stream);
    QVERIFY(text.contains(QLatin1String("Hash mismatch")));
    QVERIFY(text.contains(QLatin1String("seg-000002.ndjson.zst")));
    QVERIFY(text.contains(QLatin1String("seg-000002.ndjson.zst line 4711 (seq 204711)")));
    QVERIFY(!text.contains(QLatin1String("(s)")));
    QVERIFY(text.contains(QLatin1String("alice@ops-ws-07")));
    QVERIFY(text.contains(sampleReport(true).keyFingerprint));
    QVERIFY(text.contains(QLatin1String("INVALID")));
    // 60 checkpoints in "resilience": the newest 25 and the invalid one are listed.
    QVERIFY(text.contains(QLatin1String("Older checkpoints not listed: 34")));
    QVERIFY(text.contains(QLatin1String("Page 1 of")));

    keepForAPerson(path, QStringLiteral("verify-report-tampered"));
}

void TstVerifyReportPdf::intactReport()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("intact.pdf"));
    QVERIFY(Reports::writeVerifyReportPdf(sampleReport(false), path).ok());
    const QString text = runTool(pdfTool("pdftotext"), { path, QStringLiteral("-") });
    QVERIFY(text.contains(QLatin1String("INTACT")));
    QVERIFY(text.contains(QLatin1String("No problems were found")));
    QVERIFY(!text.contains(QLatin1String("TAMPERED")));
}

void TstVerifyReportPdf::germanReport()
{
    // The console's German translation, as lrelease built it; the console exports the PDF
    // in the language it shows.
    QTranslator german;
    QVERIFY(german.load(QStringLiteral(SHIVX_BINARY_DIR "/translations/shivx_de.qm")));
    QVERIFY(QCoreApplication::installTranslator(&german));
    const auto uninstall = qScopeGuard([&] { QCoreApplication::removeTranslator(&german); });

    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("bericht.pdf"));
    QVERIFY(Reports::writeVerifyReportPdf(sampleReport(true), path).ok());
    const QString text = runTool(pdfTool("pdftotext"), { path, QStringLiteral("-") });
    for (const char *word : { "Prüfbericht der Audit-Kette", "MANIPULIERT", "Zusammenfassung",
             "Befunde", "Hash stimmt nicht", "seg-000002.ndjson.zst Zeile 4711 (Seq 204711)",
             "Signierte Checkpoints", "UNGÜLTIG", "Verfahren", "Seite 1 von" })
        QVERIFY2(text.contains(QString::fromUtf8(word)), word);
    for (const char *word :
        { "Summary", "Findings", "Hash mismatch", "Signed checkpoints", "Method" })
        QVERIFY2(!text.contains(QLatin1String(word)), word);
    keepForAPerson(path, QStringLiteral("verify-report-de"));
}

void TstVerifyReportPdf::longReportHasNumberedPages()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("long.pdf"));
    QVERIFY(Reports::writeVerifyReportPdf(sampleReport(true, 60), path).ok());
    const int pages = pageCount(path);
    QVERIFY2(pages >= 3, qPrintable(QString::number(pages)));
    const QString text = runTool(pdfTool("pdftotext"), { path, QStringLiteral("-") });
    QVERIFY(text.contains(QStringLiteral("Page %1 of %1").arg(pages)));
    QVERIFY(text.contains(QLatin1String("seg-000060.ndjson")));
}

void TstVerifyReportPdf::unwritablePathIsAnError()
{
    const auto written = Reports::writeVerifyReportPdf(
        sampleReport(false), QStringLiteral("/nonexistent-dir/report.pdf"));
    QVERIFY(!written.ok());
    QVERIFY2(written.error().message.contains(QLatin1String("/nonexistent-dir/report.pdf")),
        qPrintable(written.error().message));
}

void TstVerifyReportPdf::withoutGuiApplicationIsAnError()
{
    QTemporaryDir tmp;
    QProcess child;
    child.start(QCoreApplication::applicationFilePath(),
        { QStringLiteral("--child-core"), tmp.filePath(QStringLiteral("x.pdf")) });
    QVERIFY(child.waitForFinished(30'000));
    QCOMPARE(child.exitStatus(), QProcess::NormalExit);
    QCOMPARE(child.exitCode(), 3);
    QVERIFY2(child.readAllStandardError().contains("need a QGuiApplication"), "no clear error");
    QVERIFY(!QFile::exists(tmp.filePath(QStringLiteral("x.pdf"))));
}

void TstVerifyReportPdf::cliApplicationWritesPdfWithoutDisplay()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("cli.PDF"));
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(),
        { QStringLiteral("--child-cli"), QStringLiteral("--report"), path });
    QVERIFY(child.waitForFinished(60'000));
    QCOMPARE(child.exitCode(), 0);
    QCOMPARE(child.readAllStandardOutput().trimmed(), QByteArray("offscreen"));
    QVERIFY(pageCount(path) >= 1);
}

void TstVerifyReportPdf::argumentsAskForPdf_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("pdf");
    QTest::newRow("--report FILE.pdf") << QStringList { "verify", "--report", "r.pdf" } << true;
    QTest::newRow("--report=FILE.PDF") << QStringList { "verify", "--report=out/R.PDF" } << true;
    QTest::newRow("json report") << QStringList { "verify", "--report", "r.json" } << false;
    QTest::newRow("no report") << QStringList { "verify", "r.pdf" } << false;
    QTest::newRow("--report last") << QStringList { "verify", "--report" } << false;
}

void TstVerifyReportPdf::argumentsAskForPdf()
{
    QFETCH(QStringList, args);
    QFETCH(bool, pdf);
    QList<QByteArray> bytes { "shivx" };
    for (const QString &a : args)
        bytes << a.toUtf8();
    QList<char *> argv;
    for (QByteArray &b : bytes)
        argv << b.data();
    QCOMPARE(Reports::argumentsAskForPdf(int(argv.size()), argv.data()), pdf);
}

int main(int argc, char **argv)
{
    if (argc >= 3 && std::strcmp(argv[1], "--child-core") == 0) {
        QCoreApplication app(argc, argv);
        const auto written
            = Reports::writeVerifyReportPdf(sampleReport(true), QString::fromLocal8Bit(argv[2]));
        std::fprintf(
            stderr, "%s\n", written.ok() ? "written" : qPrintable(written.error().message));
        return written.ok() ? 0 : 3;
    }
    if (argc >= 4 && std::strcmp(argv[1], "--child-cli") == 0) {
        auto app = Reports::createApplication(argc, argv);
        const auto written
            = Reports::writeVerifyReportPdf(sampleReport(true), QString::fromLocal8Bit(argv[3]));
        std::printf("%s\n", qPrintable(QGuiApplication::platformName()));
        return written.ok() ? 0 : 3;
    }
    QGuiApplication app(argc, argv);
    TstVerifyReportPdf tc;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&tc, argc, argv);
}

#include "tst_verifyreportpdf.moc"
