#pragma once

// A real OpenSSH server for tests: Debian's sshd, started by the test on a free loopback port
// with a temporary host key, one authorized user key and its own configuration, as a child
// process (never the system service), stopped with the fixture.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <pwd.h>
#include <unistd.h>

class SshdFixture
{
public:
    static QString sshd()
    {
        return QStandardPaths::findExecutable(QStringLiteral("sshd"), { "/usr/sbin" });
    }

    // Empty when it started; else why not.
    QString start()
    {
        if (!m_dir.isValid())
            return QStringLiteral("no temporary directory");
        for (const char *key : { "host", "user", "stranger" }) {
            QProcess k;
            k.start(QStringLiteral("ssh-keygen"),
                { "-q", "-t", "ed25519", "-N", "", "-f", m_dir.filePath(QLatin1String(key)) });
            if (!k.waitForFinished(20000) || k.exitCode() != 0)
                return QStringLiteral("ssh-keygen failed");
        }
        QFile::copy(m_dir.filePath("user.pub"), m_dir.filePath("authorized_keys"));
        {
            QTcpServer probe;
            probe.listen(QHostAddress::LocalHost, 0);
            m_port = probe.serverPort();
        }
        QFile config(m_dir.filePath("sshd_config"));
        if (!config.open(QIODevice::WriteOnly))
            return QStringLiteral("cannot write sshd_config");
        config.write(QStringLiteral("Port %1\nListenAddress 127.0.0.1\nHostKey %2\n"
                                    "AuthorizedKeysFile %3\nPasswordAuthentication no\n"
                                    "KbdInteractiveAuthentication no\n"
                                    "PermitRootLogin prohibit-password\nStrictModes no\n"
                                    "UsePAM no\nPidFile %4\nSubsystem sftp internal-sftp\n")
                         .arg(m_port)
                         .arg(m_dir.filePath("host"), m_dir.filePath("authorized_keys"),
                             m_dir.filePath("sshd.pid"))
                         .toUtf8());
        config.close();
        // As root, sshd insists on its privilege-separation directory (the package's
        // tmpfiles.d makes it at boot, which a fresh root or container never ran).
        if (::geteuid() == 0)
            QDir().mkpath(QStringLiteral("/run/sshd"));
        QFile known(m_dir.filePath("known_hosts"));
        QFile hostPub(m_dir.filePath("host.pub"));
        if (!known.open(QIODevice::WriteOnly) || !hostPub.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot write known_hosts");
        const QList<QByteArray> parts = hostPub.readAll().split(' ');
        known.write("[127.0.0.1]:" + QByteArray::number(m_port) + ' ' + parts.value(0) + ' '
            + parts.value(1).trimmed() + '\n');
        known.close();
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(sshd(), { "-D", "-e", "-f", config.fileName() });
        if (!m_process.waitForStarted(10000))
            return QStringLiteral("sshd did not start");
        for (int i = 0; i < 200; ++i) {
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, m_port);
            if (s.waitForConnected(100))
                return {};
            if (m_process.state() != QProcess::Running)
                break;
            QTest::qWait(25);
        }
        return QStringLiteral("sshd does not listen: %1")
            .arg(QString::fromUtf8(m_process.readAll()));
    }

    ~SshdFixture()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
        m_process.waitForFinished(5000);
    }

    // An rclone on-the-fly SFTP remote for `path` on this server, logging in with `key`
    // ("user" is authorized, "stranger" is not) and checking the host key.
    QString rcloneRemote(const QString &path, const char *key = "user") const
    {
        // The shell and hash commands given, as rclone stores them in rclone.conf for a named
        // remote after its first connection: detecting them costs a second per run.
        return QStringLiteral(":sftp,host=127.0.0.1,port=%1,user=%2,key_file=%3,"
                              "known_hosts_file=%4,shell_type=unix,md5sum_command=md5sum,"
                              "sha1sum_command=sha1sum:%5")
            .arg(m_port)
            .arg(QString::fromLocal8Bit(::getpwuid(::geteuid())->pw_name),
                m_dir.filePath(QLatin1String(key)), m_dir.filePath("known_hosts"), path);
    }

    quint16 port() const { return m_port; }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};
