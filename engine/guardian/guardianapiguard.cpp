#include "guardian/guardianapiguard.h"

#include "core/clock.h"

namespace Shivx {

namespace {

const QString LivePath = QStringLiteral("/api/health/live");
const QString ReadyPath = QStringLiteral("/api/health/ready");

// Sources idle longer than both windows are forgotten once the table holds this many, so that
// a scan from many addresses cannot grow it without bound.
constexpr std::size_t SweepAbove = 4096;

} // namespace

void GuardianApiGuard::Window::advance(qint64 slice)
{
    if (slice <= headSlice)
        return;
    if (slice - headSlice >= Buckets) {
        slices.fill(0);
        total = 0;
    } else {
        for (qint64 s = headSlice + 1; s <= slice; ++s) {
            quint32 &b = slices[std::size_t(s % Buckets)];
            total -= b;
            b = 0;
        }
    }
    headSlice = slice;
}

GuardianApiGuard::GuardianApiGuard(const ApiGuardRules &rules, Clock *clock, RaiseFn raise)
    : m_rules(rules)
    , m_ignore(rules.ignore)
    , m_sliceMs(qMax<qint64>(1, rules.windowMs / Buckets))
    , m_tokenSliceMs(qMax<qint64>(1, rules.tokenWindowMs / Buckets))
    , m_clock(clock)
    , m_raise(std::move(raise))
{
}

bool GuardianApiGuard::isProbePath(const QString &path)
{
    return path == LivePath || path == ReadyPath;
}

void GuardianApiGuard::setIsolations(const QHash<QString, qint64> &untilBySource)
{
    std::unordered_map<SourceKey, qint64, SourceKeyHash> next;
    for (auto it = untilBySource.cbegin(); it != untilBySource.cend(); ++it) {
        const QHostAddress a(it.key());
        if (!a.isNull())
            next[SourceKey::of(a)] = it.value();
    }
    QMutexLocker l(&m_isolationMutex);
    m_isolatedUntil.swap(next);
    m_anyIsolated.store(!m_isolatedUntil.empty(), std::memory_order_release);
}

GuardianApiGuard::SourceState &GuardianApiGuard::stateOf(const SourceKey &key, qint64 now)
{
    if (m_sources.size() > SweepAbove && now - m_lastSweepMs > m_rules.windowMs) {
        m_lastSweepMs = now;
        const qint64 idle = qMax(m_rules.windowMs, m_rules.tokenWindowMs);
        for (auto it = m_sources.begin(); it != m_sources.end();)
            it = it->second.lastSeenMs < now - idle ? m_sources.erase(it) : std::next(it);
    }
    SourceState &s = m_sources[key];
    s.lastSeenMs = now;
    return s;
}

int GuardianApiGuard::retryAfterSeconds(const Window &w, qint64 now) const
{
    qint64 remaining = w.total;
    for (qint64 s = w.headSlice - Buckets + 1; s <= w.headSlice; ++s) {
        remaining -= w.slices[std::size_t(((s % Buckets) + Buckets) % Buckets)];
        if (remaining < m_rules.limitRequests) {
            const qint64 freeAt = (s + Buckets) * m_sliceMs;
            return int(qMax<qint64>(1, (freeAt - now + 999) / 1000));
        }
    }
    return 1;
}

void GuardianApiGuard::emitEvent(const char *type, ThreatSeverity severity, const SourceKey &key,
    const QString &evidence, qint64 now)
{
    if (m_raise && m_raising.load(std::memory_order_acquire))
        m_raise(
            ThreatEvent { QString::fromLatin1(type), severity, key.toString(), evidence, 0, now });
}

ApiGuard::Verdict GuardianApiGuard::admit(const QHostAddress &address, const QString &path)
{
    const SourceKey key = SourceKey::of(address);
    const qint64 now = m_clock->nowMs();

    if (m_anyIsolated.load(std::memory_order_acquire)) {
        qint64 until = 0;
        {
            QMutexLocker l(&m_isolationMutex);
            const auto it = m_isolatedUntil.find(key);
            if (it != m_isolatedUntil.end())
                until = it->second;
        }
        if (until > now) {
            m_refusedIsolated.fetch_add(1, std::memory_order_relaxed);
            return { Decision::Refuse, 403, QStringLiteral("guardian.isolated"),
                QStringLiteral("%1 is isolated by the guardian for %2 s more")
                    .arg(key.toString())
                    .arg((until - now + 999) / 1000),
                0 };
        }
    }

    Decision decision = Decision::Allow;
    if (m_mode.load(std::memory_order_relaxed) == int(DefenseMode::Lockdown)
        && !isProbePath(path)) {
        if (!key.isLoopback()) {
            m_refusedLockdown.fetch_add(1, std::memory_order_relaxed);
            return { Decision::Refuse, 403, QStringLiteral("guardian.lockdown"),
                QStringLiteral("the engine is in LOCKDOWN: only %1 and %2 answer from beyond "
                               "loopback")
                    .arg(LivePath, ReadyPath),
                0 };
        }
        decision = Decision::RequireToken;
    }

    if (m_ignore.contains(key))
        return { decision, 0, {}, {}, 0 };

    SourceState &s = stateOf(key, now);
    Window &w = s.requests;
    w.advance(now / m_sliceMs);
    if (w.total < m_rules.warnRequests)
        s.warned = false;
    if (w.total < m_rules.limitRequests)
        s.limited = false;
    if (w.total >= m_rules.limitRequests) {
        m_refused429.fetch_add(1, std::memory_order_relaxed);
        const int retry = retryAfterSeconds(w, now);
        if (!s.limited) {
            s.limited = true;
            emitEvent("api.rate_limited", ThreatSeverity::Warning, key,
                QStringLiteral("more than %1 requests within %2 s: refused with 429")
                    .arg(m_rules.limitRequests)
                    .arg(m_rules.windowMs / 1000),
                now);
        }
        return { Decision::Refuse, 429, QStringLiteral("guardian.rate_limited"),
            QStringLiteral("more than %1 requests within %2 s from %3; retry in %4 s")
                .arg(m_rules.limitRequests)
                .arg(m_rules.windowMs / 1000)
                .arg(key.toString())
                .arg(retry),
            retry };
    }
    ++w.slices[std::size_t(w.headSlice % Buckets)];
    ++w.total;
    if (w.total >= m_rules.warnRequests && !s.warned) {
        s.warned = true;
        emitEvent("api.request_rate", ThreatSeverity::Warning, key,
            QStringLiteral("%1 requests within %2 s").arg(w.total).arg(m_rules.windowMs / 1000),
            now);
    }
    return { decision, 0, {}, {}, 0 };
}

void GuardianApiGuard::pushSignal(const SourceKey &key, const QString &path, int status)
{
    QMutexLocker l(&m_signalMutex);
    if (m_signals.size() >= MaxPendingSignals) {
        m_signalsDropped.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    m_signals.push_back({ key, path, status });
}

std::vector<GuardianApiGuard::ScoreSignal> GuardianApiGuard::takeScoreSignals()
{
    std::vector<ScoreSignal> out;
    QMutexLocker l(&m_signalMutex);
    out.swap(m_signals);
    return out;
}

void GuardianApiGuard::answered(const QHostAddress &address, const QString &path, int status)
{
    pushSignal(SourceKey::of(address), path, status);
}

void GuardianApiGuard::tokenRejected(const QHostAddress &address, const QString &path)
{
    const SourceKey key = SourceKey::of(address);
    pushSignal(key, path, 0);
    const qint64 now = m_clock->nowMs();
    SourceState &s = stateOf(key, now);
    Window &w = s.tokenFailures;
    w.advance(now / m_tokenSliceMs);
    ++w.slices[std::size_t(w.headSlice % Buckets)];
    ++w.total;
    // At the thresholds and every further `tokenCritical` failures, not at each one.
    const bool critical = w.total >= m_rules.tokenCritical && w.total % m_rules.tokenCritical == 0;
    if (w.total == m_rules.tokenWarn || critical)
        emitEvent("api.token_failures",
            critical ? ThreatSeverity::Critical : ThreatSeverity::Warning, key,
            QStringLiteral("%1 failed token checks within %2 s, the last on %3")
                .arg(w.total)
                .arg(m_rules.tokenWindowMs / 1000)
                .arg(path.left(200)),
            now);
}

} // namespace Shivx
