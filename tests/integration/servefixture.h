#pragma once

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>

#include <csignal>
#include <optional>

// One HTTP exchange with a running engine, waiting at most 10 s. `token` goes into
// "Authorization: Bearer"; status 0 means no answer.
struct HttpAnswer
{
    int status = 0;
    QByteArray body;
    QByteArray contentType;
    QByteArray allow;
    QJsonObject json;
};

inline HttpAnswer httpRequest(const QUrl &url, const QByteArray &verb = "GET",
    const QByteArray &body = {}, const QByteArray &token = {})
{
    QNetworkAccessManager nam;
    QNetworkRequest req(url);
    if (!token.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + token);
    if (!body.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = nam.sendCustomRequest(req, verb, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    HttpAnswer a;
    a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    a.body = reply->readAll();
    a.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    a.allow = reply->rawHeader("Allow");
    a.json = QJsonDocument::fromJson(a.body).object();
    delete reply;
    return a;
}

// What `promtool check metrics` says of a /metrics body: empty when it is clean, nothing
// when promtool is not installed (the caller skips).
inline std::optional<QString> promtoolProblems(const QByteArray &metrics)
{
    const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
    if (promtool.isEmpty())
        return std::nullopt;
    QProcess p;
    p.start(promtool, { QStringLiteral("check"), QStringLiteral("metrics") });
    p.write(metrics);
    p.closeWriteChannel();
    if (!p.waitForFinished(10000))
        return QStringLiteral("promtool did not finish");
    if (p.exitCode() == 0)
        return QString();
    return QString::fromUtf8(p.readAllStandardError() + p.readAllStandardOutput());
}

// What one run of the real `shivx` CLI printed and how it ended: exitCode is -2 when it
// crashed, -1 when it did not finish within `timeoutMs` (it is then killed).
struct CliRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

inline CliRun runCli(const QStringList &args, int timeoutMs = 30000)
{
    QProcess p;
    p.start(QStringLiteral(SHIVX_CLI), args);
    CliRun r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// Runs the real `shivx serve` binary on a free loopback port in a temporary data directory
// and waits until it prints the address it listens on.
class ServeProcess
{
public:
    explicit ServeProcess(const QString &configYaml = QString())
    {
        m_configPath = m_dir.filePath(QStringLiteral("shivx.yaml"));
        if (!configYaml.isNull()) {
            QFile f(m_configPath);
            if (f.open(QIODevice::WriteOnly))
                f.write(configYaml.toUtf8());
        }
        m_hasConfig = !configYaml.isNull();
    }

    // A test that failed midway leaves the engine running: SIGTERM first, so that it stops
    // its supervised processes (they have their own session and would outlive a SIGKILL).
    ~ServeProcess()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(15000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    QStringList arguments(const QStringList &extra = {}) const
    {
        QStringList a { QStringLiteral("serve"), QStringLiteral("--data-dir"), dataDir(),
            QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0") };
        if (m_hasConfig)
            a << QStringLiteral("--config") << m_configPath;
        return a + extra;
    }

    // Starts and waits for "listening on http://127.0.0.1:PORT". Again after an exit: the same
    // data directory and configuration, and only the new run's output counts.
    bool start(const QStringList &extra = {})
    {
        m_stdout.clear();
        m_url.clear();
        m_process.setProgram(QStringLiteral(SHIVX_CLI));
        m_process.setArguments(arguments(extra));
        m_process.start();
        if (!m_process.waitForStarted(10000))
            return false;
        static const QRegularExpression re(
            QStringLiteral("listening on (http://127\\.0\\.0\\.1:\\d+)"));
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 30000 && m_process.state() == QProcess::Running) {
            m_process.waitForReadyRead(200);
            m_stdout += m_process.readAllStandardOutput();
            const auto m = re.match(QString::fromUtf8(m_stdout));
            if (m.hasMatch()) {
                m_url = QUrl(m.captured(1));
                return true;
            }
        }
        m_stdout += m_process.readAllStandardOutput();
        return false;
    }

    // SIGTERM and wait; returns the exit code, or -1 if it did not exit in time.
    int terminate(int signal = SIGTERM, int timeoutMs = 15000)
    {
        // Not running: pid 0 would signal this test's whole process group.
        if (m_process.processId() <= 0)
            return -1;
        ::kill(pid_t(m_process.processId()), signal);
        if (!m_process.waitForFinished(timeoutMs))
            return -1;
        m_stdout += m_process.readAllStandardOutput();
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -2;
    }

    QString dataDir() const { return m_dir.filePath(QStringLiteral("data")); }
    QString configPath() const { return m_configPath; }
    // The bearer token the engine wrote at start (DATA_DIR/api-token); empty before that.
    QByteArray apiToken() const
    {
        QFile f(dataDir() + QStringLiteral("/api-token"));
        return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed() : QByteArray();
    }
    QUrl url() const { return m_url; }
    QByteArray output()
    {
        m_stdout += m_process.readAllStandardOutput();
        return m_stdout;
    }
    QByteArray errors() { return m_process.readAllStandardError(); }
    QProcess &process() { return m_process; }

private:
    QTemporaryDir m_dir;
    QString m_configPath;
    bool m_hasConfig = false;
    QProcess m_process;
    QByteArray m_stdout;
    QUrl m_url;
};
