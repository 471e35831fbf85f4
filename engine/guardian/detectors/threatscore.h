#pragma once

#include "core/message.h"

#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QSet>
#include <QString>

#include <deque>

namespace Shivx {

class Clock;

// One line of a threat score's explanation, as the health score's ScoreComponent: how many
// points a feature added and why.
struct ThreatFeature
{
    QString name; // "rate", "auth_failures", "distinct_paths", "error_ratio", "watchers"
    double points = 0;
    double maxPoints = 0;
    Message detail; // "120 requests in 1m, 12.0x the public baseline of 10.0"
};

// A source's 0-100 threat score with its explanation: `score` is the sum of the features'
// points, each between 0 and its maxPoints (the maxima sum to 100).
struct ThreatAssessment
{
    QString source;
    QString sourceClass; // "loopback", "private", "public", "name"
    qint64 timestampMs = 0;
    double score = 0;
    QList<ThreatFeature> features;

    // Points the named feature added, or -1 when there is no such feature.
    double pointsOf(const QString &name) const
    {
        for (const auto &f : features)
            if (f.name == name)
                return f.points;
        return -1;
    }
};

// Points per feature and where each reaches its maximum. A feature adds nothing up to its
// start and rises linearly to its maximum at `...Full`.
struct ThreatScoreConfig
{
    // Requests, auth failures, paths and errors are counted over this window.
    qint64 windowMs = 60'000;
    // Watcher hits are rare and weigh longer.
    qint64 watcherWindowMs = 3'600'000;

    // Request rate against the source class's baseline (EWMA of the mean requests per active
    // source per window): nothing at or below the baseline, all at `rateRatioFull` times it.
    double rateMaxPoints = 30;
    double rateRatioFull = 10;
    double ewmaAlpha = 0.2; // weight of the newest window
    double minBaseline
        = 10; // requests per window: a quiet class does not make 3 requests look like a flood
    double authMaxPoints = 25;
    int authFailuresFull = 10;
    double pathsMaxPoints = 15;
    int distinctPathsStart = 10; // a page with its assets
    int distinctPathsFull = 100; // a scanner walking a word list
    double errorMaxPoints = 15;
    double errorRatioStart = 0.2;
    double errorRatioFull = 0.8;
    int errorMinRequests = 5; // fewer requests say nothing about a ratio
    double watcherMaxPoints = 15;
    int watcherHitsFull = 3;
};

// Explainable threat scores per source, from the signals the guardian feeds it: API requests
// (path and status), failed token checks, and watcher hits. No black box: every point is in a
// feature with its reason (docs: the features and their scales are ThreatScoreConfig's).
// Baselines are learned per source class, so that a busy private network does not make a
// public address look normal or the other way round.
// Memory: at most MaxSources sources and MaxEventsPerSource requests each (the oldest go).
// Not thread-safe: one owner (the guardian's thread). Times from `clock` (not owned).
class ThreatScore
{
public:
    static constexpr int MaxSources = 50'000;
    static constexpr int MaxEventsPerSource = 20'000;

    explicit ThreatScore(ThreatScoreConfig config = {}, Clock *clock = nullptr);

    // An HTTP request from `source`: `status` >= 400 counts as an error.
    void recordRequest(const QString &source, QByteArrayView path, int status);
    void recordAuthFailure(const QString &source);
    void recordWatcherHit(const QString &source, const QString &watcher);

    ThreatAssessment assess(const QString &source);
    // The learned baseline of a class in requests per window (before minBaseline applies),
    // or -1 while it has not seen a full window.
    double baseline(const QString &sourceClass);
    // "loopback" (127.0.0.0/8, ::1), "private" (RFC 1918, fc00::/7, link-local),
    // "public" (any other address), "name" (not an address).
    static QString sourceClass(const QString &source);
    int trackedSources() const { return int(m_sources.size()); }

private:
    struct Request
    {
        qint64 timeMs;
        size_t pathHash;
        bool error;
    };
    struct Signals
    {
        std::deque<Request> requests;
        std::deque<qint64> authFailures;
        std::deque<std::pair<qint64, QString>> watcherHits;
        qint64 lastSeenMs = 0;
    };
    struct ClassWindow
    {
        qint64 requests = 0;
        QSet<QString> sources;
    };
    Signals *signalsFor(const QString &source, qint64 now);
    void expire(Signals &s, qint64 now) const;
    void roll(qint64 now);

    ThreatScoreConfig m_config;
    Clock *m_clock;
    QHash<QString, Signals> m_sources;
    qint64 m_windowStartMs = -1;
    QHash<QString, ClassWindow> m_current;
    QHash<QString, double> m_baselines;
};

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::ThreatAssessment)
