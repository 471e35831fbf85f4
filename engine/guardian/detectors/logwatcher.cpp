#include "guardian/detectors/logwatcher.h"

#include "core/clock.h"

namespace Shivx {

Result<std::unique_ptr<LogWatcher>> LogWatcher::create(
    const WatcherConfig &config, const QString &stateDir, Clock *clock, LogFollowerOptions options)
{
    const bool builtin = LogFilter::builtinNames().contains(config.filter);
    auto filter = builtin ? LogFilter::builtin(config.filter)
                          : LogFilter::compile(config.filter, config.name);
    if (!filter)
        return filter.error();
    if (!filter->hasField(LogField::Source))
        return makeError("guardian.watcher.no_source",
            QStringLiteral("watcher %1: the filter has no (?<source>...) group").arg(config.name),
            { config.name });
    return std::unique_ptr<LogWatcher>(
        new LogWatcher(config, std::move(filter).value(), stateDir, clock, options));
}

LogWatcher::LogWatcher(const WatcherConfig &config, LogFilter filter, const QString &stateDir,
    Clock *clock, LogFollowerOptions options)
    : m_config(config)
    , m_filter(std::move(filter))
    , m_match(m_filter)
    , m_clock(clock ? clock : Clock::system())
    , m_follower(config.file, stateDir, options, this) // a child: moveToThread takes it along
{
    m_follower.setLineHandler([this](QByteArrayView line) { processLine(line); });
}

LogWatcher::~LogWatcher()
{
    m_follower.stop();
}

void LogWatcher::expire(SourceWindow &w, qint64 now) const
{
    const qint64 oldest = now - m_config.windowMs;
    while (!w.times.empty() && w.times.front() <= oldest)
        w.times.pop_front();
}

void LogWatcher::sweep(qint64 now)
{
    for (auto it = m_sources.begin(); it != m_sources.end();) {
        expire(*it, now);
        it = it->times.empty() ? m_sources.erase(it) : std::next(it);
    }
}

void LogWatcher::processLine(QByteArrayView line)
{
    ++m_seen;
    if (!m_filter.match(line, m_match))
        return;
    const QByteArrayView sourceView = m_match.field(LogField::Source);
    if (sourceView.isEmpty())
        return;
    ++m_matched;
    const qint64 now = m_clock->nowMs();
    const QByteArray source = sourceView.toByteArray();
    auto it = m_sources.find(source);
    if (it == m_sources.end()) {
        if (m_sources.size() >= MaxSources)
            sweep(now);
        if (m_sources.size() >= MaxSources) {
            ++m_dropped;
            return;
        }
        it = m_sources.insert(source, SourceWindow());
    }
    SourceWindow &w = *it;
    expire(w, now);
    w.times.push_back(now);
    w.evidence.append(line.first(qMin(line.size(), qsizetype(EvidenceBytes))).toByteArray());
    if (w.evidence.size() > EvidenceLines)
        w.evidence.removeFirst();
    const QString sourceText = QString::fromUtf8(source);
    emit lineMatched(m_config.name, sourceText);
    if (int(w.times.size()) < m_config.threshold)
        return;
    WatcherHit hit;
    hit.watcher = m_config.name;
    hit.source = sourceText;
    hit.action = m_config.action;
    hit.count = int(w.times.size());
    hit.windowMs = m_config.windowMs;
    hit.timeMs = now;
    hit.evidence = w.evidence;
    m_sources.erase(it);
    emit thresholdCrossed(hit);
}

int LogWatcher::countFor(const QString &source)
{
    auto it = m_sources.find(source.toUtf8());
    if (it == m_sources.end())
        return 0;
    expire(*it, m_clock->nowMs());
    return int(it->times.size());
}

} // namespace Shivx
