#include "historycommand.h"

#include "clicommon.h"
#include "core/datadir.h"
#include "core/timeutil.h"
#include "telemetry/historystore.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTextStream>

namespace Shivx::Cli {

namespace {

const char HelpText[]
    = "Usage: shivx history list [--format text|csv|json] [--data-dir DIR]\n"
      "       shivx history query SERIES [--from T] [--to T] [--step auto|1s|1m|1h]\n"
      "                                  [--max-points N] [--format csv|json] [--data-dir DIR]\n"
      "\n"
      "Reads the metric history that the engine records in DIR/shivx.db.\n"
      "\n"
      "  list             every series with its first and last time (RFC 3339, UTC)\n"
      "  query SERIES     the points of one series in [--from, --to]\n"
      "\n"
      "Options:\n"
      "  --data-dir DIR   data directory (default: $XDG_DATA_HOME/shivx)\n"
      "  --from T         start of the range (default -1h)\n"
      "  --to T           end of the range (default now)\n"
      "                   T is RFC 3339 (2026-11-29T03:00:00Z), relative to now (-30m, -7d),\n"
      "                   \"now\", or epoch milliseconds\n"
      "  --step S         resolution: 1s (raw samples), 1m or 1h (rollups), or auto (default):\n"
      "                   the finest one that answers in at most --max-points points and is\n"
      "                   still retained for the whole range\n"
      "  --max-points N   limit for --step auto (default 2000)\n"
      "  --format F       query: csv (default; header ts,min,max,avg,count, one row per bucket)\n"
      "                   or json ({\"series\", \"resolution\", \"points\": [...]});\n"
      "                   list: text (default), csv or json\n"
      "  -h, --help       this help\n"
      "\n"
      "Buckets are returned whole when the range starts or ends inside them; ts is the start\n"
      "of the bucket. For 1s, min = max = avg and count = 1.\n"
      "\n"
      "Exit status: 0 ok (also when the range holds no points); 1 no history in the data\n"
      "directory, or no such series; 2 usage error, or the database cannot be read.\n";

QString number(double v)
{
    // Shortest text that reads back as the same double: 12.34, not 12.339999999999999.
    return QString::number(v, 'g', QLocale::FloatingPointShortest);
}

struct Context
{
    QTextStream &out;
    QTextStream &err;
    QString command;

