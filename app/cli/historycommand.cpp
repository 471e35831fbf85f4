#include "historycommand.h"

#include "commandcontext.h"
#include "core/datadir.h"
#include "core/timeutil.h"
#include "telemetry/historystore.h"

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
      "  --from T         start of the range (default -1h)\n"
      "  --to T           end of the range (default now)\n"
      "                   T is RFC 3339 (2026-11-29T03:00:00Z), relative to now (-30m, -7d),\n"
      "                   \"now\", or epoch milliseconds\n"
      "  --step S         resolution: 1s (raw samples), 1m or 1h (rollups), or auto (default):\n"
      "                   the finest one that answers in at most --max-points points and is\n"
      "                   still retained for the whole range\n"
      "  --max-points N   limit for --step auto (default 2000)\n"
      "\n"
      "Buckets are returned whole when the range starts or ends inside them; ts is the start\n"
      "of the bucket. For 1s, min = max = avg and count = 1.\n";

const char ExitText[]
    = "Exit status: 0 ok (also when the range holds no points); 1 no history in the data\n"
      "directory, or no such series; 2 usage error, or the database cannot be read.\n";

const char FormatUse[]
    = "query: csv (default; header ts,min,max,avg,count, one row per\n"
      "                      bucket) or json ({\"series\", \"resolution\", \"points\": [...]});\n"
      "                      list: text (default), csv or json";

QString number(double v)
{
    // Shortest text that reads back as the same double: 12.34, not 12.339999999999999.
    return QString::number(v, 'g', QLocale::FloatingPointShortest);
}

