#include "drcommand.h"

#include "commandcontext.h"

#include "core/timeutil.h"

#include <QJsonArray>
#include <QThread>

namespace Shivx::Cli {

namespace {

const char HelpText[]
    = "Usage: shivx dr list | show PLAN | activate PLAN [--dry-run] --yes | runs | abort RUN\n"
      "\n"
      "Disaster-recovery plans of the running engine (backup.dr_plans; docs/backup.md): ordered\n"
      "steps (stop or start a supervised target, restore a backup set, verify a restore,\n"
      "guardian mode and isolation, degradation pin, commands, waits, notifications), each with\n"
      "a timeout and an on_failure policy, every step audited.\n"
      "\n"
      "  list            the plans\n"
      "  show PLAN       a plan's steps\n"
      "  activate PLAN   runs the plan and follows it step by step; --yes is required (the\n"
      "                  plan stops, restores and changes things); --dry-run checks every step\n"
      "                  and lists what its restores would change, changing nothing\n"
      "  runs            this engine run's DR runs, newest first\n"
      "  abort RUN       stops a running plan at its current step (nothing is rolled back)\n";

const char ExitText[]
    = "Exit status: 0 ok (activate: the run succeeded); 1 failure; 2 usage error.\n";

void printRun(QTextStream &out, const QJsonObject &run, bool withLogs)
{
    out << "run " << run.value(QStringLiteral("id")).toInteger() << " of "
        << run.value(QStringLiteral("plan")).toString()
        << (run.value(QStringLiteral("dry_run")).toBool() ? " (dry run)" : "") << ": "
        << run.value(QStringLiteral("state")).toString();
    if (!run.value(QStringLiteral("recovery_ms")).isNull())
        out << ", recovery time "
            << TimeUtil::formatDurationMs(run.value(QStringLiteral("recovery_ms")).toInteger());
    out << "\n";
    for (const QJsonValue &v : run.value(QStringLiteral("steps")).toArray()) {
        const QJsonObject s = v.toObject();
        out << "  " << s.value(QStringLiteral("state")).toString().leftJustified(12) << " "
            << s.value(QStringLiteral("name")).toString() << " ("
            << s.value(QStringLiteral("action")).toString() << ")";
        if (!s.value(QStringLiteral("duration_ms")).isNull())
            out << " "
                << TimeUtil::formatDurationMs(s.value(QStringLiteral("duration_ms")).toInteger());
        if (!s.value(QStringLiteral("message")).toString().isEmpty())
            out << ": " << s.value(QStringLiteral("message")).toString();
        out << "\n";
        if (withLogs)
            for (const QJsonValue &l : s.value(QStringLiteral("log")).toArray())
                out << "      " << l.toString() << "\n";
    }
    out << Qt::flush;
}

// Polls the run until it ends, printing each step as it finishes.
int follow(CommandContext &c, const EngineClient &client, QJsonObject run, bool json)
{
    const qint64 id = run.value(QStringLiteral("id")).toInteger();
    int printed = 0;
    for (;;) {
        const QJsonArray steps = run.value(QStringLiteral("steps")).toArray();
        const bool done = run.value(QStringLiteral("state")).toString() != QLatin1String("running");
        while (!json && printed < steps.size()) {
            const QJsonObject s = steps.at(printed).toObject();
            const QString state = s.value(QStringLiteral("state")).toString();
            if (state == QLatin1String("running") || (state == QLatin1String("pending") && !done))
                break;
            c.err() << "step " << (printed + 1) << "/" << steps.size() << " "
                    << s.value(QStringLiteral("name")).toString() << ": " << state << "\n"
                    << Qt::flush;
            ++printed;
        }
        if (done) {
            if (json)
                c.printJson(run);
            else
                printRun(c.out(), run, true);
            return run.value(QStringLiteral("state")).toString() == QLatin1String("succeeded")
                ? ExitOk
                : ExitFailure;
        }
        QThread::msleep(200);
        const auto reply = client.request("GET", QStringLiteral("/api/backup/dr/runs/%1").arg(id));
        if (!reply)
            return c.fail(ExitFailure, reply.error().message);
        if (reply->status != 200)
            return c.failReply(*reply);
        run = reply->body;
    }
}

} // namespace

int drCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    CommandContext c(QStringLiteral("dr"), out, err);
    c.setHelp(HelpText, ExitText);
    c.setSubcommands({ QStringLiteral("list"), QStringLiteral("show"), QStringLiteral("activate"),
        QStringLiteral("runs"), QStringLiteral("abort") });
    c.addEngineOptions();
    c.addFormatOption({ CommandContext::Format::Text, CommandContext::Format::Json },
        QStringLiteral("text (default) or json"));
    c.addOption(QCommandLineOption(QStringLiteral("dry-run")));
    c.addOption(QCommandLineOption(QStringLiteral("yes")));
    if (const auto done = c.parse(args))
        return *done;
    const auto format = c.format({ CommandContext::Format::Text, CommandContext::Format::Json });
    if (!format)
        return c.fail(ExitUsage, format.error().message);
    const bool json = *format == CommandContext::Format::Json;
    const QString sub = c.subcommand();
    const bool needsName = sub == QLatin1String("show") || sub == QLatin1String("activate")
        || sub == QLatin1String("abort");
    if (needsName && c.arguments().isEmpty())
        return c.fail(ExitUsage,
            sub == QLatin1String("abort") ? QStringLiteral("name the run to abort (shivx dr runs)")
                                          : QStringLiteral("name the plan (shivx dr list)"));
    if (const auto r = c.rejectArgumentsBeyond(needsName ? 1 : 0))
        return *r;
    const bool dryRun = c.isSet(QStringLiteral("dry-run"));
    if (sub == QLatin1String("activate") && !dryRun && !c.isSet(QStringLiteral("yes")))
        return c.fail(ExitUsage,
            QStringLiteral("activating %1 stops, restores and changes things: add --yes (or "
                           "--dry-run first)")
                .arg(c.arguments().first()));
    const auto client = c.engine();
    if (!client)
        return c.fail(ExitFailure, client.error().message);
    const QString actor = CommandContext::operatorActor();
    Result<EngineClient::Reply> reply = makeError("", QString());
    if (sub == QLatin1String("list"))
        reply = client->request("GET", QStringLiteral("/api/backup/dr/plans"));
    else if (sub == QLatin1String("show"))
        reply = client->request(
            "GET", QStringLiteral("/api/backup/dr/plans/") + c.arguments().first());
    else if (sub == QLatin1String("runs"))
        reply = client->request("GET", QStringLiteral("/api/backup/dr/runs"));
    else if (sub == QLatin1String("abort"))
        reply = client->request("POST", QStringLiteral("/api/backup/dr/abort"),
            { { QStringLiteral("run"), c.arguments().first().toLongLong() },
                { QStringLiteral("actor"), actor } });
    else
        reply = client->request("POST", QStringLiteral("/api/backup/dr/activate"),
            { { QStringLiteral("plan"), c.arguments().first() },
                { QStringLiteral("confirm"), c.arguments().first() },
                { QStringLiteral("dry_run"), dryRun }, { QStringLiteral("actor"), actor } });
    if (!reply)
        return c.fail(ExitFailure, reply.error().message);
    if (reply->status != 200 && reply->status != 202)
        return c.failReply(*reply);
    if (sub == QLatin1String("activate"))
        return follow(c, *client, reply->body, json);
    if (json) {
        c.printJson(reply->body);
        return ExitOk;
    }
    if (sub == QLatin1String("list")) {
        for (const QJsonValue &v : reply->body.value(QStringLiteral("plans")).toArray()) {
            const QJsonObject p = v.toObject();
            out << p.value(QStringLiteral("name")).toString().leftJustified(20) << " "
                << p.value(QStringLiteral("step_count")).toInt() << " steps  "
                << p.value(QStringLiteral("description")).toString() << "\n";
        }
    } else if (sub == QLatin1String("show")) {
        const QJsonObject &p = reply->body;
        out << p.value(QStringLiteral("name")).toString() << ": "
            << p.value(QStringLiteral("description")).toString() << "\n";
        int i = 0;
        for (const QJsonValue &v : p.value(QStringLiteral("steps")).toArray()) {
            const QJsonObject s = v.toObject();
            out << "  " << ++i << ". " << s.value(QStringLiteral("name")).toString() << " ("
                << s.value(QStringLiteral("action")).toString() << ", timeout "
                << TimeUtil::formatDurationMs(s.value(QStringLiteral("timeout_ms")).toInteger())
                << ", on failure " << s.value(QStringLiteral("on_failure")).toString() << ")\n";
        }
    } else if (sub == QLatin1String("runs")) {
        for (const QJsonValue &v : reply->body.value(QStringLiteral("runs")).toArray())
            printRun(out, v.toObject(), false);
    } else {
        printRun(out, reply->body, false);
    }
    out << Qt::flush;
    return ExitOk;
}

} // namespace Shivx::Cli
