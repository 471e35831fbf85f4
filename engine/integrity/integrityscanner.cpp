#include "integrity/integrityscanner.h"

#include "audit/auditsink.h"
#include "core/clock.h"
#include "integrity/baselineaudit.h"
#include "integrity/integritychecker.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTimer>

#include <algorithm>

Q_LOGGING_CATEGORY(lcIntegrity, "shivx.integrity")

namespace Shivx {

namespace {

// The share of the configured budget each degradation level leaves a scheduled scan
// (NORMAL .. LEVEL_3); EMERGENCY stops them.
constexpr double LevelFactor[] = { 1.0, 0.75, 0.5, 0.25, 0.0 };
constexpr int EmergencyLevel = 4;

} // namespace

IntegrityScanner::IntegrityScanner(
    IntegrityConfig config, QString dataDir, AuditSink *audit, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_dataDir(std::move(dataDir))
    , m_audit(audit)
    , m_clock(clock ? clock : Clock::system())
    , m_store(BaselineStore::pathIn(m_dataDir))
{
    applyBudget();
}

IntegrityScanner::~IntegrityScanner() = default;

void IntegrityScanner::start()
{
    const QByteArray audited = BaselineAudit::lastAuditedDigest(m_dataDir);
    {
        QMutexLocker lock(&m_mutex);
        if (m_trustedDigest.isEmpty())
            m_trustedDigest = audited;
    }
    verifiedBaseline();
    const auto arm = [this](QTimer *&timer, qint64 intervalMs, IntegrityMode mode) {
        if (intervalMs <= 0)
            return;
        timer = new QTimer(this);
        timer->setInterval(int(intervalMs));
        connect(timer, &QTimer::timeout, this, [this, mode] { scheduled(mode); });
        timer->start();
    };
    arm(m_fastTimer, m_config.fastIntervalMs, IntegrityMode::Fast);
    arm(m_fullTimer, m_config.fullIntervalMs, IntegrityMode::Full);
}

void IntegrityScanner::stop()
{
    for (QTimer *t : { m_fastTimer, m_fullTimer })
        if (t)
            t->stop();
    m_cancel.store(true);
}

bool IntegrityScanner::tryBegin()
{
    bool expected = false;
    if (!m_busy.compare_exchange_strong(expected, true))
        return false;
    m_cancel.store(false);
    return true;
}

bool IntegrityScanner::cancel(const QString &reason, const QString &actor)
{
    if (!m_busy.load())
        return false;
    {
        QMutexLocker lock(&m_mutex);
        m_cancelReason = reason;
        m_cancelActor = actor;
    }
    m_cancel.store(true);
    return true;
}

void IntegrityScanner::setDegradationLevel(int level)
{
    m_level.store(qBound(0, level, EmergencyLevel));
    applyBudget();
    if (level >= EmergencyLevel && m_runningScheduled.load())
        cancel(QStringLiteral("degradation level EMERGENCY stops scheduled scans"),
            QStringLiteral("engine"));
}

void IntegrityScanner::applyBudget()
{
    const double f = LevelFactor[qBound(0, m_level.load(), EmergencyLevel)];
    m_budget.cpuPercent.store(qMax(1, int(m_config.cpuPercent * f)));
    m_budget.readBytesPerSecond.store(m_config.readMiBPerSecond > 0
            ? qMax<qint64>(1, qint64(m_config.readMiBPerSecond * f * 1048576.0))
            : 0);
}

void IntegrityScanner::scheduled(IntegrityMode mode)
{
    if (m_level.load() >= EmergencyLevel)
        return;
    {
        QMutexLocker lock(&m_mutex);
        if (!m_status.exists)
            return; // nothing to compare against until an operator runs init
    }
    if (!tryBegin()) {
        // A full check is never skipped for being late: it runs after the current operation.
        if (mode == IntegrityMode::Full)
            m_fullPending = true;
        return;
    }
    if (mode == IntegrityMode::Full)
        m_fullPending = false;
    runCheck(mode, QStringLiteral("engine"), true);
}

void IntegrityScanner::beginProgress(const QString &operation, IntegrityMode mode, bool scheduled)
{
    m_hashProgress.filesDone.store(0);
    m_hashProgress.bytesDone.store(0);
    m_runningScheduled.store(scheduled);
    QMutexLocker lock(&m_mutex);
    m_cancelReason.clear();
    m_cancelActor.clear();
    m_progress = IntegrityProgress();
    m_progress.running = true;
    m_progress.operation = operation;
    m_progress.mode = mode;
    m_progress.scheduled = scheduled;
    m_progress.startedMs = m_clock->nowMs();
}

void IntegrityScanner::setPhase(const QString &phase, qint64 files, qint64 bytes)
{
    if (phase == QLatin1String("hashing"))
        m_hashClock.start();
    {
        QMutexLocker lock(&m_mutex);
        m_progress.phase = phase;
        if (phase == QLatin1String("hashing")) {
            m_progress.filesTotal = files;
            m_progress.bytesTotal = bytes;
        }
    }
    publishProgress();
}

void IntegrityScanner::publishProgress()
{
    IntegrityProgress p;
    {
        QMutexLocker lock(&m_mutex);
        if (m_progress.phase == QLatin1String("hashing")) {
            m_progress.filesDone = m_hashProgress.filesDone.load();
            m_progress.bytesDone = m_hashProgress.bytesDone.load();
            const qint64 elapsed = m_hashClock.isValid() ? m_hashClock.elapsed() : 0;
            // By bytes, since reading dominates; files stand in for an empty tree.
            const double done = m_progress.bytesTotal > 0
                ? double(m_progress.bytesDone) / double(m_progress.bytesTotal)
                : (m_progress.filesTotal > 0
                        ? double(m_progress.filesDone) / double(m_progress.filesTotal)
                        : 1.0);
            m_progress.etaMs = done > 0.01 ? qint64(elapsed * (1.0 - done) / done) : -1;
        }
        p = m_progress;
    }
    Q_EMIT progressChanged(p);
}

void IntegrityScanner::finish(IntegrityResult result)
{
    result.finishedMs = m_clock->nowMs();
    const int m = int(result.mode);
    auto shared = std::make_shared<const IntegrityResult>(result);
    const bool check = result.operation == QLatin1String("check");
    {
        QMutexLocker lock(&m_mutex);
        m_lastOperation = shared;
        if (check && result.outcome == IntegrityResult::Outcome::Ok)
            m_lastCheck = shared;
        if (check) {
            switch (result.outcome) {
            case IntegrityResult::Outcome::Ok:
                ++m_counters.checksOk[m];
                m_counters.lastDurationSeconds[m]
                    = double(result.finishedMs - result.startedMs) / 1000.0;
                m_counters.lastFinishedMs[m] = result.finishedMs;
                break;
            case IntegrityResult::Outcome::Cancelled:
                ++m_counters.checksCancelled[m];
                break;
            case IntegrityResult::Outcome::Failed:
                ++m_counters.checksFailed[m];
                break;
            }
        }
        m_counters.bytesHashed += result.bytesHashed;
        m_counters.filesHashed += result.filesHashed;
        m_progress.running = false;
        m_progress.etaMs = 0;
    }
    if (check && m_audit) {
        QJsonObject data { { QStringLiteral("mode"), toString(result.mode) },
            { QStringLiteral("outcome"), toString(result.outcome) },
            { QStringLiteral("scheduled"), result.scheduled ? 1 : 0 },
            { QStringLiteral("files"), result.filesChecked },
            { QStringLiteral("hashed"), result.filesHashed },
            { QStringLiteral("added"), result.count(IntegrityDifference::Kind::Added) },
            { QStringLiteral("removed"), result.count(IntegrityDifference::Kind::Removed) },
            { QStringLiteral("changed"), result.count(IntegrityDifference::Kind::Changed) } };
        if (result.outcome != IntegrityResult::Outcome::Ok)
            data.insert(QStringLiteral("error"), result.error.code);
        if (!result.differences.isEmpty())
            data.insert(QStringLiteral("first"), result.differences.first().path);
        m_audit->record({ AuditStreams::security(), result.actor,
            QStringLiteral("integrity.check_finished"), data, 0 });
    }
    qCInfo(lcIntegrity).noquote() << result.operation << toString(result.mode)
                                  << toString(result.outcome) << result.differences.size()
                                  << "differences" << result.error.message;
    m_runningScheduled.store(false);
    m_busy.store(false);
    publishProgress();
    Q_EMIT finished(result);
    if (check || result.operation == QLatin1String("init"))
        Q_EMIT differencesChanged();
    if (m_fullPending)
        QTimer::singleShot(0, this, [this] { scheduled(IntegrityMode::Full); });
}

void IntegrityScanner::runInit(const QString &actor, const QString &reason)
{
    beginProgress(QStringLiteral("init"), IntegrityMode::Full, false);
    IntegrityResult r;
    r.operation = QStringLiteral("init");
    r.actor = actor;
    r.startedMs = m_clock->nowMs();
    const OwnFiles own = OwnFiles::ofDataDir(m_dataDir);
    IntegrityChecker::Options o;
    o.own = &own;
    o.threads = m_config.threads;
    o.cancel = &m_cancel;
    o.progress = &m_hashProgress;
    o.phase = [this](const QString &p, qint64 f, qint64 b) { setPhase(p, f, b); };
    o.tick = [this] { publishProgress(); };
    QList<FileState> files = IntegrityChecker::scan(m_config.sets, o, &r);
    if (m_cancel.load()) {
        QMutexLocker lock(&m_mutex);
        r.outcome = IntegrityResult::Outcome::Cancelled;
        r.error = makeError("integrity.cancelled",
            m_cancelReason.isEmpty() ? QStringLiteral("cancelled") : m_cancelReason);
    } else {
        setPhase(QStringLiteral("writing"), 0, 0);
        Baseline b;
        for (FileState &f : files)
            b.files.insert(f.path, std::move(f));
        b.createdMs = b.updatedMs = m_clock->nowMs();
        const auto digest = writeBaseline(b, QStringLiteral("init"), actor, reason, b.files.size());
        if (!digest) {
            r.outcome = IntegrityResult::Outcome::Failed;
            r.error = digest.error();
        } else {
            r.baselineDigest = *digest;
            QMutexLocker lock(&m_mutex);
            m_lastCheck.reset();
        }
    }
    finish(r);
}

void IntegrityScanner::runCheck(IntegrityMode mode, const QString &actor, bool scheduled)
{
    beginProgress(QStringLiteral("check"), mode, scheduled);
    IntegrityResult r;
    r.operation = QStringLiteral("check");
    r.mode = mode;
    r.actor = actor;
    r.scheduled = scheduled;
    r.startedMs = m_clock->nowMs();
    // A scheduled check queued before the level reached EMERGENCY must not start after it
    // (its budget would be next to nothing, and EMERGENCY stops them).
    if (scheduled && m_level.load() >= EmergencyLevel) {
        r.outcome = IntegrityResult::Outcome::Cancelled;
        r.error = makeError("integrity.cancelled",
            QStringLiteral("degradation level EMERGENCY stops scheduled scans"),
            { QStringLiteral("engine") });
        finish(r);
        return;
    }
    setPhase(QStringLiteral("verifying"), 0, 0);
    const auto baseline = verifiedBaseline();
    if (!baseline) {
        r.outcome = IntegrityResult::Outcome::Failed;
        r.error = baseline.error();
        finish(r);
        return;
    }
    {
        QMutexLocker lock(&m_mutex);
        r.baselineDigest = m_baselineDigest;
    }
    const OwnFiles own = OwnFiles::ofDataDir(m_dataDir);
    IntegrityChecker::Options o;
    o.own = &own;
    o.mode = mode;
    o.threads = m_config.threads;
    o.budget = scheduled ? &m_budget : nullptr;
    o.cancel = &m_cancel;
    o.progress = &m_hashProgress;
    o.phase = [this](const QString &p, qint64 f, qint64 b) { setPhase(p, f, b); };
    o.tick = [this] { publishProgress(); };
    if (!IntegrityChecker::check(m_config.sets, **baseline, o, &r)) {
        QMutexLocker lock(&m_mutex);
        r.outcome = IntegrityResult::Outcome::Cancelled;
        r.error = makeError("integrity.cancelled",
            m_cancelReason.isEmpty() ? QStringLiteral("cancelled") : m_cancelReason,
            { m_cancelActor });
        r.differences.clear();
    }
    finish(r);
}

std::shared_ptr<const Baseline> IntegrityScanner::baseline() const
{
    QMutexLocker lock(&m_mutex);
    return m_status.verified ? m_baseline : nullptr;
}

IntegrityBaselineStatus IntegrityScanner::baselineStatus() const
{
    QMutexLocker lock(&m_mutex);
    return m_status;
}

std::shared_ptr<const IntegrityResult> IntegrityScanner::lastCheck() const
{
    QMutexLocker lock(&m_mutex);
    return m_lastCheck;
}

std::shared_ptr<const IntegrityResult> IntegrityScanner::lastOperation() const
{
    QMutexLocker lock(&m_mutex);
    return m_lastOperation;
}

IntegrityProgress IntegrityScanner::progress() const
{
    QMutexLocker lock(&m_mutex);
    return m_progress;
}

IntegrityCounters IntegrityScanner::counters() const
{
    QMutexLocker lock(&m_mutex);
    return m_counters;
}

} // namespace Shivx
