#include "backupenginecommands.h"

#include "commandcontext.h"

#include "core/timeutil.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QThread>

#include <unistd.h>

namespace Shivx::Cli {

namespace {

QString mib(qint64 bytes)
{
    return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1) + QStringLiteral(" MiB");
}

void printOperation(QTextStream &out, const QJsonObject &op)
{
    out << "#" << op.value(QStringLiteral("id")).toInteger() << " "
        << op.value(QStringLiteral("kind")).toString();
    const QString set = op.value(QStringLiteral("set")).toString();
    if (!set.isEmpty())
        out << " " << set;
    const QString type = op.value(QStringLiteral("type")).toString();
    if (!type.isEmpty())
        out << " (" << type << ")";
    out << ": " << op.value(QStringLiteral("state")).toString();
    const QString message = op.value(QStringLiteral("message")).toString();
    if (!message.isEmpty())
        out << ": " << message;
    const QJsonObject r = op.value(QStringLiteral("result")).toObject();
    if (r.contains(QStringLiteral("rto_ms")))
        out << "; RTO " << TimeUtil::formatDurationMs(r.value(QStringLiteral("rto_ms")).toInteger())
            << ", RPO "
            << TimeUtil::formatDurationMs(r.value(QStringLiteral("rpo_ms")).toInteger());
    else if (r.contains(QStringLiteral("snapshot")))
        out << "; snapshot " << r.value(QStringLiteral("snapshot")).toString().left(12);
    out << "\n";
}

int status(CommandContext &c, const EngineClient &client, bool json)
{
    const auto reply = client.request("GET", QStringLiteral("/api/backup"));
    if (!reply)
        return c.fail(ExitFailure, reply.error().message);
    if (reply->status != 200)
        return c.failReply(*reply);
    if (json) {
        c.printJson(reply->body);
        return ExitOk;
    }
    const QJsonObject &b = reply->body;
    QTextStream &out = c.out();
    out << "repository " << b.value(QStringLiteral("repository")).toString() << "\n";
    if (!b.value(QStringLiteral("problem")).toString().isEmpty())
        out << "problem: " << b.value(QStringLiteral("problem")).toString() << "\n";
    for (const QJsonValue &v : b.value(QStringLiteral("sets")).toArray()) {
        const QJsonObject s = v.toObject();
        out << s.value(QStringLiteral("name")).toString() << ": "
            << s.value(QStringLiteral("snapshots")).toInt() << " snapshots";
        if (!s.value(QStringLiteral("last_success")).isNull())
            out << ", last " << s.value(QStringLiteral("last_type")).toString() << " at "
                << s.value(QStringLiteral("last_success")).toString() << " ("
                << mib(s.value(QStringLiteral("last_bytes")).toInteger()) << ", dedup "
                << QString::number(s.value(QStringLiteral("dedup_ratio")).toDouble() * 100, 'f', 1)
                << "%)";
        if (!s.value(QStringLiteral("schedule")).toString().isEmpty())
            out << ", schedule " << s.value(QStringLiteral("schedule")).toString();
        if (!s.value(QStringLiteral("last_error")).toString().isEmpty())
            out << ", last error: " << s.value(QStringLiteral("last_error")).toString();
        out << "\n";
    }
    for (const QJsonValue &v : b.value(QStringLiteral("operations")).toArray())
        printOperation(out, v.toObject());
    out << Qt::flush;
    return ExitOk;
}

// Polls the operation until it ends, with a progress line on a terminal; 0 when it
// succeeded.
int waitFor(CommandContext &c, const EngineClient &client, qint64 id, bool json)
{
    const bool tty = ::isatty(STDERR_FILENO);
    for (;;) {
        const auto reply
            = client.request("GET", QStringLiteral("/api/backup/operations/%1").arg(id));
        if (!reply)
            return c.fail(ExitFailure, reply.error().message);
        if (reply->status != 200)
            return c.failReply(*reply);
        const QJsonObject &op = reply->body;
        const QString state = op.value(QStringLiteral("state")).toString();
        if (state == QLatin1String("succeeded") || state == QLatin1String("failed")
            || state == QLatin1String("cancelled")) {
            if (tty)
                c.err() << "\n" << Qt::flush;
            if (json)
                c.printJson(op);
            else
                printOperation(c.out(), op);
            c.out() << Qt::flush;
            return state == QLatin1String("succeeded") ? ExitOk : ExitFailure;
        }
        if (tty) {
            const qint64 done = op.value(QStringLiteral("done_bytes")).toInteger();
            const qint64 total = op.value(QStringLiteral("total_bytes")).toInteger();
            c.err() << "\r" << state << " " << mib(done);
            if (total > 0)
                c.err() << " of " << mib(total);
            if (!op.value(QStringLiteral("eta_seconds")).isNull())
                c.err() << ", ETA "
                        << TimeUtil::formatDurationMs(
                               qint64(op.value(QStringLiteral("eta_seconds")).toDouble() * 1000));
            c.err() << "   " << Qt::flush;
        }
        QThread::msleep(200);
    }
}

} // namespace

