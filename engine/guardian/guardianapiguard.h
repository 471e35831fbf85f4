#pragma once

#include "api/apiguard.h"
#include "guardian/defensemode.h"
#include "guardian/guardianconfig.h"
#include "guardian/sourcematcher.h"
#include "guardian/threatevent.h"

#include <QMutex>

#include <array>
#include <atomic>
#include <functional>
#include <unordered_map>
#include <vector>

namespace Shivx {

class Clock;

// The guardian's guard in front of the engine's HTTP API (ApiGuard, installed through
// ModuleHost::setApiGuard):
// - an isolated source gets 403 (guardian.isolated) until its isolation ends;
// - in LOCKDOWN, a source beyond loopback gets only /api/health/live and /api/health/ready,
//   everything else 403 (guardian.lockdown); a loopback client needs the token for
//   everything but those two;
// - requests per source over a sliding window (60 buckets): `warnRequests` raise a warning
//   event once per burst, above `limitRequests` the source gets 429 with Retry-After (refused
//   requests do not count, so Retry-After tells the truth); the ignore list is exempt;
// - failed token checks per source, every source (loopback too): `tokenWarn` raise a warning,
//   `tokenCritical` a critical event.
//
// Threads: admit() and tokenRejected() run on the API thread only and keep the counters
// without a lock; setMode() and setIsolations() come from the controller's thread (an atomic
// and a mutex held for a hash lookup). Events leave through `raise`, which must not block
// (the module queues them to the controller).
class GuardianApiGuard final : public ApiGuard
{
public:
    using RaiseFn = std::function<void(const ThreatEvent &)>;
    GuardianApiGuard(const ApiGuardRules &rules, Clock *clock, RaiseFn raise);

    Verdict admit(const QHostAddress &source, const QString &path) override;
    void tokenRejected(const QHostAddress &source, const QString &path) override;
    void answered(const QHostAddress &source, const QString &path, int status) override;

    // What the threat score learns from the API (ThreatScore::recordRequest and
    // recordAuthFailure): one per answered request or failed token check, kept here until
    // the guardian's thread takes them (once a second, and before it scores an event), so
    // that a request costs a short lock instead of a queued call. At most MaxPendingSignals
    // wait; more are dropped (counted) until the next take.
    struct ScoreSignal
    {
        SourceKey source;
        QString path; // shared with the request's, not copied
        int status = 0; // 0: a failed token check, else the answer's status
    };
    static constexpr std::size_t MaxPendingSignals = 200'000;
    // Any thread; the caller owns what it takes.
    std::vector<ScoreSignal> takeScoreSignals();
    quint64 scoreSignalsDropped() const { return m_signalsDropped.load(std::memory_order_relaxed); }

    // Stops handing out events (the module's stop(): the controller is about to go). Any thread.
    void stopRaising() { m_raising.store(false, std::memory_order_release); }
    void setMode(DefenseMode mode) { m_mode.store(int(mode), std::memory_order_relaxed); }
    // The isolations in effect: address text -> until (ms since epoch).
    void setIsolations(const QHash<QString, qint64> &untilBySource);

    // Requests refused so far, for /metrics. Any thread.
    quint64 refusedRateLimited() const { return m_refused429.load(std::memory_order_relaxed); }
    quint64 refusedIsolated() const { return m_refusedIsolated.load(std::memory_order_relaxed); }
    quint64 refusedLockdown() const { return m_refusedLockdown.load(std::memory_order_relaxed); }

    static bool isProbePath(const QString &path);

private:
    static constexpr int Buckets = 60;
    // A count over a sliding window of `Buckets` slices: O(1) per hit, exact to one slice.
    struct Window
    {
        std::array<quint32, Buckets> slices {};
        qint64 headSlice = 0; // the slice index (time / sliceMs) of the newest bucket
        qint64 total = 0;
        void advance(qint64 slice);
    };
    struct SourceState
    {
        Window requests;
        Window tokenFailures;
        bool warned = false; // this burst raised its warning already
        bool limited = false; // this burst raised its rate-limit event already
        qint64 lastSeenMs = 0;
    };

    SourceState &stateOf(const SourceKey &key, qint64 now);
    int retryAfterSeconds(const Window &w, qint64 now) const;
    void emitEvent(const char *type, ThreatSeverity severity, const SourceKey &key,
        const QString &evidence, qint64 now);

    const ApiGuardRules m_rules;
    const SourceMatcher m_ignore;
    const qint64 m_sliceMs;
    const qint64 m_tokenSliceMs;
    Clock *const m_clock;
    const RaiseFn m_raise;
    std::unordered_map<SourceKey, SourceState, SourceKeyHash> m_sources; // API thread only
    qint64 m_lastSweepMs = 0;

    std::atomic<bool> m_raising { true };
    std::atomic<int> m_mode { int(DefenseMode::Normal) };
    std::atomic<bool> m_anyIsolated { false };
    mutable QMutex m_isolationMutex;
    std::unordered_map<SourceKey, qint64, SourceKeyHash> m_isolatedUntil;

    void pushSignal(const SourceKey &key, const QString &path, int status);
    QMutex m_signalMutex;
    std::vector<ScoreSignal> m_signals;
    std::atomic<quint64> m_signalsDropped { 0 };

    std::atomic<quint64> m_refused429 { 0 };
    std::atomic<quint64> m_refusedIsolated { 0 };
    std::atomic<quint64> m_refusedLockdown { 0 };
};

} // namespace Shivx
