#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace Shivx {

enum class ThreatSeverity { Info, Warning, Critical };
QString toString(ThreatSeverity severity); // "info", "warning", "critical"
std::optional<ThreatSeverity> parseThreatSeverity(const QString &text);

// Something a detector saw that may be an attack, as it reaches GuardianService::raise():
// the API guard's rate and token counters, the log watchers, the resource-abuse detector.
// A plain value; copied across threads.
struct ThreatEvent
{
    QString type; // stable code: "api.request_rate", "api.token_failures", "sshd.auth_failure"
    ThreatSeverity severity = ThreatSeverity::Warning;
    QString source; // who: an address ("203.0.113.9"), a user or a process; may be empty
    QString evidence; // English, one line: what was seen ("120 requests in 60 s")
    int score = 0; // 0-100, the source's threat score when known, else 0
    qint64 tsMs = 0; // when it was seen (ms since epoch, UTC); 0 = when it is raised
};

// One row of the threat table: repeats of an event from one source and type within the
// aggregation window, counted instead of stored one by one.
struct ThreatRecord
{
    qint64 id = 0;
    QString type;
    ThreatSeverity severity = ThreatSeverity::Info; // the highest seen in the row
    QString source;
    QString evidence; // the latest
    int score = 0; // the highest seen
    qint64 count = 0;
    qint64 firstMs = 0;
    qint64 lastMs = 0;
};

// Which rows a threat query returns; empty strings and zero times do not filter.
struct ThreatFilter
{
    QString type; // exact
    std::optional<ThreatSeverity> minSeverity;
    QString source; // exact
    qint64 sinceMs = 0; // rows last seen at or after
    qint64 untilMs = 0; // rows first seen at or before
    int limit = 200; // newest (by last seen) first
    qint64 beforeId = 0; // paging: rows with a smaller id only
};

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::ThreatSeverity)
Q_DECLARE_METATYPE(Shivx::ThreatEvent)
Q_DECLARE_METATYPE(Shivx::ThreatRecord)
