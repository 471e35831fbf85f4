#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace ShivxTest {

// A private PostgreSQL server for one test, from Debian's `postgresql` package: initdb into a
// temporary directory, then the postmaster on a Unix socket in that directory only (no TCP,
// no system service). initdb and postgres refuse to run as root and CI runs as root, so under
// root both run as `nobody` (setpriv), which then owns the directory. The postmaster gets a
// parent-death signal, so even a crashed test leaves no server behind; the destructor stops it
// (fast shutdown) and waits for it.
//
// Authentication is `trust` for the superuser `shivx`, whatever the OS user connecting.
// Durability is off (fsync): the tests kill engines, never this server.
class PostgresServer
{
public:
    PostgresServer();
    ~PostgresServer();
    PostgresServer(const PostgresServer &) = delete;
    PostgresServer &operator=(const PostgresServer &) = delete;

    // The folder of initdb/postgres/psql of the newest installed version, or empty when the
    // package is absent (the test QSKIPs then).
    static QString binDir();
    static QString skipMessage(); // what to install, for QSKIP

    // initdb, start, wait until it accepts connections, create `database`. False with
    // errorString() (including the server's log) on failure.
    bool start(const QString &database = QStringLiteral("shivx"));
    void stop();
    // stop(), then the postmaster again on the same data (sessions see their connection drop).
    bool restart();
    bool isRunning() const;
    QString errorString() const { return m_error; }

    QString socketDir() const; // the -k folder: the `host` of a connection
    QString user() const { return QStringLiteral("shivx"); }
    QString database() const { return m_database; }
    int port() const { return 5432; } // per-socket-folder, so never in conflict
    // postgresql://shivx@/DATABASE?host=SOCKETDIR, as pipelines.store takes it.
    QString url() const;
    // Runs `sql` with psql (ON_ERROR_STOP) in `database` (default: database()); returns its
    // unaligned, tuples-only output, or a null string with errorString() set.
    QString psql(const QString &sql, const QString &database = QString());
    // psql running `sql` in the background, as another client's session (one that holds a
    // lock, say); the caller ends it. Null if psql did not start.
    std::unique_ptr<QProcess> psqlSession(
        const QString &sql, const QString &database = QString()) const;
    QString log() const; // the server's stderr so far

private:
    bool launch(); // the postmaster on the initialised data, until it accepts connections
    bool runTool(const QString &tool, const QStringList &args, QString *output = nullptr);
    QStringList asServerUser(const QString &program, const QStringList &args) const;
    QStringList psqlArgs(const QString &sql, const QString &database) const;

    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_server;
    QString m_database;
    QString m_error;
};

} // namespace ShivxTest
