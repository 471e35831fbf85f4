#include "breakercommand.h"

#include "commandcontext.h"

#include "core/timeutil.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Shivx::Cli {

namespace {

const char HelpText[]
    = "Usage: shivx breaker list [--format text|json] [--url URL] [--data-dir DIR]\n"
      "       shivx breaker force NAME open|closed|auto [--format text|json] [--url URL]\n"
      "                           [--data-dir DIR]\n"
      "\n"
      "Shows and controls the circuit breakers of a running engine (`shivx serve` or the\n"
      "console) through its HTTP API.\n"
      "\n"
      "  list             every breaker: state, calls, failures, rejections, time in state\n"
      "  force NAME S     open: reject every call; closed: let every call through;\n"
      "                   auto: back to automatic (closed, failure count reset).\n"
      "                   Audited on the operator stream as cli:USER.\n";

const char ExitText[]
    = "Exit status: 0 ok; 1 the engine could not be reached or refused; 2 usage error.\n";

void printTable(QTextStream &o, const QJsonArray &breakers)
{
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

int breakerCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    using F = CommandContext::Format;
    CommandContext c(QStringLiteral("breaker"), out, err);
    c.setHelp(HelpText, ExitText);
    c.setSubcommands({ QStringLiteral("list"), QStringLiteral("force") });
    c.addEngineOptions();
    c.addFormatOption({ F::Text, F::Json },
        QStringLiteral("text (default) or json (list: the API's {\"breakers\": [...]};\n"
                       "                      force: its {\"breaker\": {...}})"));
    if (const auto done = c.parse(args))
        return *done;
    const auto format = c.format({ F::Text, F::Json });
    if (!format)
        return c.fail(ExitUsage, format.error().message);
    const bool list = c.subcommand() == QLatin1String("list");
    const QStringList arguments = c.arguments();
    if (list) {
        if (const auto done = c.rejectArgumentsBeyond(0))
            return *done;
    } else {
        if (arguments.size() != 2)
            return c.fail(ExitUsage, QStringLiteral("expected NAME and open, closed or auto"));
        static const QStringList states { QStringLiteral("open"), QStringLiteral("closed"),
            QStringLiteral("auto") };
        if (!states.contains(arguments.at(1)))
            return c.fail(ExitUsage,
                QStringLiteral("\"%1\" is not open, closed or auto").arg(arguments.at(1)));
    }

    const auto client = c.engine();
    if (!client)
        return c.fail(ExitFailure, client.error().message);
    const auto reply = list
        ? client->request("GET", QStringLiteral("/api/breakers"))
        : client->request("POST", QStringLiteral("/api/breakers/%1/force").arg(arguments.at(0)),
            QJsonObject { { QStringLiteral("state"), arguments.at(1) },
                { QStringLiteral("actor"), CommandContext::operatorActor() } });
    if (!reply)
        return c.fail(ExitFailure, reply.error().message);
    if (reply->status != 200)
        return c.failReply(*reply);
    if (*format == F::Json) {
        c.printJson(reply->body);
        return ExitOk;
    }
    if (list) {
        printTable(c.out(), reply->body.value(QStringLiteral("breakers")).toArray());
        return ExitOk;
    }
    const QJsonObject b = reply->body.value(QStringLiteral("breaker")).toObject();
    c.out() << "breaker " << arguments.at(0) << ": " << b.value(QStringLiteral("state")).toString()
            << " (force " << b.value(QStringLiteral("force")).toString() << ")\n"
            << Qt::flush;
    return ExitOk;
}

} // namespace Shivx::Cli
