// SIGHUP to the real `shivx serve` applies changed supervise: settings: a process whose
// command line changed is restarted with it, one whose other settings changed keeps running
// with them, a new one starts, a removed one is stopped and forgotten, an unchanged one is
// not touched; each is audited.
#include "servefixture.h"
#include "supervisorfixture.h"

#include <QJsonArray>
#include <QTest>

#include <csignal>

using namespace ShivxTest;

namespace {

QString entry(
    const QString &name, const QString &args, const QString &stopTimeout = QStringLiteral("3s"))
{
    return QStringLiteral(R"(  - name: %1
    type: process
    process_name: shivx_test_child
    interval: 1s
    supervise:
      command: %2
      args: [%3]
      stop_timeout: %4
)")
        .arg(name, ChildProgram, args, stopTimeout);
}

QByteArray cmdline(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/cmdline").arg(pid));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class tst_ProcessReloadServe : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<ServeProcess> m_serve;

    QJsonObject process(const QString &name)
    {
        for (const QJsonValue &v : processes()) {
            if (v.toObject().value(QStringLiteral("name")).toString() == name)
                return v.toObject();
        }
        return {};
    }
    QJsonArray processes()
    {
        return httpRequest(m_serve->url().resolved(QUrl(QStringLiteral("/api/processes"))))
            .json.value(QStringLiteral("processes"))
            .toArray();
    }
    QStringList names()
    {
        QStringList out;
        for (const QJsonValue &v : processes())
            out.append(v.toObject().value(QStringLiteral("name")).toString());
        return out;
    }
    qint64 runningPid(const QString &name)
    {
        const QJsonObject p = process(name);
        return p.value(QStringLiteral("state")).toString() == QLatin1String("running")
            ? p.value(QStringLiteral("pid")).toInteger()
            : 0;
    }
    QByteArray audit()
    {
        return runCli(
            { QStringLiteral("audit"), QStringLiteral("tail"), QStringLiteral("-n"),
                QStringLiteral("1000"), QStringLiteral("--stream"), QStringLiteral("resilience"),
                QStringLiteral("--data-dir"), m_serve->dataDir() })
            .out;
    }

private Q_SLOTS:
    void sighupAppliesSupervision()
    {
        const QString hang = QStringLiteral("--hang");
        m_serve = std::make_unique<ServeProcess>(QStringLiteral("targets:\n")
            + entry(QStringLiteral("same"), hang) + entry(QStringLiteral("changed"), hang)
            + entry(QStringLiteral("tuned"), hang) + entry(QStringLiteral("dropped"), hang));
        QVERIFY2(m_serve->start(), m_serve->output().constData());
        for (const char *name : { "same", "changed", "tuned", "dropped" })
            QTRY_VERIFY2(runningPid(QString::fromLatin1(name)) > 0, name);
        const qint64 same = runningPid(QStringLiteral("same"));
        const qint64 changed = runningPid(QStringLiteral("changed"));
        const qint64 tuned = runningPid(QStringLiteral("tuned"));
        const qint64 dropped = runningPid(QStringLiteral("dropped"));

        QFile config(m_serve->configPath());
        QVERIFY(config.open(QIODevice::WriteOnly | QIODevice::Truncate));
        config.write((QStringLiteral("targets:\n") + entry(QStringLiteral("same"), hang)
            + entry(QStringLiteral("changed"), QStringLiteral("--sleep, \"1\", --hang"))
            + entry(QStringLiteral("added"), hang)
            + entry(QStringLiteral("tuned"), hang, QStringLiteral("2s")))
                         .toUtf8());
        config.close();
        ::kill(pid_t(m_serve->process().processId()), SIGHUP);
        QTRY_VERIFY(m_serve->output().contains("received SIGHUP, configuration reloaded"));

        // Changed command line: restarted with it.
        QTRY_VERIFY(runningPid(QStringLiteral("changed")) > 0
            && runningPid(QStringLiteral("changed")) != changed);
        QVERIFY(!isAlive(changed));
        QVERIFY(cmdline(runningPid(QStringLiteral("changed"))).contains("--sleep"));
        // New: started. Removed: stopped and gone from the list, its process too.
        QTRY_VERIFY(runningPid(QStringLiteral("added")) > 0);
        QTRY_COMPARE(names(),
            (QStringList { QStringLiteral("same"), QStringLiteral("changed"),
                QStringLiteral("added"), QStringLiteral("tuned") }));
        QVERIFY(!isAlive(dropped));
        // Other settings changed: keeps running; unchanged: untouched.
        QCOMPARE(runningPid(QStringLiteral("tuned")), tuned);
        QCOMPARE(runningPid(QStringLiteral("same")), same);

        const QByteArray a = audit();
        QVERIFY2(a.contains("process.reconfigured  {\"changed\":\"args\",\"process\":\"changed\","
                            "\"restart\":true}"),
            a.constData());
        QVERIFY2(a.contains("process.reconfigured  {\"changed\":\"stop_timeout\",\"process\":"
                            "\"tuned\",\"restart\":false}"),
            a.constData());
        QVERIFY2(a.contains("process.added  {\"process\":\"added\"}"), a.constData());
        QVERIFY2(a.contains("process.removed  {\"process\":\"dropped\"}"), a.constData());
        QVERIFY(!a.contains("\"process\":\"same\",\"restart\":"));
        QCOMPARE(a.count("\"process\":\"same\",\"restarts\":"), 1); // started once

        // A removed process is no longer controllable.
        const HttpAnswer r = httpRequest(
            m_serve->url().resolved(QUrl(QStringLiteral("/api/processes/dropped/restart"))), "POST",
            {}, m_serve->apiToken());
        QCOMPARE(r.status, 404);

        const QList<qint64> running { runningPid(QStringLiteral("same")),
            runningPid(QStringLiteral("changed")), runningPid(QStringLiteral("added")),
            runningPid(QStringLiteral("tuned")) };
        QCOMPARE(m_serve->terminate(), 0);
        for (qint64 pid : running)
            QTRY_VERIFY(!isAlive(pid));
    }
};

QTEST_GUILESS_MAIN(tst_ProcessReloadServe)
#include "tst_processreload_serve.moc"