bool isBackupEngineSubcommand(const QString &subcommand)
{
    static const QStringList names { QStringLiteral("status"), QStringLiteral("now"),
        QStringLiteral("drill"), QStringLiteral("cancel"), QStringLiteral("history") };
    return names.contains(subcommand);
}

int backupEngineCommand(CommandContext &c)
{
    const auto format = c.format({ CommandContext::Format::Text, CommandContext::Format::Json });
    if (!format)
        return c.fail(ExitUsage, format.error().message);
    const bool json = *format == CommandContext::Format::Json;
    const QString sub = c.subcommand();
    if ((sub == QLatin1String("now") || sub == QLatin1String("drill")
            || sub == QLatin1String("cancel"))
        && c.arguments().isEmpty())
        return c.fail(ExitUsage,
            sub == QLatin1String("cancel") ? QStringLiteral("name the operation id to cancel")
                                           : QStringLiteral("name the set"));
    const auto client = c.engine();
    if (!client)
        return c.fail(ExitFailure, client.error().message);
    if (sub == QLatin1String("status"))
        return status(c, *client, json);
    if (sub == QLatin1String("history")) {
        QString path = QStringLiteral("/api/backup/history");
        if (c.isSet(QStringLiteral("kind")))
            path += QStringLiteral("?kind=") + c.value(QStringLiteral("kind"));
        const auto reply = client->request("GET", path);
        if (!reply)
            return c.fail(ExitFailure, reply.error().message);
        if (reply->status != 200)
            return c.failReply(*reply);
        if (json)
            c.printJson(reply->body);
        else
            for (const QJsonValue &v : reply->body.value(QStringLiteral("operations")).toArray())
                printOperation(c.out(), v.toObject());
        c.out() << Qt::flush;
        return ExitOk;
    }
    const QString actor = CommandContext::operatorActor();
    QJsonObject body { { QStringLiteral("actor"), actor } };
    QString path;
    if (sub == QLatin1String("cancel")) {
        bool ok = false;
        const qint64 id = c.arguments().first().toLongLong(&ok);
        if (!ok)
            return c.fail(ExitUsage,
                QStringLiteral("%1 is not an operation id (shivx backup status lists them)")
                    .arg(c.arguments().first()));
        body.insert(QStringLiteral("operation"), id);
        path = QStringLiteral("/api/backup/cancel");
    } else {
        body.insert(QStringLiteral("set"), c.arguments().first());
        if (sub == QLatin1String("now") && c.isSet(QStringLiteral("type")))
            body.insert(QStringLiteral("type"), c.value(QStringLiteral("type")));
        path = sub == QLatin1String("now") ? QStringLiteral("/api/backup/run")
                                           : QStringLiteral("/api/backup/drill");
    }
    const auto reply = client->request("POST", path, body);
    if (!reply)
        return c.fail(ExitFailure, reply.error().message);
    if (reply->status != 200 && reply->status != 202)
        return c.failReply(*reply);
    if (sub != QLatin1String("cancel") && c.isSet(QStringLiteral("wait")))
        return waitFor(c, *client, reply->body.value(QStringLiteral("id")).toInteger(), json);
    if (json)
        c.printJson(reply->body);
    else
        printOperation(c.out(), reply->body);
    c.out() << Qt::flush;
    return ExitOk;
}

} // namespace Shivx::Cli
