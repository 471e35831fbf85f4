// CommandContext, the seam every `shivx` command goes through: where the data directory comes
// from, what a usage error looks like and which exit code it has, --format and its --json
// alias, subcommands, and the engine client it hands out.
#include "commandcontext.h"
#include "health/healthconfig.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;
using namespace Shivx::Cli;

namespace {

const char Usage[] = "Usage: shivx demo list|show NAME\n";
const char ExitText[] = "Exit status: 0 ok; 1 failure; 2 usage error.\n";

// A context declared like the commands that take everything: subcommands, the data
// directory and configuration, the engine, --format text|csv|json and the --json alias.
struct Demo
{
    QString out, err;
    QTextStream outStream { &out };
    QTextStream errStream { &err };
    CommandContext c { QStringLiteral("demo"), outStream, errStream };

    Demo()
    {
        c.setHelp(Usage, ExitText);
        c.setSubcommands(
            { QStringLiteral("list"), QStringLiteral("show"), QStringLiteral("key export") });
        c.addEngineOptions();
        c.addFormatOption({ CommandContext::Format::Text, CommandContext::Format::Csv,
                              CommandContext::Format::Json },
            QStringLiteral("list: text, csv or json"));
        c.addJsonAlias();
        c.addOption({ QStringLiteral("reason"), QString(), QStringLiteral("TEXT") });
    }
    // parse(): the exit code it ends with, or -1 when the command goes on.
    int parse(const QStringList &args) { return c.parse(args).value_or(-1); }
};

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

} // namespace

class tst_CommandContext : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void dataDir_data();
    void dataDir();
    void usageErrors_data();
    void usageErrors();
    void helpListsTheSharedOptionsTaken();
    void missingSubcommandPrintsHelp();
    void subcommandOfTwoWords();
    void formatPerSubcommand_data();
    void formatPerSubcommand();
    void failNamesCommandAndSubcommand();
    void failReplyExitCodes_data();
    void failReplyExitCodes();
    void configIsTheFileOrTheDefault();
    void engineFromUrlOrRecordedAddress();

private:
    QTemporaryDir m_dir;
    QString m_xdg;
};

void tst_CommandContext::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // The default data directory is $XDG_DATA_HOME/shivx: point it into the temporary dir.
    m_xdg = m_dir.filePath(QStringLiteral("xdg"));
    qputenv("XDG_DATA_HOME", m_xdg.toLocal8Bit());
    writeFile(m_dir.filePath(QStringLiteral("with-dir.yaml")),
        "engine:\n  data_dir: " + m_dir.filePath(QStringLiteral("from-config")).toUtf8() + "\n");
    writeFile(m_dir.filePath(QStringLiteral("without-dir.yaml")), "sampler: {interval: 2s}\n");
    writeFile(m_dir.filePath(QStringLiteral("bad.yaml")), "engine:\n  data_dri: /x\n");
}

void tst_CommandContext::dataDir_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    // @ stands for the temporary directory.
    QTest::newRow("--data-dir") << QStringList { "list", "--data-dir", "@/given" } << "@/given";
    QTest::newRow("--data-dir wins over engine.data_dir of --config") << QStringList { "list",
        "--config", "@/with-dir.yaml", "--data-dir", "@/given" } << "@/given";
    QTest::newRow("engine.data_dir of --config")
        << QStringList { "list", "--config", "@/with-dir.yaml" } << "@/from-config";
    QTest::newRow("--config without engine.data_dir -> default")
        << QStringList { "list", "--config", "@/without-dir.yaml" } << "@/xdg/shivx";
    QTest::newRow("default: $XDG_DATA_HOME/shivx") << QStringList { "list" } << "@/xdg/shivx";
    QTest::newRow("relative --data-dir is made absolute") << QStringList { "list", "--data-dir",
        "rel/dir" } << QDir::current().absoluteFilePath(QStringLiteral("rel/dir"));
}

void tst_CommandContext::dataDir()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    for (QString &a : args)
        a.replace(QLatin1Char('@'), m_dir.path());
    expected.replace(QLatin1Char('@'), m_dir.path());
    Demo d;
    QCOMPARE(d.parse(args), -1);
    QVERIFY2(d.err.isEmpty(), qPrintable(d.err));
    QCOMPARE(d.c.dataDir(), expected);
}

