#include "alertscommand.h"

#include "commandcontext.h"
#include "engineclient.h"

#include "alerting/alertingconfig.h"
#include "alerting/prometheusrules.h"
#include "core/config.h"
#include "core/timeutil.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSaveFile>

namespace Shivx::Cli {

namespace {

const char HelpText[]
    = "Usage: shivx alerts list [--format text|json] [--url URL] [--data-dir DIR]\n"
      "       shivx alerts silence LABEL=VALUE... --for DURATION [--comment TEXT]\n"
      "       shivx alerts expire SILENCE_ID\n"
      "       shivx alerts ack FINGERPRINT\n"
      "       shivx alerts export --prometheus [--out FILE] [--config FILE]\n"
      "\n"
      "The alerts of a running engine (`shivx serve` or the console) through its HTTP API,\n"
      "and its rules for Prometheus (docs/alerting.md).\n"
      "\n"
      "  list             pending and firing alerts, silences and the health forecast\n"
      "  silence          silences alerts whose labels match every LABEL=VALUE, for --for\n"
      "  expire           ends a silence now\n"
      "  ack              acknowledges a pending or firing alert (until it resolves)\n"
      "  export           writes the configured rules (defaults and alerting.rules) as a\n"
      "                   Prometheus rules file, to --out or standard output; needs no engine\n"
      "\n"
      "Options:\n"
      "  --for DURATION   how long a silence lasts, e.g. 2h (1s to 30d)\n"
      "  --comment TEXT   why (recorded with the silence and in the audit log)\n"
      "  --prometheus     the export format (the only one)\n"
      "  --out FILE       where export writes (replaced atomically)\n";

const char ExitText[]
    = "Exit status: 0 ok; 1 the engine could not be reached or refused; 2 usage error.\n";

void printList(QTextStream &o, const QJsonObject &s)
{
    const QJsonArray alerts = s.value(QStringLiteral("alerts")).toArray();
    o << "rules       " << s.value(QStringLiteral("rules")).toInt() << ", last evaluated "
      << s.value(QStringLiteral("evaluated_at")).toString() << "\n";
    if (alerts.isEmpty())
        o << "alerts      none\n";
    for (const QJsonValue &v : alerts) {
        const QJsonObject a = v.toObject();
        QStringList flags;
        if (a.value(QStringLiteral("inhibited")).toBool())
            flags << QStringLiteral("inhibited");
        if (!a.value(QStringLiteral("silenced_by")).isNull())
            flags << QStringLiteral("silenced");
        if (!a.value(QStringLiteral("acknowledged_by")).isNull())
            flags << QStringLiteral("acked by %1")
                         .arg(a.value(QStringLiteral("acknowledged_by")).toString());
        QStringList labels;
        const QJsonObject l = a.value(QStringLiteral("labels")).toObject();
        for (auto it = l.begin(); it != l.end(); ++it)
            if (it.key() != QLatin1String("alertname") && it.key() != QLatin1String("severity"))
                labels << QStringLiteral("%1=%2").arg(it.key(), it.value().toString());
        o << a.value(QStringLiteral("state")).toString().leftJustified(8) << " "
          << a.value(QStringLiteral("severity")).toString().leftJustified(8) << " "
          << a.value(QStringLiteral("alert")).toString() << " {" << labels.join(QLatin1Char(','))
          << "} " << a.value(QStringLiteral("fingerprint")).toString() << " since "
          << a.value(QStringLiteral("active_since")).toString()
          << (flags.isEmpty() ? QString()
                              : QStringLiteral(" [%1]").arg(flags.join(QStringLiteral(", "))))
          << "\n";
        if (!a.value(QStringLiteral("summary")).toString().isEmpty())
            o << "         " << a.value(QStringLiteral("summary")).toString() << "\n";
    }
    for (const QJsonValue &v : s.value(QStringLiteral("silences")).toArray()) {
        const QJsonObject x = v.toObject();
        QStringList m;
        const QJsonObject mo = x.value(QStringLiteral("matchers")).toObject();
        for (auto it = mo.begin(); it != mo.end(); ++it)
            m << QStringLiteral("%1=%2").arg(it.key(), it.value().toString());
        o << "silence  " << x.value(QStringLiteral("id")).toString() << " {"
          << m.join(QLatin1Char(',')) << "} until " << x.value(QStringLiteral("ends_at")).toString()
          << " by " << x.value(QStringLiteral("created_by")).toString() << "\n";
    }
    const QJsonObject f = s.value(QStringLiteral("forecast")).toObject();
    if (f.value(QStringLiteral("likely")).toBool())
        o << "forecast    likely " << f.value(QStringLiteral("level")).toString() << " in ~"
          << TimeUtil::formatDurationMs(
                 qint64(f.value(QStringLiteral("eta_seconds")).toDouble()) * 1000)
          << " (score falling "
          << QString::number(-f.value(QStringLiteral("slope_per_hour")).toDouble(), 'f', 1)
          << " points/h)\n";
    o << Qt::flush;
}

int exportRules(CommandContext &c)
{
    if (!c.isSet(QStringLiteral("prometheus")))
        return c.fail(ExitUsage, QStringLiteral("export needs --prometheus (the only format)"));
    const QByteArray text = toPrometheusRules(c.config().section<AlertingConfig>().rules);
    if (!c.isSet(QStringLiteral("out"))) {
        c.out() << QString::fromUtf8(text) << Qt::flush;
        return ExitOk;
    }
    QSaveFile f(c.value(QStringLiteral("out")));
    if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size() || !f.commit())
        return c.fail(
            ExitFailure, QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString()));
    return ExitOk;
}

} // namespace

int alertsCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    using F = CommandContext::Format;
    CommandContext c(QStringLiteral("alerts"), out, err);
    c.setHelp(HelpText, ExitText);
    c.setSubcommands({ QStringLiteral("list"), QStringLiteral("silence"), QStringLiteral("expire"),
        QStringLiteral("ack"), QStringLiteral("export") });
    c.addEngineOptions();
    c.addFormatOption(
        { F::Text, F::Json }, QStringLiteral("text (default) or json (the API's answer)"));
    c.addJsonAlias();
    c.addOption({ QStringLiteral("for"), QString(), QStringLiteral("DURATION") });
    c.addOption({ QStringLiteral("comment"), QString(), QStringLiteral("TEXT") });
    c.addOption({ QStringLiteral("prometheus"), QString() });
    c.addOption({ QStringLiteral("out"), QString(), QStringLiteral("FILE") });
    if (const auto done = c.parse(args))
        return *done;
    const QString sub = c.subcommand();
    const int positional = sub == QLatin1String("silence")                ? 1000
        : (sub == QLatin1String("expire") || sub == QLatin1String("ack")) ? 1
                                                                          : 0;
    if (const auto done = c.rejectArgumentsBeyond(positional))
        return *done;
    const auto format = c.format({ F::Text, F::Json });
    if (!format)
        return c.fail(ExitUsage, format.error().message);
    if (sub == QLatin1String("export"))
        return exportRules(c);

    // Arguments first, so that a typo is a usage error even with no engine.
    QJsonObject body { { QStringLiteral("actor"), CommandContext::operatorActor() } };
    QString path = QStringLiteral("/api/alerts");
    QByteArray method = "GET";
    if (sub == QLatin1String("silence")) {
        QJsonObject matchers;
        for (const QString &m : c.arguments()) {
            const int eq = m.indexOf(QLatin1Char('='));
            if (eq <= 0)
                return c.fail(ExitUsage, QStringLiteral("\"%1\" is not LABEL=VALUE").arg(m));
            matchers.insert(m.left(eq), m.mid(eq + 1));
        }
        if (matchers.isEmpty())
            return c.fail(ExitUsage, QStringLiteral("name at least one LABEL=VALUE to silence"));
        if (!c.isSet(QStringLiteral("for")))
            return c.fail(ExitUsage, QStringLiteral("--for DURATION is required (e.g. 2h)"));
        body.insert(QStringLiteral("matchers"), matchers);
        body.insert(QStringLiteral("duration"), c.value(QStringLiteral("for")));
        body.insert(QStringLiteral("comment"), c.value(QStringLiteral("comment")));
        path = QStringLiteral("/api/alerts/silences");
        method = "POST";
    } else if (sub == QLatin1String("expire") || sub == QLatin1String("ack")) {
        if (c.arguments().isEmpty())
            return c.fail(ExitUsage,
                sub == QLatin1String("ack")
                    ? QStringLiteral("missing FINGERPRINT (shivx alerts list)")
                    : QStringLiteral("missing SILENCE_ID (shivx alerts list)"));
        method = "POST";
        if (sub == QLatin1String("ack")) {
            path = QStringLiteral("/api/alerts/ack");
            body.insert(QStringLiteral("fingerprint"), c.arguments().first());
        } else {
            path = QStringLiteral("/api/alerts/silences/%1/expire").arg(c.arguments().first());
        }
    }
    const auto client = c.engine();
    if (!client)
        return c.fail(ExitFailure, client.error().message);
    const auto reply
        = method == "GET" ? client->request("GET", path) : client->request(method, path, body);
    if (!reply)
        return c.fail(ExitFailure, reply.error().message);
    if (reply->status < 200 || reply->status > 299)
        return c.failReply(*reply);
    if (*format == F::Json)
        c.printJson(reply->body);
    else if (sub == QLatin1String("list"))
        printList(c.out(), reply->body);
    else if (sub == QLatin1String("silence"))
        c.out() << "silenced until " << reply->body.value(QStringLiteral("ends_at")).toString()
                << " (id " << reply->body.value(QStringLiteral("id")).toString() << ")\n"
                << Qt::flush;
    else if (sub == QLatin1String("ack"))
        c.out() << "acknowledged " << reply->body.value(QStringLiteral("alert")).toString() << " "
                << reply->body.value(QStringLiteral("fingerprint")).toString() << "\n"
                << Qt::flush;
    else
        c.out() << "expired " << c.arguments().first() << "\n" << Qt::flush;
    return ExitOk;
}

} // namespace Shivx::Cli
