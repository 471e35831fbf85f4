#include "postgresserver.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QThread>

#include <algorithm>

#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

namespace ShivxTest {

namespace {

const char *const SocketName = ".s.PGSQL.5432";

} // namespace

PostgresServer::PostgresServer()
    : m_dir(QDir::tempPath() + QStringLiteral("/shivx-pg-XXXXXX"))
{
}

PostgresServer::~PostgresServer()
{
    stop();
}

QString PostgresServer::binDir()
{
    // /usr/lib/postgresql/<major>/bin; the newest major when several are installed.
    QStringList majors
        = QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(majors.begin(), majors.end(),
        [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
    for (const QString &major : std::as_const(majors)) {
        const QString bin = QStringLiteral("/usr/lib/postgresql/%1/bin").arg(major);
        if (QFileInfo(bin + QStringLiteral("/initdb")).isExecutable()
            && QFileInfo(bin + QStringLiteral("/postgres")).isExecutable())
            return bin;
    }
    return {};
}

QString PostgresServer::skipMessage()
{
    return QStringLiteral("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb): "
                          "installer/install-deps.sh --test installs `postgresql`");
}

QString PostgresServer::socketDir() const
{
    return m_dir.path();
}

QString PostgresServer::url() const
{
    return QStringLiteral("postgresql://%1@/%2?host=%3").arg(user(), m_database, socketDir());
}

QString PostgresServer::log() const
{
    QFile f(m_dir.filePath(QStringLiteral("server.log")));
    return f.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(f.readAll()) : QString();
}

bool PostgresServer::isRunning() const
{
    return m_server && m_server->state() != QProcess::NotRunning;
}

QStringList PostgresServer::asServerUser(const QString &program, const QStringList &args) const
{
    // setpriv execs the program, so the QProcess's pid is the server's. SIGINT on the test's
    // death is PostgreSQL's fast shutdown.
    QStringList cmd { QStringLiteral("--pdeathsig"), QStringLiteral("INT") };
    if (::geteuid() == 0)
        cmd += { QStringLiteral("--reuid=nobody"), QStringLiteral("--regid=nogroup"),
            QStringLiteral("--clear-groups") };
    cmd += QStringLiteral("--");
    cmd += program;
    cmd += args;
    return cmd;
}

bool PostgresServer::runTool(const QString &tool, const QStringList &args, QString *output)
{
    QProcess p;
    p.setWorkingDirectory(m_dir.path());
    const bool serverSide = tool == QLatin1String("initdb");
    if (serverSide)
        p.start(QStringLiteral("setpriv"), asServerUser(binDir() + QLatin1Char('/') + tool, args));
    else
        p.start(binDir() + QLatin1Char('/') + tool, args);
    if (!p.waitForFinished(60'000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        m_error = QStringLiteral("%1 failed (%2): %3%4")
                      .arg(tool, p.errorString(), QString::fromLocal8Bit(p.readAllStandardError()),
                          QString::fromLocal8Bit(p.readAllStandardOutput()));
        if (p.state() != QProcess::NotRunning) {
            p.kill();
            p.waitForFinished();
        }
        return false;
    }
    if (output)
        *output = QString::fromLocal8Bit(p.readAllStandardOutput());
    return true;
}

bool PostgresServer::start(const QString &database)
{
    m_database = database;
    if (binDir().isEmpty()) {
        m_error = skipMessage();
        return false;
    }
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("no temporary directory: %1").arg(m_dir.errorString());
        return false;
    }
    if (::geteuid() == 0) {
        const passwd *pw = ::getpwnam("nobody");
        const group *gr = ::getgrnam("nogroup");
        if (!pw || !gr
            || ::chown(QFile::encodeName(m_dir.path()).constData(), pw->pw_uid, gr->gr_gid) != 0) {
            m_error = QStringLiteral("cannot hand %1 to nobody:nogroup").arg(m_dir.path());
            return false;
        }
    }
    const QString data = m_dir.filePath(QStringLiteral("data"));
    if (!runTool(QStringLiteral("initdb"),
            { QStringLiteral("-D"), data, QStringLiteral("-U"), user(),
                QStringLiteral("--auth=trust"), QStringLiteral("--no-locale"), QStringLiteral("-E"),
                QStringLiteral("UTF8"), QStringLiteral("--no-sync") }))
        return false;

    if (!launch())
        return false;
    m_error.clear();
    return runTool(QStringLiteral("createdb"),
        { QStringLiteral("-h"), socketDir(), QStringLiteral("-U"), user(), m_database });
}

bool PostgresServer::launch()
{
    const QString data = m_dir.filePath(QStringLiteral("data"));
    m_server = std::make_unique<QProcess>();
    m_server->setWorkingDirectory(m_dir.path());
    m_server->setStandardOutputFile(
        m_dir.filePath(QStringLiteral("server.log")), QIODevice::Append);
    m_server->setStandardErrorFile(m_dir.filePath(QStringLiteral("server.log")), QIODevice::Append);
    m_server->start(QStringLiteral("setpriv"),
        asServerUser(binDir() + QStringLiteral("/postgres"),
            { QStringLiteral("-D"), data, QStringLiteral("-k"), socketDir(), QStringLiteral("-c"),
                QStringLiteral("listen_addresses="), QStringLiteral("-c"),
                QStringLiteral("fsync=off"), QStringLiteral("-c"),
                QStringLiteral("max_connections=50") }));
    if (!m_server->waitForStarted(10'000)) {
        m_error = QStringLiteral("postgres did not start: %1").arg(m_server->errorString());
        return false;
    }
    // Ready once pg_isready says so; the socket file alone appears before recovery ends.
    const QDeadlineTimer deadline(60'000);
    while (true) {
        if (!isRunning()) {
            m_error = QStringLiteral("postgres exited: %1").arg(log());
            return false;
        }
        if (QFileInfo::exists(m_dir.filePath(QLatin1String(SocketName)))
            && runTool(QStringLiteral("pg_isready"),
                { QStringLiteral("-q"), QStringLiteral("-h"), socketDir(), QStringLiteral("-U"),
                    user(), QStringLiteral("-d"), QStringLiteral("postgres") }))
            break;
        if (deadline.hasExpired()) {
            m_error = QStringLiteral("postgres not ready after 60 s: %1").arg(log());
            return false;
        }
        QThread::msleep(50);
    }
    m_error.clear();
    return true;
}

bool PostgresServer::restart()
{
    stop();
    return launch();
}

QStringList PostgresServer::psqlArgs(const QString &sql, const QString &database) const
{
    return { QStringLiteral("-X"), QStringLiteral("-qAt"), QStringLiteral("-v"),
        QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-h"), socketDir(), QStringLiteral("-U"),
        user(), QStringLiteral("-d"), database.isEmpty() ? m_database : database,
        QStringLiteral("-c"), sql };
}

QString PostgresServer::psql(const QString &sql, const QString &database)
{
    QString out;
    if (!runTool(QStringLiteral("psql"), psqlArgs(sql, database), &out))
        return {};
    return out.isNull() ? QStringLiteral("") : out;
}

std::unique_ptr<QProcess> PostgresServer::psqlSession(
    const QString &sql, const QString &database) const
{
    auto p = std::make_unique<QProcess>();
    p->setWorkingDirectory(m_dir.path());
    p->start(binDir() + QStringLiteral("/psql"), psqlArgs(sql, database));
    if (!p->waitForStarted(10'000))
        return nullptr;
    return p;
}

void PostgresServer::stop()
{
    if (!m_server)
        return;
    if (isRunning()) {
        // SIGINT: fast shutdown (ends sessions, no waiting for clients to disconnect).
        ::kill(pid_t(m_server->processId()), SIGINT);
        if (!m_server->waitForFinished(30'000)) {
            m_server->kill();
            m_server->waitForFinished();
        }
    }
    m_server.reset();
}

} // namespace ShivxTest
