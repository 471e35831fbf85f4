#include "pipelines/pipelinerunner.h"

#include "audit/auditsink.h"
#include "core/clock.h"
#include "pipelines/pipelinecatalog.h"
#include "pipelines/pipelinescheduler.h"
#include "pipelines/sqlitejobstore.h"
#include "pipelines/stageprocess.h"
#include "recovery/childrecord.h"
#include "recovery/leftoverprocess.h"
#include "recovery/retrypolicy.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSet>
#include <QTimeZone>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <limits>

Q_LOGGING_CATEGORY(lcRunner, "shivx.pipelines.runner")

namespace Shivx {

namespace {

const QString Engine = QStringLiteral("engine");

QString streamFor(const QString &actor)
{
    return actor == Engine ? AuditStreams::resilience() : AuditStreams::operatorActions();
}

QString sha256Of(const QString &path, qint64 *size)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    *size = f.size();
    return QString::fromLatin1(h.result().toHex());
}

RunRecord withoutDefinition(RunRecord r)
{
    r.definition.clear();
    return r;
}

} // namespace

PipelineRunner::PipelineRunner(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_clock(m_options.clock ? m_options.clock : Clock::system())
    , m_owner(QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_runsDir(QDir(m_options.dataDir).filePath(QStringLiteral("pipelines/runs")))
    , m_baseEnv(QProcessEnvironment::systemEnvironment())
    , m_random(m_options.random)
{
    if (!m_random)
        m_random = [] { return QRandomGenerator::global()->generateDouble(); };
    m_monotonic.start();
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
    m_pruneTimer = new QTimer(this);
    m_pruneTimer->setInterval(int(m_options.config.pruneIntervalMs));
    connect(m_pruneTimer, &QTimer::timeout, this, &PipelineRunner::prune);
}

PipelineRunner::~PipelineRunner()
{
    if (!m_shuttingDown)
        shutdown();
}

void PipelineRunner::audit(
    const QString &stream, const QString &actor, const QString &action, const QJsonObject &data)
{
    if (m_options.audit)
        m_options.audit->record({ stream, actor, action, data, m_clock->nowMs() });
}

void PipelineRunner::noteStoreError(const Error &e)
{
    // The store is the engine's own database: when it fails, the run goes on in memory and
    // the failure is logged; the next start then resumes from what was last written.
    qCWarning(lcRunner).noquote() << e.message;
}

Result<void> PipelineRunner::start()
{
    auto store = SqliteJobStore::open(m_options.databasePath, QStringLiteral("shivx-pipelines"));
    if (!store)
        return store.error();
    m_store = std::move(*store);
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
            const auto id = trigger(pipeline, {}, QStringLiteral("schedule"), Engine);
            QJsonObject data { { QStringLiteral("pipeline"), pipeline },
                { QStringLiteral("fire_time_ms"), fireMs }, { QStringLiteral("missed"), missed } };
            if (id)
                data.insert(QStringLiteral("run"), *id);
            else
                data.insert(QStringLiteral("error"), id.error().message);
            audit(AuditStreams::resilience(), Engine, QStringLiteral("pipeline.schedule_fired"),
                data);
        },
        [this](const QString &pipeline, int count) {
            audit(AuditStreams::resilience(), Engine, QStringLiteral("pipeline.schedule_skipped"),
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

Result<void> PipelineRunner::resume(RunRecord rec, const QList<StageRecord> &stages,
    const QHash<QString, AttemptRecord> &runningAttempts)
{
    auto def = PipelineParser::parse(rec.definition, rec.file);
    if (!def) {
        rec.state = RunState::DeadLetter;
        rec.error = QStringLiteral("its definition no longer parses: %1").arg(def.error().message);
        rec.finishedMs = m_clock->nowMs();
        return m_store->updateRun(rec);
    }
    Run run;
    run.rec = std::move(rec);
    run.def = std::move(*def);
    run.stages.resize(run.def.stages.size());
    for (int i = 0; i < run.def.stages.size(); ++i) {
        Stage &s = run.stages[i];
        s.rec.runId = run.rec.id;
        s.rec.stage = run.def.stages.at(i).name;
        for (const QString &dep : run.def.stages.at(i).needs)
            run.stages[run.def.indexOf(dep)].dependents.append(i);
    }
    for (const StageRecord &sr : stages) {
        const int i = run.def.indexOf(sr.stage);
        if (i >= 0)
            run.stages[i].rec = sr;
    }
    const qint64 id = run.rec.id;
    const auto artifacts = m_store->artifacts(id);
    const auto attempts = m_store->attempts(id);
    if (artifacts)
        for (const ArtifactRecord &a : *artifacts)
            run.artifacts[a.stage].append(a);
    if (attempts)
        for (const AttemptRecord &a : *attempts) {
            const int i = run.def.indexOf(a.stage);
            if (i >= 0)
                run.stages[i].attempt = a;
            if (a.state == AttemptState::Succeeded && !a.artifactsDir.isEmpty())
                run.artifactDirs.insert(a.stage, a.artifactsDir);
        }
    m_runs.emplace(id, std::move(run));
    Run &r = m_runs.at(id);
    for (int i = 0; i < int(r.stages.size()); ++i) {
        Stage &s = r.stages[i];
        for (const QString &dep : r.def.stages.at(i).needs)
            if (!isFinished(r.stages[r.def.indexOf(dep)].rec.state))
                ++s.waitingFor;
        if (s.rec.state == StageState::Running) {
            const auto it = runningAttempts.constFind(s.rec.stage);
            if (it == runningAttempts.cend()) {
                s.rec.state = StageState::Pending; // claimed, but no attempt was stored
            } else {
                s.attempt = *it;
                s.leftover = true;
                ++r.running;
                ++m_running;
            }
        }
    }
    if (r.rec.state == RunState::Running) {
        QDir().mkpath(QDir(runDir(id)).filePath(QStringLiteral("work")));
        for (int i = 0; i < int(r.stages.size()); ++i) {
            Stage &s = r.stages[i];
            if (s.leftover) {
                ChildRecord child;
                child.name = QStringLiteral("attempt-%1").arg(s.attempt.id);
                child.pid = s.attempt.pid;
                child.pgid = s.attempt.pgid;
                child.startTicks = s.attempt.startTicks;
                child.bootId = s.attempt.bootId;
                child.stopTimeoutMs = m_options.config.stopTimeoutMs;
                child.startedAtMs = s.attempt.startedMs;
                if (child.pid > 0 && child.isRunning()) {
                    qCWarning(lcRunner).noquote()
                        << "run" << id << "stage" << s.rec.stage << "pid" << child.pid
                        << "still runs from an earlier engine: stopping its process group";
                    auto *leftover = new LeftoverProcess(child, this);
                    m_leftovers.insert(s.attempt.id, leftover);
                    const qint64 attemptId = s.attempt.id;
                    connect(leftover, &LeftoverProcess::stopped, this,
                        [this, id, i, leftover, attemptId](
                            const ChildRecord &c, bool killed, qint64 tookMs) {
                            m_leftovers.remove(attemptId);
                            leftover->deleteLater();
                            audit(AuditStreams::resilience(), Engine,
                                QStringLiteral("pipeline.leftover_stopped"),
                                { { QStringLiteral("run"), id }, { QStringLiteral("pid"), c.pid },
                                    { QStringLiteral("killed"), killed },
                                    { QStringLiteral("took_ms"), tookMs } });
                            resolveLeftover(id, i);
                        });
                    leftover->stop();
                } else {
                    QTimer::singleShot(0, this, [this, id, i] { resolveLeftover(id, i); });
                }
            } else if (s.rec.state == StageState::RetryWait) {
                const qint64 delay = qMax<qint64>(0, s.rec.nextAttemptMs - m_clock->nowMs());
                QTimer::singleShot(
                    int(qMin<qint64>(delay, std::numeric_limits<int>::max())), this, [this, id, i] {
                        if (Run *rr = findRun(id);
                            rr && rr->stages[i].rec.state == StageState::RetryWait)
                            makeReady(*rr, i);
                    });
            } else if (s.rec.state == StageState::Pending && s.waitingFor == 0) {
                makeReady(r, i);
            }
        }
        audit(AuditStreams::resilience(), Engine, QStringLiteral("pipeline.run_resumed"),
            { { QStringLiteral("run"), id }, { QStringLiteral("pipeline"), r.rec.pipeline } });
        finishRunIfDone(r);
    }
    updateGauges();
    return {};
}

void PipelineRunner::resolveLeftover(qint64 runId, int idx)
{
    Run *run = findRun(runId);
    if (!run || !run->stages[idx].leftover)
        return;
    Stage &s = run->stages[idx];
    s.leftover = false;
    Outcome o;
    int code = 0;
    if (StageProcess::readStatus(s.attempt.statusPath, &code)) {
        // It ended while no engine watched; its wrapper recorded how.
        o.state = code == 0 ? AttemptState::Succeeded : AttemptState::Failed;
        o.exitCode = code;
        if (code != 0)
            o.error = QStringLiteral("exited with code %1 while the engine was down").arg(code);
    } else {
        o.state = AttemptState::Interrupted;
        o.error = QStringLiteral("the engine stopped while it ran");
    }
    endAttempt(*run, idx, o);
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

Result<qint64> PipelineRunner::trigger(const QString &pipeline,
    const QMap<QString, QString> &params, const QString &trigger, const QString &actor)
{
    if (!m_store)
        return makeError("engine.not_running", QStringLiteral("the engine is not running"));
    const PipelineDefinition *def = m_catalog->find(pipeline);
    if (!def)
        return makeError("pipeline.unknown",
            QStringLiteral("there is no pipeline \"%1\"").arg(pipeline.left(80)), { pipeline });
    QMap<QString, QString> merged = def->params;
    for (auto it = params.begin(); it != params.end(); ++it) {
        if (!def->params.contains(it.key()))
            return makeError("pipeline.unknown_param",
                QStringLiteral("pipeline \"%1\" has no parameter \"%2\" (it has: %3)")
                    .arg(pipeline, it.key().left(80),
                        def->params.isEmpty() ? QStringLiteral("none")
                                              : def->params.keys().join(QStringLiteral(", "))),
                { pipeline, it.key() });
        merged.insert(it.key(), it.value());
    }
    Run run;
    run.rec.pipeline = def->name;
    run.rec.version = def->version;
    run.rec.file = def->file;
    run.rec.definition = def->source;
    run.rec.params = merged;
    run.rec.trigger = trigger;
    run.rec.actor = actor;
    run.rec.createdMs = m_clock->nowMs();
    run.rec.state = RunState::Queued;
    QStringList names;
    for (const StageDefinition &s : def->stages)
        names.append(s.name);
    const auto id = m_store->createRun(run.rec, names);
    if (!id)
        return id.error();
    run.rec.id = *id;
    {
        QMutexLocker lock(&m_countersMutex);
        ++m_counters.runsCreated;
    }
    audit(streamFor(actor), actor, QStringLiteral("pipeline.run_created"),
        { { QStringLiteral("run"), *id }, { QStringLiteral("pipeline"), def->name },
            { QStringLiteral("version"), def->version }, { QStringLiteral("trigger"), trigger } });
    QList<StageRecord> stages;
    for (const QString &n : names)
        stages.append(StageRecord { *id, n, StageState::Pending, 0, 0, 0 });
    if (auto r = resume(run.rec, stages, {}); !r)
        return r.error();
    Q_EMIT runChanged(withoutDefinition(run.rec));
    activateQueued(def->name);
    return *id;
}

void PipelineRunner::activateQueued(const QString &pipeline)
{
    int active = 0;
    int maxActive = 1;
    for (const auto &[id, run] : m_runs)
        if (run.rec.pipeline == pipeline && run.rec.state == RunState::Running) {
            ++active;
            maxActive = run.def.maxActiveRuns;
        }
    if (const PipelineDefinition *def = m_catalog->find(pipeline))
        maxActive = def->maxActiveRuns;
    QList<qint64> waiting;
    for (const auto &[id, run] : m_runs)
        if (run.rec.pipeline == pipeline && run.rec.state == RunState::Queued && !run.cancelling)
            waiting.append(id);
    for (qint64 id : std::as_const(waiting)) {
        if (active >= maxActive)
            break;
        if (Run *run = findRun(id); run && activate(*run))
            ++active;
    }
    pump();
}

Result<void> PipelineRunner::activate(Run &run)
{
    QDir().mkpath(QDir(runDir(run.rec.id)).filePath(QStringLiteral("work")));
    run.rec.startedMs = m_clock->nowMs();
    setRunState(run, RunState::Running);
    for (int i = 0; i < int(run.stages.size()); ++i)
        if (run.stages[i].rec.state == StageState::Pending && run.stages[i].waitingFor == 0)
            makeReady(run, i);
    return {};
}

void PipelineRunner::setRunState(Run &run, RunState state, const QString &error)
{
    run.rec.state = state;
    if (!error.isEmpty())
        run.rec.error = error;
    if (isFinished(state))
        run.rec.finishedMs = m_clock->nowMs();
    if (auto r = m_store->updateRun(run.rec); !r)
        noteStoreError(r.error());
    Q_EMIT runChanged(withoutDefinition(run.rec));
    updateGauges();
}

void PipelineRunner::storeStage(Run &run, int idx)
{
    if (auto r = m_store->updateStage(run.stages[idx].rec); !r)
        noteStoreError(r.error());
    Q_EMIT stageChanged(run.stages[idx].rec);
}

void PipelineRunner::makeReady(Run &run, int idx)
{
    Stage &s = run.stages[idx];
    if (s.rec.state == StageState::RetryWait) {
        s.rec.state = StageState::Pending;
        storeStage(run, idx);
    }
    s.readyNs = m_monotonic.nsecsElapsed();
    run.ready.push_back(idx);
    pump();
}

void PipelineRunner::settleStage(Run &run, int idx)
{
    // Breadth-first: a skipped stage settles its own dependents in turn.
    std::deque<int> settled { idx };
    while (!settled.empty()) {
        const int done = settled.front();
        settled.pop_front();
        for (int d : run.stages[done].dependents) {
            Stage &s = run.stages[d];
            if (--s.waitingFor > 0 || s.rec.state != StageState::Pending)
                continue;
            const StageDefinition &def = run.def.stages.at(d);
            bool allSucceeded = true;
            bool anyFailed = false;
            for (const QString &dep : def.needs) {
                const StageState st = run.stages[run.def.indexOf(dep)].rec.state;
                allSucceeded = allSucceeded && st == StageState::Succeeded;
                anyFailed = anyFailed || st == StageState::Failed;
            }
            const bool runs = !run.cancelling
                && (def.when == StageWhen::Always
                    || (def.when == StageWhen::Success && allSucceeded)
                    || (def.when == StageWhen::Failure && anyFailed));
            if (runs) {
                makeReady(run, d);
                continue;
            }
            s.rec.state = run.cancelling ? StageState::Cancelled : StageState::Skipped;
            storeStage(run, d);
            audit(AuditStreams::resilience(), Engine, QStringLiteral("pipeline.stage_state"),
                { { QStringLiteral("run"), run.rec.id },
                    { QStringLiteral("pipeline"), run.rec.pipeline },
                    { QStringLiteral("stage"), s.rec.stage },
                    { QStringLiteral("state"), toString(s.rec.state) } });
            settled.push_back(d);
        }
    }
}

void PipelineRunner::pump()
{
    if (m_pumping || m_shuttingDown) {
        m_pumpAgain = true;
        return;
    }
    m_pumping = true;
    do {
        m_pumpAgain = false;
        for (auto &[id, run] : m_runs) {
            if (run.rec.state != RunState::Running || run.cancelling || paused(run.def))
                continue;
            const int limit = run.def.concurrency;
            while (!run.ready.empty() && m_running < m_options.config.maxParallelStages
                && (limit == 0 || runningOf(run.rec.pipeline) < limit)) {
                const int idx = run.ready.front();
                run.ready.pop_front();
                startStage(run, idx);
            }
        }
    } while (m_pumpAgain);
    m_pumping = false;
    updateGauges();
}

QProcessEnvironment PipelineRunner::environmentFor(const Run &run, int idx) const
{
    const StageDefinition &def = run.def.stages.at(idx);
    const Stage &s = run.stages[idx];
    QProcessEnvironment env = m_baseEnv;
    for (const auto &[k, v] : def.env)
        env.insert(k, v);
    env.insert(QStringLiteral("SHIVX_RUN_ID"), QString::number(run.rec.id));
    env.insert(QStringLiteral("SHIVX_PIPELINE"), run.rec.pipeline);
    env.insert(QStringLiteral("SHIVX_PIPELINE_VERSION"), run.rec.version);
    env.insert(QStringLiteral("SHIVX_STAGE"), def.name);
    env.insert(QStringLiteral("SHIVX_ATTEMPT"), QString::number(s.attempt.attempt));
    env.insert(QStringLiteral("SHIVX_DATA_DIR"), m_options.dataDir);
    env.insert(QStringLiteral("SHIVX_WORK_DIR"),
        QDir(runDir(run.rec.id)).filePath(QStringLiteral("work")));
    for (auto it = run.rec.params.begin(); it != run.rec.params.end(); ++it)
        env.insert(QStringLiteral("SHIVX_PARAM_") + PipelineParser::envName(it.key()), it.value());
    if (!s.attempt.artifactsDir.isEmpty())
        env.insert(QStringLiteral("SHIVX_ARTIFACTS"), s.attempt.artifactsDir);
    for (const QString &dep : def.needs)
        if (const QString dir = run.artifactDirs.value(dep); !dir.isEmpty())
            env.insert(QStringLiteral("SHIVX_INPUT_") + PipelineParser::envName(dep), dir);
    return env;
}

QString PipelineRunner::checkInputs(const Run &run, int idx) const
{
    // A downstream stage sees exactly what was recorded: every file of each dependency's
    // artifacts still has its recorded hash, and nothing was added.
    for (const QString &dep : run.def.stages.at(idx).needs) {
        const QString dir = run.artifactDirs.value(dep);
        if (dir.isEmpty())
            continue;
        const QList<ArtifactRecord> recorded = run.artifacts.value(dep);
        int files = 0;
        QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            ++files;
        }
        if (files != recorded.size())
            return QStringLiteral("the artifacts of stage %1 changed since they were recorded "
                                  "(%2 files, %3 recorded)")
                .arg(dep)
                .arg(files)
                .arg(recorded.size());
        for (const ArtifactRecord &a : recorded) {
            qint64 size = 0;
            if (sha256Of(QDir(dir).filePath(a.path), &size) != a.sha256)
                return QStringLiteral("artifact %1 of stage %2 changed since it was recorded")
                    .arg(a.path, dep);
        }
    }
    return {};
}

QList<ArtifactRecord> PipelineRunner::collectArtifacts(
    const Run &run, int idx, QString *error) const
{
    QList<ArtifactRecord> list;
    const Stage &s = run.stages[idx];
    if (s.attempt.artifactsDir.isEmpty())
        return list;
    const QDir dir(s.attempt.artifactsDir);
    QDirIterator it(
        s.attempt.artifactsDir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        ArtifactRecord a;
        a.runId = run.rec.id;
        a.stage = s.rec.stage;
        a.path = dir.relativeFilePath(path);
        a.sha256 = sha256Of(path, &a.size);
        if (a.sha256.isEmpty()) {
            *error = QStringLiteral("cannot read artifact %1").arg(path);
            return {};
        }
        // Read-only from now on: downstream stages read them, nobody rewrites them.
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::ReadGroup);
        list.append(a);
    }
    std::sort(list.begin(), list.end(),
        [](const ArtifactRecord &a, const ArtifactRecord &b) { return a.path < b.path; });
    return list;
}

void PipelineRunner::startStage(Run &run, int idx)
{
    Stage &s = run.stages[idx];
    s.startingNs = m_monotonic.nsecsElapsed();
    const StageDefinition &def = run.def.stages.at(idx);
    const qint64 id = run.rec.id;
    const QString base
        = QDir(runDir(id)).filePath(QStringLiteral("%1.%2").arg(def.name).arg(s.rec.attempts + 1));
    AttemptRecord a;
    a.runId = id;
    a.stage = def.name;
    a.attempt = s.rec.attempts + 1;
    a.state = AttemptState::Running;
    a.leaseOwner = m_owner;
    a.leaseUntilMs = m_clock->nowMs() + m_options.config.leaseMs;
    a.stdoutPath = base + QStringLiteral(".stdout.log");
    a.stderrPath = base + QStringLiteral(".stderr.log");
    a.statusPath = base + QStringLiteral(".status");
    if (def.artifacts)
        a.artifactsDir = base + QStringLiteral(".artifacts");
    StageRecord next = s.rec;
    next.attempts += 1;
    next.state = StageState::Running;
    const auto claimed = m_store->claimAttempt(a, next, m_clock->nowMs());
    if (!claimed) {
        // Held by another engine (or the store failed): try again once it may have expired.
        noteStoreError(claimed.error());
        QTimer::singleShot(
            int(qMin<qint64>(m_options.config.leaseMs, 60'000)), this, [this, id, idx] {
                if (Run *r = findRun(id); r && r->stages[idx].rec.state == StageState::Pending)
                    makeReady(*r, idx);
            });
        return;
    }
    a.id = *claimed;
    s.rec = next;
    s.attempt = a;
    ++run.running;
    ++m_running;
    Q_EMIT stageChanged(s.rec);
    audit(AuditStreams::resilience(), Engine, QStringLiteral("pipeline.stage_state"),
        { { QStringLiteral("run"), id }, { QStringLiteral("pipeline"), run.rec.pipeline },
            { QStringLiteral("stage"), def.name },
            { QStringLiteral("state"), QStringLiteral("running") },
            { QStringLiteral("attempt"), a.attempt } });

    if (const QString problem = checkInputs(run, idx); !problem.isEmpty()) {
        QTimer::singleShot(0, this,
            [this, id, idx, problem] { onProcessFinished(id, idx, -1, 0, false, problem); });
        return;
    }
    if (!a.artifactsDir.isEmpty())
        QDir().mkpath(a.artifactsDir);
    StageLaunch launch;
    launch.command = def.command;
    launch.args = def.args;
    launch.env = environmentFor(run, idx);
    launch.cwd = def.cwd.isEmpty() ? QDir(runDir(id)).filePath(QStringLiteral("work")) : def.cwd;
    launch.stdoutPath = a.stdoutPath;
    launch.stderrPath = a.stderrPath;
    launch.statusPath = a.statusPath;
    launch.timeoutMs = def.timeoutMs;
    auto *process = new StageProcess(launch, this);
    s.process = process;
    connect(process, &StageProcess::started, this,
        [this, id, idx](qint64 pid) { onStarted(id, idx, pid); });
    // Queued: a process that cannot start reports it from inside start(), and the runner's
    // state must not change under pump()'s feet.
    connect(
        process, &StageProcess::finished, this,
        [this, id, idx](int code, int signal, bool timedOut, const QString &error) {
            onProcessFinished(id, idx, code, signal, timedOut, error);
        },
        Qt::QueuedConnection);
    process->start();
}

void PipelineRunner::onStarted(qint64 runId, int idx, qint64 pid)
{
    Run *run = findRun(runId);
    if (!run)
        return;
    Stage &s = run->stages[idx];
    s.attempt.startedMs = m_clock->nowMs();
    s.attempt.scheduleDelayUs = (m_monotonic.nsecsElapsed() - s.readyNs) / 1000;
    s.attempt.slotWaitUs = (s.startingNs - s.readyNs) / 1000;
    const auto child = ChildRecord::ofChild(s.rec.stage, pid, m_options.config.stopTimeoutMs,
        run->def.stages.at(idx).command, s.attempt.startedMs);
    s.attempt.pid = pid;
    s.attempt.pgid = pid;
    if (child) {
        s.attempt.pgid = child->pgid;
        s.attempt.startTicks = child->startTicks;
        s.attempt.bootId = child->bootId;
    }
    if (auto r = m_store->updateAttempt(s.attempt); !r)
        noteStoreError(r.error());
    {
        QMutexLocker lock(&m_countersMutex);
        m_counters.scheduleDelaySumS += double(s.attempt.scheduleDelayUs) / 1e6;
        m_counters.slotWaitSumS += double(s.attempt.slotWaitUs) / 1e6;
        ++m_counters.scheduleDelayCount;
    }
    Q_EMIT attemptChanged(s.attempt);
}

void PipelineRunner::onProcessFinished(
    qint64 runId, int idx, int exitCode, int signal, bool timedOut, const QString &error)
{
    Run *run = findRun(runId);
    if (!run)
        return;
    Stage &s = run->stages[idx];
    if (s.process) {
        s.process->deleteLater();
        s.process = nullptr;
    }
    Outcome o;
    o.exitCode = exitCode;
    o.signal = signal;
    if (run->cancelling) {
        o.state = AttemptState::Cancelled;
        o.error = QStringLiteral("cancelled");
    } else if (timedOut) {
        o.state = AttemptState::TimedOut;
        o.error = QStringLiteral("timed out after %1 ms: its process group was killed")
                      .arg(run->def.stages.at(idx).timeoutMs);
    } else if (!error.isEmpty()) {
        o.state = AttemptState::Failed;
        o.error = error;
    } else if (signal != 0) {
        o.state = AttemptState::Failed;
        o.error = QStringLiteral("killed by signal %1").arg(signal);
    } else if (exitCode != 0) {
        o.state = AttemptState::Failed;
        o.error = QStringLiteral("exited with code %1").arg(exitCode);
    } else {
        o.state = AttemptState::Succeeded;
    }
    endAttempt(*run, idx, o);
}

void PipelineRunner::endAttempt(Run &run, int idx, const Outcome &outcome)
{
    Stage &s = run.stages[idx];
    const StageDefinition &def = run.def.stages.at(idx);
    --run.running;
    --m_running;
    Outcome o = outcome;
    QList<ArtifactRecord> artifacts;
    if (o.state == AttemptState::Succeeded) {
        QString problem;
        artifacts = collectArtifacts(run, idx, &problem);
        if (!problem.isEmpty()) {
            o.state = AttemptState::Failed;
            o.error = problem;
        }
    }
    s.attempt.state = o.state;
    s.attempt.exitCode = o.exitCode;
    s.attempt.signal = o.signal;
    s.attempt.error = o.error;
    s.attempt.finishedMs = m_clock->nowMs();
    qint64 retryDelay = -1;
    switch (o.state) {
    case AttemptState::Succeeded:
        s.rec.state = StageState::Succeeded;
        run.artifacts.insert(s.rec.stage, artifacts);
        if (!s.attempt.artifactsDir.isEmpty())
            run.artifactDirs.insert(s.rec.stage, s.attempt.artifactsDir);
        break;
    case AttemptState::Cancelled:
        s.rec.state = StageState::Cancelled;
        break;
    case AttemptState::Interrupted:
        // Not the stage's failure: it runs again without using up a retry.
        s.rec.state = run.cancelling ? StageState::Cancelled : StageState::Pending;
        break;
    case AttemptState::Failed:
    case AttemptState::TimedOut:
    case AttemptState::Running: {
        s.rec.failures += 1;
        const RetryPolicy policy(def.backoff, m_random);
        if (!run.cancelling && policy.shouldRetry(s.rec.failures)) {
            retryDelay = policy.delayBeforeAttempt(s.rec.failures + 1);
            s.rec.state = StageState::RetryWait;
            s.rec.nextAttemptMs = m_clock->nowMs() + retryDelay;
        } else {
            s.rec.state = run.cancelling ? StageState::Cancelled : StageState::Failed;
        }
        break;
    }
    }
    if (auto r = m_store->finishAttempt(s.attempt, s.rec, artifacts); !r)
        noteStoreError(r.error());
    {
        QMutexLocker lock(&m_countersMutex);
        m_counters.attemptsFinished[toString(o.state)] += 1;
    }
    Q_EMIT attemptChanged(s.attempt);
    Q_EMIT stageChanged(s.rec);
    QJsonObject data { { QStringLiteral("run"), run.rec.id },
        { QStringLiteral("pipeline"), run.rec.pipeline }, { QStringLiteral("stage"), def.name },
        { QStringLiteral("state"), toString(s.rec.state) },
        { QStringLiteral("attempt"), s.attempt.attempt },
        { QStringLiteral("result"), toString(o.state) } };
    if (!o.error.isEmpty())
        data.insert(QStringLiteral("error"), o.error);
    audit(AuditStreams::resilience(), Engine, QStringLiteral("pipeline.stage_state"), data);
    const qint64 id = run.rec.id;
    if (retryDelay >= 0) {
        audit(AuditStreams::resilience(), Engine, QStringLiteral("pipeline.stage_retry"),
            { { QStringLiteral("run"), id }, { QStringLiteral("pipeline"), run.rec.pipeline },
                { QStringLiteral("stage"), def.name },
                { QStringLiteral("next_attempt"), s.rec.attempts + 1 },
                { QStringLiteral("delay_ms"), retryDelay } });
        QTimer::singleShot(int(retryDelay), this, [this, id, idx] {
            if (Run *r = findRun(id); r && r->stages[idx].rec.state == StageState::RetryWait)
                makeReady(*r, idx);
        });
    } else if (s.rec.state == StageState::Pending) {
        makeReady(run, idx);
    } else {
        settleStage(run, idx);
    }
    pump();
    if (Run *r = findRun(id))
        finishRunIfDone(*r);
}

void PipelineRunner::finishRunIfDone(Run &run)
{
    if (run.rec.state != RunState::Running || run.running > 0)
        return;
    QString failedStage;
    for (const Stage &s : run.stages) {
        if (!isFinished(s.rec.state))
            return;
        if (s.rec.state == StageState::Failed && failedStage.isEmpty())
            failedStage = s.rec.stage;
    }
    const qint64 id = run.rec.id;
    const QString pipeline = run.rec.pipeline;
    if (run.cancelling) {
        setRunState(run, RunState::Cancelled, QStringLiteral("cancelled"));
    } else if (!failedStage.isEmpty()) {
        const Stage &f = run.stages[run.def.indexOf(failedStage)];
        run.rec.failedStage = failedStage;
        setRunState(run, RunState::DeadLetter,
            QStringLiteral("stage %1 failed after %2 attempt(s): %3")
                .arg(failedStage)
                .arg(f.rec.attempts)
                .arg(f.attempt.error));
        {
            QMutexLocker lock(&m_countersMutex);
            ++m_counters.deadLetter;
        }
        audit(AuditStreams::resilience(), Engine, QStringLiteral("pipeline.dead_lettered"),
            { { QStringLiteral("run"), id }, { QStringLiteral("pipeline"), pipeline },
                { QStringLiteral("stage"), failedStage },
                { QStringLiteral("error"), run.rec.error } });
    } else {
        setRunState(run, RunState::Succeeded);
    }
    {
        QMutexLocker lock(&m_countersMutex);
        m_counters.runsFinished[toString(run.rec.state)] += 1;
    }
    audit(AuditStreams::resilience(), Engine, QStringLiteral("pipeline.run_finished"),
        { { QStringLiteral("run"), id }, { QStringLiteral("pipeline"), pipeline },
            { QStringLiteral("state"), toString(run.rec.state) } });
    m_runs.erase(id);
    updateGauges();
    // Not from inside pump(): it may be iterating the runs.
    QTimer::singleShot(0, this, [this, pipeline] { activateQueued(pipeline); });
}

Result<void> PipelineRunner::cancel(qint64 runId, const QString &actor)
{
    Run *run = findRun(runId);
    if (!run) {
        if (!m_store)
            return makeError("engine.not_running", QStringLiteral("the engine is not running"));
        if (auto r = m_store->run(runId); !r)
            return r.error();
        return makeError("pipeline.not_active",
            QStringLiteral("run %1 has finished already").arg(runId), { runId });
    }
    audit(streamFor(actor), actor, QStringLiteral("pipeline.run_cancel"),
        { { QStringLiteral("run"), runId }, { QStringLiteral("pipeline"), run->rec.pipeline } });
    run->cancelling = true;
    run->ready.clear();
    for (int i = 0; i < int(run->stages.size()); ++i) {
        Stage &s = run->stages[i];
        if (s.rec.state == StageState::Pending || s.rec.state == StageState::RetryWait) {
            s.rec.state = StageState::Cancelled;
            storeStage(*run, i);
        } else if (s.process) {
            s.process->stop(int(m_options.config.stopTimeoutMs));
        }
    }
    if (run->rec.state == RunState::Queued) {
        setRunState(*run, RunState::Cancelled, QStringLiteral("cancelled"));
        m_runs.erase(runId);
        return {};
    }
    finishRunIfDone(*run);
    return {};
}

Result<void> PipelineRunner::retryDeadLetter(qint64 runId, const QString &actor)
{
    if (!m_store)
        return makeError("engine.not_running", QStringLiteral("the engine is not running"));
    auto rec = m_store->run(runId);
    if (!rec)
        return rec.error();
    if (rec->state != RunState::DeadLetter)
        return makeError("pipeline.not_dead_letter",
            QStringLiteral("run %1 is %2, not in the dead-letter queue")
                .arg(runId)
                .arg(toString(rec->state)),
            { runId, toString(rec->state) });
    auto stages = m_store->stages(runId);
    if (!stages)
        return stages.error();
    for (StageRecord &s : *stages) {
        if (s.state == StageState::Succeeded)
            continue; // a checkpoint: it stays done
        s.state = StageState::Pending;
        s.failures = 0;
        s.nextAttemptMs = 0;
        if (auto r = m_store->updateStage(s); !r)
            return r.error();
    }
    rec->state = RunState::Queued;
    rec->error.clear();
    rec->failedStage.clear();
    rec->finishedMs = 0;
    if (auto r = m_store->updateRun(*rec); !r)
        return r.error();
    {
        QMutexLocker lock(&m_countersMutex);
        --m_counters.deadLetter;
    }
    audit(AuditStreams::operatorActions(), actor, QStringLiteral("pipeline.dlq_retry"),
        { { QStringLiteral("run"), runId }, { QStringLiteral("pipeline"), rec->pipeline } });
    const QString pipeline = rec->pipeline;
    if (auto r = resume(*rec, *stages, {}); !r)
        return r;
    activateQueued(pipeline);
    return {};
}

Result<void> PipelineRunner::discardDeadLetter(qint64 runId, const QString &actor)
{
    if (!m_store)
        return makeError("engine.not_running", QStringLiteral("the engine is not running"));
    auto rec = m_store->run(runId);
    if (!rec)
        return rec.error();
    if (rec->state != RunState::DeadLetter)
        return makeError("pipeline.not_dead_letter",
            QStringLiteral("run %1 is %2, not in the dead-letter queue")
                .arg(runId)
                .arg(toString(rec->state)),
            { runId, toString(rec->state) });
    rec->state = RunState::Discarded;
    if (auto r = m_store->updateRun(*rec); !r)
        return r;
    {
        QMutexLocker lock(&m_countersMutex);
        --m_counters.deadLetter;
    }
    audit(AuditStreams::operatorActions(), actor, QStringLiteral("pipeline.dlq_discard"),
        { { QStringLiteral("run"), runId }, { QStringLiteral("pipeline"), rec->pipeline } });
    Q_EMIT runChanged(withoutDefinition(*rec));
    return {};
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
        return makeError("engine.not_running", QStringLiteral("the engine is not running"));
    return m_store->runs(filter);
}

Result<RunDetail> PipelineRunner::run(qint64 runId)
{
    if (!m_store)
        return makeError("engine.not_running", QStringLiteral("the engine is not running"));
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
    audit(AuditStreams::resilience(), Engine,
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
    audit(AuditStreams::resilience(), Engine,
        paused ? QStringLiteral("pipeline.external_paused")
               : QStringLiteral("pipeline.external_resumed"),
        {});
    Q_EMIT pipelinesChanged();
    pump();
}

void PipelineRunner::prune()
{
    if (!m_store || m_shuttingDown)
        return;
    QSet<QString> names;
    for (const PipelineDefinition &def : m_catalog->pipelines())
        names.insert(def.name);
    const qint64 now = m_clock->nowMs();
    for (const QString &name : std::as_const(names)) {
        const PipelineDefinition *def = m_catalog->find(name);
        const int keepRuns = def && def->keepRuns > 0 ? def->keepRuns : m_options.config.keepRuns;
        const qint64 keepFor
            = def && def->keepForMs > 0 ? def->keepForMs : m_options.config.keepForMs;
        const auto doomed = m_store->prune(name, keepRuns, keepFor > 0 ? now - keepFor : 0);
        if (!doomed) {
            noteStoreError(doomed.error());
            continue;
        }
        for (qint64 id : *doomed)
            QDir(runDir(id)).removeRecursively();
        if (!doomed->isEmpty())
            audit(AuditStreams::resilience(), Engine, QStringLiteral("pipeline.runs_pruned"),
                { { QStringLiteral("pipeline"), name },
                    { QStringLiteral("runs"), int(doomed->size()) } });
    }
}

void PipelineRunner::renewLeases()
{
    if (m_store && m_running > 0)
        if (auto r = m_store->renewLeases(m_owner, m_clock->nowMs() + m_options.config.leaseMs); !r)
            noteStoreError(r.error());
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
            if (auto r = m_store->finishAttempt(s.attempt, s.rec, {}); !r)
                noteStoreError(r.error());
    }
    m_running = 0;
    m_runs.clear();
    m_store.reset();
    updateGauges();
}

} // namespace Shivx
