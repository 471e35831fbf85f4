#pragma once

#include "core/message.h"
#include "core/result.h"
#include "guardian/defensemode.h"
#include "guardian/guardiansnapshot.h"
#include "guardian/threatevent.h"

#include <QHash>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace Shivx {

// The guardian's tables in the engine's database (docs/storage.md): threat rows, isolations
// in effect and the defense mode, so that all three survive a restart. Owns one named
// connection; use it on one thread only (the controller's). Reads from other threads go
// through query(), which opens a connection of its own.
class ThreatStore
{
public:
    struct Recorded
    {
        ThreatRecord record; // the row after the event
        bool newRow = false; // the event opened a row (else it was counted into one)
        bool severityRaised = false; // the row's severity went up with this event
    };
    struct StoredMode
    {
        DefenseMode mode = DefenseMode::Normal;
        DefenseMode floor = DefenseMode::Normal;
        Message reason;
        QString actor;
        qint64 changedMs = 0;
    };

    ~ThreatStore();
    static Result<std::unique_ptr<ThreatStore>> open(
        const QString &dbPath, const QString &connectionName);

    // Counts `event` into the row of its source and type when that row was last seen within
    // `aggregateWindowMs`, else opens a new row.
    Result<Recorded> record(const ThreatEvent &event, qint64 aggregateWindowMs);
    Result<void> deleteOlderThan(qint64 lastSeenBeforeMs);

    Result<void> saveMode(const StoredMode &mode);
    Result<std::optional<StoredMode>> loadMode();
    Result<void> saveIsolation(const Isolation &isolation);
    Result<void> removeIsolation(const QString &source);
    Result<QList<Isolation>> loadIsolations();

    // Rows matching `filter`, newest first, on a connection of the calling thread's own
    // (opened and closed here). Any thread.
    static Result<QList<ThreatRecord>> query(const QString &dbPath, const ThreatFilter &filter);

private:
    ThreatStore() = default;
    Error sqlError(const class QSqlQuery &q, const char *what) const;

    QString m_path;
    QString m_connection;
    QSqlDatabase m_db;
    // (source, type) -> (row id, last seen): skips the lookup query for repeats.
    struct Open
    {
        qint64 id = 0;
        qint64 lastMs = 0;
        ThreatSeverity severity = ThreatSeverity::Info;
    };
    QHash<QString, Open> m_open;
};

} // namespace Shivx
