#include "processcommand.h"

#include "commandcontext.h"

#include "core/timeutil.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Shivx::Cli {

namespace {

const char HelpText[]
    = "Usage: shivx process list [--format text|json] [--url URL] [--data-dir DIR]\n"
      "       shivx process start|stop|restart NAME [--format text|json] [--url URL]\n"
      "                                           [--data-dir DIR]\n"
      "\n"
      "Shows and controls the processes a running engine supervises (targets with\n"
      "supervise: in the configuration).\n"
      "\n"
      "  list             name, state, pid, uptime, restarts and last exit of each process\n"
      "  start NAME       start the process (also ends a backoff or crash-loop pause)\n"
      "  stop NAME        stop it (SIGTERM to its process group, SIGKILL after stop_timeout)\n"
      "                   and keep it stopped until started again\n"
      "  restart NAME     stop and start it; not counted toward the crash-loop limit\n"
      "\n"
      "start, stop and restart are audited on the operator stream as cli:USER.\n";

const char ExitText[]
    = "Exit status: 0 ok; 1 no such process, or the engine cannot be reached; 2 usage error.\n";

QString lastExit(const QJsonObject &p)
{
    const QJsonValue exit = p.value(QStringLiteral("last_exit"));
    if (!exit.isObject())
        return QStringLiteral("-");
    const QJsonObject e = exit.toObject();
    if (!e.value(QStringLiteral("signal")).isNull())
        return QStringLiteral("signal %1").arg(e.value(QStringLiteral("signal")).toInt());
    return QStringLiteral("code %1").arg(e.value(QStringLiteral("code")).toInt());
}

void printTable(QTextStream &out, const QJsonArray &items)
{
    out << QStringLiteral("%1 %2 %3 %4 %5 %6\n")
               .arg(QStringLiteral("NAME"), -20)
               .arg(QStringLiteral("STATE"), -11)
               .arg(QStringLiteral("PID"), 8)
               .arg(QStringLiteral("UPTIME"), 10)
               .arg(QStringLiteral("RESTARTS"), 8)
               .arg(QStringLiteral("LAST EXIT"));
    for (const QJsonValue &v : items) {
        const QJsonObject p = v.toObject();
        const QJsonValue pid = p.value(QStringLiteral("pid"));
        const QJsonValue up = p.value(QStringLiteral("uptime_ms"));
        out << QStringLiteral("%1 %2 %3 %4 %5 %6\n")
                   .arg(p.value(QStringLiteral("name")).toString(), -20)
                   .arg(p.value(QStringLiteral("state")).toString(), -11)
                   .arg(pid.isNull() ? QStringLiteral("-") : QString::number(pid.toInteger()), 8)
                   .arg(up.isNull() ? QStringLiteral("-")
                                    : TimeUtil::formatDurationMs(up.toInteger() / 1000 * 1000),
                       10)
                   .arg(p.value(QStringLiteral("restarts")).toInt(), 8)
                   .arg(lastExit(p));
    }
    if (items.isEmpty())
        out << "(no supervised processes)\n";
    out << Qt::flush;
}

} // namespace

int processCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    using F = CommandContext::Format;
    CommandContext c(QStringLiteral("process"), out, err);
    c.setHelp(HelpText, ExitText);
    c.setSubcommands({ QStringLiteral("list"), QStringLiteral("start"), QStringLiteral("stop"),
        QStringLiteral("restart") });
    c.addEngineOptions();
    c.addFormatOption({ F::Text, F::Json },
        QStringLiteral("text (default) or json (the API's answer: list {\"processes\": [...]},\n"
                       "                      start/stop/restart {\"process\", \"action\", "
                       "\"accepted\", \"at\"})"));
    if (const auto done = c.parse(args))
        return *done;
    const auto format = c.format({ F::Text, F::Json });
    if (!format)
        return c.fail(ExitUsage, format.error().message);
    const QString command = c.subcommand();
    const bool list = command == QLatin1String("list");
    if (list) {
        if (const auto done = c.rejectArgumentsBeyond(0))
            return *done;
    } else if (c.arguments().size() != 1) {
        return c.fail(ExitUsage, QStringLiteral("needs exactly one process NAME"));
    }

    const auto client = c.engine();
    if (!client)
        return c.fail(ExitFailure, client.error().message);
    const auto reply = list
        ? client->request("GET", QStringLiteral("/api/processes"))
        : client->request("POST",
            QStringLiteral("/api/processes/%1/%2").arg(c.arguments().at(0), command),
            { { QStringLiteral("actor"), CommandContext::operatorActor() } });
    if (!reply)
        return c.fail(ExitFailure, reply.error().message);
    if (reply->status >= 300)
        return c.failReply(*reply);
    if (*format == F::Json)
        c.printJson(reply->body);
    else if (list)
        printTable(c.out(), reply->body.value(QStringLiteral("processes")).toArray());
    else
        c.out() << command << " " << c.arguments().at(0) << ": accepted\n" << Qt::flush;
    return ExitOk;
}

} // namespace Shivx::Cli