void tst_CommandContext::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown option") << QStringList { "list", "--bogus" }
                                    << "demo: Unknown option 'bogus'. (see shivx demo --help)";
    QTest::newRow("option without its value")
        << QStringList { "list", "--reason" } << "Missing value after '--reason'";
    QTest::newRow("unknown subcommand")
        << QStringList { "purge" }
        << "demo: unknown subcommand \"purge\" (expected list, show or key export; see shivx demo "
           "--help)";
    QTest::newRow("unknown second word of a two-word subcommand")
        << QStringList { "key", "import" } << "unknown subcommand \"key import\"";
    QTest::newRow("bad --config names the file and line") << QStringList { "list", "--config",
        "@/bad.yaml" } << "demo list: configuration error: @/bad.yaml:2: ";
    QTest::newRow("missing --config file names it") << QStringList { "list", "--config",
        "@/none.yaml" } << "demo list: configuration error: @/none.yaml: cannot read";
    QTest::newRow("empty --data-dir")
        << QStringList { "list", "--data-dir", "" } << "--data-dir needs a directory";
    QTest::newRow("empty --config")
        << QStringList { "list", "--config", "" } << "--config needs a file";
    QTest::newRow("--url that is not a URL") << QStringList { "list", "--url", "localhost" }
                                             << "--url localhost: expected http://HOST:PORT";
    QTest::newRow("unknown --format lists the formats") << QStringList { "list", "--format",
        "xml" } << "demo list: --format must be text, csv or json, not \"xml\"";
    QTest::newRow("--json with another --format") << QStringList { "list", "--json", "--format",
        "csv" } << "--json means --format json, not --format csv";
}

void tst_CommandContext::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    for (QString &a : args)
        a.replace(QLatin1Char('@'), m_dir.path());
    message.replace(QLatin1Char('@'), m_dir.path());
    Demo d;
    QCOMPARE(d.parse(args), int(ExitUsage));
    QVERIFY2(d.err.startsWith(QLatin1String("shivx demo")), qPrintable(d.err));
    QVERIFY2(d.err.contains(message), qPrintable(d.err));
    QCOMPARE(d.err.count(QLatin1Char('\n')), 1); // one line, no help dumped after it
    QVERIFY(d.out.isEmpty());
}

void tst_CommandContext::helpListsTheSharedOptionsTaken()
{
    for (const QStringList &args :
        { QStringList { QStringLiteral("--help") }, QStringList { QStringLiteral("help") },
            QStringList { QStringLiteral("show"), QStringLiteral("-h") } }) {
        Demo d;
        QCOMPARE(d.parse(args), int(ExitOk));
        QVERIFY(d.out.startsWith(QLatin1String(Usage)));
        for (const char *option : { "--data-dir DIR", "--config FILE", "--url URL", "--format F",
                 "--json", "-h, --help" })
            QVERIFY2(d.out.contains(QLatin1String(option)), option);
        QVERIFY(d.out.endsWith(QLatin1String(ExitText)));
        QVERIFY(d.err.isEmpty());
    }

    // A command that declares less shows less.
    QString out, err;
    QTextStream o(&out), e(&err);
    CommandContext c(QStringLiteral("plain"), o, e);
    c.setHelp(Usage, ExitText);
    QCOMPARE(c.parse({ QStringLiteral("--help") }).value_or(-1), int(ExitOk));
    QVERIFY(out.contains(QLatin1String("-h, --help")));
    for (const char *option : { "--data-dir", "--config", "--url", "--format", "--json" })
        QVERIFY2(!out.contains(QLatin1String(option)), option);
    // And refuses what it did not declare.
    QCOMPARE(c.parse({ QStringLiteral("--data-dir"), QStringLiteral("/x") }).value_or(-1),
        int(ExitUsage));
}

void tst_CommandContext::missingSubcommandPrintsHelp()
{
    Demo d;
    QCOMPARE(d.parse({ QStringLiteral("--data-dir"), m_dir.path() }), int(ExitUsage));
    QVERIFY2(d.err.startsWith(QLatin1String("shivx demo: missing subcommand\n\nUsage: ")),
        qPrintable(d.err));
    QVERIFY(d.out.isEmpty());
}

void tst_CommandContext::subcommandOfTwoWords()
{
    Demo d;
    QCOMPARE(
        d.parse({ QStringLiteral("key"), QStringLiteral("export"), QStringLiteral("extra") }), -1);
    QCOMPARE(d.c.subcommand(), QStringLiteral("key export"));
    QCOMPARE(d.c.arguments(), QStringList { QStringLiteral("extra") });
    QVERIFY(!d.c.rejectArgumentsBeyond(1));
    QCOMPARE(d.c.rejectArgumentsBeyond(0).value_or(-1), int(ExitUsage));
    QCOMPARE(d.err, QStringLiteral("shivx demo key export: unexpected argument \"extra\"\n"));
}

void tst_CommandContext::formatPerSubcommand_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("formats");
    QTest::addColumn<QString>("format"); // empty: an error
    QTest::newRow("default is the first of the subcommand's")
        << QStringList {} << QStringList { "csv", "json" } << "csv";
    QTest::newRow("--format json")
        << QStringList { "--format", "json" } << QStringList { "text", "json" } << "json";
    QTest::newRow("--json is --format json")
        << QStringList { "--json" } << QStringList { "text", "json" } << "json";
    QTest::newRow("--json and --format json together")
        << QStringList { "--json", "--format", "json" } << QStringList { "text", "json" } << "json";
    QTest::newRow("a format of the command, not of this subcommand")
        << QStringList { "--format", "text" } << QStringList { "csv", "json" } << "";
}

