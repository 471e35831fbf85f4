#include "historycommand.h"

#include "core/timeutil.h"
#include "telemetry/historystore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

using namespace Shivx;

namespace {

constexpr qint64 T0 = 1'764'370'800'000; // 2025-11-28T23:00:00Z

struct Run
{
    int code = -1;
    QString out;
    QString err;
};

} // namespace

class tst_HistoryCommand : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void help();
    void usageErrors_data();
    void usageErrors();
    void missingDatabaseIsNotCreated();
    void list();
    void queryCsvAtEachStep_data();
    void queryCsvAtEachStep();
    void queryJson();
    void queryEmptyRange();
    void unknownSeries();
    void corruptedDatabase();

private:
    Run run(const QStringList &args)
    {
        Run r;
        QTextStream out(&r.out), err(&r.err);
        r.code = Cli::historyCommand(args, out, err);
        out.flush();
        err.flush();
        return r;
    }
    QStringList withDir(QStringList args) const
    {
        return args << QStringLiteral("--data-dir") << m_dir->path();
    }
    void populate();

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_HistoryCommand::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_HistoryCommand::populate()
{
    auto store = HistoryStore::open(
        m_dir->filePath(QStringLiteral("shivx.db")), QStringLiteral("populate"));
    QVERIFY(store.ok());
    QList<SamplePoint> points;
    // Two hours of cpu at 1 s: value = second of the minute / 4 (exact in binary).
    for (int i = 0; i < 7200; ++i)
        points.append({ QStringLiteral("host.cpu.percent"), T0 + i * 1000LL, (i % 60) / 4.0 });
    points.append({ QStringLiteral("health.score"), T0 + 5000, 97.5 });
    QVERIFY((*store)->append(points).ok());
    QVERIFY((*store)->maintain(T0 + 90 * 60'000).ok()); // the first hour is sealed
}

void tst_HistoryCommand::help()
{
    for (const QStringList &args :
        { QStringList { QStringLiteral("--help") }, QStringList { QStringLiteral("help") },
            QStringList { QStringLiteral("query"), QStringLiteral("-h") } }) {
        const Run r = run(args);
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains(QLatin1String("Usage: shivx history list")));
        QVERIFY(r.out.contains(QLatin1String("Exit status")));
        QVERIFY(r.err.isEmpty());
    }
}

void tst_HistoryCommand::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no subcommand") << QStringList {} << "missing subcommand";
    QTest::newRow("unknown subcommand")
        << QStringList { "purge" } << "unknown subcommand \"purge\"";
    QTest::newRow("unknown option") << QStringList { "list", "--bogus" } << "bogus";
    QTest::newRow("query without series") << QStringList { "query" } << "missing SERIES";
    QTest::newRow("bad --from") << QStringList { "query", "s", "--from", "yesterday" } << "--from";
    QTest::newRow("bad --to") << QStringList { "query", "s", "--to", "2026-13-45" } << "--to";
    QTest::newRow("bad --step") << QStringList { "query", "s", "--step", "5m" } << "--step";
    QTest::newRow("from after to")
        << QStringList { "query", "s", "--from", "-1h", "--to", "-2h" } << "is after --to";
    QTest::newRow("bad format") << QStringList { "query", "s", "--format", "xml" } << "--format";
    QTest::newRow("bad max-points")
        << QStringList { "query", "s", "--max-points", "0" } << "--max-points";
    QTest::newRow("query option on list")
        << QStringList { "list", "--step", "1m" } << "applies to query";
}

void tst_HistoryCommand::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    populate();
    const Run r = run(withDir(args));
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY(r.err.startsWith(QLatin1String("shivx history")));
    QVERIFY(r.out.isEmpty());
}

void tst_HistoryCommand::missingDatabaseIsNotCreated()
{
    const QString db = m_dir->filePath(QStringLiteral("shivx.db"));
    for (const QStringList &args : { QStringList { QStringLiteral("list") },
             QStringList { QStringLiteral("query"), QStringLiteral("x") } }) {
        const Run r = run(withDir(args));
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("no history exists at")) && r.err.contains(db),
            qPrintable(r.err));
        QVERIFY(!QFile::exists(db));
    }
}

void tst_HistoryCommand::list()
{
    populate();
    Run r = run(withDir({ QStringLiteral("list") }));
    QCOMPARE(r.code, 0);
    const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines.at(0).startsWith(QLatin1String("SERIES")));
    QVERIFY(lines.at(1).startsWith(QLatin1String("health.score")));
    QVERIFY(lines.at(2).contains(QLatin1String("2025-11-28T23:00:00.000Z")));
    QVERIFY(lines.at(2).contains(QLatin1String("2025-11-29T00:59:59.000Z")));

    r = run(withDir({ QStringLiteral("list"), QStringLiteral("--format"), QStringLiteral("csv") }));
    QCOMPARE(r.code, 0);
    QCOMPARE(r.out,
        QStringLiteral("series,first,last\n"
                       "health.score,2025-11-28T23:00:05.000Z,2025-11-28T23:00:05.000Z\n"
                       "host.cpu.percent,2025-11-28T23:00:00.000Z,2025-11-29T00:59:59.000Z\n"));
    r = run(
        withDir({ QStringLiteral("list"), QStringLiteral("--format"), QStringLiteral("json") }));
    QCOMPARE(r.code, 0);
    QCOMPARE(r.out.count(QLatin1Char('\n')), 1); // one compact document, one line
    QVERIFY(r.out.endsWith(QLatin1Char('\n')));
    const QJsonArray arr
        = QJsonDocument::fromJson(r.out.toUtf8()).object().value(QLatin1String("series")).toArray();
    QCOMPARE(arr.size(), 2);
    QCOMPARE(arr.at(1).toObject().value(QLatin1String("name")).toString(),
        QStringLiteral("host.cpu.percent"));
}

