// AuditEntriesModel over real stream directories: a million entries stay lazy (row count from
// the line index, one block read for row 999,999), and filters run as background scans whose
// matching rows arrive in order.

#include "audit/auditentriesmodel.h"
#include "auditstreamfixture.h"
#include "core/timeutil.h"
#include "procfs.h"
#include "widgets/displayformat.h"
#include "widgets/statuscolors.h"
#include "widgets/tableexport.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;
using Shivx::Ui::AuditEntriesModel;
namespace F = AuditStreamFixture;

namespace {

QString cell(const AuditEntriesModel &m, int row, int column, int role = Qt::DisplayRole)
{
    return m.data(m.index(row, column), role).toString();
}

} // namespace

class TstAuditEntriesModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void millionEntriesStayLazy();
    void filters_data();
    void filters();
    void newFilterReplacesRunningScan();
    void unreadableAndMarkedRows();

private:
    QTemporaryDir m_tmp;
    F::Options m_small;
    QString m_smallDir;
};

void TstAuditEntriesModel::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_small.stream = "resilience";
    m_small.entries = 5000;
    m_small.perSegment = 1800;
    m_smallDir = F::writeStream(m_tmp.filePath(QStringLiteral("small")), m_small).dir;
}

void TstAuditEntriesModel::millionEntriesStayLazy()
{
    // A million entries; a quarter of that in sanitizer builds, which run the same code
    // paths several times slower.
    const qint64 n = SHIVX_TIME_SCALE > 1 ? 250'000 : 1'000'000;
    const int last = int(n - 1);
    F::Options opt;
    opt.stream = "security";
    opt.entries = n;
    opt.perSegment = n * 2 / 5; // two zstd segments and an active plain one
    const F::Written w = F::writeStream(m_tmp.filePath(QStringLiteral("big")), opt);
    QCOMPARE(w.segments.size(), 3);

    const qint64 rssBefore = ShivxTest::selfRssKiB();
    QElapsedTimer timer;
    timer.start();
    auto reader = AuditReader::open(w.dir);
    const qint64 indexMs = timer.elapsed();
    QVERIFY(reader.ok());
    QCOMPARE(reader->rowCount(), n);
    // The index is a few hundred KiB however long the stream: 8 bytes per 32 entries.
    QVERIFY2(reader->indexBytes() < 512 * 1024, qPrintable(QString::number(reader->indexBytes())));

    AuditEntriesModel model;
    model.setReader(reader.value());
    QCOMPARE(model.rowCount(), last + 1);
    QCOMPARE(model.cachedRows(), 0);

    timer.restart();
    QCOMPARE(cell(model, last, AuditEntriesModel::SeqColumn), QString::number(n));
    const qint64 lastRowMs = timer.elapsed();
    // One block was read and parsed, not the stream (the last block may be partial).
    const qint64 blockStart = last / AuditReader::kBlockLines * AuditReader::kBlockLines;
    QCOMPARE(model.cachedRows(), std::min<qint64>(AuditReader::kBlockLines, n - blockStart));
    QCOMPARE(
        cell(model, last, AuditEntriesModel::ActionColumn), QString::fromLatin1(F::actionOf(n)));
    QCOMPARE(model.record(last).entry.hash, w.lastHash);
    // The Time column reads as an age; Copy and Export take the entry's UTC time.
    const QModelIndex time = model.index(last, AuditEntriesModel::TimeColumn);
    QCOMPARE(time.data(Ui::TableExport::ExportRole).toString(),
        TimeUtil::toRfc3339(model.record(last).entry.tsMs));
    const qint64 tsMs = model.record(last).entry.tsMs;
    const QString before
        = Ui::DisplayFormat::relativeAge(tsMs, QDateTime::currentMSecsSinceEpoch());
    const QString shown = time.data().toString();
    const QString after = Ui::DisplayFormat::relativeAge(tsMs, QDateTime::currentMSecsSinceEpoch());
    QVERIFY2(shown == before || shown == after, qPrintable(shown)); // a second may tick between

    // Inside the second compressed segment.
    timer.restart();
    const int mid = int(n / 2);
    QCOMPARE(cell(model, mid, AuditEntriesModel::SeqColumn), QString::number(mid + 1));
    const qint64 compressedRowMs = timer.elapsed();
    QCOMPARE(model.record(mid).segment, QStringLiteral("seg-000002.ndjson.zst"));

    // Scrolling far and wide keeps the cache bounded.
    for (int row = 0; row <= last; row += 7'919)
        QVERIFY(!cell(model, row, AuditEntriesModel::TimeColumn).isEmpty());
    QVERIFY(model.cachedRows() <= AuditEntriesModel::kCachedBlocks * AuditReader::kBlockLines);

    qInfo("%lld entries: index %lld ms, index %lld bytes, RSS +%lld KiB after open and "
          "reads; row %d in %lld ms, row %d (zstd segment, first touch) in %lld ms",
        n, indexMs, reader->indexBytes(), ShivxTest::selfRssKiB() - rssBefore, last, lastRowMs, mid,
        compressedRowMs);
}

void TstAuditEntriesModel::filters_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("actor");
    QTest::addColumn<qint64>("fromSeq");
    QTest::addColumn<qint64>("toSeq");
    QTest::addColumn<QString>("text");
    QTest::newRow("by action") << "breaker.opened"
                               << "" << 0LL << 0LL << "";
    QTest::newRow("by actor") << ""
                              << "supervisor" << 0LL << 0LL << "";
    QTest::newRow("by time") << ""
                             << "" << 1000LL << 1999LL << "";
    QTest::newRow("full text") << ""
                               << "" << 0LL << 0LL << "cache-eu-1";
    QTest::newRow("everything at once") << "process"
                                        << "operator" << 100LL << 4000LL << "timeout";
}

