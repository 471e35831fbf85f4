// `shivx audit` as scripts use it: the real binary, a temporary data directory.
#include "audit/checkpointkey.h"
#include "audit/segmentfiles.h"
#include "auditchaincheck.h"
#include "core/operatoridentity.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

namespace {

struct Run
{
    int code = -1;
    QByteArray out, err;
};

Run shivx(const QStringList &args, const QString &dataDir)
{
    QProcess p;
    // $USER is not trusted for the actor: the password database names who ran the command.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("USER"), QStringLiteral("someone-else"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SHIVX_CLI),
        QStringList { QStringLiteral("audit") } + args
            + QStringList { QStringLiteral("--data-dir"), dataDir });
    p.waitForFinished(30000);
    return Run { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
        p.readAllStandardOutput(), p.readAllStandardError() };
}

} // namespace

class TstAuditCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void appendWritesAnOperatorEntry()
    {
        QTemporaryDir dir;
        const Run r = shivx(
            { QStringLiteral("append"), QStringLiteral("--action"),
                QStringLiteral("maintenance.started"), QStringLiteral("--data"),
                QStringLiteral(
                    "{\"ticket\":\"OPS-7\",\"hosts\":3,\"note\":\"caf\u00e9 \\\"x\\\"\"}") },
            dir.path());
        QVERIFY2(r.code == 0, r.err.constData());
        const ChainCheck c
            = checkChain(AuditFiles::streamDir(dir.path(), QStringLiteral("operator")));
        QVERIFY2(c.ok(), qPrintable(c.error));
        QCOMPARE(c.entries.size(), 1);
        QCOMPARE(c.entries.first().actor, OperatorIdentity::actor(QStringLiteral("cli")));
        QCOMPARE(c.entries.first().data.value(QStringLiteral("hosts")).toInt(), 3);
        QCOMPARE(c.entries.first().data.value(QStringLiteral("note")).toString(),
            QString::fromUtf8("caf\xc3\xa9 \"x\""));
    }

    void appendRejects_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString a = QStringLiteral("append"), act = QStringLiteral("--action"),
                      data = QStringLiteral("--data");
        QTest::newRow("decimal") << QStringList { a, act, QStringLiteral("x"), data,
            QStringLiteral("{\"load\":0.5}") }
                                 << QStringLiteral("--data: 0.5 is not an integer");
        QTest::newRow("integral decimal 1.0") << QStringList { a, act, QStringLiteral("x"), data,
            QStringLiteral("{\"n\":[1.0]}") } << QStringLiteral("--data: 1.0 is not an integer");
        QTest::newRow("exponent") << QStringList { a, act, QStringLiteral("x"), data,
            QStringLiteral("{\"n\":1e3}") }
                                  << QStringLiteral("--data: 1e3 is not an integer");
        QTest::newRow("not an object") << QStringList { a, act, QStringLiteral("x"), data,
            QStringLiteral("[1,2]") } << QStringLiteral("--data must be a JSON object");
        QTest::newRow("not JSON") << QStringList { a, act, QStringLiteral("x"), data,
            QStringLiteral("{oops") }
                                  << QStringLiteral("--data is not JSON");
        QTest::newRow("missing action") << QStringList { a, data, QStringLiteral("{}") }
                                        << QStringLiteral("--action NAME is required");
        QTest::newRow("bad stream") << QStringList { a, act, QStringLiteral("x"),
            QStringLiteral("--stream"), QStringLiteral("../etc") }
                                    << QStringLiteral("--stream \"../etc\" is not a stream name");
    }
    void appendRejects()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const Run r = shivx(args, dir.path());
        QCOMPARE(r.code, 2);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
        QVERIFY(!QFile::exists(AuditFiles::streamDir(dir.path(), QStringLiteral("operator"))
            + QStringLiteral("/head.json")));
    }

    void decimalsInStringsAreFine()
    {
        QTemporaryDir dir;
        const Run r = shivx({ QStringLiteral("append"), QStringLiteral("--action"),
                                QStringLiteral("x"), QStringLiteral("--data"),
                                QStringLiteral("{\"load\":\"0.5\",\"s\":\"1e3 \\\"2.5\\\"\"}") },
            dir.path());
        QVERIFY2(r.code == 0, r.err.constData());
    }

    void tailPrintsRecentEntries()
    {
        QTemporaryDir dir;
        for (int i = 0; i < 5; ++i)
            QCOMPARE(shivx({ QStringLiteral("append"), QStringLiteral("--action"),
                               QStringLiteral("step.%1").arg(i) },
                         dir.path())
                         .code,
                0);
        Run r = shivx(
            { QStringLiteral("tail"), QStringLiteral("-n"), QStringLiteral("2") }, dir.path());
        QCOMPARE(r.code, 0);
        const QStringList lines
            = QString::fromUtf8(r.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines.at(0).contains(QStringLiteral("operator  #4  %1  step.3  {}")
                                         .arg(OperatorIdentity::actor(QStringLiteral("cli")))));
        QVERIFY(lines.at(1).contains(QStringLiteral("#5")));
        r = shivx({ QStringLiteral("tail"), QStringLiteral("--stream"), QStringLiteral("operator"),
                      QStringLiteral("--json"), QStringLiteral("-n"), QStringLiteral("1") },
            dir.path());
        QFile seg(AuditFiles::streamDir(dir.path(), QStringLiteral("operator"))
            + QStringLiteral("/seg-000001.ndjson"));
        QVERIFY(seg.open(QIODevice::ReadOnly));
        QCOMPARE(r.out, AuditFiles::splitLines(seg.readAll()).last().text + '\n');
        r = shivx({ QStringLiteral("tail"), QStringLiteral("--stream"), QStringLiteral("nope") },
            dir.path());
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains("no stream \"nope\""));
    }

    void checkpointExportIsAVerifiableWitness()
    {
        QTemporaryDir dir;
        QCOMPARE(
            shivx({ QStringLiteral("append"), QStringLiteral("--action"), QStringLiteral("a") },
                dir.path())
                .code,
            0);
        QCOMPARE(
            shivx({ QStringLiteral("append"), QStringLiteral("--stream"),
                      QStringLiteral("security"), QStringLiteral("--action"), QStringLiteral("b") },
                dir.path())
                .code,
            0);
        const QString out = dir.filePath(QStringLiteral("witness.json"));
        const Run r = shivx({ QStringLiteral("checkpoint"), QStringLiteral("export"),
                                QStringLiteral("--out"), out },
            dir.path());
        QVERIFY2(r.code == 0, r.err.constData());
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject w = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(w.keys(),
            (QStringList { QStringLiteral("checkpoints"), QStringLiteral("exported_at"),
                QStringLiteral("key_fingerprint"), QStringLiteral("public_key_pem") }));
        auto key = CheckpointKey::loadPublicPem(
            w.value(QStringLiteral("public_key_pem")).toString().toLatin1(), out);
        QVERIFY(key.ok());
        QCOMPARE(
            key->fingerprint(), w.value(QStringLiteral("key_fingerprint")).toString().toLatin1());
        const QJsonArray cps = w.value(QStringLiteral("checkpoints")).toArray();
        QCOMPARE(cps.size(), 2);
        for (const QJsonValue &v : cps) {
            auto cp = Checkpoint::parse(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
            QVERIFY(cp.ok());
            QVERIFY(key->verify(*cp));
            QCOMPARE(cp->seq, 1);
            const ChainCheck c = checkChain(AuditFiles::streamDir(dir.path(), cp->stream));
            QCOMPARE(cp->hash, c.entries.last().hash);
        }
        // The same checkpoints were appended to the streams' checkpoint files.
        QVERIFY(QFile::exists(AuditFiles::checkpointsPath(
            AuditFiles::streamDir(dir.path(), QStringLiteral("security")))));
    }

    void keyExport()
    {
        QTemporaryDir dir;
        Run r = shivx({ QStringLiteral("key"), QStringLiteral("export") }, dir.path());
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains("no checkpoint key"));
        QCOMPARE(
            shivx({ QStringLiteral("append"), QStringLiteral("--action"), QStringLiteral("a") },
                dir.path())
                .code,
            0);
        r = shivx({ QStringLiteral("key"), QStringLiteral("export") }, dir.path());
        QCOMPARE(r.code, 0);
        QFile pub(CheckpointKey::publicKeyPath(AuditFiles::keysDir(dir.path())));
        QVERIFY(pub.open(QIODevice::ReadOnly));
        QCOMPARE(r.out, pub.readAll());
        QVERIFY(r.out.startsWith("-----BEGIN PUBLIC KEY-----"));
    }
};

QTEST_GUILESS_MAIN(TstAuditCli)
#include "tst_auditcli.moc"
