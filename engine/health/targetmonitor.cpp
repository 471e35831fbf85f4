#include "health/targetmonitor.h"

#include "core/clock.h"
#include "health/curlmulti.h"
#include "health/probe.h"
#include "health/scrapeseries.h"
#include "health/targetstatemachine.h"
#include "recovery/breakerregistry.h"
#include "recovery/retrypolicy.h"

#include <QDeadlineTimer>
#include <QLoggingCategory>
#include <QMutexLocker>
#include <QTimer>

#include <algorithm>
#include <limits>
#include <memory>
#include <vector>

Q_LOGGING_CATEGORY(lcHealthScrape, "shivx.health.scrape")

namespace Shivx {

namespace {

constexpr int HeartbeatIntervalMs = 1000;
// Targets probe in step, as in Monit's cycle: each first probe lands on a multiple of this grid
// (or of the interval, if shorter) on the monotonic clock, so targets sharing an interval fire
// in one event-loop turn and their transfers share this thread's wake-ups. Spread over half a
// second, fifty targets at 1 s cost 30 % more CPU in this thread (bench/engine_cpu).
constexpr qint64 PhaseGridMs = 1000;
// Probe results that complete within this much of each other go out in one targetsUpdated.
// Each update is a queued event (and a wake-up) on the core and supervisor threads, and the
// core thread forwards it to the console: with fifty targets at 1 s, per-probe updates cost
// more CPU than the probes' own work. 100 ms is well under any probe interval worth having and
// far under what a person or a readiness probe can notice.
constexpr int UpdateBatchMs = 100;

int timerMs(qint64 ms)
{
    return int(qBound(qint64(1), ms, qint64(std::numeric_limits<int>::max())));
}

// Whether a reconfigured target would probe differently, so a probe in flight for the old
// spec is no longer worth waiting for.
bool sameProbe(const TargetSpec &a, const TargetSpec &b)
{
    return a.kind == b.kind && a.timeoutMs == b.timeoutMs && a.url == b.url
        && a.expectStatus == b.expectStatus && a.bodyContains == b.bodyContains
        && a.tlsVerify == b.tlsVerify && a.host == b.host && a.port == b.port
        && a.pidFile == b.pidFile && a.processName == b.processName && a.command == b.command
        && a.args == b.args;
}

// Whether a reconfigured `prometheus` target stores the same series, so that its admitted
// series (the cap) and histogram state carry over.
bool sameScrape(const TargetSpec &a, const TargetSpec &b)
{
    return a.kind == b.kind && a.url == b.url && a.maxSeries == b.maxSeries
        && a.metricPatterns == b.metricPatterns;
}

} // namespace

struct TargetMonitor::Private
{
    struct Entry
    {
        TargetStateMachine machine;
        QTimer *timer = nullptr;
        Probe *probe = nullptr;
        // Recovery: the breaker every attempt passes, and the retries of one check.
        std::shared_ptr<CircuitBreaker> breaker;
        RetryPolicy retry;
        int attempt = 0; // of the check in progress; 0 = none
        QTimer *retryTimer = nullptr;
        qint64 ignoreUntilMs = 0; // results before this are dropped (see resetTarget)
        bool unsent = false; // its latest result is in the snapshot but not yet in an update
        // The last finished probe, deleted when the next one starts: deleteLater() would cost
        // a posted event and an extra event-loop turn per probe.
        Probe *spent = nullptr;
        // prometheus: the target's stored series and the cap (null for other kinds), and
        // whether the log already said that the cap drops series.
        std::unique_ptr<ScrapeSeries> scrape;
        bool capLogged = false;
    };

    TargetMonitor *q = nullptr;
    Clock *clock = nullptr;
    // unique_ptr so that Entry addresses stay valid for the lambdas that capture them.
    std::vector<std::unique_ptr<Entry>> entries;
    QTimer *heartbeat = nullptr;
    QTimer *updateTimer = nullptr; // single shot: sends the batched targetsUpdated
    // The HTTP probes' transfers; one for every target, since HTTP probes share no connection
    // (see HttpProbe), whatever their tls_verify.
    CurlMulti *http = nullptr;
    BreakerRegistry *breakers = nullptr;
    bool running = false;
    QList<TargetStatus> published; // guarded by TargetMonitor::m_mutex
    // The last successful scrape's series per `prometheus` target; guarded by m_mutex.
    QHash<QString, QList<FamilySnapshot>> scrapedFamilies;
    MetricFamily *scrapeSeries = nullptr;
    MetricFamily *scrapeDropped = nullptr;
    MetricFamily *scrapeDroppedTotal = nullptr;

