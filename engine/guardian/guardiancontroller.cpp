#include "guardian/guardiancontroller.h"

#include "audit/auditsink.h"
#include "core/clock.h"
#include "core/timeutil.h"
#include "guardian/detectors/logwatcher.h"
#include "guardian/guardianapiguard.h"
#include "guardian/sourcematcher.h"
#include "guardian/threatstore.h"
#include "health/hostsample.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QTimer>

#include <cmath>

Q_LOGGING_CATEGORY(lcGuardian, "shivx.guardian")

namespace Shivx {

namespace {

constexpr int TickMs = 1000;
constexpr qint64 PruneEveryMs = 3'600'000;
constexpr int MaxReason = 500;

// The address in the form the guard and the table use ("::ffff:10.0.0.1" -> "10.0.0.1").
std::optional<QString> normalizedAddress(const QString &text)
{
    const QHostAddress a(text.trimmed());
    if (a.isNull())
        return std::nullopt;
    return SourceKey::of(a).toString();
}

} // namespace

GuardianController::GuardianController(const GuardianConfig &config, const QString &dbPath,
    Clock *clock, AuditSink *audit, std::shared_ptr<GuardianApiGuard> guard, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_dbPath(dbPath)
    , m_clock(clock)
    , m_audit(audit)
    , m_guard(std::move(guard))
    , m_ignore(config.api.ignore)
    , m_score({}, clock)
    , m_abuse(config.resourceAbuse)
    , m_machine(config.mode, clock)
{
    publish();
}

GuardianController::~GuardianController() = default;

std::shared_ptr<const GuardianSnapshot> GuardianController::snapshotPtr() const
{
    QMutexLocker l(&m_mutex);
    return m_snapshot;
}

void GuardianController::storeFailed(const Error &error)
{
    qCWarning(lcGuardian, "%s", qPrintable(error.toString()));
    if (m_audit)
        m_audit->record({ AuditStreams::security(), QStringLiteral("engine"),
            QStringLiteral("guardian.storage_failed"),
            { { QStringLiteral("error"), error.toString() } }, 0 });
}

void GuardianController::start()
{
    auto store
        = ThreatStore::open(m_dbPath, QStringLiteral("guardian-%1").arg(quintptr(this), 0, 16));
    if (!store) {
        storeFailed(store.error());
    } else {
        m_store = std::move(*store);
        if (const auto mode = m_store->loadMode(); !mode) {
            storeFailed(mode.error());
        } else if (mode->has_value()) {
            const ThreatStore::StoredMode &m = **mode;
            m_machine.restore(m.mode, m.floor, m.reason, m.actor, m.changedMs);
        }
        const qint64 now = m_clock->nowMs();
        if (auto isolations = m_store->loadIsolations(); !isolations) {
            storeFailed(isolations.error());
        } else {
            for (const Isolation &i : std::as_const(*isolations)) {
                if (i.untilMs > now)
                    m_isolations.append(i);
                else if (auto r = m_store->removeIsolation(i.source); !r)
                    storeFailed(r.error());
            }
        }
    }
    if (m_guard)
        m_guard->setMode(m_machine.mode());
    pushIsolationsToGuard();
    m_tick = new QTimer(this);
    m_tick->setInterval(TickMs);
    connect(m_tick, &QTimer::timeout, this, &GuardianController::tick);
    m_tick->start();
    publish();
}

void GuardianController::stop()
{
    if (m_tick)
        m_tick->stop();
    for (QProcess *p : std::as_const(m_commands)) {
        p->disconnect(this);
        p->kill();
        p->waitForFinished(2000);
        p->deleteLater();
    }
    m_commands.clear();
    m_store.reset();
}

void GuardianController::publish()
{
    auto s = std::make_shared<GuardianSnapshot>(m_counters);
    s->running = m_tick != nullptr;
    s->mode = m_machine.mode();
    s->floor = m_machine.floor();
    s->reason = m_machine.reason();
    s->actor = m_machine.actor();
    s->changedMs = m_machine.changedMs();
    s->nextStepDownMs = m_machine.nextStepDownMs();
    s->isolations = m_isolations;
    std::sort(s->isolations.begin(), s->isolations.end(),
        [](const Isolation &a, const Isolation &b) { return a.untilMs < b.untilMs; });
    {
        QMutexLocker l(&m_mutex);
        m_snapshot = s;
    }
    Q_EMIT snapshotChanged(*s);
}

void GuardianController::raise(ThreatEvent event)
{
    if (event.tsMs == 0)
        event.tsMs = m_clock->nowMs();
    // The event carries its source's score as of now, with the API's latest requests in it.
    takeApiSignals();
    QJsonObject features;
    if (!event.source.isEmpty()) {
        const ThreatAssessment a = m_score.assess(event.source);
        event.score = qMax(event.score, int(std::lround(a.score)));
        for (const ThreatFeature &f : a.features)
            if (f.points > 0)
                features.insert(f.name, std::round(f.points * 10) / 10);
    }
    event.score = qBound(0, event.score, 100);
    switch (event.severity) {
    case ThreatSeverity::Info:
        ++m_counters.eventsInfo;
        break;
    case ThreatSeverity::Warning:
        ++m_counters.eventsWarning;
        break;
    case ThreatSeverity::Critical:
        ++m_counters.eventsCritical;
        break;
    }
    ThreatRecord record { 0, event.type, event.severity, event.source, event.evidence, event.score,
        1, event.tsMs, event.tsMs };
    bool audit = true;
    if (m_store) {
        if (auto r = m_store->record(event, m_config.aggregateWindowMs); !r) {
            storeFailed(r.error());
        } else {
            record = r->record;
            // Repeats are counted in the row, not written to the chain one by one.
            audit = r->newRow || r->severityRaised;
        }
    }
    if (audit && m_audit)
        m_audit->record(
            { AuditStreams::security(), QStringLiteral("engine"), QStringLiteral("guardian.threat"),
                { { QStringLiteral("type"), event.type },
                    { QStringLiteral("severity"), toString(event.severity) },
                    { QStringLiteral("source"), event.source },
                    { QStringLiteral("evidence"), event.evidence },
                    { QStringLiteral("score"), event.score },
                    { QStringLiteral("score_features"), features },
                    { QStringLiteral("count"), record.count } },
                event.tsMs });
    Q_EMIT threatRecorded(record);
    if (const auto c = m_machine.observe(event))
        applyModeChange(*c);
    applyPolicies(event);
    publish();
}

void GuardianController::applyModeChange(const ModeChange &c)
{
    ++m_counters.modeChanges;
    if (m_store) {
        if (auto r
            = m_store->saveMode({ m_machine.mode(), m_machine.floor(), c.reason, c.actor, c.tsMs });
            !r)
            storeFailed(r.error());
    }
    if (m_audit)
        m_audit->record(
            { AuditStreams::security(), c.actor, QStringLiteral("guardian.mode_changed"),
                { { QStringLiteral("from"), toString(c.from) },
                    { QStringLiteral("to"), toString(c.to) },
                    { QStringLiteral("reason"), c.reason.text },
                    { QStringLiteral("code"), c.reason.code } },
                c.tsMs });
    qCInfo(lcGuardian, "defense mode %s -> %s: %s", qPrintable(toString(c.from)),
        qPrintable(toString(c.to)), qPrintable(c.reason.text));
    if (m_guard)
        m_guard->setMode(c.to);
    Q_EMIT modeChanged(c.to, c.reason);
}

std::optional<QString> GuardianController::isolatable(const QString &source) const
{
    const auto address = normalizedAddress(source);
    // The ignore list protects its sources from being shut out, as fail2ban's ignoreip.
    if (!address || m_ignore.contains(SourceKey::of(QHostAddress(*address))))
        return std::nullopt;
    return address;
}

void GuardianController::applyPolicies(const ThreatEvent &event)
{
    const auto address = isolatable(event.source);
    for (const GuardianPolicy &p : m_config.policies) {
        if (p.type != QLatin1String("*") && p.type != event.type)
            continue;
        if (event.severity < p.minSeverity)
            continue;
        if (p.notify)
            Q_EMIT notifyRequested(event);
        if (p.raiseMode) {
            const auto c = m_machine.raiseTo(*p.raiseMode,
                makeMessage("guardian.mode.policy", { event.type, event.source },
                    QStringLiteral("policy for %1 from %2").arg(event.type, event.source)));
            if (c)
                applyModeChange(*c);
        }
        if (!address)
            continue;
        bool isolatedNow = false;
        if (p.isolateMs > 0) {
            const qint64 now = m_clock->nowMs();
            isolatedNow = addIsolation({ *address, now, now + p.isolateMs,
                QStringLiteral("%1: %2").arg(event.type, event.evidence).left(MaxReason),
                QStringLiteral("engine") });
        }
        // The command runs once per isolation (or per event when the policy isolates not).
        if (!p.command.isEmpty() && (p.isolateMs == 0 || isolatedNow))
            runCommand(p, *address, p.isolateMs);
    }
}

bool GuardianController::addIsolation(const Isolation &isolation)
{
    for (Isolation &i : m_isolations) {
        if (i.source != isolation.source)
            continue;
        if (i.untilMs >= isolation.untilMs)
            return false;
        i.untilMs = isolation.untilMs; // an operator or policy extends it
        i.reason = isolation.reason;
        i.actor = isolation.actor;
        if (m_store)
            if (auto r = m_store->saveIsolation(i); !r)
                storeFailed(r.error());
        pushIsolationsToGuard();
        return true;
    }
    m_isolations.append(isolation);
    ++m_counters.isolationsTotal;
    if (m_store)
        if (auto r = m_store->saveIsolation(isolation); !r)
            storeFailed(r.error());
    if (m_audit)
        m_audit->record(
            { AuditStreams::security(), isolation.actor, QStringLiteral("guardian.isolated"),
                { { QStringLiteral("source"), isolation.source },
                    { QStringLiteral("seconds"),
                        qint64((isolation.untilMs - isolation.sinceMs) / 1000) },
                    { QStringLiteral("reason"), isolation.reason } },
                isolation.sinceMs });
    pushIsolationsToGuard();
    return true;
}

void GuardianController::pushIsolationsToGuard()
{
    if (!m_guard)
        return;
    QHash<QString, qint64> until;
    for (const Isolation &i : std::as_const(m_isolations))
        until.insert(i.source, i.untilMs);
    m_guard->setIsolations(until);
}

void GuardianController::runCommand(
    const GuardianPolicy &policy, const QString &source, qint64 durationMs)
{
    // No shell: the program gets its arguments as they are, so an address (or anything a log
    // line put into a source) can never be read as shell syntax.
    QStringList args = policy.command.mid(1);
    args << source << QString::number(durationMs / 1000);
    const QStringList argv = QStringList { policy.command.first() } + args;
    auto *p = new QProcess(this);
    p->setProgram(policy.command.first());
    p->setArguments(args);
    p->setStandardInputFile(QProcess::nullDevice());
    p->setProcessChannelMode(QProcess::MergedChannels);
    m_commands.append(p);
    ++m_counters.commandsRun;
    auto finish = [this, p, argv](int exitCode, const QString &error) {
        if (!m_commands.removeOne(p))
            return;
        if (exitCode != 0)
            ++m_counters.commandsFailed;
        if (m_audit)
            m_audit->record({ AuditStreams::security(), QStringLiteral("engine"),
                QStringLiteral("guardian.command_ran"),
                { { QStringLiteral("argv"), QJsonArray::fromStringList(argv) },
                    { QStringLiteral("exit_code"), exitCode }, { QStringLiteral("error"), error },
                    { QStringLiteral("output"),
                        QString::fromUtf8(p->readAll().left(2000)).trimmed() } },
                0 });
        if (exitCode != 0)
            qCWarning(lcGuardian, "policy command %s ended with %d %s",
                qPrintable(argv.join(QLatin1Char(' '))), exitCode, qPrintable(error));
        p->deleteLater();
        Q_EMIT commandFinished(argv, exitCode);
        publish();
    };
    connect(p, &QProcess::finished, this, [p, finish](int code, QProcess::ExitStatus status) {
        finish(status == QProcess::NormalExit ? code : -1,
            status == QProcess::NormalExit ? QString() : p->errorString());
    });
    connect(p, &QProcess::errorOccurred, this, [p, finish](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            finish(-1, p->errorString());
    });
    QTimer::singleShot(policy.commandTimeoutMs, p, [p] { p->kill(); });
    p->start();
}

Result<GuardianSnapshot> GuardianController::setMode(
    DefenseMode mode, const QString &reason, const QString &actor)
{
    const QString why = reason.trimmed();
    if (why.isEmpty() || why.size() > MaxReason)
        return makeError("guardian.bad_reason",
            QStringLiteral("reason: give one of 1 to %1 characters").arg(MaxReason), { MaxReason });
    applyModeChange(m_machine.set(mode, why, actor));
    publish();
    return *snapshotPtr();
}

Result<Isolation> GuardianController::isolate(
    const QString &source, qint64 durationMs, const QString &reason, const QString &actor)
{
    const auto address = normalizedAddress(source);
    if (!address)
        return makeError("guardian.bad_source",
            QStringLiteral("source: \"%1\" is not an IPv4 or IPv6 address").arg(source.left(64)),
            { source.left(64) });
    if (durationMs < 1000 || durationMs > 366LL * 86'400'000)
        return makeError("guardian.bad_duration",
            QStringLiteral("for: isolate for 1 s to 366 d, not %1 ms").arg(durationMs),
            { durationMs });
    const QString why = reason.trimmed();
    if (why.isEmpty() || why.size() > MaxReason)
        return makeError("guardian.bad_reason",
            QStringLiteral("reason: give one of 1 to %1 characters").arg(MaxReason), { MaxReason });
    const qint64 now = m_clock->nowMs();
    Isolation i { *address, now, now + durationMs, why, actor };
    // An operator's isolation replaces whatever was there, shorter or longer.
    m_isolations.erase(std::remove_if(m_isolations.begin(), m_isolations.end(),
                           [&](const Isolation &o) { return o.source == i.source; }),
        m_isolations.end());
    addIsolation(i);
    publish();
    return i;
}

Result<GuardianSnapshot> GuardianController::release(const QString &source, const QString &actor)
{
    const auto address = normalizedAddress(source);
    if (!address)
        return makeError("guardian.bad_source",
            QStringLiteral("source: \"%1\" is not an IPv4 or IPv6 address").arg(source.left(64)),
            { source.left(64) });
    const auto it = std::find_if(m_isolations.begin(), m_isolations.end(),
        [&](const Isolation &i) { return i.source == *address; });
    if (it == m_isolations.end())
        return makeError("guardian.not_isolated",
            QStringLiteral("%1 is not isolated").arg(*address), { *address });
    m_isolations.erase(it);
    if (m_store)
        if (auto r = m_store->removeIsolation(*address); !r)
            storeFailed(r.error());
    if (m_audit)
        m_audit->record({ AuditStreams::security(), actor, QStringLiteral("guardian.released"),
            { { QStringLiteral("source"), *address },
                { QStringLiteral("why"), QStringLiteral("operator") } },
            0 });
    pushIsolationsToGuard();
    publish();
    return *snapshotPtr();
}

void GuardianController::takeApiSignals()
{
    if (!m_guard)
        return;
    for (const GuardianApiGuard::ScoreSignal &s : m_guard->takeScoreSignals()) {
        const QString source = s.source.toString();
        if (s.status == 0)
            m_score.recordAuthFailure(source);
        else
            m_score.recordRequest(source, QByteArrayView(s.path.toUtf8()), s.status);
    }
}

QList<ThreatAssessment> GuardianController::assess(const QStringList &sources)
{
    takeApiSignals();
    QList<ThreatAssessment> out;
    out.reserve(sources.size());
    for (const QString &s : sources)
        out.append(m_score.assess(s));
    return out;
}

void GuardianController::watcherMatched(const QString &watcher, const QString &source)
{
    m_score.recordWatcherHit(source, watcher);
}

void GuardianController::watcherHit(const WatcherHit &hit)
{
    const auto config = std::find_if(m_config.watchers.cbegin(), m_config.watchers.cend(),
        [&](const WatcherConfig &w) { return w.name == hit.watcher; });
    if (config == m_config.watchers.cend())
        return;
    const QString last
        = hit.evidence.isEmpty() ? QString() : QString::fromUtf8(hit.evidence.last()).trimmed();
    ThreatEvent e;
    e.type = QStringLiteral("watcher.") + hit.watcher;
    e.severity = parseThreatSeverity(config->severity).value_or(ThreatSeverity::Warning);
    e.source = hit.source;
    e.evidence = QStringLiteral("%1 matches within %2 in %3, the last: %4")
                     .arg(hit.count)
                     .arg(TimeUtil::formatDurationMs(hit.windowMs), config->file, last)
                     .left(MaxReason);
    e.tsMs = hit.timeMs;
    raise(e);
    if (config->action != QLatin1String("isolate"))
        return;
    if (const auto address = isolatable(hit.source)) {
        const qint64 now = m_clock->nowMs();
        if (addIsolation({ *address, now, now + config->isolateMs,
                QStringLiteral("%1: %2").arg(e.type, e.evidence).left(MaxReason),
                QStringLiteral("engine") }))
            publish();
    }
}

void GuardianController::hostSampled(const HostSample &sample)
{
    for (const ResourceAbuseEvent &a : m_abuse.update(ResourceReading::fromHostSample(sample))) {
        if (a.ended) {
            qCInfo(lcGuardian, "%s back at %.0f%% (limit %.0f%%)", qPrintable(toString(a.kind)),
                a.percent, a.limitPercent);
            continue;
        }
        const bool cpu = a.kind == ResourceKind::Cpu;
        QStringList top;
        for (const ProcessUsage &p : a.top)
            // One pass of arg(): a process may name itself "%2".
            top.append(QStringLiteral("%1 (%2) %3")
                           .arg(p.name, QString::number(p.pid),
                               cpu ? QStringLiteral("%1%").arg(p.cpuPercent, 0, 'f', 0)
                                   : QStringLiteral("%1 MiB").arg(
                                       double(p.rssBytes) / (1 << 20), 0, 'f', 0)));
        ThreatEvent e;
        e.type = QStringLiteral("resource.") + toString(a.kind);
        e.severity = ThreatSeverity::Warning;
        e.source = a.top.isEmpty() ? QString() : a.top.first().name;
        e.evidence = QStringLiteral("%1 at %2% for %3 (limit %4%); top: %5")
                         .arg(cpu ? QStringLiteral("CPU") : QStringLiteral("memory"))
                         .arg(a.percent, 0, 'f', 0)
                         .arg(TimeUtil::formatDurationMs(a.timeMs - a.sinceMs))
                         .arg(a.limitPercent, 0, 'f', 0)
                         .arg(top.join(QStringLiteral(", ")))
                         .left(MaxReason);
        e.tsMs = a.timeMs;
        raise(e);
    }
}

void GuardianController::tick()
{
    takeApiSignals();
    const qint64 now = m_clock->nowMs();
    bool changed = false;
    for (auto it = m_isolations.begin(); it != m_isolations.end();) {
        if (it->untilMs > now) {
            ++it;
            continue;
        }
        if (m_store)
            if (auto r = m_store->removeIsolation(it->source); !r)
                storeFailed(r.error());
        if (m_audit)
            m_audit->record({ AuditStreams::security(), QStringLiteral("engine"),
                QStringLiteral("guardian.released"),
                { { QStringLiteral("source"), it->source },
                    { QStringLiteral("why"), QStringLiteral("expired") } },
                0 });
        it = m_isolations.erase(it);
        changed = true;
    }
    if (changed)
        pushIsolationsToGuard();
    if (const auto c = m_machine.tick()) {
        applyModeChange(*c);
        changed = true;
    }
    if (m_store && now - m_lastPruneMs >= PruneEveryMs) {
        m_lastPruneMs = now;
        if (auto r = m_store->deleteOlderThan(now - m_config.retentionMs); !r)
            storeFailed(r.error());
    }
    if (changed)
        publish();
}

} // namespace Shivx
