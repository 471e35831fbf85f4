#include "pipelines/pipelinerunner.h"

#include "core/clock.h"
#include "core/steadyclock.h"
#include "pipelines/pipelinecatalog.h"
#include "pipelines/pipelinerunnershared.h"
#include "pipelines/pipelinescheduler.h"
#include "pipelines/stagelauncher.h"
#include "pipelines/stageprocess.h"
#include "recovery/leftoverprocess.h"

#include <QDir>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTimeZone>
#include <QTimer>
#include <QUuid>

#include <utility>

Q_LOGGING_CATEGORY(lcRunner, "shivx.pipelines.runner")

namespace Shivx {

using namespace RunnerShared;

PipelineRunner::PipelineRunner(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_clock(m_options.clock ? m_options.clock : Clock::system())
    , m_owner(QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_runsDir(QDir(m_options.dataDir).filePath(QStringLiteral("pipelines/runs")))
    , m_baseEnv(StageLaunch::encode(QProcessEnvironment::systemEnvironment()))
    , m_random(m_options.random)
{
    m_launcher = std::make_unique<StageLauncher>(m_options.executor);
    if (!m_random)
        m_random = [] { return QRandomGenerator::global()->generateDouble(); };
    m_catalog = new PipelineCatalog(m_options.pipelinesDirectory, this);
    connect(m_catalog, &PipelineCatalog::changed, this, [this] {
        {
            QMutexLocker lock(&m_countersMutex);
            m_counters.definitionErrors = int(m_catalog->errors().size());
        }
        if (m_scheduler)
            m_scheduler->setPipelines(m_catalog->pipelines().values());
        Q_EMIT pipelinesChanged();
    });
    m_heartbeat = new QTimer(this);
    m_heartbeat->setInterval(int(qMax<qint64>(1000, m_options.config.leaseMs / 3)));
    connect(m_heartbeat, &QTimer::timeout, this, &PipelineRunner::renewLeases);
    m_startWrite = new QTimer(this);
    m_startWrite->setSingleShot(true);
    connect(m_startWrite, &QTimer::timeout, this, &PipelineRunner::storeStarts);
    m_pruneTimer = new QTimer(this);
    m_pruneTimer->setInterval(int(m_options.config.pruneIntervalMs));
    connect(m_pruneTimer, &QTimer::timeout, this, &PipelineRunner::prune);
}

PipelineRunner::~PipelineRunner()
{
    if (!m_shuttingDown)
        shutdown();
    // Before the launcher goes: finished processes waiting for deleteLater() still tell it.
    qDeleteAll(findChildren<StageProcess *>(Qt::FindDirectChildrenOnly));
}

JobStore *PipelineRunner::store()
{
    if (!m_batchOpen) {
        if (auto r = m_store->beginBatch(); !r)
            noteStoreError(r.error()); // every write is then its own transaction
        m_batchOpen = true;
        flushSoon();
    }
    return m_store.get();
}

void PipelineRunner::storeStarts()
{
    const qint64 now = steadyNs();
    while (!m_startsToStore.empty() && m_startsToStore.front().dueNs <= now) {
        const StartToStore s = m_startsToStore.front();
        m_startsToStore.pop_front();
        // Still that attempt, still running: one that ended was written with its end.
        if (Run *run = findRun(s.run); run && m_store) {
            const AttemptRecord &a = run->stages[s.stage].attempt;
            if (a.id == s.attempt && a.state == AttemptState::Running)
                if (auto r = store()->updateAttempt(a); !r)
                    noteStoreError(r.error());
        }
    }
    if (!m_startsToStore.empty())
        m_startWrite->start(
            int(qMax<qint64>(1, (m_startsToStore.front().dueNs - now + 999'999) / 1'000'000)));
}

void PipelineRunner::flushSoon()
{
    if (m_flushQueued)
        return;
    m_flushQueued = true;
    QMetaObject::invokeMethod(this, &PipelineRunner::flush, Qt::QueuedConnection);
}

void PipelineRunner::commitBatch()
{
    if (m_batchOpen && m_store) {
        m_batchOpen = false;
        if (auto r = m_store->commitBatch(); !r)
            noteStoreError(r.error());
    }
}

void PipelineRunner::flush()
{
    m_flushQueued = false;
    commitBatch();
    const auto queue = std::exchange(m_launchQueue, {});
    for (const auto &[runId, idx] : queue)
        if (Run *run = findRun(runId))
            if (StageProcess *p = run->stages[idx].process)
                p->start();
}

void PipelineRunner::audit(
    const QString &stream, const QString &actor, const QString &action, const QJsonObject &data)
{
    if (m_options.audit)
        m_options.audit->record({ stream, actor, action, data, m_clock->nowMs() });
}

void PipelineRunner::auditStage(const Run &run, int idx, QJsonObject extra)
{
    const Stage &s = run.stages[idx];
    extra.insert(QStringLiteral("run"), run.rec.id);
    extra.insert(QStringLiteral("pipeline"), run.rec.pipeline);
    extra.insert(QStringLiteral("stage"), s.rec.stage);
    extra.insert(QStringLiteral("state"), toString(s.rec.state));
    audit(AuditStreams::resilience(), engineActor(), QStringLiteral("pipeline.stage_state"), extra);
}

void PipelineRunner::noteStoreError(const Error &e)
{
    // The store is the engine's own database: when it fails, the run goes on in memory and
    // the failure is logged; the next start then resumes from what was last written.
    qCWarning(lcRunner).noquote() << e.message;
}

Result<void> PipelineRunner::start()
{
    auto store = openJobStore(
        m_options.config.store, m_options.databasePath, QStringLiteral("shivx-pipelines"));
    if (!store)
        return store.error();
    m_store = std::move(*store);
    m_shared = m_store->shared();
    if (m_shared)
        startPolling(); // before resuming: a lost claim retries on the poll interval
    QDir().mkpath(m_runsDir);
    m_catalog->reload();

    // Attempts an earlier engine left running: their processes, when they still run, are
    // stopped before anything of their run starts again.
    const auto running = m_store->runningAttempts();
    if (!running)
        return running.error();
    QHash<qint64, QHash<QString, AttemptRecord>> byRun;
    for (const AttemptRecord &a : running.value())
        byRun[a.runId].insert(a.stage, a);

    RunFilter unfinished;
    unfinished.states = { RunState::Running, RunState::Queued };
    unfinished.limit = 0;
    unfinished.withDefinition = true;
    auto runs = m_store->runs(unfinished);
    if (!runs)
        return runs.error();
    {
        QMutexLocker lock(&m_countersMutex);
        RunFilter dead;
        dead.states = { RunState::DeadLetter };
        dead.limit = 0;
        if (auto d = m_store->runs(dead))
            m_counters.deadLetter = d->size();
    }
    // Oldest first, so that they keep their order for the limits.
    for (auto it = runs->crbegin(); it != runs->crend(); ++it) {
        const auto stages = m_store->stages(it->id);
        if (!stages)
            return stages.error();
        if (auto r = resume(*it, *stages, byRun.value(it->id)); !r)
            noteStoreError(r.error());
    }
    m_scheduler = new PipelineScheduler(
        m_clock, m_store.get(),
        [this](const QString &pipeline, qint64 fireMs, int missed) {
            const auto id = trigger(pipeline, {}, QStringLiteral("schedule"), engineActor());
            QJsonObject data { { QStringLiteral("pipeline"), pipeline },
                { QStringLiteral("fire_time_ms"), fireMs }, { QStringLiteral("missed"), missed } };
            if (id)
                data.insert(QStringLiteral("run"), *id);
            else
                data.insert(QStringLiteral("error"), id.error().message);
            audit(AuditStreams::resilience(), engineActor(),
                QStringLiteral("pipeline.schedule_fired"), data);
        },
        [this](const QString &pipeline, int count) {
            audit(AuditStreams::resilience(), engineActor(),
                QStringLiteral("pipeline.schedule_skipped"),
                { { QStringLiteral("pipeline"), pipeline }, { QStringLiteral("missed"), count } });
        },
        QTimeZone::systemTimeZone(), this);
    m_scheduler->setPipelines(m_catalog->pipelines().values());
    m_heartbeat->start();
    m_pruneTimer->start();
    pump();
    QTimer::singleShot(0, this, &PipelineRunner::prune);
    return {};
}

PipelineRunner::Run *PipelineRunner::findRun(qint64 id)
{
    const auto it = m_runs.find(id);
    return it == m_runs.end() ? nullptr : &it->second;
}

QString PipelineRunner::runDir(qint64 runId) const
{
    return QDir(m_runsDir).filePath(QString::number(runId));
}

int PipelineRunner::runningOf(const QString &pipeline) const
{
    int n = 0;
    for (const auto &[id, run] : m_runs)
        if (run.rec.pipeline == pipeline)
            n += run.running;
    return n;
}

bool PipelineRunner::paused(const PipelineDefinition &def) const
{
    return (def.background && m_backgroundPaused) || (def.external && m_externalPaused);
}

QList<PipelineInfo> PipelineRunner::pipelines()
{
    QList<PipelineInfo> list;
    for (const PipelineDefinition &def : m_catalog->pipelines()) {
        PipelineInfo info;
        info.definition = def;
        info.paused = paused(def);
        info.nextFireMs = m_scheduler ? m_scheduler->nextFireMs(def.name) : 0;
        if (m_store) {
            RunFilter f;
            f.pipeline = def.name;
            f.limit = 1;
            if (const auto last = m_store->runs(f); last && !last->isEmpty()) {
                info.lastRunId = last->first().id;
                info.lastRunState = last->first().state;
                info.lastRunMs = last->first().createdMs;
            }
        }
        list.append(info);
    }
    return list;
}

QList<Error> PipelineRunner::definitionErrors() const
{
    return m_catalog->errors();
}

Result<QList<RunRecord>> PipelineRunner::runs(const RunFilter &filter)
{
    if (!m_store)
        return notRunning();
    return m_store->runs(filter);
}

Result<RunDetail> PipelineRunner::run(qint64 runId)
{
    if (!m_store)
        return notRunning();
    RunDetail d;
    auto rec = m_store->run(runId);
    if (!rec)
        return rec.error();
    d.run = *rec;
    if (auto def = PipelineParser::parse(d.run.definition, d.run.file))
        d.definition = *def;
    auto stages = m_store->stages(runId);
    auto attempts = m_store->attempts(runId);
    auto artifacts = m_store->artifacts(runId);
    if (!stages)
        return stages.error();
    if (!attempts)
        return attempts.error();
    if (!artifacts)
        return artifacts.error();
    d.stages = *stages;
    d.attempts = *attempts;
    d.artifacts = *artifacts;
    return d;
}

void PipelineRunner::setBackgroundPaused(bool paused)
{
    if (m_backgroundPaused == paused)
        return;
    m_backgroundPaused = paused;
    audit(AuditStreams::resilience(), engineActor(),
        paused ? QStringLiteral("pipeline.background_paused")
               : QStringLiteral("pipeline.background_resumed"),
        {});
    Q_EMIT pipelinesChanged();
    pump();
}

void PipelineRunner::setExternalPaused(bool paused)
{
    if (m_externalPaused == paused)
        return;
    m_externalPaused = paused;
    audit(AuditStreams::resilience(), engineActor(),
        paused ? QStringLiteral("pipeline.external_paused")
               : QStringLiteral("pipeline.external_resumed"),
        {});
    Q_EMIT pipelinesChanged();
    pump();
}

void PipelineRunner::updateGauges()
{
    int active = 0;
    int queued = 0;
    for (const auto &[id, run] : m_runs) {
        active += run.rec.state == RunState::Running ? 1 : 0;
        queued += run.rec.state == RunState::Queued ? 1 : 0;
    }
    QMutexLocker lock(&m_countersMutex);
    m_counters.stagesRunning = m_running;
    m_counters.runsActive = active;
    m_counters.runsQueued = queued;
}

PipelineCounters PipelineRunner::counters() const
{
    QMutexLocker lock(&m_countersMutex);
    return m_counters;
}

void PipelineRunner::shutdown()
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    m_heartbeat->stop();
    m_pruneTimer->stop();
    m_startWrite->stop(); // the running attempts are written below, with their processes
    delete m_scheduler; // it uses the store
    m_scheduler = nullptr;
    for (LeftoverProcess *l : std::as_const(m_leftovers))
        l->finishBlocking();
    // Two passes, so that every group gets SIGTERM at once and the waits overlap.
    QList<QPair<qint64, int>> running;
    for (auto &[id, run] : m_runs)
        for (int i = 0; i < int(run.stages.size()); ++i)
            if (StageProcess *p = run.stages[i].process) {
                disconnect(p, nullptr, this, nullptr);
                p->stop(int(m_options.config.stopTimeoutMs));
                running.append({ id, i });
            }
    for (const auto &[id, i] : std::as_const(running)) {
        Run &run = m_runs.at(id);
        Stage &s = run.stages[i];
        s.process->stopBlocking(int(m_options.config.stopTimeoutMs));
        delete s.process;
        s.process = nullptr;
        s.attempt.state = AttemptState::Interrupted;
        s.attempt.error = QStringLiteral("the engine stopped while it ran");
        s.attempt.finishedMs = m_clock->nowMs();
        s.rec.state = StageState::Pending;
        if (m_store)
            if (auto r = store()->finishAttempt(s.attempt, s.rec, {}); !r)
                noteStoreError(r.error());
    }
    m_running = 0;
    m_runs.clear();
    m_launchQueue.clear();
    commitBatch();
    m_store.reset();
    updateGauges();
}

} // namespace Shivx
