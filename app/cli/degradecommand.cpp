#include "degradecommand.h"
#include "core/operatoridentity.h"

#include "clicommon.h"
#include "engineclient.h"

#include "core/datadir.h"
#include "core/timeutil.h"
#include "degradation/degradationlevel.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Shivx::Cli {

namespace {

const char HelpText[]
    = "Usage: shivx degrade status [--json] [--url URL] [--data-dir DIR]\n"
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
      "  --for DURATION   how long the pin lasts, e.g. 30m, 2h (required for set)\n"
      "  --url URL        the engine's API (default: the address recorded in the data directory)\n"
      "  --data-dir DIR   data directory of the engine (default: $XDG_DATA_HOME/shivx); the\n"
      "                   API token is always read from DIR/api-token\n"
      "  --json           status: print the engine's JSON answers\n"
      "  -h, --help       this help\n"
      "\n"
      "Exit status: 0 ok; 1 the engine could not be reached or refused; 2 usage error.\n";

struct Context
{
    QString command;

    int fail(int code, const QString &message) const
    {
        err() << "shivx degrade" << (command.isEmpty() ? QString() : QLatin1Char(' ') + command)
              << ": " << message << "\n"
              << Qt::flush;
        return code;
    }

    // An HTTP error answer from the engine: its own message, and 2 for a request it
    // called bad (our arguments), 1 otherwise.
    int failReply(const EngineClient::Reply &reply) const
    {
        const QString message = reply.body.value(QStringLiteral("message")).toString();
        return fail(reply.status == 400 ? ExitUsage : ExitFailure,
            QStringLiteral("engine answered HTTP %1: %2").arg(reply.status).arg(message));
    }
};

QString actorName()
{
    return OperatorIdentity::actor(QStringLiteral("cli"));
}

QString formatQuality(double q)
{
    return QString::number(q, 'f', 2);
}

void printState(const QJsonObject &s, const QJsonObject &features)
{
    QTextStream &o = out();
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

int status(const Context &c, const EngineClient &client, bool json)
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
    if (json) {
        out() << QJsonDocument(
            QJsonObject { { QStringLiteral("degradation"), state->body },
                { QStringLiteral("features"), features->body.value(QStringLiteral("features")) } })
                     .toJson(QJsonDocument::Compact)
              << "\n"
              << Qt::flush;
        return ExitOk;
    }
    printState(state->body, features->body);
    return ExitOk;
}

} // namespace