    CurlMulti *httpTransfers();
    void arm(Entry *entry);
    void tick(Entry *entry);
    void startAttempt(Entry *entry);
    void cancelProbe(Entry *entry);
    static void dropSpentLater(Entry *entry);
    void onProbeFinished(Entry *entry, Probe *probe, const ProbeResult &result);
    void report(Entry *entry, const TargetStateMachine::Transition &transition);
    void sendUpdate();
    void configureRecovery(Entry *entry);
    void configureScrape(Entry *entry, const TargetSpec &previous, bool kept);
    void takeScrape(Entry *entry, const ProbeResult &result);
    void forgetScrape(const QString &name);
    QList<TargetStatus> statuses() const;
    void publish(const QList<TargetStatus> &list);
};

CurlMulti *TargetMonitor::Private::httpTransfers()
{
    // Created on first use, which is on the monitor thread: its socket notifiers and timer
    // must live where the transfers are driven.
    if (!http)
        http = new CurlMulti(q);
    return http;
}

void TargetMonitor::Private::arm(Entry *entry)
{
    if (!entry->timer) {
        entry->timer = new QTimer(q);
        QObject::connect(entry->timer, &QTimer::timeout, q, [this, entry] { tick(entry); });
    }
    const qint64 interval = qMax<qint64>(1, entry->machine.spec().intervalMs);
    const qint64 grid = qMin(interval, PhaseGridMs);
    const qint64 now = QDeadlineTimer::current(Qt::PreciseTimer).deadline();
    // The first tick comes within a grid step; tick() then switches the timer to the interval.
    entry->timer->start(int(grid - now % grid));
}

void TargetMonitor::Private::tick(Entry *entry)
{
    const TargetSpec &spec = entry->machine.spec();
    const int interval = timerMs(spec.intervalMs);
    if (entry->timer->interval() != interval)
        entry->timer->setInterval(interval);
    // A probe that outlives its interval (timeout > interval), or a check still retrying, is
    // not started twice.
    if (entry->probe || entry->attempt > 0 || !running)
        return;
    entry->attempt = 1;
    startAttempt(entry);
}

void TargetMonitor::Private::startAttempt(Entry *entry)
{
    const TargetSpec &spec = entry->machine.spec();
    if (entry->breaker && !entry->breaker->tryAcquire()) {
        // Not sent: the breaker protects the target (and us) from calls known to fail.
        entry->attempt = 0;
        report(entry, entry->machine.applyRejected(clock->nowMs()));
        return;
    }
    // From a timer, never from the spent probe's own finished() emission.
    delete entry->spent;
    entry->spent = nullptr;
    Probe *probe = Probe::create(spec, clock,
        spec.kind == TargetKind::Http || spec.kind == TargetKind::Prometheus ? httpTransfers()
                                                                             : nullptr,
        q);
    entry->probe = probe;
    QObject::connect(probe, &Probe::finished, q,
        [this, entry, probe](const ProbeResult &r) { onProbeFinished(entry, probe, r); });
    probe->start();
}

void TargetMonitor::Private::cancelProbe(Entry *entry)
{
    entry->attempt = 0;
    if (entry->retryTimer)
        entry->retryTimer->stop();
    Probe *probe = entry->probe;
    if (!probe)
        return;
    entry->probe = nullptr;
    if (entry->breaker)
        entry->breaker->release();
    QObject::disconnect(probe, nullptr, q, nullptr);
    probe->cancel();
    // Later: cancelProbe may run from a slot invoked while the probe is on the call stack.
    probe->deleteLater();
}

void TargetMonitor::Private::dropSpentLater(Entry *entry)
{
    // Later: this may run from a slot that the spent probe's finished() reached.
    if (entry->spent)
        entry->spent->deleteLater();
    entry->spent = nullptr;
}

void TargetMonitor::Private::onProbeFinished(Entry *entry, Probe *probe, const ProbeResult &result)
{
    if (entry->probe != probe)
        return; // stale: the target was reconfigured while this probe ran
    entry->probe = nullptr;
    if (entry->spent)
        entry->spent->deleteLater(); // not expected: a probe started since the last one ended
    entry->spent = probe;
    if (clock->nowMs() < entry->ignoreUntilMs) {
        // Startup grace of a restarted process: the result says nothing about the new process.
        // End the check (so the next tick probes again) and give back the breaker's slot.
        entry->attempt = 0;
        if (entry->breaker)
            entry->breaker->release();
        return;
    }

    if (entry->breaker) {
        if (result.ok)
            entry->breaker->recordSuccess();
        else
            entry->breaker->recordFailure();
    }
    if (!result.ok && running && entry->retry.shouldRetry(entry->attempt)) {
        entry->attempt += 1;
        if (!entry->retryTimer) {
            entry->retryTimer = new QTimer(q);
            entry->retryTimer->setSingleShot(true);
            QObject::connect(entry->retryTimer, &QTimer::timeout, q, [this, entry] {
                if (entry->attempt > 0 && !entry->probe && running)
                    startAttempt(entry);
            });
        }
        entry->retryTimer->start(timerMs(entry->retry.delayBeforeAttempt(entry->attempt)));
        return;
    }
    entry->attempt = 0;
    takeScrape(entry, result);
    report(entry, entry->machine.apply(result));
}

void TargetMonitor::Private::takeScrape(Entry *entry, const ProbeResult &result)
{
    if (!entry->scrape)
        return;
    const QString &name = entry->machine.spec().name;
    if (!result.ok || !result.scraped) {
        forgetScrape(name);
        return;
    }
    ScrapeOutcome outcome = entry->scrape->convert(*result.scraped, result.finishedAtMs);
    {
        QMutexLocker lock(&q->m_mutex);
        scrapedFamilies.insert(name, outcome.families);
    }
    if (scrapeSeries) {
        scrapeSeries->gauge({ name }).set(outcome.series);
        scrapeDropped->gauge({ name }).set(outcome.dropped);
        scrapeDroppedTotal->counter({ name }).inc(outcome.dropped);
    }
    if (outcome.dropped > 0 && !entry->capLogged) {
        // Once per target (and configuration): every scrape would say the same.
        entry->capLogged = true;
        qCWarning(lcHealthScrape).noquote() << QStringLiteral(
            "target %1: the scrape has %2 series over max_series %3; the first "
            "%3 are stored, the rest dropped (shivx_target_scrape_samples_dropped_total)")
                                                   .arg(name)
                                                   .arg(outcome.dropped)
                                                   .arg(entry->machine.spec().maxSeries);
    }
    if (!outcome.points.isEmpty())
        Q_EMIT q->scraped(name, outcome.points);
}

void TargetMonitor::Private::forgetScrape(const QString &name)
{
    QMutexLocker lock(&q->m_mutex);
    scrapedFamilies.remove(name);
}

void TargetMonitor::Private::configureScrape(Entry *entry, const TargetSpec &previous, bool kept)
{
    const TargetSpec &spec = entry->machine.spec();
    if (spec.kind != TargetKind::Prometheus) {
        entry->scrape.reset();
        forgetScrape(spec.name);
        return;
    }
    if (kept && entry->scrape && sameScrape(previous, spec))
        return;
    entry->scrape = std::make_unique<ScrapeSeries>(spec.name, spec.maxSeries, spec.metricPatterns);
    entry->capLogged = false;
    forgetScrape(spec.name);
}

void TargetMonitor::Private::report(Entry *entry, const TargetStateMachine::Transition &transition)
{
    // Every result reaches the listeners (the aggregator records each probe into history, the
    // supervisor counts failures): a target's previous result goes out before this one
    // replaces it in the snapshot.
    if (entry->unsent)
        sendUpdate();
    // The snapshot is current at once; only the signal is batched.
    {
        QMutexLocker lock(&q->m_mutex);
        for (size_t i = 0; i < entries.size(); ++i) {
            if (entries[i].get() == entry && qsizetype(i) < published.size()) {
                published[qsizetype(i)] = entry->machine.status();
                break;
            }
        }
    }
    if (transition.changed) {
        // Rare, and listeners of the transition may read the list: both go out now.
        Q_EMIT q->targetTransitioned(
            entry->machine.spec().name, transition.from, transition.to, transition.reason);
        sendUpdate();
        return;
    }
    entry->unsent = true;
    if (!updateTimer) {
        updateTimer = new QTimer(q);
        updateTimer->setSingleShot(true);
        QObject::connect(updateTimer, &QTimer::timeout, q, [this] { sendUpdate(); });
    }
    if (!updateTimer->isActive())
        updateTimer->start(UpdateBatchMs);
}

void TargetMonitor::Private::sendUpdate()
{
    if (updateTimer)
        updateTimer->stop();
    for (auto &entry : entries)
        entry->unsent = false;
    QList<TargetStatus> list;
    {
        QMutexLocker lock(&q->m_mutex);
        list = published;
    }
    Q_EMIT q->targetsUpdated(list);
}

QList<TargetStatus> TargetMonitor::Private::statuses() const
{
    QList<TargetStatus> list;
    list.reserve(qsizetype(entries.size()));
    for (const auto &entry : entries)
        list.append(entry->machine.status());
    return list;
}

void TargetMonitor::Private::configureRecovery(Entry *entry)
{
    const TargetSpec &spec = entry->machine.spec();
    entry->retry = RetryPolicy(spec.retry);
    if (breakers)
        entry->breaker = breakers->configure(spec.name, spec.breaker);
}

void TargetMonitor::Private::publish(const QList<TargetStatus> &list)
{
    QMutexLocker lock(&q->m_mutex);
    published = list;
}

TargetMonitor::TargetMonitor(Clock *clock, QObject *parent)
    : QObject(parent)
    , d(new Private)
{
    d->q = this;
    d->clock = clock ? clock : Clock::system();
    // For queued connections and invokeMethod by name across threads.
    qRegisterMetaType<Shivx::TargetStatus>();
    qRegisterMetaType<QList<Shivx::TargetStatus>>();
    QMetaType::fromType<Shivx::TargetState>().id();
    QMetaType::fromType<Shivx::TargetSpec>().id();
    QMetaType::fromType<QList<Shivx::TargetSpec>>().id();
}

TargetMonitor::~TargetMonitor()
{
    stop();
    delete d;
}

void TargetMonitor::setBreakers(BreakerRegistry *registry)
{
    d->breakers = registry;
}

void TargetMonitor::setMetrics(MetricRegistry *registry)
{
    const QStringList target { QStringLiteral("target") };
    d->scrapeSeries = registry->gauge(QStringLiteral("shivx_target_scrape_series"),
        QStringLiteral("Series the last scrape of a prometheus target stored."), target);
    d->scrapeDropped = registry->gauge(QStringLiteral("shivx_target_scrape_series_dropped"),
        QStringLiteral("Series of the last scrape of a prometheus target over its max_series, "
                       "not stored."),
        target);
    d->scrapeDroppedTotal = registry->counter(
        QStringLiteral("shivx_target_scrape_samples_dropped_total"),
        QStringLiteral("Samples of prometheus targets not stored because of max_series."), target);
    if (!d->scrapeSeries || !d->scrapeDropped || !d->scrapeDroppedTotal)
        d->scrapeSeries = d->scrapeDropped = d->scrapeDroppedTotal = nullptr;
}

QList<FamilySnapshot> TargetMonitor::scrapedFamilies() const
{
    QMutexLocker lock(&m_mutex);
    QList<FamilySnapshot> out;
    for (const TargetStatus &t : std::as_const(d->published))
        out += d->scrapedFamilies.value(t.name);
    return out;
}

QList<TargetStatus> TargetMonitor::snapshot() const
{
    QMutexLocker lock(&m_mutex);
    return d->published;
}

void TargetMonitor::setTargets(const QList<Shivx::TargetSpec> &targets)
{
    std::vector<std::unique_ptr<Private::Entry>> next;
    next.reserve(size_t(targets.size()));
    for (const TargetSpec &spec : targets) {
        auto found = std::find_if(d->entries.begin(), d->entries.end(),
            [&](const auto &e) { return e && e->machine.spec().name == spec.name; });
        if (found != d->entries.end()) {
            std::unique_ptr<Private::Entry> entry = std::move(*found);
            const bool sameCheck = sameProbe(entry->machine.spec(), spec);
            const bool sameInterval = entry->machine.spec().intervalMs == spec.intervalMs;
            const TargetSpec previous = entry->machine.spec();
            entry->machine.setSpec(spec);
            d->configureRecovery(entry.get());
            d->configureScrape(entry.get(), previous, true);
            if (!sameCheck)
                d->cancelProbe(entry.get());
            if (d->running && (!sameCheck || !sameInterval))
                d->arm(entry.get());
            next.push_back(std::move(entry));
        } else {
            auto entry = std::make_unique<Private::Entry>();
            entry->machine.setSpec(spec);
            d->configureRecovery(entry.get());
            d->configureScrape(entry.get(), spec, false);
            if (d->running)
                d->arm(entry.get());
            next.push_back(std::move(entry));
        }
    }
    for (auto &gone : d->entries) {
        if (!gone)
            continue;
        d->cancelProbe(gone.get());
        Private::dropSpentLater(gone.get());
        if (d->breakers)
            d->breakers->remove(gone->machine.spec().name);
        d->forgetScrape(gone->machine.spec().name);
        delete gone->timer;
        delete gone->retryTimer;
    }
    d->entries = std::move(next);
    if (d->scrapeSeries) {
        QSet<QString> scraping;
        for (const auto &entry : d->entries)
            if (entry->scrape)
                scraping.insert(entry->machine.spec().name);
        const auto keep
            = [&](const QStringList &labels) { return scraping.contains(labels.value(0)); };
        d->scrapeSeries->retain(keep);
        d->scrapeDropped->retain(keep);
        d->scrapeDroppedTotal->retain(keep);
    }

    d->publish(d->statuses());
    d->sendUpdate();
}

void TargetMonitor::resetTarget(
    const QString &name, TargetState state, qint64 ignoreProbesUntilMs, const Message &reason)
{
    for (auto &entry : d->entries) {
        if (entry->machine.spec().name != name)
            continue;
        entry->ignoreUntilMs = ignoreProbesUntilMs;
        // A probe in flight was started against the old process.
        d->cancelProbe(entry.get());
        const auto transition = entry->machine.reset(state, d->clock->nowMs(), reason);
        d->publish(d->statuses());
        if (transition.changed)
            Q_EMIT targetTransitioned(name, transition.from, transition.to, transition.reason);
        d->sendUpdate();
    }
}

void TargetMonitor::start()
{
    if (d->running)
        return;
    d->running = true;
    m_heartbeatMs.store(d->clock->nowMs());
    if (!d->heartbeat) {
        d->heartbeat = new QTimer(this);
        d->heartbeat->setInterval(HeartbeatIntervalMs);
        connect(d->heartbeat, &QTimer::timeout, this,
            [this] { m_heartbeatMs.store(d->clock->nowMs()); });
    }
    d->heartbeat->start();
    for (auto &entry : d->entries)
        d->arm(entry.get());
}

void TargetMonitor::stop()
{
    d->running = false;
    if (d->heartbeat)
        d->heartbeat->stop();
    // Results already in the snapshot still reach the listeners.
    if (d->updateTimer && d->updateTimer->isActive())
        d->sendUpdate();
    for (auto &entry : d->entries) {
        if (entry->timer)
            entry->timer->stop();
        if (entry->retryTimer)
            entry->retryTimer->stop();
        entry->attempt = 0;
        Private::dropSpentLater(entry.get());
        Probe *probe = entry->probe;
        if (!probe)
            continue;
        entry->probe = nullptr;
        if (entry->breaker)
            entry->breaker->release();
        QObject::disconnect(probe, nullptr, this, nullptr);
        probe->cancel();
        // Deleted now rather than later: after stop() the thread may quit without running
        // deferred deletes, and transfers must go before their multi handle.
        delete probe;
    }
    // Closes every socket the probes left (stop() may run from the monitor's destructor on
    // the monitor thread, where the notifiers live).
    delete d->http;
    d->http = nullptr;
}

} // namespace Shivx
