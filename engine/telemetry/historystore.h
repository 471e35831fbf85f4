#pragma once

#include "core/config.h"
#include "core/result.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <memory>

namespace Shivx {

struct SamplePoint
{
    QString series; // "host.cpu.percent", "target.web.latency_ms", "health.score"
    qint64 tsMs = 0; // epoch milliseconds
    double value = 0;
};

enum class Resolution { Auto, Raw, Minute, Hour };
QString toString(Resolution r);
Result<Resolution> parseResolution(const QString &text); // "auto", "1s", "1m", "1h"

// One point of a query answer. For raw data min == max == avg and count == 1.
struct HistoryPoint
{
    qint64 tsMs = 0; // start of the bucket
    double min = 0;
    double max = 0;
    double avg = 0;
    qint64 count = 0;
};

struct HistoryQueryResult
{
    QString series;
    Resolution resolution = Resolution::Raw; // the one actually used
    QList<HistoryPoint> points;
};

struct SeriesInfo
{
    QString name;
    qint64 firstMs = 0;
    qint64 lastMs = 0;
};

// Metric history in the engine's one SQLite database (see docs/storage.md for the format).
// Not thread-safe: each thread opens its own HistoryStore on its own connection; SQLite
// WAL lets one writer and many readers work at once.
class HistoryStore
{
public:
    ~HistoryStore();

    // Opens (creating and migrating when needed) the database at `dbPath` on a connection
    // named `connectionName`, which must be unique per thread.
    static Result<std::unique_ptr<HistoryStore>> open(const QString &dbPath,
        const QString &connectionName, const HistoryRetention &retention = {});

    // Durable once it returns ok: kill -9 afterwards loses none of these points.
    Result<void> append(const QList<SamplePoint> &points);

    // Seals raw points older than the open block into compressed blocks, updates the
    // 1-minute and 1-hour rollups and applies retention. Called periodically by the writer.
    Result<void> maintain(qint64 nowMs);

    Result<QList<SeriesInfo>> listSeries();

    // Points in [fromMs, toMs]. Resolution::Auto picks the finest resolution that answers
    // in at most `maxPoints` points and is still retained for the range asked.
    Result<HistoryQueryResult> query(const QString &series, qint64 fromMs, qint64 toMs,
        Resolution resolution = Resolution::Auto, int maxPoints = 2000);

    // Size of the database files (main + WAL) in bytes.
    qint64 diskBytes() const;

private:
    HistoryStore() = default;
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Shivx
