#include "degradecommand.h"

#include "commandcontext.h"
#include "engineclient.h"

#include "core/timeutil.h"
#include "degradation/degradationlevel.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Shivx::Cli {

namespace {

const char HelpText[]
    = "Usage: shivx degrade status [--format text|json] [--url URL] [--data-dir DIR]\n"
      "       shivx degrade set LEVEL --reason TEXT --for DURATION [--url URL] [--data-dir DIR]\n"
      "       shivx degrade release [--url URL] [--data-dir DIR]\n"
      "\n"
      "Reads or pins the degradation level of a running engine (`shivx serve` or the console)\n"
      "through its HTTP API.\n"
      "\n"
      "  status           the level in effect, the score behind it, any pin, and every feature\n"
      "  set LEVEL        pins NORMAL, LEVEL_1, LEVEL_2, LEVEL_3 or EMERGENCY until the pin\n"
      "                   expires (--for) or is released; the score no longer moves the level\n"
      "  release          ends the pin; the level follows the health score again at once\n"
      "\n"
      "Options:\n"
      "  --reason TEXT    why (required for set; recorded in the audit log)\n"
      "  --for DURATION   how long the pin lasts, e.g. 30m, 2h (required for set)\n";

const char ExitText[]
    = "Exit status: 0 ok; 1 the engine could not be reached or refused; 2 usage error.\n";

QString formatQuality(double q)
{
    return QString::number(q, 'f', 2);
}

void printState(QTextStream &o, const QJsonObject &s, const QJsonObject &features)
{
    const QJsonValue score = s.value(QStringLiteral("score"));
    o << "level       " << s.value(QStringLiteral("level")).toString() << " since "
      << s.value(QStringLiteral("since")).toString() << "\n";
    o << "score       "
      << (score.isDouble() ? QString::number(score.toDouble(), 'f', 1) : QStringLiteral("none yet"))
      << "\n";
    o << "reason      " << s.value(QStringLiteral("reason")).toString() << "\n";
    const QJsonObject pin = s.value(QStringLiteral("override")).toObject();
    if (!pin.isEmpty()) {
        o << "pinned      " << pin.value(QStringLiteral("level")).toString() << " by "
          << pin.value(QStringLiteral("actor")).toString() << " until "
          << pin.value(QStringLiteral("until")).toString() << " ("
          << TimeUtil::formatDurationMs(
                 qint64(pin.value(QStringLiteral("remaining_seconds")).toDouble()) * 1000)
          << " left): " << pin.value(QStringLiteral("reason")).toString() << "\n";
        o << "automatic   " << s.value(QStringLiteral("automatic_level")).toString()
          << " (what the score alone means)\n";
    }
    const QJsonObject recovery = s.value(QStringLiteral("recovery")).toObject();
    if (!recovery.isEmpty())
        o << "recovering  toward " << recovery.value(QStringLiteral("target")).toString()
          << " since " << recovery.value(QStringLiteral("since")).toString() << " (hold "
          << TimeUtil::formatDurationMs(
                 qint64(recovery.value(QStringLiteral("hold_seconds")).toDouble() * 1000))
          << ")\n";
    const QJsonObject map = features.value(QStringLiteral("features")).toObject();
    if (!map.isEmpty()) {
        o << "features\n";
        int width = 0;
        for (auto it = map.begin(); it != map.end(); ++it)
            width = std::max(width, int(it.key().size()));
        for (auto it = map.begin(); it != map.end(); ++it) {
            const QJsonObject f = it.value().toObject();
            o << "  " << it.key().leftJustified(width) << "  "
              << (f.value(QStringLiteral("enabled")).toBool() ? "on " : "off") << "  quality "
              << formatQuality(f.value(QStringLiteral("quality")).toDouble()) << "\n";
        }
    }
    o << Qt::flush;
}

int status(CommandContext &c, const EngineClient &client, bool json)
{
    const auto state = client.request("GET", QStringLiteral("/api/degradation"));
    if (!state)
        return c.fail(ExitFailure, state.error().message);
    if (state->status != 200)
        return c.failReply(*state);
    const auto features = client.request("GET", QStringLiteral("/api/features"));
    if (!features)
        return c.fail(ExitFailure, features.error().message);
    if (features->status != 200)
        return c.failReply(*features);
    if (json)
        c.printJson(QJsonObject { { QStringLiteral("degradation"), state->body },
            { QStringLiteral("features"), features->body.value(QStringLiteral("features")) } });
    else
        printState(c.out(), state->body, features->body);
    return ExitOk;
}

void printChange(QTextStream &out, bool pinned, const QJsonObject &s)
{
    if (pinned) {
        const QJsonObject pin = s.value(QStringLiteral("override")).toObject();
        out << "pinned " << pin.value(QStringLiteral("level")).toString() << " until "
            << pin.value(QStringLiteral("until")).toString() << "; level now "
            << s.value(QStringLiteral("level")).toString() << "\n";
    } else if (s.value(QStringLiteral("released")).toBool()) {
        out << "released; level now " << s.value(QStringLiteral("level")).toString() << " ("
            << s.value(QStringLiteral("reason")).toString() << ")\n";
    } else {
        out << "nothing was pinned; level " << s.value(QStringLiteral("level")).toString() << "\n";
    }
    out << Qt::flush;
}

} // namespace

int degradeCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    using F = CommandContext::Format;
    CommandContext c(QStringLiteral("degrade"), out, err);
    c.setHelp(HelpText, ExitText);
    c.setSubcommands(
        { QStringLiteral("status"), QStringLiteral("set"), QStringLiteral("release") });
    c.addEngineOptions();
    c.addFormatOption({ F::Text, F::Json },
        QStringLiteral("text (default) or json (status: {\"degradation\": the API's state,\n"
                       "                      \"features\": {...}}; set, release: the API's "
                       "answer)"));
    c.addJsonAlias();
    c.addOption({ QStringLiteral("reason"), QString(), QStringLiteral("TEXT") });
    c.addOption({ QStringLiteral("for"), QString(), QStringLiteral("DURATION") });
    if (const auto done = c.parse(args))
        return *done;
    const bool isSet = c.subcommand() == QLatin1String("set");
    if (const auto done = c.rejectArgumentsBeyond(isSet ? 1 : 0))
        return *done;
    if (!isSet) {
        for (const char *opt : { "reason", "for" })
            if (c.isSet(QLatin1String(opt)))
                return c.fail(
                    ExitUsage, QStringLiteral("--%1 applies to set only").arg(QLatin1String(opt)));
    }
    const auto format = c.format({ F::Text, F::Json });
    if (!format)
        return c.fail(ExitUsage, format.error().message);

    // Arguments are checked here first, so a typo is a usage error even with no engine.
    std::optional<DegradationLevel> level;
    qint64 durationMs = 0;
    if (isSet) {
        if (c.arguments().isEmpty())
            return c.fail(ExitUsage,
                QStringLiteral("missing LEVEL (NORMAL, LEVEL_1, LEVEL_2, LEVEL_3 or EMERGENCY)"));
        level = parseDegradationLevel(c.arguments().at(0));
        if (!level)
            return c.fail(ExitUsage,
                QStringLiteral(
                    "\"%1\" is not a level (NORMAL, LEVEL_1, LEVEL_2, LEVEL_3 or EMERGENCY)")
                    .arg(c.arguments().at(0)));
        if (c.value(QStringLiteral("reason")).trimmed().isEmpty())
            return c.fail(ExitUsage,
                QStringLiteral("--reason TEXT is required: say why the level is pinned"));
        if (!c.isSet(QStringLiteral("for")))
            return c.fail(ExitUsage,
                QStringLiteral("--for DURATION is required (e.g. 30m): every pin expires"));
        const auto d = TimeUtil::parseDurationMs(c.value(QStringLiteral("for")));
        if (!d)
            return c.fail(ExitUsage, QStringLiteral("--for: %1").arg(d.error().message));
        durationMs = *d;
    }

    const auto client = c.engine();
    if (!client)
        return c.fail(ExitFailure, client.error().message);
    const bool json = *format == F::Json;
    if (c.subcommand() == QLatin1String("status"))
        return status(c, *client, json);

    const auto reply = isSet ? client->request("POST", QStringLiteral("/api/degradation/pin"),
                           { { QStringLiteral("level"), toString(*level) },
                               { QStringLiteral("reason"), c.value(QStringLiteral("reason")) },
                               { QStringLiteral("for"), TimeUtil::formatDurationMs(durationMs) },
                               { QStringLiteral("actor"), CommandContext::operatorActor() } })
                             : client->request("POST", QStringLiteral("/api/degradation/release"),
                                 { { QStringLiteral("actor"), CommandContext::operatorActor() } });
    if (!reply)
        return c.fail(ExitFailure, reply.error().message);
    if (reply->status != 200)
        return c.failReply(*reply);
    if (json)
        c.printJson(reply->body);
    else
        printChange(c.out(), isSet, reply->body);
    return ExitOk;
}

} // namespace Shivx::Cli