    int fail(int code, const QString &message)
    {
        err << "shivx history" << (command.isEmpty() ? QString() : QLatin1Char(' ') + command)
            << ": " << message << "\n"
            << Qt::flush;
        return code;
    }
};

// Opens the store for reading. A missing database is reported, never created: the CLI must
// not leave an empty database behind in a mistyped --data-dir.
int openStore(Context &c, const QString &dataDir, std::unique_ptr<HistoryStore> *store)
{
    const QString path = DataDir::databasePath(dataDir);
    if (!QFileInfo::exists(path))
        return c.fail(ExitFailure,
            QStringLiteral("no history exists at %1 (has the engine run with this "
                           "--data-dir?)")
                .arg(path));
    auto opened = HistoryStore::open(path, QStringLiteral("shivx-cli-history"));
    if (!opened)
        return c.fail(ExitUsage, opened.error().message);
    *store = std::move(*opened);
    return ExitOk;
}

int list(Context &c, const QCommandLineParser &p, const QString &dataDir)
{
    const QString format = p.value(QStringLiteral("format")).isEmpty()
        ? QStringLiteral("text")
        : p.value(QStringLiteral("format"));
    if (format != QLatin1String("text") && format != QLatin1String("csv")
        && format != QLatin1String("json"))
        return c.fail(ExitUsage,
            QStringLiteral("--format must be text, csv or json, not \"%1\"").arg(format));
    if (p.positionalArguments().size() > 1)
        return c.fail(ExitUsage,
            QStringLiteral("unexpected argument \"%1\"").arg(p.positionalArguments().at(1)));
    for (const char *opt : { "from", "to", "step", "max-points" }) {
        if (p.isSet(QLatin1String(opt)))
            return c.fail(ExitUsage,
                QStringLiteral("--%1 applies to query, not list").arg(QLatin1String(opt)));
    }

    std::unique_ptr<HistoryStore> store;
    if (const int rc = openStore(c, dataDir, &store); rc != ExitOk)
        return rc;
    const auto series = store->listSeries();
    if (!series)
        return c.fail(ExitUsage, series.error().message);

    if (format == QLatin1String("json")) {
        QJsonArray arr;
        for (const SeriesInfo &s : *series) {
            arr.append(QJsonObject { { QStringLiteral("name"), s.name },
                { QStringLiteral("first"), TimeUtil::toRfc3339(s.firstMs) },
                { QStringLiteral("last"), TimeUtil::toRfc3339(s.lastMs) } });
        }
        c.out << QJsonDocument(QJsonObject { { QStringLiteral("series"), arr } })
                     .toJson(QJsonDocument::Compact)
              << "\n";
    } else if (format == QLatin1String("csv")) {
        c.out << "series,first,last\n";
        for (const SeriesInfo &s : *series)
            c.out << s.name << ',' << TimeUtil::toRfc3339(s.firstMs) << ','
                  << TimeUtil::toRfc3339(s.lastMs) << "\n";
    } else {
        int width = 6;
        for (const SeriesInfo &s : *series)
            width = std::max(width, int(s.name.size()));
        c.out << QStringLiteral("SERIES").leftJustified(width) << "  "
              << QStringLiteral("FIRST").leftJustified(24) << "  LAST\n";
        for (const SeriesInfo &s : *series)
            c.out << s.name.leftJustified(width) << "  "
                  << TimeUtil::toRfc3339(s.firstMs).leftJustified(24) << "  "
                  << TimeUtil::toRfc3339(s.lastMs) << "\n";
    }
    c.out << Qt::flush;
    return ExitOk;
}

int query(Context &c, const QCommandLineParser &p, const QString &dataDir)
{
    const QStringList pos = p.positionalArguments();
    if (pos.size() < 2)
        return c.fail(ExitUsage, QStringLiteral("missing SERIES (see shivx history list)"));
    if (pos.size() > 2)
        return c.fail(ExitUsage, QStringLiteral("unexpected argument \"%1\"").arg(pos.at(2)));
    const QString series = pos.at(1);

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QString fromText
        = p.isSet(QStringLiteral("from")) ? p.value(QStringLiteral("from")) : QStringLiteral("-1h");
    const QString toText
        = p.isSet(QStringLiteral("to")) ? p.value(QStringLiteral("to")) : QStringLiteral("now");
    const auto from = TimeUtil::parseTimePoint(fromText, now);
    if (!from)
        return c.fail(ExitUsage, QStringLiteral("--from: %1").arg(from.error().message));
    const auto to = TimeUtil::parseTimePoint(toText, now);
    if (!to)
        return c.fail(ExitUsage, QStringLiteral("--to: %1").arg(to.error().message));
    if (*from > *to)
        return c.fail(ExitUsage,
            QStringLiteral("--from (%1) is after --to (%2)")
                .arg(TimeUtil::toRfc3339(*from), TimeUtil::toRfc3339(*to)));

    const auto step = parseResolution(
        p.isSet(QStringLiteral("step")) ? p.value(QStringLiteral("step")) : QStringLiteral("auto"));
    if (!step)
        return c.fail(ExitUsage, QStringLiteral("--step: %1").arg(step.error().message));
    int maxPoints = 2000;
    if (p.isSet(QStringLiteral("max-points"))) {
        bool ok = false;
        maxPoints = p.value(QStringLiteral("max-points")).toInt(&ok);
        if (!ok || maxPoints < 1)
            return c.fail(ExitUsage,
                QStringLiteral("--max-points needs a positive integer, not \"%1\"")
                    .arg(p.value(QStringLiteral("max-points"))));
    }
    const QString format = p.isSet(QStringLiteral("format")) ? p.value(QStringLiteral("format"))
                                                             : QStringLiteral("csv");
    if (format != QLatin1String("csv") && format != QLatin1String("json"))
        return c.fail(
            ExitUsage, QStringLiteral("--format must be csv or json, not \"%1\"").arg(format));

    std::unique_ptr<HistoryStore> store;
    if (const int rc = openStore(c, dataDir, &store); rc != ExitOk)
        return rc;
    const auto result = store->query(series, *from, *to, *step, maxPoints);
    if (!result) {
        if (result.error().code == QLatin1String("history.unknown_series"))
            return c.fail(ExitFailure,
                QStringLiteral("no series named \"%1\" in %2 (see shivx "
                               "history list)")
                    .arg(series, DataDir::databasePath(dataDir)));
        return c.fail(ExitUsage, result.error().message);
    }

    if (format == QLatin1String("json")) {
        QJsonArray points;
        for (const HistoryPoint &pt : result->points) {
            points.append(QJsonObject { { QStringLiteral("ts"), TimeUtil::toRfc3339(pt.tsMs) },
                { QStringLiteral("min"), pt.min }, { QStringLiteral("max"), pt.max },
                { QStringLiteral("avg"), pt.avg }, { QStringLiteral("count"), pt.count } });
        }
        const QJsonObject doc { { QStringLiteral("series"), result->series },
            { QStringLiteral("resolution"), toString(result->resolution) },
            { QStringLiteral("from"), TimeUtil::toRfc3339(*from) },
            { QStringLiteral("to"), TimeUtil::toRfc3339(*to) },
            { QStringLiteral("points"), points } };
        c.out << QJsonDocument(doc).toJson(QJsonDocument::Compact) << "\n";
    } else {
        c.out << "ts,min,max,avg,count\n";
        for (const HistoryPoint &pt : result->points)
            c.out << TimeUtil::toRfc3339(pt.tsMs) << ',' << number(pt.min) << ',' << number(pt.max)
                  << ',' << number(pt.avg) << ',' << pt.count << "\n";
    }
    c.out << Qt::flush;
    return ExitOk;
}

} // namespace

int historyCommand(const QStringList &args)
{
    return historyCommand(args, out(), err());
}

int historyCommand(const QStringList &args, QTextStream &outStream, QTextStream &errStream)
{
    Context c { outStream, errStream, QString() };
    QCommandLineParser p;
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    p.addOptions({
        { { QStringLiteral("h"), QStringLiteral("help") }, QStringLiteral("Help.") },
        { QStringLiteral("data-dir"), QStringLiteral("Data directory."), QStringLiteral("DIR") },
        { QStringLiteral("from"), QStringLiteral("Start."), QStringLiteral("T") },
        { QStringLiteral("to"), QStringLiteral("End."), QStringLiteral("T") },
        { QStringLiteral("step"), QStringLiteral("Resolution."), QStringLiteral("S") },
        { QStringLiteral("max-points"), QStringLiteral("Limit for auto."), QStringLiteral("N") },
        { QStringLiteral("format"), QStringLiteral("Output format."), QStringLiteral("F") },
    });
    if (!p.parse(QStringList { QStringLiteral("shivx history") } + args))
        return c.fail(ExitUsage, p.errorText() + QStringLiteral(" (see shivx history --help)"));
    const QStringList pos = p.positionalArguments();
    if (p.isSet(QStringLiteral("help")) || pos.value(0) == QLatin1String("help")) {
        c.out << HelpText << Qt::flush;
        return ExitOk;
    }
    if (pos.isEmpty()) {
        c.err << "shivx history: missing subcommand\n\n" << HelpText << Qt::flush;
        return ExitUsage;
    }
    c.command = pos.at(0);
    const QString dataDir = p.isSet(QStringLiteral("data-dir"))
        ? DataDir::resolve(p.value(QStringLiteral("data-dir")), QString())
        : DataDir::defaultPath();
    if (p.isSet(QStringLiteral("data-dir")) && p.value(QStringLiteral("data-dir")).isEmpty())
        return c.fail(ExitUsage, QStringLiteral("--data-dir needs a directory"));
    if (c.command == QLatin1String("list"))
        return list(c, p, dataDir);
    if (c.command == QLatin1String("query"))
        return query(c, p, dataDir);
    const QString unknown = c.command;
    c.command.clear();
    return c.fail(ExitUsage,
        QStringLiteral("unknown subcommand \"%1\" (expected list or query; "
                       "see shivx history --help)")
            .arg(unknown));
}

} // namespace Shivx::Cli