// Opens the store for reading. A missing database is reported, never created: the CLI must
// not leave an empty database behind in a mistyped --data-dir.
int openStore(CommandContext &c, std::unique_ptr<HistoryStore> *store)
{
    const QString path = DataDir::databasePath(c.dataDir());
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

int list(CommandContext &c)
{
    using F = CommandContext::Format;
    const auto format = c.format({ F::Text, F::Csv, F::Json });
    if (!format)
        return c.fail(ExitUsage, format.error().message);
    if (const auto done = c.rejectArgumentsBeyond(0))
        return *done;
    for (const char *opt : { "from", "to", "step", "max-points" }) {
        if (c.isSet(QLatin1String(opt)))
            return c.fail(ExitUsage,
                QStringLiteral("--%1 applies to query, not list").arg(QLatin1String(opt)));
    }

    std::unique_ptr<HistoryStore> store;
    if (const int rc = openStore(c, &store); rc != ExitOk)
        return rc;
    const auto series = store->listSeries();
    if (!series)
        return c.fail(ExitUsage, series.error().message);

    QTextStream &out = c.out();
    if (*format == F::Json) {
        QJsonArray arr;
        for (const SeriesInfo &s : *series) {
            arr.append(QJsonObject { { QStringLiteral("name"), s.name },
                { QStringLiteral("first"), TimeUtil::toRfc3339(s.firstMs) },
                { QStringLiteral("last"), TimeUtil::toRfc3339(s.lastMs) } });
        }
        c.printJson(QJsonObject { { QStringLiteral("series"), arr } });
        return ExitOk;
    }
    if (*format == F::Csv) {
        out << "series,first,last\n";
        for (const SeriesInfo &s : *series)
            out << s.name << ',' << TimeUtil::toRfc3339(s.firstMs) << ','
                << TimeUtil::toRfc3339(s.lastMs) << "\n";
    } else {
        int width = 6;
        for (const SeriesInfo &s : *series)
            width = std::max(width, int(s.name.size()));
        out << QStringLiteral("SERIES").leftJustified(width) << "  "
            << QStringLiteral("FIRST").leftJustified(24) << "  LAST\n";
        for (const SeriesInfo &s : *series)
            out << s.name.leftJustified(width) << "  "
                << TimeUtil::toRfc3339(s.firstMs).leftJustified(24) << "  "
                << TimeUtil::toRfc3339(s.lastMs) << "\n";
    }
    out << Qt::flush;
    return ExitOk;
}

int query(CommandContext &c)
{
    if (c.arguments().isEmpty())
        return c.fail(ExitUsage, QStringLiteral("missing SERIES (see shivx history list)"));
    if (const auto done = c.rejectArgumentsBeyond(1))
        return *done;
    const QString series = c.arguments().at(0);

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QString fromText
        = c.isSet(QStringLiteral("from")) ? c.value(QStringLiteral("from")) : QStringLiteral("-1h");
    const QString toText
        = c.isSet(QStringLiteral("to")) ? c.value(QStringLiteral("to")) : QStringLiteral("now");
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
        c.isSet(QStringLiteral("step")) ? c.value(QStringLiteral("step")) : QStringLiteral("auto"));
    if (!step)
        return c.fail(ExitUsage, QStringLiteral("--step: %1").arg(step.error().message));
    int maxPoints = 2000;
    if (c.isSet(QStringLiteral("max-points"))) {
        bool ok = false;
        maxPoints = c.value(QStringLiteral("max-points")).toInt(&ok);
        if (!ok || maxPoints < 1)
            return c.fail(ExitUsage,
                QStringLiteral("--max-points needs a positive integer, not \"%1\"")
                    .arg(c.value(QStringLiteral("max-points"))));
    }
    using F = CommandContext::Format;
    const auto format = c.format({ F::Csv, F::Json });
    if (!format)
        return c.fail(ExitUsage, format.error().message);

    std::unique_ptr<HistoryStore> store;
    if (const int rc = openStore(c, &store); rc != ExitOk)
        return rc;
    const auto result = store->query(series, *from, *to, *step, maxPoints);
    if (!result) {
        if (result.error().code == QLatin1String("history.unknown_series"))
            return c.fail(ExitFailure,
                QStringLiteral("no series named \"%1\" in %2 (see shivx "
                               "history list)")
                    .arg(series, DataDir::databasePath(c.dataDir())));
        return c.fail(ExitUsage, result.error().message);
    }

    if (*format == F::Json) {
        QJsonArray points;
        for (const HistoryPoint &pt : result->points) {
            points.append(QJsonObject { { QStringLiteral("ts"), TimeUtil::toRfc3339(pt.tsMs) },
                { QStringLiteral("min"), pt.min }, { QStringLiteral("max"), pt.max },
                { QStringLiteral("avg"), pt.avg }, { QStringLiteral("count"), pt.count } });
        }
        c.printJson(QJsonObject { { QStringLiteral("series"), result->series },
            { QStringLiteral("resolution"), toString(result->resolution) },
            { QStringLiteral("from"), TimeUtil::toRfc3339(*from) },
            { QStringLiteral("to"), TimeUtil::toRfc3339(*to) },
            { QStringLiteral("points"), points } });
        return ExitOk;
    }
    QTextStream &out = c.out();
    out << "ts,min,max,avg,count\n";
    for (const HistoryPoint &pt : result->points)
        out << TimeUtil::toRfc3339(pt.tsMs) << ',' << number(pt.min) << ',' << number(pt.max) << ','
            << number(pt.avg) << ',' << pt.count << "\n";
    out << Qt::flush;
    return ExitOk;
}

} // namespace

int historyCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    using F = CommandContext::Format;
    CommandContext c(QStringLiteral("history"), out, err);
    c.setHelp(HelpText, ExitText);
    c.setSubcommands({ QStringLiteral("list"), QStringLiteral("query") });
    c.addDataDirOptions();
    c.addFormatOption({ F::Text, F::Csv, F::Json }, QString::fromLatin1(FormatUse));
    for (const char *name : { "from", "to", "step", "max-points" })
        c.addOption({ QLatin1String(name), QString(), QStringLiteral("VALUE") });
    if (const auto done = c.parse(args))
        return *done;
    return c.subcommand() == QLatin1String("list") ? list(c) : query(c);
}

} // namespace Shivx::Cli
