#pragma once

#include "core/result.h"
#include "guardian/detectors/logfilter.h"
#include "guardian/detectors/logfollower.h"
#include "guardian/detectors/watcherconfig.h"

#include <QByteArray>
#include <QHash>
#include <QMetaType>
#include <QObject>
#include <QStringList>

#include <deque>
#include <memory>

namespace Shivx {

class Clock;

// A source that crossed a watcher's threshold: `count` matches within `windowMs` up to
// `timeMs`. A plain value, safe to pass across threads.
struct WatcherHit
{
    QString watcher;
    QString source;
    QString action;
    int count = 0;
    qint64 windowMs = 0;
    qint64 timeMs = 0; // ms since the epoch (the watcher's clock)
    // The last matched lines of this source, oldest first (at most LogWatcher::EvidenceLines,
    // each cut to LogWatcher::EvidenceBytes).
    QList<QByteArray> evidence;
};

// A fail2ban jail: follows one log (LogFollower), matches each line (LogFilter), and counts
// matches per captured source in a sliding window. When a source reaches the threshold within
// the window, thresholdCrossed() carries the hit and that source's count starts again from
// zero (one hit per burst, not one per line after it).
// Times are when the line was read (the watcher's clock), not the time written in the line:
// the follower delivers lines as they are written, and a replayed old log is not a live attack.
// Memory: at most MaxSources sources are tracked; expired windows are swept first, and while
// the table is full a new source is not tracked (counted in sourcesDropped()).
// Thread: lives on one thread with an event loop, with its follower (a child, so that
// moveToThread moves both); call start() there. Signals are emitted on that thread.
class LogWatcher : public QObject
{
    Q_OBJECT
public:
    static constexpr int EvidenceLines = 5;
    static constexpr int EvidenceBytes = 512;
    static constexpr int MaxSources = 100'000;

    // Compiles the filter (a built-in name or a regex with a source group). `stateDir` holds
    // the follower's position file; `clock` is not owned and must outlive the watcher.
    static Result<std::unique_ptr<LogWatcher>> create(const WatcherConfig &config,
        const QString &stateDir, Clock *clock, LogFollowerOptions options = {});
    ~LogWatcher() override;

    Result<void> start() { return m_follower.start(); }
    void stop() { m_follower.stop(); }

    // Counts one line as if read from the file (the follower calls it for every line).
    void processLine(QByteArrayView line);

    const WatcherConfig &config() const { return m_config; }
    LogFollower &follower() { return m_follower; }
    quint64 linesSeen() const { return m_seen; }
    quint64 linesMatched() const { return m_matched; }
    quint64 sourcesDropped() const { return m_dropped; }
    int trackedSources() const { return int(m_sources.size()); }
    // Matches of `source` within the window now.
    int countFor(const QString &source);

signals:
    void thresholdCrossed(const Shivx::WatcherHit &hit);
    // Every matched line with its source: the threat score counts these.
    void lineMatched(const QString &watcher, const QString &source);

private:
    LogWatcher(const WatcherConfig &config, LogFilter filter, const QString &stateDir, Clock *clock,
        LogFollowerOptions options);
    struct SourceWindow
    {
        std::deque<qint64> times;
        QList<QByteArray> evidence;
    };
    void expire(SourceWindow &w, qint64 now) const;
    void sweep(qint64 now);

    WatcherConfig m_config;
    LogFilter m_filter;
    LogMatch m_match;
    Clock *m_clock;
    LogFollower m_follower;
    QHash<QByteArray, SourceWindow> m_sources;
    quint64 m_seen = 0;
    quint64 m_matched = 0;
    quint64 m_dropped = 0;
};

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::WatcherHit)
