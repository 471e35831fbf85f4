#include "guardiancommand.h"

#include "commandcontext.h"
#include "engineclient.h"

#include "core/timeutil.h"
#include "guardian/defensemode.h"
#include "guardian/threatevent.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonObject>
#include <QUrlQuery>

namespace Shivx::Cli {

namespace {

const char HelpText[]
    = "Usage: shivx guardian status [--format text|json] [--url URL] [--data-dir DIR]\n"
      "       shivx guardian threats [--type TYPE] [--severity LEVEL] [--source ADDRESS]\n"
      "                              [--since TIME] [--limit N] [--format text|json]\n"
      "       shivx guardian isolate ADDRESS --for DURATION --reason TEXT\n"
      "       shivx guardian release ADDRESS\n"
      "       shivx guardian mode [NORMAL|ELEVATED|LOCKDOWN --reason TEXT]\n"
      "\n"
      "Reads and steers the guardian of a running engine (`shivx serve` or the console)\n"
      "through its HTTP API.\n"
      "\n"
      "  status           the defense mode, why, and the sources isolated now\n"
      "  threats          threat rows, newest first (repeats of one source and type counted\n"
      "                   in one row), then each source's threat score now with the points\n"
      "                   of each feature\n"
      "  isolate ADDRESS  the engine's API refuses ADDRESS (403) for DURATION\n"
      "  release ADDRESS  ends an isolation now\n"
      "  mode             shows the mode; with a mode, sets it (automatic steps never go\n"
      "                   below what an operator set; set NORMAL to give control back)\n"
      "\n"
      "Options:\n"
      "  --reason TEXT    why (required for isolate and mode MODE; recorded in the audit log)\n"
      "  --for DURATION   how long an isolation lasts, e.g. 10m, 2h (required for isolate)\n"
      "  --type TYPE      threats of this type only (api.request_rate, api.token_failures ...)\n"
      "  --severity LEVEL threats of at least info, warning or critical\n"
      "  --source ADDRESS threats from this source only\n"
      "  --since TIME     threats last seen at or after TIME (-1h, RFC 3339, epoch ms)\n"
      "  --limit N        at most N rows (default 50, at most 10000)\n";

const char ExitText[]
    = "Exit status: 0 ok; 1 the engine could not be reached or refused; 2 usage error.\n";

void printStatus(QTextStream &o, const QJsonObject &s)
{
    const QJsonObject reason = s.value(QStringLiteral("reason")).toObject();
    o << "mode        " << s.value(QStringLiteral("mode")).toString() << " since "
      << s.value(QStringLiteral("since")).toString() << "\n";
    o << "reason      " << reason.value(QStringLiteral("text")).toString() << "\n";
    if (s.value(QStringLiteral("floor")).toString() != QLatin1String("NORMAL"))
        o << "floor       " << s.value(QStringLiteral("floor")).toString()
          << " (set by an operator)\n";
    const QJsonValue next = s.value(QStringLiteral("next_step_down"));
    if (next.isString())
        o << "steps down  at " << next.toString() << " if all stays quiet\n";
    const QJsonArray isolations = s.value(QStringLiteral("isolations")).toArray();
    o << "isolated    " << isolations.size() << "\n";
    for (const QJsonValue &v : isolations) {
        const QJsonObject i = v.toObject();
        o << "  " << i.value(QStringLiteral("source")).toString().leftJustified(40) << " "
          << TimeUtil::formatDurationMs(
                 qint64(i.value(QStringLiteral("remaining_seconds")).toDouble()) * 1000)
          << " left, by " << i.value(QStringLiteral("actor")).toString() << ": "
          << i.value(QStringLiteral("reason")).toString() << "\n";
    }
    o << Qt::flush;
}

void printThreats(QTextStream &o, const QJsonArray &rows, const QJsonObject &scores)
{
    if (rows.isEmpty()) {
        o << "no threats\n" << Qt::flush;
        return;
    }
    o << "LAST SEEN                 SEVERITY  COUNT  SCORE  SOURCE           TYPE / EVIDENCE\n";
    QStringList sources;
    for (const QJsonValue &v : rows) {
        const QJsonObject r = v.toObject();
        const QString source = r.value(QStringLiteral("source")).toString();
        o << r.value(QStringLiteral("last_seen")).toString().leftJustified(25) << " "
          << r.value(QStringLiteral("severity")).toString().leftJustified(9) << " "
          << QString::number(r.value(QStringLiteral("count")).toInteger()).rightJustified(5) << "  "
          << QString::number(r.value(QStringLiteral("score")).toInt()).rightJustified(5) << "  "
          << source.leftJustified(16) << " " << r.value(QStringLiteral("type")).toString() << ": "
          << r.value(QStringLiteral("evidence")).toString() << "\n";
        if (scores.contains(source) && !sources.contains(source))
            sources.append(source);
    }
    // The explanation, as `shivx health` gives the health score's: every feature's points.
    if (!sources.isEmpty())
        o << "\nTHREAT SCORE NOW (features: points / maximum, why)\n";
    for (const QString &source : std::as_const(sources)) {
        const QJsonObject a = scores.value(source).toObject();
        o << source << "  " << a.value(QStringLiteral("score")).toDouble() << " ("
          << a.value(QStringLiteral("class")).toString() << ")\n";
        for (const QJsonValue &f : a.value(QStringLiteral("features")).toArray()) {
            const QJsonObject feature = f.toObject();
            o << "    " << feature.value(QStringLiteral("name")).toString().leftJustified(15)
              << QStringLiteral("%1 / %2")
                     .arg(feature.value(QStringLiteral("points")).toDouble(), 0, 'f', 1)
                     .arg(feature.value(QStringLiteral("max_points")).toDouble(), 0, 'f', 0)
                     .leftJustified(12)
              << feature.value(QStringLiteral("detail"))
                     .toObject()
                     .value(QStringLiteral("text"))
                     .toString()
              << "\n";
        }
    }
    o << Qt::flush;
}

} // namespace

int guardianCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    using F = CommandContext::Format;
    CommandContext c(QStringLiteral("guardian"), out, err);
    c.setHelp(HelpText, ExitText);
    c.setSubcommands({ QStringLiteral("status"), QStringLiteral("threats"),
        QStringLiteral("isolate"), QStringLiteral("release"), QStringLiteral("mode") });
    c.addEngineOptions();
    c.addFormatOption({ F::Text, F::Json },
        QStringLiteral("text (default) or json (the API's answer, one document per line)"));
    c.addJsonAlias();
    for (const char *name : { "reason", "for", "type", "severity", "source", "since", "limit" })
        c.addOption({ QLatin1String(name), QString(), QStringLiteral("VALUE") });
    if (const auto done = c.parse(args))
        return *done;
    const QString sub = c.subcommand();
    const bool takesAddress = sub == QLatin1String("isolate") || sub == QLatin1String("release");
    const bool isMode = sub == QLatin1String("mode");
    if (const auto done = c.rejectArgumentsBeyond(takesAddress || isMode ? 1 : 0))
        return *done;
    const auto format = c.format({ F::Text, F::Json });
    if (!format)
        return c.fail(ExitUsage, format.error().message);

