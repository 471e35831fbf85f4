#include "breakercommand.h"
#include "core/operatoridentity.h"

#include "clicommon.h"
#include "engineclient.h"

#include "core/datadir.h"
#include "core/timeutil.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>

namespace Shivx::Cli {

namespace {

const char HelpText[]
    = "Usage: shivx breaker list [--format text|json] [--url URL] [--data-dir DIR]\n"
      "       shivx breaker force NAME open|closed|auto [--url URL] [--data-dir DIR]\n"
      "\n"
      "Shows and controls the circuit breakers of a running engine (`shivx serve` or the\n"
      "console) through its HTTP API.\n"
      "\n"
      "  list             every breaker: state, calls, failures, rejections, time in state\n"
      "  force NAME S     open: reject every call; closed: let every call through;\n"
      "                   auto: back to automatic (closed, failure count reset)\n"
      "\n"
      "Options:\n"
      "  --url URL        engine address (default: the one recorded in the data directory)\n"
      "  --data-dir DIR   data directory (default: $XDG_DATA_HOME/shivx); its api-token file\n"
      "                   authorises force\n"
      "  --format F       list: text (default) or json\n"
      "  -h, --help       this help\n"
      "\n"
      "Exit status: 0 ok; 1 the engine could not be reached or refused; 2 usage error.\n";

// "cli:alice": who forced it, for the operator audit stream.
QString actor()
{
    return OperatorIdentity::actor(QStringLiteral("cli"));
}

int usageError(const QString &message)
{
    err() << "shivx breaker: " << message << "\n\n" << HelpText << Qt::flush;
    return ExitUsage;
}

int failed(const QString &message)
{
    err() << "shivx breaker: " << message << "\n" << Qt::flush;
    return ExitFailure;
}

int engineError(const EngineClient::Reply &reply)
{
    return failed(QStringLiteral("engine answered %1: %2")
                      .arg(reply.status)
                      .arg(reply.body.value(QStringLiteral("message")).toString()));
}

void printTable(const QJsonArray &breakers)
{
    QTextStream &o = out();
    if (breakers.isEmpty()) {
        o << "no circuit breakers\n" << Qt::flush;
        return;
    }
    const QString header = QStringLiteral("%1 %2 %3 %4 %5 %6 %7  %8\n");
    o << header.arg(QStringLiteral("NAME"), -24)
             .arg(QStringLiteral("STATE"), -10)
             .arg(QStringLiteral("FORCE"), -7)
             .arg(QStringLiteral("CALLS"), 9)
             .arg(QStringLiteral("FAILURES"), 9)
             .arg(QStringLiteral("REJECTED"), 9)
             .arg(QStringLiteral("IN STATE"), 9)
             .arg(QStringLiteral("REASON"));
    for (const QJsonValue &v : breakers) {
        const QJsonObject b = v.toObject();
        o << header.arg(b.value(QStringLiteral("name")).toString(), -24)
                 .arg(b.value(QStringLiteral("state")).toString(), -10)
                 .arg(b.value(QStringLiteral("force")).toString(), -7)
                 .arg(QString::number(qint64(b.value(QStringLiteral("calls")).toDouble())), 9)
                 .arg(QString::number(qint64(b.value(QStringLiteral("failures")).toDouble())), 9)
                 .arg(QString::number(qint64(b.value(QStringLiteral("rejections")).toDouble())), 9)
                 .arg(TimeUtil::formatDurationMs(
                          qint64(b.value(QStringLiteral("time_in_state_ms")).toDouble()) / 1000
                          * 1000),
                     9)
                 .arg(b.value(QStringLiteral("reason")).toString());
    }
    o << Qt::flush;
}

} // namespace

int breakerCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({
        { { QStringLiteral("h"), QStringLiteral("help") }, QStringLiteral("Help.") },
        { QStringLiteral("url"), QStringLiteral("Engine address."), QStringLiteral("URL") },
        { QStringLiteral("data-dir"), QStringLiteral("Data directory."), QStringLiteral("DIR") },
        { QStringLiteral("format"), QStringLiteral("text or json."), QStringLiteral("F"),
            QStringLiteral("text") },
    });
    if (!p.parse(QStringList { QStringLiteral("shivx breaker") } + args))
        return usageError(p.errorText());
    if (p.isSet(QStringLiteral("help"))) {
        out() << HelpText << Qt::flush;
        return ExitOk;
    }
    const QStringList pos = p.positionalArguments();
    const QString sub = pos.value(0);
    if (sub.isEmpty())
        return usageError(QStringLiteral("missing subcommand (list or force)"));
    if (sub != QLatin1String("list") && sub != QLatin1String("force"))
        return usageError(QStringLiteral("unknown subcommand \"%1\" (list or force)").arg(sub));
    const QString format = p.value(QStringLiteral("format"));
    if (format != QLatin1String("text") && format != QLatin1String("json"))
        return usageError(QStringLiteral("--format: \"%1\" is not text or json").arg(format));
    if (sub == QLatin1String("list") && pos.size() > 1)
        return usageError(QStringLiteral("list: unexpected argument \"%1\"").arg(pos.at(1)));
    if (sub == QLatin1String("force")) {
        if (pos.size() != 3)
            return usageError(QStringLiteral("force: expected NAME and open, closed or auto"));
        static const QStringList states { QStringLiteral("open"), QStringLiteral("closed"),
            QStringLiteral("auto") };
        if (!states.contains(pos.at(2)))
            return usageError(
                QStringLiteral("force: \"%1\" is not open, closed or auto").arg(pos.at(2)));
    }

    const QString dataDir = DataDir::resolve(p.value(QStringLiteral("data-dir")), QString());
    const auto client = EngineClient::connect(dataDir, p.value(QStringLiteral("url")));
    if (!client)
        return failed(client.error().message);

    if (sub == QLatin1String("list")) {
        const auto reply = client->request("GET", QStringLiteral("/api/breakers"));
        if (!reply)
            return failed(reply.error().message);
        if (reply->status != 200)
            return engineError(*reply);
        const QJsonArray breakers = reply->body.value(QStringLiteral("breakers")).toArray();
        if (format == QLatin1String("json"))
            out() << QJsonDocument(reply->body).toJson(QJsonDocument::Indented) << Qt::flush;
        else
            printTable(breakers);
        return ExitOk;
    }

    const QString name = pos.at(1);
    const auto reply = client->request("POST", QStringLiteral("/api/breakers/%1/force").arg(name),
        QJsonObject {
            { QStringLiteral("state"), pos.at(2) }, { QStringLiteral("actor"), actor() } });
    if (!reply)
        return failed(reply.error().message);
    if (reply->status != 200)
        return engineError(*reply);
    const QJsonObject b = reply->body.value(QStringLiteral("breaker")).toObject();
    out() << "breaker " << name << ": " << b.value(QStringLiteral("state")).toString() << " (force "
          << b.value(QStringLiteral("force")).toString() << ")\n"
          << Qt::flush;
    return ExitOk;
}

} // namespace Shivx::Cli
