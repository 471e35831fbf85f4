// `shivx audit tail` and `shivx audit verify` in-process on a chain the command itself
// appended (the real AuditWriter): --format json prints documents that parse, one per line;
// --json stays the same as --format json; verify's JSON is the report format it writes with
// --report FILE.json, and its exit code still says intact or tampered.
#include "auditcommand.h"

#include "audit/segmentfiles.h"
#include "audit/verify/verifyreportjson.h"
#include "core/operatoridentity.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

using namespace Shivx;

namespace {

struct Run
{
    int code = -1;
    QString out;
    QString err;
};

// Each line of `text` as a JSON object; fails the test for a line that is not one.
QList<QJsonObject> jsonLines(const QString &text)
{
    QList<QJsonObject> objects;
    for (const QString &line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            qWarning("not a JSON object: %s", qPrintable(line));
            return {};
        }
        objects.append(doc.object());
    }
    return objects;
}

} // namespace

class tst_AuditCommand : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void tailJson();
    void verifyJson_data();
    void verifyJson();

private:
    Run audit(const QStringList &args)
    {
        Run r;
        QTextStream out(&r.out), err(&r.err);
        r.code = Cli::auditCommand(
            args + QStringList { QStringLiteral("--data-dir"), m_dir->path() }, out, err);
        out.flush();
        err.flush();
        return r;
    }
    void appendThree();

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_AuditCommand::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_AuditCommand::appendThree()
{
    for (int i = 1; i <= 3; ++i) {
        const Run r = audit(
            { QStringLiteral("append"), QStringLiteral("--action"), QStringLiteral("test.step"),
                QStringLiteral("--data"), QStringLiteral("{\"i\":%1}").arg(i) });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }
}

void tst_AuditCommand::tailJson()
{
    appendThree();
    const Run r = audit({ QStringLiteral("tail"), QStringLiteral("-n"), QStringLiteral("2"),
        QStringLiteral("--format"), QStringLiteral("json") });
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QList<QJsonObject> entries = jsonLines(r.out);
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).value(QLatin1String("seq")).toInt(), 2);
    QCOMPARE(entries.at(1).value(QLatin1String("seq")).toInt(), 3);
    QCOMPARE(entries.at(1).value(QLatin1String("actor")).toString(),
        OperatorIdentity::actor(QStringLiteral("cli")));
    QCOMPARE(entries.at(1).value(QLatin1String("data")).toObject().value(QLatin1String("i")),
        QJsonValue(3));
    // The lines are the stored ones, byte for byte.
    QFile seg(AuditFiles::streamDir(m_dir->path(), QStringLiteral("operator"))
        + QStringLiteral("/seg-000001.ndjson"));
    QVERIFY(seg.open(QIODevice::ReadOnly));
    QVERIFY(seg.readAll().endsWith(r.out.toUtf8()));

    // --json is still --format json.
    const Run alias = audit({ QStringLiteral("tail"), QStringLiteral("-n"), QStringLiteral("2"),
        QStringLiteral("--json") });
    QCOMPARE(alias.code, 0);
    QCOMPARE(alias.out, r.out);
    // Text stays the default.
    const Run text = audit({ QStringLiteral("tail"), QStringLiteral("-n"), QStringLiteral("1") });
    QCOMPARE(text.code, 0);
    QVERIFY2(text.out.contains(QLatin1String("  operator  #3  ")), qPrintable(text.out));

    const Run csv
        = audit({ QStringLiteral("tail"), QStringLiteral("--format"), QStringLiteral("csv") });
    QCOMPARE(csv.code, 2);
    QVERIFY2(csv.err.startsWith(
                 QLatin1String("shivx audit tail: --format must be text or json, not \"csv\"")),
        qPrintable(csv.err));
}

void tst_AuditCommand::verifyJson_data()
{
    QTest::addColumn<bool>("tamper");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("verdict");
    QTest::newRow("intact -> 0") << false << 0 << "intact";
    QTest::newRow("tampered -> 1") << true << 1 << "tampered";
}

void tst_AuditCommand::verifyJson()
{
    QFETCH(bool, tamper);
    QFETCH(int, code);
    QFETCH(QString, verdict);
    appendThree();
    if (tamper) {
        QFile seg(AuditFiles::streamDir(m_dir->path(), QStringLiteral("operator"))
            + QStringLiteral("/seg-000001.ndjson"));
        QVERIFY(seg.open(QIODevice::ReadWrite));
        QByteArray bytes = seg.readAll();
        const qsizetype at = bytes.indexOf("{\"i\":2}");
        QVERIFY(at > 0);
        bytes[at + 5] = '7'; // same length, different hash
        QVERIFY(seg.seek(0));
        QCOMPARE(seg.write(bytes), bytes.size());
    }
    const QString reportFile = m_dir->filePath(QStringLiteral("report.json"));
    const Run r = audit({ QStringLiteral("verify"), QStringLiteral("--format"),
        QStringLiteral("json"), QStringLiteral("--report"), reportFile });
    QCOMPARE(r.code, code);
    QVERIFY2(r.out.endsWith(QLatin1Char('\n')) && r.out.count(QLatin1Char('\n')) == 1,
        qPrintable(r.out)); // one compact document on one line
    const QList<QJsonObject> docs = jsonLines(r.out);
    QCOMPARE(docs.size(), 1);
    const QJsonObject report = docs.constFirst();
    QCOMPARE(
        report.value(QLatin1String("format")).toString(), QLatin1String(VerifyReportJson::Format));
    QCOMPARE(report.value(QLatin1String("verdict")).toString(), verdict);
    const auto parsed = VerifyReportJson::fromJson(report);
    QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
    const auto op = std::find_if(parsed->streams.cbegin(), parsed->streams.cend(),
        [](const StreamSummary &s) { return s.name == QLatin1String("operator"); });
    QVERIFY(op != parsed->streams.cend());
    QCOMPARE(op->intact, !tamper);
    QCOMPARE(parsed->findings.size(), tamper ? 1 : 0);
    if (tamper) {
        QCOMPARE(parsed->findings.constFirst().stream, QStringLiteral("operator"));
        QCOMPARE(parsed->findings.constFirst().seq, 2);
    }

    // The same report as --report FILE.json writes (that one is indented).
    QFile f(reportFile);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(f.readAll()).object(), report);
}

QTEST_GUILESS_MAIN(tst_AuditCommand)
#include "tst_auditcommand.moc"