    // Options that do not belong to the subcommand are usage errors, not silently ignored.
    QStringList allowed;
    if (sub == QLatin1String("threats"))
        allowed = { QStringLiteral("type"), QStringLiteral("severity"), QStringLiteral("source"),
            QStringLiteral("since"), QStringLiteral("limit") };
    else if (sub == QLatin1String("isolate"))
        allowed = { QStringLiteral("reason"), QStringLiteral("for") };
    else if (isMode)
        allowed = { QStringLiteral("reason") };
    for (const char *name : { "reason", "for", "type", "severity", "source", "since", "limit" })
        if (c.isSet(QLatin1String(name)) && !allowed.contains(QLatin1String(name)))
            return c.fail(ExitUsage,
                QStringLiteral("--%1 does not apply to %2").arg(QLatin1String(name), sub));

    QString address;
    if (takesAddress) {
        if (c.arguments().isEmpty())
            return c.fail(ExitUsage, QStringLiteral("missing ADDRESS (an IPv4 or IPv6 address)"));
        address = c.arguments().at(0);
        if (QHostAddress(address).isNull())
            return c.fail(
                ExitUsage, QStringLiteral("\"%1\" is not an IPv4 or IPv6 address").arg(address));
    }
    QJsonObject body { { QStringLiteral("actor"), CommandContext::operatorActor() } };
    QString path;
    QByteArray method = "POST";
    if (sub == QLatin1String("isolate")) {
        if (!c.isSet(QStringLiteral("for")))
            return c.fail(ExitUsage, QStringLiteral("--for DURATION is required (e.g. 1h)"));
        const auto d = TimeUtil::parseDurationMs(c.value(QStringLiteral("for")));
        if (!d)
            return c.fail(ExitUsage, QStringLiteral("--for: %1").arg(d.error().message));
        if (c.value(QStringLiteral("reason")).trimmed().isEmpty())
            return c.fail(ExitUsage,
                QStringLiteral("--reason TEXT is required: say why the source is isolated"));
        body.insert(QStringLiteral("source"), address);
        body.insert(QStringLiteral("for"), TimeUtil::formatDurationMs(*d));
        body.insert(QStringLiteral("reason"), c.value(QStringLiteral("reason")));
        path = QStringLiteral("/api/guardian/isolate");
    } else if (sub == QLatin1String("release")) {
        body.insert(QStringLiteral("source"), address);
        path = QStringLiteral("/api/guardian/release");
    } else if (isMode && !c.arguments().isEmpty()) {
        const auto mode = parseDefenseMode(c.arguments().at(0));
        if (!mode)
            return c.fail(ExitUsage,
                QStringLiteral("\"%1\" is not a mode (NORMAL, ELEVATED or LOCKDOWN)")
                    .arg(c.arguments().at(0)));
        if (c.value(QStringLiteral("reason")).trimmed().isEmpty())
            return c.fail(
                ExitUsage, QStringLiteral("--reason TEXT is required: say why the mode is set"));
        body.insert(QStringLiteral("mode"), toString(*mode));
        body.insert(QStringLiteral("reason"), c.value(QStringLiteral("reason")));
        path = QStringLiteral("/api/guardian/mode");
    } else if (sub == QLatin1String("threats")) {
        QUrlQuery q;
        if (c.isSet(QStringLiteral("severity"))
            && !parseThreatSeverity(c.value(QStringLiteral("severity"))))
            return c.fail(ExitUsage,
                QStringLiteral("--severity: \"%1\" is not info, warning or critical")
                    .arg(c.value(QStringLiteral("severity"))));
        for (const char *name : { "type", "severity", "source", "since", "limit" })
            if (c.isSet(QLatin1String(name)))
                q.addQueryItem(QLatin1String(name), c.value(QLatin1String(name)));
        if (!c.isSet(QStringLiteral("limit")))
            q.addQueryItem(QStringLiteral("limit"), QStringLiteral("50"));
        method = "GET";
        path = QStringLiteral("/api/guardian/threats?") + q.toString(QUrl::FullyEncoded);
    } else {
        method = "GET";
        path = QStringLiteral("/api/guardian");
    }
    if (isMode && c.arguments().isEmpty() && c.isSet(QStringLiteral("reason")))
        return c.fail(ExitUsage, QStringLiteral("--reason applies when setting a mode"));

    const auto client = c.engine();
    if (!client)
        return c.fail(ExitFailure, client.error().message);
    const auto reply
        = method == "GET" ? client->request(method, path) : client->request(method, path, body);
    if (!reply)
        return c.fail(ExitFailure, reply.error().message);
    if (reply->status != 200)
        return c.failReply(*reply);
    if (*format == F::Json) {
        c.printJson(reply->body);
        return ExitOk;
    }
    if (sub == QLatin1String("threats"))
        printThreats(c.out(), reply->body.value(QStringLiteral("threats")).toArray(),
            reply->body.value(QStringLiteral("scores")).toObject());
    else if (sub == QLatin1String("isolate"))
        c.out() << "isolated " << reply->body.value(QStringLiteral("source")).toString()
                << " until " << reply->body.value(QStringLiteral("until")).toString() << "\n"
                << Qt::flush;
    else if (sub == QLatin1String("release"))
        c.out() << "released " << address << "\n" << Qt::flush;
    else
        printStatus(c.out(), reply->body);
    return ExitOk;
}

} // namespace Shivx::Cli