void tst_CommandContext::formatPerSubcommand()
{
    QFETCH(QStringList, args);
    QFETCH(QStringList, formats);
    QFETCH(QString, format);
    Demo d;
    QCOMPARE(d.parse(QStringList { QStringLiteral("show"), QStringLiteral("x") } + args), -1);
    const Result<QString> chosen = d.c.format(formats);
    if (format.isEmpty()) {
        QVERIFY(!chosen);
        QCOMPARE(
            chosen.error().message, QStringLiteral("--format must be csv or json, not \"text\""));
    } else {
        QVERIFY(chosen);
        QCOMPARE(*chosen, format);
    }
}

void tst_CommandContext::failNamesCommandAndSubcommand()
{
    Demo d;
    QCOMPARE(d.parse({ QStringLiteral("show"), QStringLiteral("x") }), -1);
    d.c.out() << "partial";
    QCOMPARE(d.c.fail(ExitFailure, QStringLiteral("it broke")), int(ExitFailure));
    QCOMPARE(d.err, QStringLiteral("shivx demo show: it broke\n"));
    QCOMPARE(d.out, QStringLiteral("partial")); // flushed before the error line
}

void tst_CommandContext::failReplyExitCodes_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("line");
    QTest::newRow("400: our arguments -> usage")
        << 400 << "for: 30d is outside 1s .. 7d" << int(ExitUsage)
        << "shivx demo list: engine answered HTTP 400: for: 30d is outside 1s .. 7d\n";
    QTest::newRow("401 -> failure") << 401 << "missing or wrong bearer token" << int(ExitFailure)
                                    << "shivx demo list: engine answered HTTP 401: missing or "
                                       "wrong bearer token\n";
    QTest::newRow("404 -> failure")
        << 404 << "no supervised process named \"x\"" << int(ExitFailure)
        << "shivx demo list: engine answered HTTP 404: no supervised "
           "process named \"x\"\n";
    QTest::newRow("500 without a message")
        << 500 << "" << int(ExitFailure) << "shivx demo list: engine answered HTTP 500\n";
}

void tst_CommandContext::failReplyExitCodes()
{
    QFETCH(int, status);
    QFETCH(QString, message);
    QFETCH(int, code);
    QFETCH(QString, line);
    Demo d;
    QCOMPARE(d.parse({ QStringLiteral("list") }), -1);
    EngineClient::Reply reply;
    reply.status = status;
    if (!message.isEmpty())
        reply.body.insert(QStringLiteral("message"), message);
    QCOMPARE(d.c.failReply(reply), code);
    QCOMPARE(d.err, line);
}

void tst_CommandContext::configIsTheFileOrTheDefault()
{
    Demo withFile;
    QCOMPARE(withFile.parse({ QStringLiteral("list"), QStringLiteral("--config"),
                 m_dir.filePath(QStringLiteral("without-dir.yaml")) }),
        -1);
    QCOMPARE(withFile.c.config().section<HealthConfig>().sampleIntervalMs, qint64(2000));
    QCOMPARE(withFile.c.configPath(), m_dir.filePath(QStringLiteral("without-dir.yaml")));
    Demo withoutFile;
    QCOMPARE(withoutFile.parse({ QStringLiteral("list") }), -1);
    QCOMPARE(withoutFile.c.config().sourceFile, ConfigLoader::defaultResourcePath());
    QVERIFY(withoutFile.c.configPath().isEmpty());
}

void tst_CommandContext::engineFromUrlOrRecordedAddress()
{
    QTemporaryDir data;
    writeFile(data.filePath(QStringLiteral("api-token")), QByteArray(64, 'a') + "\n");
    QFile::setPermissions(
        data.filePath(QStringLiteral("api-token")), QFile::ReadOwner | QFile::WriteOwner);

    Demo noEngine;
    QCOMPARE(
        noEngine.parse({ QStringLiteral("list"), QStringLiteral("--data-dir"), data.path() }), -1);
    const auto missing = noEngine.c.engine();
    QVERIFY(!missing);
    QVERIFY2(missing.error().message.contains(data.filePath(QStringLiteral("api-address")))
            && missing.error().message.contains(QLatin1String("no running engine")),
        qPrintable(missing.error().message));

    writeFile(data.filePath(QStringLiteral("api-address")), "http://127.0.0.1:4711\n");
    Demo recorded;
    QCOMPARE(
        recorded.parse({ QStringLiteral("list"), QStringLiteral("--data-dir"), data.path() }), -1);
    const auto fromFile = recorded.c.engine();
    QVERIFY2(fromFile, fromFile ? "" : qPrintable(fromFile.error().message));
    QCOMPARE(fromFile->baseUrl(), QUrl(QStringLiteral("http://127.0.0.1:4711")));

    Demo given;
    QCOMPARE(given.parse({ QStringLiteral("list"), QStringLiteral("--data-dir"), data.path(),
                 QStringLiteral("--url"), QStringLiteral("http://[::1]:9") }),
        -1);
    const auto fromUrl = given.c.engine();
    QVERIFY(fromUrl);
    QCOMPARE(fromUrl->baseUrl(), QUrl(QStringLiteral("http://[::1]:9")));
}

QTEST_GUILESS_MAIN(tst_CommandContext)
#include "tst_commandcontext.moc"