int degradeCommand(const QStringList &args)
{
    Context c;
    QCommandLineParser p;
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    p.addOptions({
        { { QStringLiteral("h"), QStringLiteral("help") }, QStringLiteral("Help.") },
        { QStringLiteral("data-dir"), QStringLiteral("Data directory."), QStringLiteral("DIR") },
        { QStringLiteral("url"), QStringLiteral("Engine API."), QStringLiteral("URL") },
        { QStringLiteral("reason"), QStringLiteral("Why."), QStringLiteral("TEXT") },
        { QStringLiteral("for"), QStringLiteral("Duration."), QStringLiteral("DURATION") },
        { QStringLiteral("json"), QStringLiteral("JSON output.") },
    });
    if (!p.parse(QStringList { QStringLiteral("shivx degrade") } + args))
        return c.fail(ExitUsage, p.errorText() + QStringLiteral(" (see shivx degrade --help)"));
    const QStringList pos = p.positionalArguments();
    if (p.isSet(QStringLiteral("help")) || pos.value(0) == QLatin1String("help")) {
        out() << HelpText << Qt::flush;
        return ExitOk;
    }
    if (pos.isEmpty()) {
        err() << "shivx degrade: missing subcommand\n\n" << HelpText << Qt::flush;
        return ExitUsage;
    }
    c.command = pos.at(0);
    const bool isSet = c.command == QLatin1String("set");
    if (!isSet && c.command != QLatin1String("status") && c.command != QLatin1String("release")) {
        c.command.clear();
        return c.fail(ExitUsage,
            QStringLiteral("unknown subcommand \"%1\" (expected status, set or release; "
                           "see shivx degrade --help)")
                .arg(pos.at(0)));
    }
    if (p.isSet(QStringLiteral("data-dir")) && p.value(QStringLiteral("data-dir")).isEmpty())
        return c.fail(ExitUsage, QStringLiteral("--data-dir needs a directory"));
    if (pos.size() > (isSet ? 2 : 1))
        return c.fail(
            ExitUsage, QStringLiteral("unexpected argument \"%1\"").arg(pos.at(isSet ? 2 : 1)));
    if (!isSet) {
        for (const char *opt : { "reason", "for" })
            if (p.isSet(QLatin1String(opt)))
                return c.fail(
                    ExitUsage, QStringLiteral("--%1 applies to set only").arg(QLatin1String(opt)));
    }
    if (p.isSet(QStringLiteral("json")) && c.command != QLatin1String("status"))
        return c.fail(ExitUsage, QStringLiteral("--json applies to status only"));

    // Arguments are checked here first, so a typo is a usage error even with no engine.
    std::optional<DegradationLevel> level;
    qint64 durationMs = 0;
    if (isSet) {
        if (pos.size() < 2)
            return c.fail(ExitUsage,
                QStringLiteral("missing LEVEL (NORMAL, LEVEL_1, LEVEL_2, LEVEL_3 or EMERGENCY)"));
        level = parseDegradationLevel(pos.at(1));
        if (!level)
            return c.fail(ExitUsage,
                QStringLiteral(
                    "\"%1\" is not a level (NORMAL, LEVEL_1, LEVEL_2, LEVEL_3 or EMERGENCY)")
                    .arg(pos.at(1)));
        if (p.value(QStringLiteral("reason")).trimmed().isEmpty())
            return c.fail(ExitUsage,
                QStringLiteral("--reason TEXT is required: say why the level is pinned"));
        if (!p.isSet(QStringLiteral("for")))
            return c.fail(ExitUsage,
                QStringLiteral("--for DURATION is required (e.g. 30m): every pin expires"));
        const auto d = TimeUtil::parseDurationMs(p.value(QStringLiteral("for")));
        if (!d)
            return c.fail(ExitUsage, QStringLiteral("--for: %1").arg(d.error().message));
        durationMs = *d;
    }

    const QString dataDir = p.isSet(QStringLiteral("data-dir"))
        ? DataDir::resolve(p.value(QStringLiteral("data-dir")), QString())
        : DataDir::defaultPath();
    const auto client = EngineClient::connect(dataDir, p.value(QStringLiteral("url")));
    if (!client)
        return c.fail(client.error().code == QLatin1String("cli.url") ? ExitUsage : ExitFailure,
            client.error().message);

    if (c.command == QLatin1String("status"))
        return status(c, *client, p.isSet(QStringLiteral("json")));

    EngineClient::Reply reply;
    if (isSet) {
        const auto r = client->request("POST", QStringLiteral("/api/degradation/pin"),
            { { QStringLiteral("level"), toString(*level) },
                { QStringLiteral("reason"), p.value(QStringLiteral("reason")) },
                { QStringLiteral("for"), TimeUtil::formatDurationMs(durationMs) },
                { QStringLiteral("actor"), actorName() } });
        if (!r)
            return c.fail(ExitFailure, r.error().message);
        reply = *r;
    } else {
        const auto r = client->request("POST", QStringLiteral("/api/degradation/release"),
            { { QStringLiteral("actor"), actorName() } });
        if (!r)
            return c.fail(ExitFailure, r.error().message);
        reply = *r;
    }
    if (reply.status != 200)
        return c.failReply(reply);
    const QJsonObject &s = reply.body;
    if (isSet) {
        const QJsonObject pin = s.value(QStringLiteral("override")).toObject();
        out() << "pinned " << pin.value(QStringLiteral("level")).toString() << " until "
              << pin.value(QStringLiteral("until")).toString() << "; level now "
              << s.value(QStringLiteral("level")).toString() << "\n"
              << Qt::flush;
    } else if (s.value(QStringLiteral("released")).toBool()) {
        out() << "released; level now " << s.value(QStringLiteral("level")).toString() << " ("
              << s.value(QStringLiteral("reason")).toString() << ")\n"
              << Qt::flush;
    } else {
        out() << "nothing was pinned; level " << s.value(QStringLiteral("level")).toString() << "\n"
              << Qt::flush;
    }
    return ExitOk;
}

} // namespace Shivx::Cli
