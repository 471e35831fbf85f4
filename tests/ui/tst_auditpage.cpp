// The Audit page on the offscreen platform over a real audit directory (three streams, zstd
// segments, signed checkpoints, one tampered entry). The page takes its verifier as an
// injected runner; here it is honestVerify() below, a small but real check written for this
// test (it recomputes every hash and link) so that the page's own logic is tested alone.
// tst_mainwindow drives the same button with the product's AuditVerifier.

#include "audit/auditentriesmodel.h"
#include "audit/auditfilterbar.h"
#include "audit/auditpage.h"
#include "audit/auditstreamlist.h"
#include "audit/verifybanner.h"
#include "auditstreamfixture.h"

#include <QDateTime>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace Shivx;
using Shivx::Ui::AuditEntriesModel;
using Shivx::Ui::AuditPage;
namespace F = AuditStreamFixture;

namespace {

// Test stand-in for AuditVerifier: walks each stream's rows in order, recomputes hash and
// link and seq, reports the first problem per stream and progress in bytes. `midway` is
// called once at half the bytes (the test holds the worker there to look at the progress).
VerifyReport honestVerify(const QString &auditDir, const Ui::VerifyProgress &progress,
    std::atomic_bool *cancel, const std::function<void()> &midway = {})
{
    VerifyReport report;
    report.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    report.verifiedBy = QStringLiteral("tester@localhost");
    report.dataDir = QFileInfo(auditDir).absolutePath();
    QList<AuditReader> readers;
    qint64 total = 0;
    for (const AuditStreamStatus &st : AuditReader::listStreams(auditDir)) {
        readers << AuditReader::open(st.directory).value();
        for (const AuditSegmentInfo &seg : readers.last().segments())
            total += seg.bytes;
    }
    qint64 done = 0;
    bool halfway = false;
    for (const AuditReader &reader : readers) {
        StreamSummary summary;
        summary.name = reader.streamName();
        QByteArray prev = AuditEntryCodec::genesisHash();
        qint64 expect = 1;
        bool found = false;
        for (qint64 first = 0; first < reader.rowCount(); first += 500) {
            for (const AuditRecord &r : reader.readRows(first, 500)) {
                if (cancel->load())
                    return report;
                VerifyFinding f { VerifyProblem::None, summary.name, r.segment, r.line, expect,
                    {} };
                if (!r.valid) {
                    f.problem = VerifyProblem::BadJson;
                } else {
                    const QByteArray h = AuditEntryCodec::computeHash(
                        AuditEntryCodec::hashedBytes(r.entry).value(), r.entry.prev);
                    f.seq = r.entry.seq;
                    if (h != r.entry.hash)
                        f.problem = VerifyProblem::HashMismatch;
                    else if (r.entry.prev != prev)
                        f.problem = VerifyProblem::BrokenLink;
                    else if (r.entry.seq != expect)
                        f.problem = VerifyProblem::SeqGap;
                    prev = r.entry.hash;
                    if (summary.firstHash.isEmpty())
                        summary.firstHash = r.entry.hash;
                    summary.lastHash = r.entry.hash;
                    summary.lastSeq = r.entry.seq;
                }
                if (f.problem != VerifyProblem::None && !found) {
                    found = true;
                    f.detail = QStringLiteral("checked by the test's honest verifier");
                    report.findings << f;
                }
                ++expect;
                done += r.raw.size() + 1;
                progress(done, total);
                if (!halfway && done * 2 >= total && midway) {
                    halfway = true;
                    midway();
                }
            }
        }
        summary.entries = reader.rowCount();
        summary.firstSeq = summary.entries > 0 ? 1 : 0;
        summary.intact = !found;
        for (const AuditSegmentInfo &seg : reader.segments())
            summary.segments << SegmentSummary { seg.file, 0, 0, seg.lines, seg.bytes,
                seg.compressed };
        report.streams << summary;
    }
    report.bytesVerified = done;
    report.verdict = report.findings.isEmpty() ? VerifyReport::Verdict::Intact
                                               : VerifyReport::Verdict::Tampered;
    report.finishedAtMs = QDateTime::currentMSecsSinceEpoch();
    return report;
}

} // namespace

class TstAuditPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void showsStreamsWithCountsAndLastCheckpoint();
    void opensOnTheStreamWithTheNewestEntry();
    void filtersEntries();
    void verifyShowsProgressThenBanner();
    void showSelectsTheBadRow();
    void cancelVerify();
    void exportsReport();
    void verifyHiddenWithoutRunner();
    void followsLanguageChange();
    void reloadPicksUpAppendedEntries();

private:
    // A page showing `stream`, loaded.
    std::unique_ptr<AuditPage> makePage(const QString &stream = QStringLiteral("resilience"));
    void verify(AuditPage &page);

    QTemporaryDir m_tmp;
    QString m_auditDir;
    F::Options m_resilience;
};

void TstAuditPage::initTestCase()
{
    m_auditDir = m_tmp.filePath(QStringLiteral("audit"));
    const qint64 start = QDateTime::currentMSecsSinceEpoch() - 5000 * 700;
    F::Options op;
    op.stream = "operator";
    op.entries = 40;
    op.startTsMs = start;
    op.stepMs = 80'000;
    F::writeStream(m_auditDir, op);
    m_resilience.stream = "resilience";
    m_resilience.entries = 5000;
    m_resilience.perSegment = 2000;
    m_resilience.checkpointEvery = 1000;
    m_resilience.startTsMs = start;
    m_resilience.stepMs = 700;
    F::writeStream(m_auditDir, m_resilience);
    F::Options sec;
    sec.stream = "security";
    sec.entries = 800;
    sec.perSegment = 500;
    sec.checkpointEvery = 200;
    sec.startTsMs = start;
    sec.stepMs = 4000;
    F::writeStream(m_auditDir, sec);
    // Someone edits entry 4017 (line 17 of the active segment) after the fact.
    QVERIFY(F::tamperLine(m_auditDir + QStringLiteral("/resilience/seg-000003.ndjson"), 17,
        "\"attempt\":", "\"attempt\":9"));
}

