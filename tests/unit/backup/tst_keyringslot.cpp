// Keyring key slots against a real Secret Service: a private session bus (dbus-daemon) with
// its own unlocked gnome-keyring in a temporary home, never the desktop's. `shivx backup` as
// child processes adds a keyring slot, unlocks with it and no passphrase, removes it (and its
// keyring entry); without a Secret Service the keyring is a clear error and the engine's order
// falls back to the passphrase, saying so.
#include "backupfixture.h"

#include "backup/keyring.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <unistd.h>

using namespace BackupFixture;

namespace {

struct Run
{
    int code = -1;
    QString out;
    QString err;
};

} // namespace

class TstKeyringSlot : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_config;
    QString m_bus;
    QProcess m_busDaemon;
    QProcess m_keyring;

    QString repo() const { return m_dir.filePath("repo"); }

    QProcessEnvironment env(bool passphrase, const QString &bus) const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.remove("SHIVX_BACKUP_PASSWORD");
        if (passphrase)
            e.insert("SHIVX_BACKUP_PASSWORD", "s3cret phrase");
        e.insert("DBUS_SESSION_BUS_ADDRESS", bus);
        e.insert("HOME", m_dir.filePath("home"));
        e.insert("XDG_DATA_HOME", m_dir.filePath("home/data"));
        e.insert("XDG_CONFIG_HOME", m_dir.filePath("home/config"));
        e.insert("XDG_RUNTIME_DIR", m_dir.filePath("run"));
        return e;
    }

    Run shivx(const QStringList &args, bool passphrase, const QString &bus = QString()) const
    {
        QProcess p;
        p.setProcessEnvironment(env(passphrase, bus.isEmpty() ? m_bus : bus));
        p.start(QStringLiteral(SHIVX_CLI),
            QStringList { "backup" } + args
                + QStringList { "--config", m_config, "--data-dir", m_dir.filePath("data") });
        p.waitForFinished(60000);
        return Run { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError()) };
    }

    QString keyringSlotId() const
    {
        const Run list = shivx({ "key", "list" }, true);
        const auto m = QRegularExpression(
            QStringLiteral("^([0-9a-f]{16})\\s+keyring\\b"), QRegularExpression::MultilineOption)
                           .match(list.out);
        return m.hasMatch() ? m.captured(1) : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString daemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
        const QString keyring
            = QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon"));
        if (daemon.isEmpty() || keyring.isEmpty())
            QSKIP("dbus-daemon or gnome-keyring-daemon is not installed (Debian packages "
                  "dbus-daemon, gnome-keyring; installer/install-deps.sh --test)");
        for (const char *d : { "home/data", "home/config", "run" })
            QVERIFY(QDir().mkpath(m_dir.filePath(QLatin1String(d))));
        QFile::setPermissions(m_dir.filePath("run"),
            QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);

        m_busDaemon.start(daemon,
            { QStringLiteral("--session"), QStringLiteral("--nofork"),
                QStringLiteral("--print-address=1") });
        QVERIFY2(m_busDaemon.waitForStarted(5000), qPrintable(m_busDaemon.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(m_busDaemon.canReadLine(), 5000);
        m_bus = QString::fromUtf8(m_busDaemon.readLine()).trimmed();
        QVERIFY2(m_bus.startsWith(QLatin1String("unix:")), qPrintable(m_bus));

        // --unlock reads the login keyring's password from stdin and creates it unlocked.
        m_keyring.setProcessEnvironment(env(false, m_bus));
        // Its own session: when it stops, gnome-keyring-daemon signals its whole process group,
        // which would otherwise be this test.
        m_keyring.setChildProcessModifier([] { ::setsid(); });
        m_keyring.start(keyring,
            { QStringLiteral("--foreground"), QStringLiteral("--unlock"),
                QStringLiteral("--components=secrets") });
        QVERIFY2(m_keyring.waitForStarted(5000), qPrintable(m_keyring.errorString()));
        m_keyring.write("test keyring password");
        m_keyring.closeWriteChannel();
        QDBusConnection bus = QDBusConnection::connectToBus(m_bus, QStringLiteral("probe"));
        QVERIFY(bus.isConnected());
        QTRY_VERIFY_WITH_TIMEOUT(
            bus.interface()->isServiceRegistered(QStringLiteral("org.freedesktop.secrets")), 10000);
        QDBusConnection::disconnectFromBus(QStringLiteral("probe"));
        // This process's own keyring calls (the checks below) go to the private bus too.
        qputenv("DBUS_SESSION_BUS_ADDRESS", m_bus.toUtf8());

        m_config = m_dir.filePath("shivx.yaml");
        makeTree(m_dir.filePath("src"));
        writeFile(m_config,
            QStringLiteral("backup:\n  repository: %1\n  keyring: true\n  sets:\n"
                           "    main:\n      paths: [%2]\n")
                .arg(repo(), m_dir.filePath("src"))
                .toUtf8());
        const Run init = shivx({ "init" }, true);
        QVERIFY2(init.code == 0, qPrintable(init.err));
    }

    void cleanupTestCase()
    {
        // This process's keyring calls went through GLib's session-bus connection, which
        // raises SIGTERM in its own process when the bus goes away (exit-on-close, meant for
        // desktop sessions that end). Stopping the private bus must not end the test.
        ::signal(SIGTERM, SIG_IGN);
        for (QProcess *p : { &m_keyring, &m_busDaemon }) {
            if (p->state() != QProcess::NotRunning) {
                p->terminate();
                if (!p->waitForFinished(5000)) {
                    p->kill();
                    p->waitForFinished(5000);
                }
            }
        }
    }

    void keyringSlotUnlocksWithoutAPassphrase()
    {
        // Before the slot: the keyring answers, but no slot opens with it.
        const Run none = shivx({ "list", "--keyring" }, false);
        QCOMPARE(none.code, 1);
        QVERIFY2(none.err.contains(QLatin1String("no keyring slot")), qPrintable(none.err));

        const Run add = shivx({ "key", "add", "--new-keyring", "--label", "desk" }, true);
        QVERIFY2(add.code == 0, qPrintable(add.err));
        QVERIFY2(add.out.contains(QLatin1String("(keyring)")), qPrintable(add.out));
        const QString id = keyringSlotId();
        QVERIFY(!id.isEmpty());

        // The secret is in the keyring, not in the repository: the slot names the entry only.
        const auto secret = Keyring::read(QStringLiteral("slot-") + id);
        QVERIFY2(secret, qPrintable(secret ? QString() : secret.error().message));
        QCOMPARE(secret->size(), 32);
        QFile slot(repo() + "/keys/" + id + ".json");
        QVERIFY(slot.open(QIODevice::ReadOnly));
        const QByteArray slotBytes = slot.readAll();
        QVERIFY(!slotBytes.contains(secret->toBase64()));
        QVERIFY(!slotBytes.contains(secret->toHex()));
        QCOMPARE(QJsonDocument::fromJson(slotBytes)
                     .object()
                     .value("keyring")
                     .toObject()
                     .value("account")
                     .toString(),
            QStringLiteral("slot-") + id);

        // No passphrase anywhere: --keyring, and the configuration's backup.keyring.
        const Run list = shivx({ "list", "--keyring" }, false);
        QVERIFY2(list.code == 0, qPrintable(list.err));
        const Run run = shivx({ "run", "main" }, false);
        QVERIFY2(run.code == 0, qPrintable(run.err));
        const Run verify = shivx({ "verify" }, false);
        QVERIFY2(verify.code == 0, qPrintable(verify.out + verify.err));
    }

    // The engine unlocks on its executor's worker threads, where the keyring call runs its own
    // event loop: a backup through `shivx serve` with no passphrase in its environment.
    void theEngineBacksUpWithTheKeyring()
    {
        const QString data = m_dir.filePath("serve-data");
        QProcess serve;
        serve.setProcessEnvironment(env(false, m_bus));
        serve.start(QStringLiteral(SHIVX_CLI),
            { "serve", "--config", m_config, "--data-dir", data, "--listen", "127.0.0.1:0" });
        QVERIFY(serve.waitForStarted(10000));
        QByteArray out;
        QElapsedTimer t;
        t.start();
        while (!out.contains("listening on") && serve.state() == QProcess::Running
            && t.elapsed() < 30000) {
            serve.waitForReadyRead(200);
            out += serve.readAllStandardOutput();
        }
        QVERIFY2(out.contains("listening on"),
            (out + serve.readAllStandardError() + "exit code "
                + QByteArray::number(serve.exitCode()))
                .constData());
        QProcess now;
        now.setProcessEnvironment(env(false, m_bus));
        now.start(QStringLiteral(SHIVX_CLI),
            { "backup", "now", "main", "--type", "full", "--wait", "--data-dir", data });
        QVERIFY(now.waitForFinished(60000));
        const QByteArray nowErr = now.readAllStandardError();
        serve.terminate();
        QVERIFY(serve.waitForFinished(15000));
        const QByteArray serveErr = serve.readAllStandardError();
        QVERIFY2(now.exitCode() == 0, (nowErr + serveErr).constData());
        QVERIFY2(!serveErr.contains("backup.keyring is on, but"), serveErr.constData());
        const Run list = shivx({ "list", "--keyring" }, false);
        QVERIFY2(list.code == 0, qPrintable(list.err));
        QCOMPARE(list.out.count(QLatin1String("main")), 2); // the CLI's backup and the engine's
    }

    void withoutASecretServiceTheEngineOrderFallsBack()
    {
        const QString nowhere = QStringLiteral("unix:path=") + m_dir.filePath("no-bus");
        const Run keyringOnly = shivx({ "list", "--keyring" }, false, nowhere);
        QCOMPARE(keyringOnly.code, 1);
        QVERIFY2(keyringOnly.err.contains(QLatin1String("keyring")), qPrintable(keyringOnly.err));

        const Run fallback = shivx({ "list" }, true, nowhere);
        QVERIFY2(fallback.code == 0, qPrintable(fallback.err));
        QVERIFY2(fallback.err.contains(QLatin1String("backup.keyring is on, but")),
            qPrintable(fallback.err));
    }

    void removingTheSlotRemovesItsEntry()
    {
        const QString id = keyringSlotId();
        QVERIFY(!id.isEmpty());
        // With backup.keyring on, the keyring slot is what unlocks first, and the slot one
        // unlocked with is not removed without --force: unlock with the passphrase instead.
        const Run refused = shivx({ "key", "remove", id }, false);
        QCOMPARE(refused.code, 1);
        QVERIFY2(refused.err.contains(QLatin1String("the one you unlocked with")),
            qPrintable(refused.err));
        const QString passwordFile = m_dir.filePath("password");
        writeFile(passwordFile, "s3cret phrase\n");
        const Run remove = shivx({ "key", "remove", id, "--password-file", passwordFile }, false);
        QVERIFY2(remove.code == 0, qPrintable(remove.err));
        const auto gone = Keyring::read(QStringLiteral("slot-") + id);
        QVERIFY(!gone);
        QCOMPARE(gone.error().code, QStringLiteral("backup.keyring_missing"));
        const Run list = shivx({ "list", "--keyring" }, false);
        QCOMPARE(list.code, 1);
        QVERIFY2(list.err.contains(QLatin1String("no keyring slot")), qPrintable(list.err));
        // The passphrase slot still opens everything.
        const Run withPassphrase = shivx({ "list" }, true);
        QVERIFY2(withPassphrase.code == 0, qPrintable(withPassphrase.err));
    }
};

QTEST_GUILESS_MAIN(TstKeyringSlot)
#include "tst_keyringslot.moc"
