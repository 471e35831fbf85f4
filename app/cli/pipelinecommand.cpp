#include "pipelinecommand.h"

#include "commandcontext.h"
#include "engineclient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QUrlQuery>

namespace Shivx::Cli {

namespace {

const char HelpText[]
    = "Usage: shivx pipeline list [--format text|json]\n"
      "       shivx pipeline show NAME\n"
      "       shivx pipeline run NAME [--param K=V ...]\n"
      "       shivx pipeline status [RUN] [--pipeline NAME] [--state STATE] [--limit N]\n"
      "       shivx pipeline cancel RUN\n"
      "       shivx pipeline logs RUN --stage STAGE [--attempt N] [--stderr]\n"
      "       shivx pipeline dlq [retry RUN | discard RUN]\n"
      "\n"
      "The pipelines of a running engine (`shivx serve` or the console), through its HTTP API.\n"
      "\n"
      "  list             every pipeline with its last run, and files that did not load\n"
      "  show NAME        a pipeline's stages, dependencies, parameters and version\n"
      "  run NAME         starts a run; prints its id\n"
      "  status [RUN]     recent runs, or one run with each stage and attempt\n"
      "  cancel RUN       stops the run's stage processes and cancels what has not run\n"
      "  logs RUN         the output of a stage's latest (or --attempt N) attempt\n"
      "  dlq              the dead-letter queue: runs whose stages exhausted their retries\n"
      "  dlq retry RUN    runs it again from its failed stages (succeeded ones stay done)\n"
      "  dlq discard RUN  takes it out of the queue\n"
      "\n"
      "Options:\n"
      "  --param K=V      a run parameter (repeatable); the stage sees $SHIVX_PARAM_K\n"
      "  --pipeline NAME  status: only runs of this pipeline\n"
      "  --state STATE    status: queued, running, succeeded, dead_letter, cancelled, discarded\n"
      "  --limit N        status: at most N runs (default 20)\n"
      "  --stage STAGE    logs: the stage\n"
      "  --attempt N      logs: the attempt (default: the latest)\n"
      "  --stderr         logs: standard error instead of standard output\n";

const char ExitText[]
    = "Exit status: 0 ok; 1 the engine could not be reached or refused; 2 usage error.\n";

QString str(const QJsonObject &o, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isDouble())
        return QString::number(qint64(v.toDouble()));
    return v.isNull() || v.isUndefined() ? QStringLiteral("-") : v.toString();
}

void printRuns(QTextStream &o, const QJsonArray &runs)
{
    if (runs.isEmpty()) {
        o << "no runs\n" << Qt::flush;
        return;
    }
    o << QStringLiteral("%1  %2  %3  %4  %5\n")
             .arg(QStringLiteral("RUN").leftJustified(6),
                 QStringLiteral("PIPELINE").leftJustified(20),
                 QStringLiteral("STATE").leftJustified(11),
                 QStringLiteral("CREATED").leftJustified(24), QStringLiteral("ERROR"));
    for (const QJsonValue &v : runs) {
        const QJsonObject r = v.toObject();
        o << QStringLiteral("%1  %2  %3  %4  %5\n")
                 .arg(str(r, "id").leftJustified(6), str(r, "pipeline").leftJustified(20),
                     str(r, "state").leftJustified(11), str(r, "created_at").leftJustified(24),
                     r.value(QStringLiteral("error")).toString());
    }
    o << Qt::flush;
}

void printRun(QTextStream &o, const QJsonObject &r)
{
    o << "run         " << str(r, "id") << " of " << str(r, "pipeline") << "\n";
    o << "state       " << str(r, "state") << "\n";
    o << "version     " << str(r, "version") << "\n";
    o << "trigger     " << str(r, "trigger") << " by " << str(r, "actor") << "\n";
    o << "created     " << str(r, "created_at") << "\n";
    o << "finished    " << str(r, "finished_at") << "\n";
    if (r.contains(QStringLiteral("error")))
        o << "error       " << str(r, "error") << "\n";
    o << "stages\n";
    for (const QJsonValue &v : r.value(QStringLiteral("stages")).toArray()) {
        const QJsonObject s = v.toObject();
        o << "  " << str(s, "name").leftJustified(20) << "  " << str(s, "state").leftJustified(10)
          << "  attempts " << str(s, "attempts");
        const QJsonArray needs = s.value(QStringLiteral("needs")).toArray();
        if (!needs.isEmpty()) {
            QStringList n;
            for (const QJsonValue &d : needs)
                n.append(d.toString());
            o << "  needs " << n.join(QStringLiteral(", "));
        }
        o << "\n";
        for (const QJsonValue &a : s.value(QStringLiteral("attempt_list")).toArray()) {
            const QJsonObject at = a.toObject();
            o << "      #" << str(at, "attempt") << " " << str(at, "state") << " exit "
              << str(at, "exit_code");
            if (at.contains(QStringLiteral("error")))
                o << ": " << str(at, "error");
            o << "\n";
        }
        for (const QJsonValue &a : s.value(QStringLiteral("artifacts")).toArray()) {
            const QJsonObject art = a.toObject();
            o << "      artifact " << str(art, "path") << " sha256 " << str(art, "sha256") << "\n";
        }
    }
    o << Qt::flush;
}

bool parseRunId(const QString &text, qint64 *id)
{
    bool ok = false;
    *id = text.toLongLong(&ok);
    return ok && *id > 0;
}

} // namespace

int pipelineCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    using F = CommandContext::Format;
    CommandContext c(QStringLiteral("pipeline"), out, err);
    c.setHelp(HelpText, ExitText);
    c.setSubcommands({ QStringLiteral("list"), QStringLiteral("show"), QStringLiteral("run"),
        QStringLiteral("status"), QStringLiteral("cancel"), QStringLiteral("logs"),
        QStringLiteral("dlq"), QStringLiteral("dlq retry"), QStringLiteral("dlq discard") });
    c.addEngineOptions();
    c.addFormatOption(
        { F::Text, F::Json }, QStringLiteral("text (default) or json (the API's answer)"));
    c.addOption({ QStringLiteral("param"), QString(), QStringLiteral("K=V") });
    c.addOption({ QStringLiteral("pipeline"), QString(), QStringLiteral("NAME") });
    c.addOption({ QStringLiteral("state"), QString(), QStringLiteral("STATE") });
    c.addOption({ QStringLiteral("limit"), QString(), QStringLiteral("N") });
    c.addOption({ QStringLiteral("stage"), QString(), QStringLiteral("STAGE") });
    c.addOption({ QStringLiteral("attempt"), QString(), QStringLiteral("N") });
    c.addOption({ QStringLiteral("stderr"), QString() });
    if (const auto done = c.parse(args))
        return *done;
    const QString sub = c.subcommand();
    const bool needsName = sub == QLatin1String("show") || sub == QLatin1String("run");
    const bool needsRun = sub == QLatin1String("cancel") || sub == QLatin1String("logs")
        || sub == QLatin1String("dlq retry") || sub == QLatin1String("dlq discard");
    const bool mayTakeRun = sub == QLatin1String("status");
    if (const auto done = c.rejectArgumentsBeyond(needsName || needsRun || mayTakeRun ? 1 : 0))
        return *done;
    if ((needsName || needsRun) && c.arguments().isEmpty())
        return c.fail(ExitUsage,
            needsName ? QStringLiteral("missing the pipeline NAME")
                      : QStringLiteral("missing the RUN id"));
    qint64 runId = 0;
    if ((needsRun || (mayTakeRun && !c.arguments().isEmpty()))
        && !parseRunId(c.arguments().at(0), &runId))
        return c.fail(ExitUsage,
            QStringLiteral("\"%1\" is not a run id (a positive integer)").arg(c.arguments().at(0)));
    QJsonObject params;
    for (const QString &p : c.values(QStringLiteral("param"))) {
        const int eq = int(p.indexOf(QLatin1Char('=')));
        if (eq <= 0)
            return c.fail(ExitUsage, QStringLiteral("--param \"%1\": expected K=V").arg(p));
        params.insert(p.left(eq), p.mid(eq + 1));
    }
    if (!params.isEmpty() && sub != QLatin1String("run"))
        return c.fail(ExitUsage, QStringLiteral("--param applies to run only"));
    if (sub == QLatin1String("logs") && c.value(QStringLiteral("stage")).isEmpty())
        return c.fail(ExitUsage, QStringLiteral("logs needs --stage STAGE"));
    const auto format = c.format({ F::Text, F::Json });
    if (!format)
        return c.fail(ExitUsage, format.error().message);
    const bool json = *format == F::Json;

    const auto client = c.engine();
    if (!client)
        return c.fail(ExitFailure, client.error().message);
    const QString actor = CommandContext::operatorActor();
    auto get = [&](const QString &path) { return client->request("GET", path); };
    Result<EngineClient::Reply> reply = makeError("cli.internal", QString());
    if (sub == QLatin1String("list")) {
        reply = get(QStringLiteral("/api/pipelines"));
    } else if (sub == QLatin1String("show")) {
        reply = get(QStringLiteral("/api/pipelines/") + c.arguments().at(0));
    } else if (sub == QLatin1String("run")) {
        reply = client->request("POST", QStringLiteral("/api/pipelines/run"),
            { { QStringLiteral("pipeline"), c.arguments().at(0) },
                { QStringLiteral("params"), params }, { QStringLiteral("actor"), actor } });
    } else if (sub == QLatin1String("status")) {
        if (runId > 0) {
            reply = get(QStringLiteral("/api/pipelines/runs/%1").arg(runId));
        } else {
            QUrlQuery q;
            for (const char *key : { "pipeline", "state" })
                if (c.isSet(QLatin1String(key)))
                    q.addQueryItem(QLatin1String(key), c.value(QLatin1String(key)));
            q.addQueryItem(QStringLiteral("limit"),
                c.isSet(QStringLiteral("limit")) ? c.value(QStringLiteral("limit"))
                                                 : QStringLiteral("20"));
            reply = get(QStringLiteral("/api/pipelines/runs?") + q.toString(QUrl::FullyEncoded));
        }
    } else if (sub == QLatin1String("logs")) {
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("stage"), c.value(QStringLiteral("stage")));
        if (c.isSet(QStringLiteral("attempt")))
            q.addQueryItem(QStringLiteral("attempt"), c.value(QStringLiteral("attempt")));
        q.addQueryItem(QStringLiteral("stream"),
            c.isSet(QStringLiteral("stderr")) ? QStringLiteral("stderr")
                                              : QStringLiteral("stdout"));
        q.addQueryItem(QStringLiteral("format"), QStringLiteral("json"));
        reply = get(QStringLiteral("/api/pipelines/runs/%1/log?").arg(runId)
            + q.toString(QUrl::FullyEncoded));
    } else if (sub == QLatin1String("dlq")) {
        reply = get(QStringLiteral("/api/pipelines/dlq"));
    } else {
        const QString path = sub == QLatin1String("cancel")
            ? QStringLiteral("/api/pipelines/cancel")
            : sub == QLatin1String("dlq retry") ? QStringLiteral("/api/pipelines/dlq/retry")
                                                : QStringLiteral("/api/pipelines/dlq/discard");
        reply = client->request("POST", path,
            { { QStringLiteral("run"), double(runId) }, { QStringLiteral("actor"), actor } });
    }
    if (!reply)
        return c.fail(ExitFailure, reply.error().message);
    if (reply->status / 100 != 2)
        return c.failReply(*reply);
    if (json) {
        c.printJson(reply->body);
        return ExitOk;
    }
    QTextStream &o = c.out();
    const QJsonObject &b = reply->body;
    if (sub == QLatin1String("list")) {
        for (const QJsonValue &v : b.value(QStringLiteral("pipelines")).toArray()) {
            const QJsonObject p = v.toObject();
            const QJsonObject last = p.value(QStringLiteral("last_run")).toObject();
            o << str(p, "name").leftJustified(20) << "  " << str(p, "stages") << " stages"
              << "  schedule " << str(p, "schedule") << "  next " << str(p, "next_fire_at")
              << "  last run "
              << (last.isEmpty() ? QStringLiteral("-")
                                 : str(last, "id") + QLatin1Char(' ') + str(last, "state"))
              << (p.value(QStringLiteral("paused")).toBool() ? "  (paused)" : "") << "\n";
        }
        for (const QJsonValue &e : b.value(QStringLiteral("errors")).toArray())
            o << "not loaded: " << e.toString() << "\n";
    } else if (sub == QLatin1String("show")) {
        o << "pipeline    " << str(b, "name") << "\n";
        o << "file        " << str(b, "file") << "\n";
        o << "version     " << str(b, "version") << "\n";
        o << "schedule    " << str(b, "schedule") << "\n";
        const QJsonObject defaults = b.value(QStringLiteral("params")).toObject();
        for (auto it = defaults.begin(); it != defaults.end(); ++it)
            o << "param       " << it.key() << " = " << it.value().toString() << "\n";
        o << "stages\n";
        for (const QJsonValue &v : b.value(QStringLiteral("stages")).toArray()) {
            const QJsonObject s = v.toObject();
            QStringList needs;
            for (const QJsonValue &d : s.value(QStringLiteral("needs")).toArray())
                needs.append(d.toString());
            o << "  " << str(s, "name").leftJustified(20) << "  " << str(s, "command");
            if (!needs.isEmpty())
                o << "  needs " << needs.join(QStringLiteral(", ")) << " (when " << str(s, "when")
                  << ")";
            o << "\n";
        }
    } else if (sub == QLatin1String("run")) {
        o << "run " << str(b, "run") << " of " << str(b, "pipeline") << " started\n";
    } else if (sub == QLatin1String("status") && runId > 0) {
        printRun(o, b);
    } else if (sub == QLatin1String("status") || sub == QLatin1String("dlq")) {
        printRuns(o, b.value(QStringLiteral("runs")).toArray());
    } else if (sub == QLatin1String("logs")) {
        o << b.value(QStringLiteral("text")).toString();
    } else {
        o << "run " << runId << ": " << str(b, "action") << " done\n";
    }
    o << Qt::flush;
    return ExitOk;
}

} // namespace Shivx::Cli
