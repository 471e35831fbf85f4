// PostgresJobStore across a dropped connection (a server restart, a network cut): every write
// of the open batch is journaled; when a statement fails because the connection is gone, the
// store connects again, begins the batch again, replays the journal and retries the write, so
// that what the runner wrote before the drop reaches the database once it is back. While the
// server stays away, writes fail with pipeline.store (the runner logs them) and the batch's
// writes stay journaled for the next reconnect. docs/pipelines.md, "Several engines".

#include "pipelines/postgresjobstore.h"

#include "pipelines/jobstorerows.h"

#include <QLoggingCategory>
#include <QSqlDriver>
#include <QSqlError>

#include <limits>

Q_LOGGING_CATEGORY(lcPostgresStore, "shivx.pipelines.postgres")

namespace Shivx {

using namespace Internal;

template <class T> Result<T> PostgresJobStore::write(const std::function<Result<T>()> &op)
{
    if (m_lost && !m_replaying) {
        if (auto r = reconnect(); !r)
            return r.error();
    }
    Result<T> r = op();
    if (r.ok() || m_replaying || !connectionLost())
        return r;
    if (auto again = reconnect(); !again)
        return again.error();
    return op();
}

namespace {
const QString Channel = QStringLiteral("shivx_pipelines");
} // namespace

void PostgresJobStore::setChangeListener(std::function<void()> changed)
{
    m_changed = std::move(changed);
    watchNotifications();
}

void PostgresJobStore::watchNotifications()
{
    QSqlDriver *driver = m_db.driver();
    QObject::disconnect(driver, &QSqlDriver::notification, nullptr, nullptr);
    if (!m_changed || !m_db.isOpen())
        return;
    // The store outlives its driver's signals. After a reconnect this LISTENs on the new
    // connection, but Qt 6.4's QPSQL keeps watching the broken connection's socket: the
    // server's notifications then surface only with the store's next statement (the next
    // poll at the latest), as the poll alone would have found the changes.
    QObject::connect(driver, &QSqlDriver::notification, driver,
        [this](const QString &name, QSqlDriver::NotificationSource source, const QVariant &) {
            // The store's own commits: the runner knows what it wrote.
            if (name == Channel && source != QSqlDriver::SelfSource && m_changed)
                m_changed();
        });
    if (!driver->subscribeToNotification(Channel))
        qCWarning(lcPostgresStore).noquote()
            << "job store: cannot LISTEN for other engines' changes; polling only:"
            << driver->lastError().text();
}

bool PostgresJobStore::reconnectForRead()
{
    // Inside a replay the failure is the replay's to report.
    if (m_replaying || !connectionLost())
        return false;
    return reconnect().ok();
}

// Not journaled: a prune lost with its batch is done again at the next prune.
Result<QList<qint64>> PostgresJobStore::prune(
    const QString &pipeline, int keepRuns, qint64 createdBeforeMs)
{
    return write<QList<qint64>>([&] { return pruneOnce(pipeline, keepRuns, createdBeforeMs); });
}

void PostgresJobStore::journal(std::function<Result<void>()> replay)
{
    if (m_batchOpen && !m_replaying)
        m_journal.push_back(std::move(replay));
}

bool PostgresJobStore::connectionLost()
{
    if (!m_db.isOpen())
        return true;
    QSqlQuery probe(m_db);
    return !probe.exec(QStringLiteral("SELECT 1"));
}

Result<void> PostgresJobStore::reconnect()
{
    // Prepared statements and the control query belong to the old connection.
    clearPrepared();
    m_control.reset();
    m_db.close();
    if (!m_db.open()) {
        m_lost = true;
        return makeError("pipeline.store",
            QStringLiteral("job store: the connection to PostgreSQL was lost and cannot be "
                           "opened again: %1; %2 write(s) of the open batch are kept for when it "
                           "can")
                .arg(m_db.lastError().text().trimmed())
                .arg(m_journal.size()));
    }
    m_lost = false;
    watchNotifications();
    qCWarning(lcPostgresStore).noquote() << "job store: connected to PostgreSQL again; replaying"
                                         << m_journal.size() << "write(s) of the open batch";
    if (!m_batchOpen)
        return {};
    if (auto b = execControl(QStringLiteral("BEGIN")); !b)
        return b;
    m_replaying = true;
    for (const auto &replay : m_journal) {
        if (auto r = replay(); !r) {
            m_replaying = false;
            execControl(QStringLiteral("ROLLBACK"));
            return makeError("pipeline.store",
                QStringLiteral("job store: replaying the open batch after a reconnect: %1")
                    .arg(r.error().message));
        }
    }
    m_replaying = false;
    return {};
}

Result<void> PostgresJobStore::beginBatch()
{
    if (m_batchOpen)
        return {};
    m_batchOpen = true;
    // Writes kept from a batch whose COMMIT found no server go into this one first.
    if (!m_journal.empty() || m_lost)
        return reconnect();
    auto r = execControl(QStringLiteral("BEGIN"));
    if (!r && connectionLost())
        r = reconnect();
    m_batchOpen = r.ok();
    return r;
}

Result<void> PostgresJobStore::commitBatch()
{
    if (!m_batchOpen)
        return {};
    Result<void> r = m_lost ? reconnect() : Result<void>();
    if (r)
        r = execControl(QStringLiteral("COMMIT"));
    if (!r && connectionLost() && reconnect())
        r = execControl(QStringLiteral("COMMIT"));
    m_batchOpen = false;
    if (r || !m_lost) {
        if (!r)
            execControl(QStringLiteral("ROLLBACK")); // the connection stays usable
        m_journal.clear(); // committed, or refused by a server that is there
        return r;
    }
    return r; // the server is away: the journal waits for the next batch
}

namespace {
Result<void> done(const Result<qint64> &r)
{
    return r ? Result<void>() : Result<void>(r.error());
}
Result<void> done(const Result<bool> &r)
{
    return r ? Result<void>() : Result<void>(r.error());
}
Result<void> done(const Result<int> &r)
{
    return r ? Result<void>() : Result<void>(r.error());
}
} // namespace

Result<qint64> PostgresJobStore::createRun(const RunRecord &run, const QStringList &stages)
{
    auto r = write<qint64>([&] { return createRunOnce(run, stages); });
    if (r)
        journal([this, run, stages, id = *r] {
            m_replayId = id;
            const auto again = createRunOnce(run, stages);
            m_replayId = 0;
            return done(again);
        });
    return r;
}

Result<void> PostgresJobStore::updateRun(const RunRecord &run)
{
    auto r = write<void>([&] { return updateRunOnce(run); });
    if (r || m_lost)
        journal([this, run] { return updateRunOnce(run); });
    return r;
}

Result<bool> PostgresJobStore::activateRun(const RunRecord &run, int maxActive)
{
    auto r = write<bool>([&] { return activateRunOnce(run, maxActive); });
    if (r && *r)
        // Replayed as decided: the run is running here already.
        journal(
            [this, run] { return done(activateRunOnce(run, std::numeric_limits<int>::max())); });
    return r;
}

Result<bool> PostgresJobStore::finishRun(const RunRecord &run)
{
    auto r = write<bool>([&] { return finishRunOnce(run); });
    if (r)
        journal([this, run] { return done(finishRunOnce(run)); });
    return r;
}

Result<void> PostgresJobStore::updateStage(const StageRecord &stage)
{
    auto r = write<void>([&] { return updateStageOnce(stage); });
    if (r || m_lost)
        journal([this, stage] { return updateStageOnce(stage); });
    return r;
}

Result<qint64> PostgresJobStore::claimAttempt(
    const AttemptRecord &attempt, const StageRecord &stage, qint64 nowMs, const ClaimLimit &limit)
{
    auto r = write<qint64>([&] { return claimAttemptOnce(attempt, stage, nowMs, limit); });
    if (r)
        // Replayed with its checks: if another engine claimed the stage while this one was
        // cut off, the replay fails and so does the batch's COMMIT.
        journal([this, attempt, stage, nowMs, limit, id = *r] {
            m_replayId = id;
            const auto again = claimAttemptOnce(attempt, stage, nowMs, limit);
            m_replayId = 0;
            return done(again);
        });
    return r;
}

Result<void> PostgresJobStore::updateAttempt(const AttemptRecord &attempt)
{
    auto r = write<void>([&] { return updateAttemptOnce(attempt); });
    if (r || m_lost)
        journal([this, attempt] { return updateAttemptOnce(attempt); });
    return r;
}

Result<void> PostgresJobStore::finishAttempt(
    const AttemptRecord &attempt, const StageRecord &stage, const QList<ArtifactRecord> &artifacts)
{
    auto r = write<void>([&] { return finishAttemptOnce(attempt, stage, artifacts); });
    if (r || m_lost)
        journal([this, attempt, stage, artifacts] {
            return finishAttemptOnce(attempt, stage, artifacts);
        });
    return r;
}

Result<int> PostgresJobStore::renewLeases(const QString &owner, qint64 untilMs)
{
    auto r = write<int>([&] { return renewLeasesOnce(owner, untilMs); });
    if (r || m_lost)
        journal([this, owner, untilMs] { return done(renewLeasesOnce(owner, untilMs)); });
    return r;
}

Result<bool> PostgresJobStore::takeOverAttempt(
    qint64 attemptId, const QString &owner, qint64 nowMs, qint64 untilMs)
{
    auto r = write<bool>([&] { return takeOverAttemptOnce(attemptId, owner, nowMs, untilMs); });
    if (r && *r)
        journal([this, attemptId, owner, nowMs, untilMs] {
            return done(takeOverAttemptOnce(attemptId, owner, nowMs, untilMs));
        });
    return r;
}

Result<void> PostgresJobStore::setLastFired(const QString &pipeline, qint64 ms)
{
    auto r = write<void>([&] { return setLastFiredOnce(pipeline, ms); });
    if (r || m_lost)
        journal([this, pipeline, ms] { return setLastFiredOnce(pipeline, ms); });
    return r;
}

Result<bool> PostgresJobStore::claimFire(const QString &pipeline, qint64 ms)
{
    auto r = write<bool>([&] { return claimFireOnce(pipeline, ms); });
    if (r && *r)
        journal([this, pipeline, ms] { return done(claimFireOnce(pipeline, ms)); });
    return r;
}

} // namespace Shivx