void tst_HistoryCommand::queryCsvAtEachStep_data()
{
    QTest::addColumn<QString>("step");
    QTest::addColumn<QString>("to");
    QTest::addColumn<int>("rows");
    QTest::addColumn<QString>("firstRow");
    QTest::newRow("1s") << "1s"
                        << "2025-11-28T23:00:02Z" << 3 << "2025-11-28T23:00:00.000Z,0,0,0,1";
    // Minute: values 0, 0.25 ... 14.75 -> avg 7.375
    QTest::newRow("1m") << "1m"
                        << "2025-11-28T23:59:59Z" << 60
                        << "2025-11-28T23:00:00.000Z,0,14.75,7.375,60";
    QTest::newRow("1h, sealed and pending hours")
        << "1h"
        << "2025-11-29T00:59:59Z" << 2 << "2025-11-28T23:00:00.000Z,0,14.75,7.375,3600";
    QTest::newRow("auto over 2 h -> 1m")
        << "auto"
        << "2025-11-29T00:59:59Z" << 120 << "2025-11-28T23:00:00.000Z,0,14.75,7.375,60";
}

void tst_HistoryCommand::queryCsvAtEachStep()
{
    QFETCH(QString, step);
    QFETCH(QString, to);
    QFETCH(int, rows);
    QFETCH(QString, firstRow);
    populate();
    const Run r = run(withDir({ QStringLiteral("query"), QStringLiteral("host.cpu.percent"),
        QStringLiteral("--from"), QStringLiteral("2025-11-28T23:00:00Z"), QStringLiteral("--to"),
        to, QStringLiteral("--step"), step }));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.value(0), QStringLiteral("ts,min,max,avg,count"));
    QCOMPARE(lines.size() - 1, rows);
    QCOMPARE(lines.value(1), firstRow);
}

void tst_HistoryCommand::queryJson()
{
    populate();
    const Run r = run(withDir({ QStringLiteral("query"), QStringLiteral("host.cpu.percent"),
        QStringLiteral("--from"), QString::number(T0), QStringLiteral("--to"),
        QStringLiteral("2025-11-29T00:00:00+01:00"), QStringLiteral("--step"), QStringLiteral("1m"),
        QStringLiteral("--format"), QStringLiteral("json") }));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(o.value(QLatin1String("series")).toString(), QStringLiteral("host.cpu.percent"));
    QCOMPARE(o.value(QLatin1String("resolution")).toString(), QStringLiteral("1m"));
    const QJsonArray points = o.value(QLatin1String("points")).toArray();
    QCOMPARE(points.size(), 1); // 00:00+01:00 is 23:00Z: one bucket
    const QJsonObject p = points.at(0).toObject();
    QCOMPARE(p.value(QLatin1String("ts")).toString(), QStringLiteral("2025-11-28T23:00:00.000Z"));
    QCOMPARE(p.value(QLatin1String("max")).toDouble(), 14.75);
    QCOMPARE(p.value(QLatin1String("avg")).toDouble(), 7.375);
    QCOMPARE(p.value(QLatin1String("count")).toInt(), 60);
}

void tst_HistoryCommand::queryEmptyRange()
{
    populate();
    const Run r = run(withDir({ QStringLiteral("query"), QStringLiteral("host.cpu.percent"),
        QStringLiteral("--from"), QStringLiteral("2020-01-01T00:00:00Z"), QStringLiteral("--to"),
        QStringLiteral("2020-01-02T00:00:00Z") }));
    QCOMPARE(r.code, 0);
    QCOMPARE(r.out, QStringLiteral("ts,min,max,avg,count\n"));
}

void tst_HistoryCommand::unknownSeries()
{
    populate();
    const Run r = run(withDir({ QStringLiteral("query"), QStringLiteral("no.such.series") }));
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains(QLatin1String("no series named \"no.such.series\"")));
}

void tst_HistoryCommand::corruptedDatabase()
{
    const QString db = m_dir->filePath(QStringLiteral("shivx.db"));
    {
        QFile f(db);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
    }
    const Run r = run(withDir({ QStringLiteral("list") }));
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(db) && r.err.contains(QLatin1String("not an SQLite database")),
        qPrintable(r.err));
    QFile f(db);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray(4096, 'x'));
}

QTEST_GUILESS_MAIN(tst_HistoryCommand)
#include "tst_historycommand.moc"
