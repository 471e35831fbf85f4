// The registry main() dispatches through, and the shape every registered command shares: the
// same --help layout, the same usage-error line and exit code, and the data directory taken
// from --config's engine.data_dir. Commands run in-process, with their streams captured.
#include "commands.h"

#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

using namespace Shivx::Cli;

namespace {

struct Run
{
    int code = -1;
    QString out;
    QString err;
};

Run run(const QString &command, const QStringList &args)
{
    Run r;
    const Command *c = findCommand(command);
    if (!c)
        return r;
    QTextStream out(&r.out), err(&r.err);
    r.code = c->run(args, out, err);
    out.flush();
    err.flush();
    return r;
}

} // namespace

class tst_Commands : public QObject
{
    Q_OBJECT

private slots:
    void registry();
    void help_data();
    void help();
    void unknownOptionIsUsage_data();
    void unknownOptionIsUsage();
    void dataDirFromConfig_data();
    void dataDirFromConfig();

private:
    void everyCommand();
};

void tst_Commands::registry()
{
    QSet<QString> names;
    for (const Command &c : commands()) {
        QVERIFY(c.run);
        QVERIFY(qstrlen(c.summary) > 0);
        QVERIFY2(!names.contains(QLatin1String(c.name)), c.name);
        names.insert(QLatin1String(c.name));
        QVERIFY(findCommand(QString::fromLatin1(c.name))->run == c.run);
        // Only serve keeps SIGHUP for itself (configuration reload).
        QCOMPARE(c.handlesHangup, qstrcmp(c.name, "serve") == 0);
    }
    for (const char *name : { "serve", "history", "audit", "breaker", "process", "degrade" })
        QVERIFY2(names.contains(QLatin1String(name)), name);
    QVERIFY(!findCommand(u"nope"));
    QVERIFY(!findCommand(u""));
}

void tst_Commands::everyCommand()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("prefix");
    for (const Command &c : commands())
        QTest::newRow(c.name) << QString::fromLatin1(c.name) << QStringList {};
    QTest::newRow("audit verify") << QStringLiteral("audit")
                                  << QStringList { QStringLiteral("verify") };
}

void tst_Commands::help_data()
{
    everyCommand();
}

void tst_Commands::help()
{
    QFETCH(QString, command);
    QFETCH(QStringList, prefix);
    const Run r = run(command, prefix + QStringList { QStringLiteral("--help") });
    QCOMPARE(r.code, 0);
    const QString name = (QStringList { command } + prefix).join(QLatin1Char(' '));
    QVERIFY2(r.out.startsWith(QStringLiteral("Usage: shivx %1").arg(name)), qPrintable(r.out));
    QVERIFY(r.out.contains(QLatin1String("\nCommon options:\n")));
    // Every command takes the data directory and --config the same way.
    QVERIFY(r.out.contains(QLatin1String("  --data-dir DIR      data directory (default: "
                                         "engine.data_dir of --config, else\n")));
    QVERIFY(r.out.contains(QLatin1String("  --config FILE ")));
    QVERIFY(r.out.contains(QLatin1String("\nExit status: 0 ")));
    QVERIFY(r.err.isEmpty());
}

void tst_Commands::unknownOptionIsUsage_data()
{
    everyCommand();
}

void tst_Commands::unknownOptionIsUsage()
{
    QFETCH(QString, command);
    QFETCH(QStringList, prefix);
    const Run r = run(command, prefix + QStringList { QStringLiteral("--bogus") });
    QCOMPARE(r.code, 2);
    const QString name = (QStringList { command } + prefix).join(QLatin1Char(' '));
    QVERIFY2(r.err.startsWith(QStringLiteral("shivx %1").arg(name)), qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("Unknown option 'bogus'")), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void tst_Commands::dataDirFromConfig_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message"); // @ is the data directory the file names
    QTest::newRow("history list") << "history" << QStringList { "list" } << 1
                                  << "no history exists at @/shivx.db";
    QTest::newRow("history query")
        << "history" << QStringList { "query", "s" } << 1 << "no history exists at @/shivx.db";
    QTest::newRow("audit tail") << "audit" << QStringList { "tail" } << 1
                                << "no audit log in @/audit";
    QTest::newRow("audit key export")
        << "audit" << QStringList { "key", "export" } << 1 << "no checkpoint key at @/audit/keys/";
    QTest::newRow("audit verify") << "audit" << QStringList { "verify" } << 2
                                  << "data directory @ does not exist";
    QTest::newRow("breaker list") << "breaker" << QStringList { "list" } << 1
                                  << "no running engine recorded in @/api-address";
    QTest::newRow("process list") << "process" << QStringList { "list" } << 1
                                  << "no running engine recorded in @/api-address";
    QTest::newRow("degrade status") << "degrade" << QStringList { "status" } << 1
                                    << "no running engine recorded in @/api-address";
}

// The commands that read the data directory find it through --config alone. serve is left
// out: it would start an engine (tst_serve runs it); it hands the same directory to Engine.
void tst_Commands::dataDirFromConfig()
{
    QFETCH(QString, command);
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString dataDir = dir.filePath(QStringLiteral("configured"));
    const QString config = dir.filePath(QStringLiteral("shivx.yaml"));
    QFile f(config);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("engine:\n  data_dir: " + dataDir.toUtf8() + "\n");
    f.close();
    const Run r = run(command, args + QStringList { QStringLiteral("--config"), config });
    QCOMPARE(r.code, code);
    QVERIFY2(r.err.contains(message.replace(QLatin1Char('@'), dataDir)), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
    QVERIFY(!QFile::exists(dataDir)); // reading commands never create it
}

QTEST_GUILESS_MAIN(tst_Commands)
#include "tst_commands.moc"
