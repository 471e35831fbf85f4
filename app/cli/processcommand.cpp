#include "processcommand.h"

#include "clicommon.h"
#include "core/datadir.h"
#include "core/timeutil.h"
#include "engineclient.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

namespace Shivx::Cli {

namespace {

const char HelpText[]
    = "Usage: shivx process list [--format text|json] [--url URL] [--data-dir DIR]\n"
      "       shivx process start|stop|restart NAME [--url URL] [--data-dir DIR]\n"
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
      "Options:\n"
      "  --url URL        the engine's API (default: the address recorded in DIR/api-address)\n"
      "  --data-dir DIR   data directory; its api-token authorises start/stop/restart\n"
      "                   (default: $XDG_DATA_HOME/shivx)\n"
      "  --format F       list: text (default) or json (the API's answer)\n"
      "  -h, --help       this help\n"
      "\n"
      "Exit status: 0 ok; 1 no such process, or the engine cannot be reached; 2 usage error.\n";

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

} // namespace

int processCommand(const QStringList &args)
{
    return processCommand(args, out(), err());
}

int processCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption urlOpt(QStringLiteral("url"), QString(), QStringLiteral("URL"));
    const QCommandLineOption dirOpt(QStringLiteral("data-dir"), QString(), QStringLiteral("DIR"));
    const QCommandLineOption formatOpt(
        QStringLiteral("format"), QString(), QStringLiteral("F"), QStringLiteral("text"));
    const QCommandLineOption helpOpt(QStringList { QStringLiteral("h"), QStringLiteral("help") });
    parser.addOptions({ urlOpt, dirOpt, formatOpt, helpOpt });
    auto usage = [&err](const QString &message) {
        err << "shivx process: " << message << "\n\n" << HelpText << Qt::flush;
        return int(ExitUsage);
    };
    if (!parser.parse(QStringList { QStringLiteral("shivx-process") } + args))
        return usage(parser.errorText());
    if (parser.isSet(helpOpt)) {
        out << HelpText << Qt::flush;
        return ExitOk;
    }
    const QStringList pos = parser.positionalArguments();
    const QString command = pos.value(0);
    const bool list = command == QLatin1String("list");
    const bool control = command == QLatin1String("start") || command == QLatin1String("stop")
        || command == QLatin1String("restart");
    if (command.isEmpty())
        return usage(QStringLiteral("missing command (list, start, stop, restart)"));
    if (!list && !control)
        return usage(QStringLiteral("unknown command \"%1\"").arg(command));
    if (list && pos.size() != 1)
        return usage(QStringLiteral("list takes no arguments"));
    if (control && pos.size() != 2)
        return usage(QStringLiteral("%1 needs exactly one process NAME").arg(command));
    const QString format = parser.value(formatOpt);
    if (format != QLatin1String("text") && format != QLatin1String("json"))
        return usage(QStringLiteral("--format: \"%1\" is not text or json").arg(format));

    const QString dataDir = DataDir::resolve(parser.value(dirOpt), QString());
    auto client = EngineClient::connect(dataDir, parser.value(urlOpt));
    if (!client) {
        err << "shivx process: " << client.error().message << "\n" << Qt::flush;
        return ExitFailure;
    }
    const QString path = list ? QStringLiteral("/api/processes")
                              : QStringLiteral("/api/processes/%1/%2").arg(pos.at(1), command);
    auto reply = client->request(list ? "GET" : "POST", path);
    if (!reply) {
        err << "shivx process: " << reply.error().message << "\n" << Qt::flush;
        return ExitFailure;
    }
    if (reply->status >= 300) {
        err << "shivx process " << command << ": "
            << reply->body.value(QStringLiteral("message")).toString() << " (HTTP " << reply->status
            << ")\n"
            << Qt::flush;
        return ExitFailure;
    }
    if (control) {
        out << command << " " << pos.at(1) << ": accepted\n" << Qt::flush;
        return ExitOk;
    }
    if (format == QLatin1String("json")) {
        out << QJsonDocument(reply->body).toJson(QJsonDocument::Indented) << Qt::flush;
        return ExitOk;
    }
    const QJsonArray items = reply->body.value(QStringLiteral("processes")).toArray();
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
    return ExitOk;
}

} // namespace Shivx::Cli
