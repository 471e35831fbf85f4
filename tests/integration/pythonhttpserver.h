#pragma once

// Python's own http.server serving a directory on a free loopback port: a real HTTP peer,
// unrelated to the engine's code, whose files a test rewrites between requests (writeFile
// replaces a file whole, so a request never reads half of it). Stopped when destroyed.

#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTest>

class PythonHttpServer
{
public:
    ~PythonHttpServer()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    // Serves `dir` and waits for the port it printed; false if it did not start in 10 s.
    bool start(const QString &dir)
    {
        m_dir = dir;
        m_process.setProgram(QStringLiteral("python3"));
        m_process.setArguments({ QStringLiteral("-u"), QStringLiteral("-m"),
            QStringLiteral("http.server"), QStringLiteral("0"), QStringLiteral("--bind"),
            QStringLiteral("127.0.0.1"), QStringLiteral("--directory"), dir });
        m_process.start();
        if (!m_process.waitForStarted())
            return false;
        static const QRegularExpression portRe(QStringLiteral("port (\\d+)"));
        QByteArray banner;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 10000 && m_process.state() == QProcess::Running) {
            m_process.waitForReadyRead(200);
            banner += m_process.readAllStandardOutput();
            const auto m = portRe.match(QString::fromUtf8(banner));
            if (m.hasMatch()) {
                m_port = m.captured(1).toInt();
                return true;
            }
        }
        return false;
    }

    QString url(const QString &path) const
    {
        return QStringLiteral("http://127.0.0.1:%1/%2").arg(m_port).arg(path);
    }

    static bool writeFile(const QString &path, const QByteArray &data)
    {
        QSaveFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(data) == data.size() && f.commit();
    }

private:
    QProcess m_process;
    QString m_dir;
    int m_port = 0;
};
