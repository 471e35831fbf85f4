#include "guardian/detectors/threatscore.h"

#include "core/clock.h"
#include "core/timeutil.h"

#include <QHostAddress>
#include <QSet>

namespace Shivx {

namespace {

// Zero up to `start`, then linear to `max` at `full`.
double ramp(double value, double start, double full, double max)
{
    if (value <= start || full <= start)
        return value > start ? max : 0;
    return max * qMin(1.0, (value - start) / (full - start));
}

} // namespace

ThreatScore::ThreatScore(ThreatScoreConfig config, Clock *clock)
    : m_config(config)
    , m_clock(clock ? clock : Clock::system())
{
}

QString ThreatScore::sourceClass(const QString &source)
{
    QHostAddress a;
    if (!a.setAddress(source))
        return QStringLiteral("name");
    if (a.isLoopback())
        return QStringLiteral("loopback");
    bool v4 = false;
    const QHostAddress mapped(a.toIPv4Address(&v4));
    const QHostAddress &addr = v4 ? mapped : a;
    // RFC 1918 and unique-local (QHostAddress::isPrivateUse needs Qt 6.6); link-local alike.
    static const QList<QPair<QHostAddress, int>> privateNets = {
        QHostAddress::parseSubnet(QStringLiteral("10.0.0.0/8")),
        QHostAddress::parseSubnet(QStringLiteral("172.16.0.0/12")),
        QHostAddress::parseSubnet(QStringLiteral("192.168.0.0/16")),
        QHostAddress::parseSubnet(QStringLiteral("fc00::/7")),
    };
    if (addr.isLinkLocal() || addr.isSiteLocal())
        return QStringLiteral("private");
    for (const auto &net : privateNets)
        if (addr.isInSubnet(net))
            return QStringLiteral("private");
    return QStringLiteral("public");
}

ThreatScore::Signals *ThreatScore::signalsFor(const QString &source, qint64 now)
{
    auto it = m_sources.find(source);
    if (it != m_sources.end()) {
        it->lastSeenMs = now;
        return &*it;
    }
    if (m_sources.size() >= MaxSources) {
        // Forget the sources whose signals have all expired; if none, the least recent one.
        for (auto i = m_sources.begin(); i != m_sources.end();) {
            expire(*i, now);
            const bool empty
                = i->requests.empty() && i->authFailures.empty() && i->watcherHits.empty();
            i = empty ? m_sources.erase(i) : std::next(i);
        }
        if (m_sources.size() >= MaxSources) {
            auto oldest = m_sources.begin();
            for (auto i = m_sources.begin(); i != m_sources.end(); ++i)
                if (i->lastSeenMs < oldest->lastSeenMs)
                    oldest = i;
            m_sources.erase(oldest);
        }
    }
    it = m_sources.insert(source, Signals());
    it->lastSeenMs = now;
    return &*it;
}

void ThreatScore::expire(Signals &s, qint64 now) const
{
    const qint64 from = now - m_config.windowMs;
    while (!s.requests.empty() && s.requests.front().timeMs <= from)
        s.requests.pop_front();
    while (!s.authFailures.empty() && s.authFailures.front() <= from)
        s.authFailures.pop_front();
    const qint64 watcherFrom = now - m_config.watcherWindowMs;
    while (!s.watcherHits.empty() && s.watcherHits.front().first <= watcherFrom)
        s.watcherHits.pop_front();
}

void ThreatScore::roll(qint64 now)
{
    if (m_windowStartMs < 0) {
        m_windowStartMs = now;
        return;
    }
    if (now - m_windowStartMs < m_config.windowMs)
        return;
    // The window that closed: fold each class's mean requests per active source into its
    // baseline. Windows with no traffic in a class leave its baseline as it was.
    for (auto it = m_current.cbegin(); it != m_current.cend(); ++it) {
        if (it->sources.isEmpty())
            continue;
        const double mean = double(it->requests) / double(it->sources.size());
        const auto b = m_baselines.constFind(it.key());
        m_baselines[it.key()] = b == m_baselines.constEnd()
            ? mean
            : m_config.ewmaAlpha * mean + (1 - m_config.ewmaAlpha) * *b;
    }
    m_current.clear();
    const qint64 windows = (now - m_windowStartMs) / m_config.windowMs;
    m_windowStartMs += windows * m_config.windowMs;
}

void ThreatScore::recordRequest(const QString &source, QByteArrayView path, int status)
{
    const qint64 now = m_clock->nowMs();
    roll(now);
    Signals *s = signalsFor(source, now);
    s->requests.push_back({ now, qHash(path), status >= 400 });
    if (int(s->requests.size()) > MaxEventsPerSource)
        s->requests.pop_front();
    ClassWindow &w = m_current[sourceClass(source)];
    ++w.requests;
    w.sources.insert(source);
}

void ThreatScore::recordAuthFailure(const QString &source)
{
    const qint64 now = m_clock->nowMs();
    Signals *s = signalsFor(source, now);
    s->authFailures.push_back(now);
    if (int(s->authFailures.size()) > MaxEventsPerSource)
        s->authFailures.pop_front();
}

void ThreatScore::recordWatcherHit(const QString &source, const QString &watcher)
{
    const qint64 now = m_clock->nowMs();
    Signals *s = signalsFor(source, now);
    s->watcherHits.emplace_back(now, watcher);
    if (int(s->watcherHits.size()) > MaxEventsPerSource)
        s->watcherHits.pop_front();
}

double ThreatScore::baseline(const QString &sourceClass)
{
    roll(m_clock->nowMs());
    return m_baselines.value(sourceClass, -1);
}

ThreatAssessment ThreatScore::assess(const QString &source)
{
    const qint64 now = m_clock->nowMs();
    roll(now);
    ThreatAssessment a;
    a.source = source;
    a.sourceClass = sourceClass(source);
    a.timestampMs = now;
    Signals s;
    if (auto it = m_sources.find(source); it != m_sources.end()) {
        expire(*it, now);
        s = *it;
    }
    const ThreatScoreConfig &c = m_config;
    const QString window = TimeUtil::formatDurationMs(c.windowMs);

    const double requests = double(s.requests.size());
    const double learned = m_baselines.value(a.sourceClass, -1);
    const double base = qMax(learned, c.minBaseline);
    const double ratio = requests / base;
    ThreatFeature rate { QStringLiteral("rate"), ramp(ratio, 1, c.rateRatioFull, c.rateMaxPoints),
        c.rateMaxPoints,
        makeMessage("threat.rate", { requests, c.windowMs, ratio, a.sourceClass, base },
            QStringLiteral("%1 requests in %2, %3x the %4 baseline of %5")
                .arg(requests)
                .arg(window)
                .arg(ratio, 0, 'f', 1)
                .arg(a.sourceClass)
                .arg(base, 0, 'f', 1)) };

    const double failures = double(s.authFailures.size());
    ThreatFeature auth { QStringLiteral("auth_failures"),
        ramp(failures, 0, c.authFailuresFull, c.authMaxPoints), c.authMaxPoints,
        makeMessage("threat.auth_failures", { failures, c.windowMs },
            QStringLiteral("%1 failed token checks in %2").arg(failures).arg(window)) };

    QSet<size_t> paths;
    double errors = 0;
    for (const Request &r : s.requests) {
        paths.insert(r.pathHash);
        errors += r.error ? 1 : 0;
    }
    ThreatFeature distinct { QStringLiteral("distinct_paths"),
        ramp(paths.size(), c.distinctPathsStart, c.distinctPathsFull, c.pathsMaxPoints),
        c.pathsMaxPoints,
        makeMessage("threat.distinct_paths", { paths.size(), c.windowMs },
            QStringLiteral("%1 distinct paths in %2").arg(paths.size()).arg(window)) };

    const double errorRatio = requests > 0 ? errors / requests : 0;
    ThreatFeature errorFeature { QStringLiteral("error_ratio"), 0, c.errorMaxPoints, {} };
    if (requests >= c.errorMinRequests) {
        errorFeature.points
            = ramp(errorRatio, c.errorRatioStart, c.errorRatioFull, c.errorMaxPoints);
        errorFeature.detail = makeMessage("threat.error_ratio", { errors, requests },
            QStringLiteral("%1 of %2 requests failed (%3%)")
                .arg(errors)
                .arg(requests)
                .arg(100 * errorRatio, 0, 'f', 0));
    } else {
        errorFeature.detail
            = makeMessage("threat.error_ratio_few", { requests, c.errorMinRequests },
                QStringLiteral("%1 requests: too few to judge errors (from %2)")
                    .arg(requests)
                    .arg(c.errorMinRequests));
    }

    QStringList names;
    for (const auto &h : s.watcherHits)
        if (!names.contains(h.second))
            names.append(h.second);
    const double hits = double(s.watcherHits.size());
    ThreatFeature watchers { QStringLiteral("watchers"),
        ramp(hits, 0, c.watcherHitsFull, c.watcherMaxPoints), c.watcherMaxPoints,
        makeMessage("threat.watchers",
            { hits, c.watcherWindowMs, names.join(QStringLiteral(", ")) },
            QStringLiteral("%1 watcher hits in %2%3")
                .arg(hits)
                .arg(TimeUtil::formatDurationMs(c.watcherWindowMs))
                .arg(names.isEmpty()
                        ? QString()
                        : QStringLiteral(" (%1)").arg(names.join(QStringLiteral(", "))))) };

    a.features = { rate, auth, distinct, errorFeature, watchers };
    for (const auto &f : a.features)
        a.score += f.points;
    a.score = qBound(0.0, a.score, 100.0);
    return a;
}

} // namespace Shivx
