#include "integritycommand.h"

#include "commandcontext.h"
#include "engineclient.h"

#include "core/terminationsignals.h"
#include "core/timeutil.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QThread>
#include <QTimer>

#include <cstdio>
#include <unistd.h>

namespace Shivx::Cli {

namespace {

const char HelpText[]
    = "Usage: shivx integrity status [--format text|json] [--url URL] [--data-dir DIR]\n"
      "       shivx integrity init [--reason TEXT] [--url URL] [--data-dir DIR]\n"
      "       shivx integrity check [--mode fast|full] [--format text|json] [--url URL]\n"
      "       shivx integrity accept PATH... --reason TEXT [--url URL] [--data-dir DIR]\n"
      "       shivx integrity accept --all --reason TEXT\n"
      "       shivx integrity restore PATH... --reason TEXT [--url URL] [--data-dir DIR]\n"
      "       shivx integrity restore --all --reason TEXT\n"
      "\n"
      "File integrity of a running engine (`shivx serve` or the console) through its HTTP\n"
      "API: the baseline of the configured path sets (integrity.sets), checks against it, and\n"
      "accepting legitimate changes into it. Every baseline update is audited with its digest\n"
      "on the security stream; a check refuses a baseline whose digest is not the audited one.\n"
      "\n"
      "  status           the baseline, the last check and the differences it found\n"
      "  init             records a new baseline of every set (replaces the old one)\n"
      "  check            compares the tree with the baseline and lists the differences;\n"
      "                   `fast` (default) reads only files whose size, inode or ctime changed,\n"
      "                   `full` reads every file\n"
      "  accept PATH...   takes the current state of PATH into the baseline (the last check\n"
      "                   must have reported it); --all takes every difference\n"
      "  restore PATH...  puts PATH back as the baseline recorded it, from its safe snapshot\n"
      "                   (sets with `protect: restore`), verified by SHA-256; --all restores\n"
      "                   every difference that has a snapshot\n"
      "\n"
      "init and check show progress and an ETA on a terminal; Ctrl-C cancels the operation.\n"
      "\n"
      "Options:\n"
      "  --mode MODE      fast or full (check)\n"
      "  --reason TEXT    why (required for accept and restore; recorded in the audit chain)\n"
      "  --all            accept or restore every difference of the last check\n";

const char ExitText[] = "Exit status: 0 ok (check: no differences); 1 the engine could not be "
                        "reached or refused,\nor the operation failed or was cancelled; 2 usage "
                        "error; 3 the check found differences.\n";

constexpr int ExitDifferences = 3;

QString bytesText(double bytes)
{
    const char *units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
    int u = 0;
    while (bytes >= 1024 && u < 4) {
        bytes /= 1024;
        ++u;
    }
    return QStringLiteral("%1 %2").arg(bytes, 0, 'f', u == 0 ? 0 : 1).arg(QLatin1String(units[u]));
}

QString progressLine(const QJsonObject &p)
{
    const QString phase = p.value(QStringLiteral("phase")).toString();
    QString line = QStringLiteral("%1 %2: %3")
                       .arg(p.value(QStringLiteral("operation")).toString(),
                           p.value(QStringLiteral("mode")).toString(),
                           phase.isEmpty() ? QStringLiteral("queued") : phase);
    if (phase == QLatin1String("hashing")) {
        const double done = p.value(QStringLiteral("bytes_done")).toDouble();
        const double total = p.value(QStringLiteral("bytes_total")).toDouble();
        line += QStringLiteral(" %1/%2 files, %3 of %4 (%5%)")
                    .arg(qint64(p.value(QStringLiteral("files_done")).toDouble()))
                    .arg(qint64(p.value(QStringLiteral("files_total")).toDouble()))
                    .arg(bytesText(done), bytesText(total))
                    .arg(total > 0 ? int(100 * done / total) : 100);
        const QJsonValue eta = p.value(QStringLiteral("eta_seconds"));
        if (eta.isDouble())
            line += QStringLiteral(", ETA %1")
                        .arg(TimeUtil::formatDurationMs(
                            qint64(eta.toDouble() * 1000) / 1000 * 1000 + 1000));
    }
    return line;
}

void printDifferences(QTextStream &o, const QJsonArray &diffs)
{
    for (const QJsonValue &v : diffs) {
        const QJsonObject d = v.toObject();
        const QString kind = d.value(QStringLiteral("kind")).toString();
        o << kind.leftJustified(8) << d.value(QStringLiteral("path")).toString();
        if (kind == QLatin1String("changed")) {
            QStringList attrs;
            for (const QJsonValue &a : d.value(QStringLiteral("changed")).toArray())
                attrs.append(a.toString());
            o << "  (" << attrs.join(QStringLiteral(", ")) << ")";
        }
        o << "\n";
    }
}

void printResult(QTextStream &o, const QJsonObject &r)
{
    o << r.value(QStringLiteral("operation")).toString() << " "
      << r.value(QStringLiteral("mode")).toString() << ": "
      << r.value(QStringLiteral("outcome")).toString() << ", "
      << qint64(r.value(QStringLiteral("files")).toDouble()) << " files, "
      << qint64(r.value(QStringLiteral("files_hashed")).toDouble()) << " hashed ("
      << bytesText(r.value(QStringLiteral("bytes_hashed")).toDouble()) << "), "
      << qint64(r.value(QStringLiteral("added")).toDouble()) << " added, "
      << qint64(r.value(QStringLiteral("removed")).toDouble()) << " removed, "
      << qint64(r.value(QStringLiteral("changed")).toDouble()) << " changed\n";
    for (const QJsonValue &v : r.value(QStringLiteral("skipped")).toArray())
        o << "skipped " << v.toObject().value(QStringLiteral("path")).toString() << ": "
          << v.toObject().value(QStringLiteral("reason")).toString() << "\n";
}

int status(CommandContext &c, const EngineClient &client, bool json)
{
    const auto s = client.request("GET", QStringLiteral("/api/integrity"));
    if (!s)
        return c.fail(ExitFailure, s.error().message);
    if (s->status != 200)
        return c.failReply(*s);
    const auto d = client.request("GET", QStringLiteral("/api/integrity/differences"));
    if (!d)
        return c.fail(ExitFailure, d.error().message);
    if (d->status != 200)
        return c.failReply(*d);
    if (json) {
        QJsonObject o = s->body;
        o.insert(QStringLiteral("differences"), d->body.value(QStringLiteral("differences")));
        c.printJson(o);
        return ExitOk;
    }
    QTextStream &o = c.out();
    const QJsonObject b = s->body.value(QStringLiteral("baseline")).toObject();
    if (!b.value(QStringLiteral("exists")).toBool())
        o << "baseline    none";
    else
        o << "baseline    " << qint64(b.value(QStringLiteral("files")).toDouble())
          << " files, updated " << b.value(QStringLiteral("updated")).toString() << ", "
          << (b.value(QStringLiteral("verified")).toBool() ? "verified" : "NOT VERIFIED")
          << ", sha256 " << b.value(QStringLiteral("digest")).toString().left(16) << "...";
    o << "\n";
    const QJsonObject err = b.value(QStringLiteral("error")).toObject();
    if (!err.isEmpty())
        o << "            " << err.value(QStringLiteral("message")).toString() << "\n";
    if (const QString store = s->body.value(QStringLiteral("snapshot_store")).toString();
        !store.isEmpty())
        o << "copies in   " << store << "\n";
    for (const QJsonValue &w : s->body.value(QStringLiteral("snapshot_warnings")).toArray())
        o << "warning     " << w.toString() << "\n";
    const QJsonObject last = s->body.value(QStringLiteral("last_check")).toObject();
    if (last.isEmpty()) {
        o << "last check  none\n";
    } else {
        o << "last check  " << last.value(QStringLiteral("finished")).toString() << " ";
        printResult(o, last);
        printDifferences(o, d->body.value(QStringLiteral("differences")).toArray());
    }
    const QJsonObject p = s->body.value(QStringLiteral("progress")).toObject();
    if (p.value(QStringLiteral("running")).toBool())
        o << "running     " << progressLine(p) << "\n";
    o << Qt::flush;
    return ExitOk;
}

// Follows the operation just started until the engine is no longer busy, drawing progress
// on a terminal; Ctrl-C asks the engine to cancel (a second Ctrl-C stops waiting).
int follow(CommandContext &c, const EngineClient &client, bool json, const QString &operation)
{
    const bool terminal = ::isatty(STDERR_FILENO) == 1;
    TerminationSignals interrupt;
    int interrupts = 0;
    QObject::connect(&interrupt, &TerminationSignals::received, [&](int) { ++interrupts; });
    bool cancelSent = false;
    QString lastLine;
    QElapsedTimer sinceDrawn;
    for (;;) {
        // Let the signalfd notifier deliver Ctrl-C between polls.
        QEventLoop wait;
        QTimer::singleShot(200, &wait, &QEventLoop::quit);
        wait.exec();
        if (interrupts > 1)
            return c.fail(ExitFailure,
                QStringLiteral("stopped waiting; the engine may still be cancelling the %1")
                    .arg(operation));
        if (interrupts == 1 && !cancelSent) {
            cancelSent = true;
            const auto r = client.request("POST", QStringLiteral("/api/integrity/cancel"),
                { { QStringLiteral("actor"), CommandContext::operatorActor() } });
            if (terminal)
                c.err() << "\ncancelling...\n" << Qt::flush;
            if (r && r->status != 200 && r->status != 409)
                return c.failReply(*r);
        }
        const auto p = client.request("GET", QStringLiteral("/api/integrity/progress"));
        if (!p)
            return c.fail(ExitFailure, p.error().message);
        if (p->status != 200)
            return c.failReply(*p);
        if (!p->body.value(QStringLiteral("busy")).toBool())
            break;
        if (terminal && (!sinceDrawn.isValid() || sinceDrawn.elapsed() >= 200)) {
            const QString line = progressLine(p->body);
            c.err() << "\r" << line.leftJustified(lastLine.size()) << Qt::flush;
            lastLine = line;
            sinceDrawn.start();
        }
    }
    if (terminal && !lastLine.isEmpty())
        c.err() << "\r" << QString(lastLine.size(), QLatin1Char(' ')) << "\r" << Qt::flush;
    const auto s = client.request("GET", QStringLiteral("/api/integrity"));
    if (!s)
        return c.fail(ExitFailure, s.error().message);
    const QJsonObject op = s->body.value(QStringLiteral("last_operation")).toObject();
    const QString outcome = op.value(QStringLiteral("outcome")).toString();
    QJsonArray diffs;
    if (operation == QLatin1String("check") && outcome == QLatin1String("ok")) {
        const auto d = client.request("GET", QStringLiteral("/api/integrity/differences"));
        if (d && d->status == 200)
            diffs = d->body.value(QStringLiteral("differences")).toArray();
    }
    if (json) {
        QJsonObject o = op;
        if (operation == QLatin1String("check"))
            o.insert(QStringLiteral("differences"), diffs);
        c.printJson(o);
    } else if (outcome != QLatin1String("failed")) {
        printResult(c.out(), op);
        printDifferences(c.out(), diffs);
        c.out() << Qt::flush;
    }
    if (outcome != QLatin1String("ok"))
        return c.fail(ExitFailure,
            op.value(QStringLiteral("error"))
                .toObject()
                .value(QStringLiteral("message"))
                .toString());
    return diffs.isEmpty() ? ExitOk : ExitDifferences;
}

} // namespace

int integrityCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    using F = CommandContext::Format;
    CommandContext c(QStringLiteral("integrity"), out, err);
    c.setHelp(HelpText, ExitText);
    c.setSubcommands({ QStringLiteral("status"), QStringLiteral("init"), QStringLiteral("check"),
        QStringLiteral("accept"), QStringLiteral("restore") });
    c.addEngineOptions();
    c.addFormatOption({ F::Text, F::Json },
        QStringLiteral("text (default) or json (status: the API's /api/integrity with\n"
                       "                      \"differences\"; init, check, accept: the "
                       "operation's result)"));
    c.addOption({ QStringLiteral("mode"), QString(), QStringLiteral("MODE") });
    c.addOption({ QStringLiteral("reason"), QString(), QStringLiteral("TEXT") });
    c.addOption({ QStringLiteral("all"), QString() });
    if (const auto done = c.parse(args))
        return *done;
    const QString sub = c.subcommand();
    // accept and restore take the same arguments and the same request body.
    const bool isAccept = sub == QLatin1String("accept") || sub == QLatin1String("restore");
    if (!isAccept) {
        if (const auto done = c.rejectArgumentsBeyond(0))
            return *done;
    }
    const auto format = c.format({ F::Text, F::Json });
    if (!format)
        return c.fail(ExitUsage, format.error().message);
    if (c.isSet(QStringLiteral("mode")) && sub != QLatin1String("check"))
        return c.fail(ExitUsage, QStringLiteral("--mode applies to check only"));
    if (c.isSet(QStringLiteral("all")) && !isAccept)
        return c.fail(ExitUsage, QStringLiteral("--all applies to accept and restore only"));
    const QString mode = c.isSet(QStringLiteral("mode")) ? c.value(QStringLiteral("mode"))
                                                         : QStringLiteral("fast");
    if (mode != QLatin1String("fast") && mode != QLatin1String("full"))
        return c.fail(
            ExitUsage, QStringLiteral("--mode must be fast or full, not \"%1\"").arg(mode));
    QJsonArray paths;
    if (isAccept) {
        if (c.value(QStringLiteral("reason")).trimmed().isEmpty())
            return c.fail(ExitUsage,
                QStringLiteral("--reason TEXT is required: say why (it goes into the audit "
                               "chain)"));
        if (c.arguments().isEmpty() && !c.isSet(QStringLiteral("all")))
            return c.fail(ExitUsage, QStringLiteral("name the PATH(s) to %1, or --all").arg(sub));
        if (!c.arguments().isEmpty() && c.isSet(QStringLiteral("all")))
            return c.fail(ExitUsage, QStringLiteral("give PATHs or --all, not both"));
        for (const QString &p : c.arguments())
            paths.append(QDir::cleanPath(QFileInfo(p).absoluteFilePath()));
    }

