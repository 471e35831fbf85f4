#pragma once

#include "core/result.h"
#include "integrity/filestate.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace Shivx {

// `full` hashes every file; `fast` only those whose size, inode or ctime differ from the
// baseline (docs/integrity.md says what that trusts).
enum class IntegrityMode { Fast = 0, Full = 1 };
QString toString(IntegrityMode mode); // "fast", "full"
std::optional<IntegrityMode> parseIntegrityMode(const QString &text);

// What the scanner is doing right now. Plain value.
struct IntegrityProgress
{
    bool running = false;
    QString operation; // "init", "check" or "accept"
    IntegrityMode mode = IntegrityMode::Full;
    bool scheduled = false; // started by the schedule (under the budget)
    QString phase; // "verifying", "walking", "hashing", "comparing", "writing"
    qint64 filesDone = 0;
    qint64 filesTotal = 0; // files to hash (known after walking)
    qint64 bytesDone = 0;
    qint64 bytesTotal = 0;
    qint64 startedMs = 0; // epoch ms
    qint64 etaMs = -1; // estimated ms left, -1 while unknown
};

// The outcome of one init, check or accept. Plain value; `differences` may be long (a
// baseline of a changed tree), so the service hands it out behind a shared pointer.
struct IntegrityResult
{
    QString operation; // "init", "check", "accept"
    IntegrityMode mode = IntegrityMode::Full;
    QString actor; // "engine" (schedule, real time), "console:alice", "cli:alice", "api"
    bool scheduled = false;
    bool realtime = false; // a single critical path re-checked after an inotify event
    qint64 startedMs = 0;
    qint64 finishedMs = 0;
    enum class Outcome { Ok = 0, Cancelled = 1, Failed = 2 };
    Outcome outcome = Outcome::Ok;
    Error error; // when Failed (integrity.baseline_tampered, ...); code "integrity.cancelled"
                 // with the reason when Cancelled
    qint64 filesChecked = 0; // files the walk found
    qint64 filesHashed = 0;
    qint64 bytesHashed = 0;
    QList<IntegrityDifference> differences; // for a check: every difference, sorted by path
    QStringList walkErrors; // directories that could not be read
    // The engine's own database files the sets cover, left out unread (OwnFiles::reason()).
    QStringList skipped;
    QByteArray baselineDigest; // hex, of the baseline compared against (or written)

    qint64 count(IntegrityDifference::Kind kind) const;
};
QString toString(IntegrityResult::Outcome outcome); // "ok", "cancelled", "failed"

// The baseline as the scanner knows it.
struct IntegrityBaselineStatus
{
    bool exists = false;
    bool verified = false; // its digest matches the last one the audit chain recorded
    Error error; // why not verified (integrity.baseline_tampered, ...)
    qint64 files = 0;
    qint64 createdMs = 0;
    qint64 updatedMs = 0;
    QByteArray digest; // hex
};

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::IntegrityMode)
Q_DECLARE_METATYPE(Shivx::IntegrityProgress)
Q_DECLARE_METATYPE(Shivx::IntegrityResult)
Q_DECLARE_METATYPE(Shivx::IntegrityBaselineStatus)