std::unique_ptr<AuditPage> TstAuditPage::makePage(const QString &stream)
{
    // The page opens the first stream by itself; then the one the test wants.
    auto page = std::make_unique<AuditPage>(m_auditDir);
    page->resize(1400, 820);
    page->show();
    page->selectStream(stream);
    if (!QTest::qWaitFor(
            [&] { return !page->isLoading() && page->currentStream() == stream; }, 10'000))
        qWarning("stream %s did not load", qPrintable(stream));
    return page;
}

void TstAuditPage::verify(AuditPage &page)
{
    const QString dir = m_auditDir;
    page.setVerifyRunner([dir](Ui::VerifyProgress progress, std::atomic_bool *cancel) {
        return honestVerify(dir, progress, cancel);
    });
    QSignalSpy finished(&page, &AuditPage::verifyFinished);
    page.startVerify();
    QVERIFY(finished.wait(30'000));
}

void TstAuditPage::showsStreamsWithCountsAndLastCheckpoint()
{
    auto page = makePage();
    QCOMPARE(page->streams(), (QStringList { "operator", "resilience", "security" }));
    QCOMPARE(page->currentStream(), QStringLiteral("resilience"));
    QCOMPARE(page->model()->rowCount(), 5000);
    const auto *list = page->streamList();
    QCOMPARE(list->topLevelItemCount(), 3);
    const QTreeWidgetItem *res = list->topLevelItem(1);
    QCOMPARE(res->text(Ui::AuditStreamList::NameColumn), QStringLiteral("resilience"));
    QCOMPARE(res->text(Ui::AuditStreamList::EntriesColumn), QLocale().toString(5000));
    QVERIFY2(res->text(Ui::AuditStreamList::CheckpointColumn).startsWith(QLatin1String("seq 5000")),
        qPrintable(res->text(Ui::AuditStreamList::CheckpointColumn)));
    QCOMPARE(list->topLevelItem(0)->text(Ui::AuditStreamList::CheckpointColumn),
        QStringLiteral("none yet"));
    QVERIFY(list->topLevelItem(2)
                ->text(Ui::AuditStreamList::CheckpointColumn)
                .startsWith(QLatin1String("seq 800")));
    QVERIFY(page->statusLabel()->text().contains(QLocale().toString(5000)));

    // Choosing a stream in the list shows its entries.
    QSignalSpy loaded(page.get(), &AuditPage::streamLoaded);
    QVERIFY(page->selectStream(QStringLiteral("security")));
    QVERIFY(loaded.wait(10'000));
    QCOMPARE(page->model()->rowCount(), 800);
    QCOMPARE(page->model()->record(799).segment, QStringLiteral("seg-000002.ndjson"));
}

// "operator" comes first in the list, but "resilience" has the newest entry (see initTestCase).
void TstAuditPage::opensOnTheStreamWithTheNewestEntry()
{
    AuditPage page(m_auditDir);
    page.show();
    QTRY_VERIFY_WITH_TIMEOUT(!page.isLoading() && !page.currentStream().isEmpty(), 10'000);
    QCOMPARE(page.streams().constFirst(), QStringLiteral("operator"));
    QCOMPARE(page.currentStream(), QStringLiteral("resilience"));
    QCOMPARE(page.newestStream(), QStringLiteral("resilience"));
}

void TstAuditPage::filtersEntries()
{
    auto page = makePage();
    QSignalSpy finished(page->model(), &AuditEntriesModel::searchFinished);
    page->setFilter(QStringLiteral("breaker"), QStringLiteral("engine"), QString());
    QVERIFY(finished.wait(10'000));
    qint64 expected = 0;
    for (qint64 s = 1; s <= 5000; ++s)
        expected += F::actionOf(s).startsWith("breaker") && F::actorOf(s) == "engine" ? 1 : 0;
    QCOMPARE(page->model()->rowCount(), expected);
    QVERIFY2(page->statusLabel()->text().contains(QLocale().toString(expected)),
        qPrintable(page->statusLabel()->text()));

    // Typing goes through the filter bar (debounced) like an operator's keystrokes.
    auto *search = page->filterBar()->findChild<QLineEdit *>(QStringLiteral("searchEdit"));
    QVERIFY(search);
    page->setFilter({}, {}, {});
    QTest::keyClicks(search, QStringLiteral("cache-eu-1"));
    QVERIFY(finished.wait(10'000));
    QCOMPARE(page->model()->rowCount(), 1000);
    QVERIFY(page->model()->record(0).raw.contains("cache-eu-1"));

    // A custom time range, in whole minutes as the editors show it.
    page->setFilter({}, {}, {}, Ui::AuditFilterBar::TimeRange::Custom);
    QVERIFY(finished.wait(10'000));
    const qint64 fromMs = m_resilience.startTsMs + 100 * m_resilience.stepMs;
    const qint64 toMs = m_resilience.startTsMs + 1999 * m_resilience.stepMs;
    page->setCustomTimeRange(fromMs, toMs);
    QVERIFY(finished.wait(10'000));
    const qint64 lo = fromMs / 60'000 * 60'000, hi = toMs / 60'000 * 60'000 + 59'999;
    qint64 inRange = 0;
    for (qint64 s = 1; s <= 5000; ++s) {
        const qint64 ts = m_resilience.startTsMs + (s - 1) * m_resilience.stepMs;
        inRange += ts >= lo && ts <= hi ? 1 : 0;
    }
    QCOMPARE(page->model()->rowCount(), inRange);
}

void TstAuditPage::verifyShowsProgressThenBanner()
{
    auto page = makePage();
    std::atomic_bool atMidway { false };
    std::atomic_bool release { false };
    // A failed check returns early; the worker must not stay parked at the gate.
    const auto unpark = qScopeGuard([&] { release = true; });
    const QString dir = m_auditDir;
    page->setVerifyRunner([&, dir](Ui::VerifyProgress progress, std::atomic_bool *cancel) {
        return honestVerify(dir, progress, cancel, [&] {
            atMidway = true;
            while (!release.load())
                QThread::msleep(5);
        });
    });
    QVERIFY(page->verifyButton()->isVisible());
    QVERIFY(!page->banner()->isVisible());
    QSignalSpy finished(page.get(), &AuditPage::verifyFinished);
    QTest::mouseClick(page->verifyButton(), Qt::LeftButton);
    QVERIFY(page->isVerifying());
    QVERIFY(!page->verifyButton()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(atMidway.load(), 30'000 * SHIVX_TIME_SCALE);
    QTRY_VERIFY(page->verifyProgress()->isVisible());
    QTRY_VERIFY2(page->verifyProgress()->value() >= 490 && page->verifyProgress()->value() <= 510,
        qPrintable(QString::number(page->verifyProgress()->value())));
    release = true;
    QVERIFY(finished.wait(30'000));

    QVERIFY(!page->verifyProgress()->isVisible());
    QVERIFY(page->verifyButton()->isEnabled());
    QVERIFY(page->banner()->isVisible());
    const QString text = page->banner()->text();
    QVERIFY2(text.contains(QLatin1String("Tampering detected")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("resilience, seg-000003.ndjson line 17 (seq 4017)")),
        qPrintable(text));
    QVERIFY(page->banner()->showButton()->isVisible());
    QVERIFY(page->lastReport().verdict == VerifyReport::Verdict::Tampered);
    QCOMPARE(page->lastReport().findings.size(), 1);
    QVERIFY(page->lastReport().findings[0].problem == VerifyProblem::HashMismatch);
    // The bad row is marked in the table.
    QCOMPARE(
        page->model()->data(page->model()->index(4016, 0), Qt::BackgroundRole).isValid(), true);
    QCOMPARE(
        page->model()->data(page->model()->index(4015, 0), Qt::BackgroundRole).isValid(), false);
}

void TstAuditPage::showSelectsTheBadRow()
{
    auto page = makePage(QStringLiteral("operator"));
    verify(*page);
    // The operator is elsewhere, filtering another stream, when they press Show.
    QSignalSpy searched(page->model(), &AuditEntriesModel::searchFinished);
    page->setFilter(QStringLiteral("login"), {}, {});
    QVERIFY(searched.wait(10'000));
    QSignalSpy shown(page.get(), &AuditPage::findingShown);
    QTest::mouseClick(page->banner()->showButton(), Qt::LeftButton);
    QVERIFY(shown.wait(10'000));
    QCOMPARE(page->currentStream(), QStringLiteral("resilience"));
    QVERIFY(!page->model()->isFiltered());
    const QModelIndex current = page->table()->currentIndex();
    QCOMPARE(page->model()->streamRow(current.row()), 4016);
    QVERIFY(page->table()->selectionModel()->isRowSelected(current.row(), {}));
    QVERIFY(page->table()->viewport()->rect().intersects(page->table()->visualRect(current)));
    QVERIFY2(page->detail()->toPlainText().contains(QLatin1String("seg-000003.ndjson line 17")),
        qPrintable(page->detail()->toPlainText()));
    QVERIFY(page->detail()->toPlainText().contains(QLatin1String("\"seq\": 4017")));

    // A picture of what the operator sees.
    const QString dir = QStringLiteral(SHIVX_BINARY_DIR "/screenshots");
    QDir().mkpath(dir);
    QVERIFY(page->grab().save(dir + QStringLiteral("/audit.png")));
}

void TstAuditPage::cancelVerify()
{
    auto page = makePage();
    std::atomic_bool started { false };
    page->setVerifyRunner([&](Ui::VerifyProgress progress, std::atomic_bool *cancel) {
        started = true;
        for (qint64 i = 0; !cancel->load(); ++i) {
            progress(i % 100, 100);
            QThread::msleep(2);
        }
        return VerifyReport {};
    });
    QSignalSpy finished(page.get(), &AuditPage::verifyFinished);
    page->startVerify();
    QTRY_VERIFY(started.load());
    auto *cancel = page->findChild<QPushButton *>(QStringLiteral("cancelVerifyButton"));
    QVERIFY(cancel && cancel->isVisible());
    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(finished.wait(10'000));
    QVERIFY(page->banner()->text().contains(QLatin1String("Verification cancelled")));
    QVERIFY(!page->hasReport());
    QVERIFY(!cancel->isVisible());
}

void TstAuditPage::exportsReport()
{
    auto page = makePage();
    QTemporaryDir out;
    QVERIFY(!page->exportReport(out.filePath(QStringLiteral("early.pdf"))).ok());
    verify(*page);
    const QString pdf = out.filePath(QStringLiteral("report.pdf"));
    const auto written = page->exportReport(pdf);
    QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().message));
    QFile f(pdf);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.read(5), QByteArray("%PDF-"));
    QVERIFY(!page->exportReport(out.filePath(QStringLiteral("report.txt"))).ok());
    QVERIFY(page->findChild<QPushButton *>(QStringLiteral("exportReportButton"))->isEnabled());
}

void TstAuditPage::verifyHiddenWithoutRunner()
{
    auto page = makePage();
    QVERIFY(!page->verifyButton()->isVisible());
    QVERIFY(!page->findChild<QPushButton *>(QStringLiteral("exportReportButton"))->isVisible());
}

void TstAuditPage::followsLanguageChange()
{
    auto page = makePage();
    verify(*page);
    const QString before = page->banner()->text();
    QEvent change(QEvent::LanguageChange);
    QCoreApplication::sendEvent(page.get(), &change);
    QCoreApplication::sendEvent(page->banner(), &change);
    QCoreApplication::sendEvent(page->streamList(), &change);
    QCOMPARE(page->banner()->text(), before);
    QCOMPARE(page->streamList()->headerItem()->text(0), QStringLiteral("Stream"));
    QCOMPARE(page->model()->rowCount(), 5000);
}

void TstAuditPage::reloadPicksUpAppendedEntries()
{
    QTemporaryDir tmp;
    const QString auditDir = tmp.filePath(QStringLiteral("audit"));
    F::Options opt;
    opt.stream = "operator";
    opt.entries = 50;
    const F::Written w = F::writeStream(auditDir, opt);
    AuditPage page(auditDir);
    page.show();
    QTRY_VERIFY(!page.isLoading() && page.model()->rowCount() == 50);
    page.table()->setCurrentIndex(page.model()->index(20, 0));

    // The engine appends an entry that continues the chain.
    QByteArray hash;
    const QByteArray next = Test::ChainBuilder::canonicalLine("operator", 51,
        TimeUtil::toRfc3339(opt.startTsMs + 50 * opt.stepMs).toLatin1(),
        { "operator:bob", "operator.note", "{\"text\":\"after reload\"}" }, w.lastHash, &hash);
    QFile active(w.dir + QLatin1Char('/') + w.segments.last());
    QVERIFY(active.open(QIODevice::Append));
    active.write(next + "\n");
    active.close();

    QSignalSpy loaded(&page, &AuditPage::streamLoaded);
    QTest::mouseClick(
        page.findChild<QPushButton *>(QStringLiteral("reloadButton")), Qt::LeftButton);
    QVERIFY(loaded.wait(10'000));
    QCOMPARE(page.model()->rowCount(), 51);
    QCOMPARE(page.model()->record(50).entry.action, QStringLiteral("operator.note"));
    QCOMPARE(page.model()->streamRow(page.table()->currentIndex().row()), 20);
}

QTEST_MAIN(TstAuditPage)
#include "tst_auditpage.moc"