    const auto client = c.engine();
    if (!client)
        return c.fail(ExitFailure, client.error().message);
    const bool json = *format == F::Json;
    if (sub == QLatin1String("status"))
        return status(c, *client, json);

    const QString actor = CommandContext::operatorActor();
    if (isAccept) {
        // Hashing (or restoring) the paths happens inside the request: allow for big files.
        const auto r = client->request("POST", QStringLiteral("/api/integrity/") + sub,
            { { QStringLiteral("paths"), paths },
                { QStringLiteral("reason"), c.value(QStringLiteral("reason")) },
                { QStringLiteral("actor"), actor } },
            600'000);
        if (!r)
            return c.fail(ExitFailure, r.error().message);
        if (r->status != 200)
            return c.failReply(*r);
        if (json) {
            c.printJson(r->body);
        } else {
            c.out() << (sub == QLatin1String("accept") ? "accepted " : "restored ")
                    << r->body.value(QStringLiteral("differences")).toArray().size()
                    << (sub == QLatin1String("accept") ? " path(s) into the baseline (sha256 "
                                                       : " path(s), verified by SHA-256 (baseline "
                                                         "sha256 ")
                    << r->body.value(QStringLiteral("baseline_digest")).toString().left(16)
                    << "...)\n";
            printDifferences(c.out(), r->body.value(QStringLiteral("differences")).toArray());
            c.out() << Qt::flush;
        }
        return ExitOk;
    }
    QJsonObject body { { QStringLiteral("actor"), actor } };
    if (sub == QLatin1String("check"))
        body.insert(QStringLiteral("mode"), mode);
    else if (c.isSet(QStringLiteral("reason")))
        body.insert(QStringLiteral("reason"), c.value(QStringLiteral("reason")));
    const auto started = client->request("POST", QStringLiteral("/api/integrity/") + sub, body);
    if (!started)
        return c.fail(ExitFailure, started.error().message);
    if (started->status != 202)
        return c.failReply(*started);
    return follow(c, *client, json, sub);
}

} // namespace Shivx::Cli
