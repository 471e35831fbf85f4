#include "backup/postgresdump.h"

#include "backup/restorejob.h"
#include "backup/tree.h"
#include "core/timeutil.h"

#include <QElapsedTimer>
#include <QFile>

namespace Shivx::Backup {

namespace {

// What to install when the program is not there (Debian's package names).
QString startHint(const Error &e)
{
    return e.message.contains(QLatin1String("No such file"))
        ? QStringLiteral(" (install Debian's postgresql-client, or set pg_dump: to the program of "
                         "the server's major version)")
        : QString();
}

} // namespace

Result<std::unique_ptr<PipedChild>> startPgDump(const PostgresSourceSpec &pg)
{
    auto child = PipedChild::start(pg.pgDump,
        { QStringLiteral("--format=custom"), QStringLiteral("--compress=0"),
            QStringLiteral("--no-password"),
            QStringLiteral("--lock-wait-timeout=%1").arg(pg.lockWaitTimeoutMs),
            QStringLiteral("--dbname=") + pg.connectionString(pg.database) },
        PipedChild::Direction::ReadStdout);
    if (!child)
        return makeError("backup.postgresql",
            QStringLiteral("cannot dump PostgreSQL %1: %2%3")
                .arg(pg.describe(), child.error().message, startHint(child.error())),
            { pg.database, child.error().message });
    return child;
}

Error pgDumpFailed(
    const PostgresSourceSpec &pg, const PipedChild::Exit &exit, const QString &output)
{
    // pg_dump words a lock it waited for in vain as a cancelled LOCK TABLE; say what it means.
    const bool lockWait = output.contains(QLatin1String("LOCK TABLE"))
        && output.contains(QLatin1String("statement timeout"));
    return makeError("backup.postgresql",
        QStringLiteral("pg_dump of PostgreSQL %1 failed (%2)%3: %4")
            .arg(pg.describe(), exit.describe(),
                lockWait ? QStringLiteral(": another session held a table locked for longer than "
                                          "lock_wait_timeout (%1)")
                               .arg(TimeUtil::formatDurationMs(pg.lockWaitTimeoutMs))
                         : QString(),
                output.isEmpty() ? QStringLiteral("it said nothing") : output),
        { pg.database, output });
}

Result<QStringList> postgresDumps(const Repository &repo, const SnapshotInfo &snapshot)
{
    auto load = [&repo](const Id &tree) -> Result<std::vector<TreeNode>> {
        const auto raw = repo.readBlob(tree);
        if (!raw)
            return raw.error();
        return decodeTree(raw->data(), raw->size());
    };
    const auto root = load(snapshot.tree);
    if (!root)
        return root.error();
    QStringList dumps;
    for (const TreeNode &dir : *root) {
        if (dir.name != "postgresql" || dir.type != TreeNode::Type::Dir)
            continue;
        const auto nodes = load(dir.subtree);
        if (!nodes)
            return nodes.error();
        for (const TreeNode &n : *nodes) {
            const QString name = QFile::decodeName(QByteArray::fromStdString(n.name));
            if (n.type == TreeNode::Type::File && name.endsWith(QLatin1String(".dump")))
                dumps << QStringLiteral("/postgresql/") + name;
        }
    }
    return dumps;
}

Result<PgRestoreStats> restoreIntoPostgres(const Repository &repo, const SnapshotInfo &snapshot,
    const QString &dumpPath, const PostgresSourceSpec &connection, const QString &database,
    const Control &control)
{
    QElapsedTimer clock;
    clock.start();
    const QString program = connection.pgRestore();
    auto child = PipedChild::start(program,
        { QStringLiteral("--no-password"), QStringLiteral("--single-transaction"),
            QStringLiteral("--exit-on-error"),
            QStringLiteral("--dbname=") + connection.connectionString(database) },
        PipedChild::Direction::WriteStdin);
    if (!child)
        return makeError("backup.postgresql",
            QStringLiteral("cannot restore into PostgreSQL database %1: %2%3")
                .arg(database, child.error().message, startHint(child.error())),
            { database, child.error().message });
    PipedChild &restore = **child;
    auto failed = [&](const QString &what) {
        return makeError("backup.postgresql",
            QStringLiteral("pg_restore into PostgreSQL database %1 failed (%2); the database is "
                           "as it was (one transaction): %3")
                .arg(database, what,
                    restore.output().isEmpty() ? QStringLiteral("it said nothing")
                                               : restore.output()),
            { database, restore.output() });
    };
    const auto streamed = streamFile(
        repo, snapshot, dumpPath,
        [&](const std::uint8_t *data, std::size_t size) {
            return restore.write(data, size, control);
        },
        control);
    if (!streamed) {
        if (streamed.error().code == QLatin1String("backup.child_gone")) {
            const auto exit = restore.wait(control);
            return failed(exit ? exit->describe() : exit.error().message);
        }
        restore.kill(); // before the end of its input: nothing is committed
        return streamed.error();
    }
    const auto exit = restore.wait(control);
    if (!exit)
        return exit.error();
    if (!exit->ok())
        return failed(exit->describe());
    return PgRestoreStats { dumpPath, *streamed, clock.elapsed() };
}

} // namespace Shivx::Backup