void TstAuditEntriesModel::filters()
{
    QFETCH(QString, action);
    QFETCH(QString, actor);
    QFETCH(qint64, fromSeq);
    QFETCH(qint64, toSeq);
    QFETCH(QString, text);
    auto reader = AuditReader::open(m_smallDir);
    QVERIFY(reader.ok());
    AuditEntriesModel model;
    model.setReader(reader.value());
    QCOMPARE(model.rowCount(), 5000);

    AuditFilter f;
    f.action = action;
    f.actor = actor;
    f.fromMs = fromSeq ? m_small.startTsMs + (fromSeq - 1) * m_small.stepMs : 0;
    f.toMs = toSeq ? m_small.startTsMs + (toSeq - 1) * m_small.stepMs : 0;
    f.text = text;
    QSignalSpy finished(&model, &AuditEntriesModel::searchFinished);
    model.setFilter(f);
    QVERIFY(model.isSearching());
    QVERIFY(finished.wait(10'000));

    QList<qint64> expected;
    for (qint64 s = 1; s <= 5000; ++s) {
        const QString all = QString::fromLatin1(F::dataOf(s));
        if (QString::fromLatin1(F::actionOf(s)).contains(action)
            && QString::fromLatin1(F::actorOf(s)).contains(actor) && (!fromSeq || s >= fromSeq)
            && (!toSeq || s <= toSeq) && all.contains(text))
            expected << s - 1;
    }
    QVERIFY(!expected.isEmpty());
    QCOMPARE(finished.constFirst().constFirst().toLongLong(), expected.size());
    QCOMPARE(model.rowCount(), expected.size());
    for (int i = 0; i < expected.size(); ++i)
        QCOMPARE(model.streamRow(i), expected[i]);
    // What the view shows is the matching entry.
    const int mid = int(expected.size() / 2);
    QCOMPARE(cell(model, mid, AuditEntriesModel::SeqColumn), QString::number(expected[mid] + 1));
    QCOMPARE(model.modelRow(expected[mid]), mid);

    // Clearing shows every row again without a scan.
    model.setFilter({});
    QVERIFY(!model.isSearching());
    QCOMPARE(model.rowCount(), 5000);
    QCOMPARE(model.modelRow(4321), 4321);
}

void TstAuditEntriesModel::newFilterReplacesRunningScan()
{
    auto reader = AuditReader::open(m_smallDir);
    QVERIFY(reader.ok());
    AuditEntriesModel model;
    model.setReader(reader.value());
    QSignalSpy finished(&model, &AuditEntriesModel::searchFinished);
    AuditFilter first;
    first.action = QStringLiteral("breaker");
    model.setFilter(first);
    AuditFilter second;
    second.actor = QStringLiteral("alice");
    model.setFilter(second);
    QVERIFY(finished.wait(10'000));
    QTest::qWait(100); // a late batch of the first scan would land now
    QCOMPARE(finished.size(), 1);
    QCOMPARE(model.rowCount(), 5000 / 3 + (5000 % 3 >= 2 ? 1 : 0)); // seq % 3 == 2
    for (int i = 0; i < model.rowCount(); ++i)
        QCOMPARE(cell(model, i, AuditEntriesModel::ActorColumn), QStringLiteral("operator:alice"));
}

void TstAuditEntriesModel::unreadableAndMarkedRows()
{
    QTemporaryDir tmp;
    F::Options opt;
    opt.entries = 20;
    opt.perSegment = 100;
    const F::Written w = F::writeStream(tmp.path(), opt);
    QVERIFY(F::tamperLine(w.dir + QStringLiteral("/seg-000001.ndjson"), 5, "{\"action\"", "{oops"));
    auto reader = AuditReader::open(w.dir);
    QVERIFY(reader.ok());
    AuditEntriesModel model;
    model.setReader(reader.value());
    QCOMPARE(cell(model, 4, AuditEntriesModel::ActionColumn), QStringLiteral("unreadable line"));
    QVERIFY(cell(model, 4, AuditEntriesModel::DataColumn).contains(QLatin1String("not JSON")));
    QCOMPARE(model.data(model.index(4, 0), AuditEntriesModel::ValidRole).toBool(), false);
    QCOMPARE(model.data(model.index(4, 0), Qt::ForegroundRole).value<QColor>(),
        Ui::StatusColors::critical());
    QVERIFY(cell(model, 4, AuditEntriesModel::SeqColumn, Qt::ToolTipRole)
                .contains(QLatin1String("line 5")));
    QCOMPARE(cell(model, 5, AuditEntriesModel::SeqColumn), QStringLiteral("6"));

    QVERIFY(!model.data(model.index(7, 0), Qt::BackgroundRole).isValid());
    model.setMarkedRows({ 7 });
    QCOMPARE(model.data(model.index(7, 0), Qt::BackgroundRole).value<QColor>(),
        Ui::StatusColors::critical());
    QCOMPARE(model.headerData(AuditEntriesModel::ActionColumn, Qt::Horizontal, Qt::DisplayRole)
                 .toString(),
        QStringLiteral("Action"));
    QCOMPARE(AuditEntriesModel::dataSummary(QJsonDocument::fromJson(F::dataOf(3)).object()),
        QStringLiteral("attempt=4 · reason=probe timeout after 2000ms · target=search"));
}

QTEST_MAIN(TstAuditEntriesModel)
#include "tst_auditentriesmodel.moc"
