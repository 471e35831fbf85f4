#include "backup/backupcontroller.h"

#include "audit/auditsink.h"
#include "backup/backupcatalogue.h"
#include "backup/backupscheduler.h"
#include "backup/credentialsource.h"
#include "core/clock.h"

#include <QDir>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcBackup, "shivx.backup")

namespace Shivx {

using namespace Shivx::Backup;

const QString BackupController::ScheduledKind = QStringLiteral("backup.scheduled");
const QString BackupController::ManualKind = QStringLiteral("backup.manual");

namespace {

constexpr int RecentKept = 20;

bool sameWork(const BackupOperation &a, const OperationRequest &b)
{
    // Restores and compares name their own targets: any number may run.
    if (a.kind != b.kind || b.kind == QLatin1String("restore")
        || b.kind == QLatin1String("compare"))
        return false;
    // Backups and drills conflict per set, off-site copies per remote; verify, prune and the
    // catalogue repository-wide.
    if (b.kind == QLatin1String("offsite"))
        return a.type == b.remote.name;
    return (b.kind != QLatin1String("backup") && b.kind != QLatin1String("drill"))
        || a.set == b.set.name;
}

QString scheduleText(const BackupSetSpec &set)
{
    if (set.continuous)
        return QStringLiteral("continuous");
    QStringList parts;
    for (const BackupScheduleSpec &s : set.schedules)
        parts << QStringLiteral("%1 (%2)").arg(s.cron, s.type);
    return parts.join(QStringLiteral("; "));
}

} // namespace

BackupController::BackupController(Setup setup, QObject *parent)
    : QObject(parent)
    , m_setup(std::move(setup))
    , m_state(std::make_shared<BackupState>())
{
    if (!m_setup.clock)
        m_setup.clock = Clock::system();
}

BackupController::~BackupController() = default;

std::shared_ptr<const BackupState> BackupController::statePtr() const
{
    std::lock_guard lock(m_stateMutex);
    return m_state;
}

void BackupController::start()
{
    auto catalogue = BackupCatalogue::open(m_setup.databasePath, QStringLiteral("shivx-backup"));
    if (catalogue)
        m_catalogue = std::move(*catalogue);
    else
        m_catalogueError = catalogue.error().message;
    if (!m_scheduler) {
        m_scheduler = new BackupScheduler(
            m_setup.clock,
            [this](const BackupScheduledJob &job) { fireScheduled(job.kind, job.set, job.type); },
            QTimeZone::systemTimeZone(), this);
    }
    m_scheduler->setConfig(m_setup.config);
    // The catalogue is a cache of the repository: read it again at each start (a rebuild when
    // the database is new, as on a rebuilt host).
    if (QDir(m_setup.repository).exists()) {
        OperationRequest sync;
        sync.kind = QStringLiteral("catalogue");
        submit(sync, QStringLiteral("start"), QStringLiteral("engine"));
    }
    publish(true);
}

void BackupController::stop()
{
    if (m_scheduler)
        m_scheduler->stop();
    const QList<qint64> ids = m_active.keys();
    for (qint64 id : ids)
        cancel(id, QStringLiteral("engine"));
}

void BackupController::reload(const BackupConfig &config)
{
    m_setup.config = config;
    if (m_scheduler)
        m_scheduler->setConfig(config);
    publish(true);
}

void BackupController::fireScheduled(const QString &kind, const QString &set, const QString &type)
{
    OperationRequest r;
    r.kind = kind;
    if (const BackupSetSpec *spec = m_setup.config.set(set))
        r.set = *spec;
    r.type = type;
    r.quick = type != QLatin1String("full");
    r.scratch = m_setup.scratch;
    const auto op = submit(r, QStringLiteral("schedule"), QStringLiteral("engine"));
    if (!op)
        qCWarning(lcBackup).noquote()
            << "scheduled" << kind << set << "not started:" << op.error().message;
}

Result<BackupOperation> BackupController::submit(OperationRequest request, const QString &trigger,
    const QString &actor, const QStringList &touched)
{
    for (const Running &r : std::as_const(m_active)) {
        if (sameWork(r.op, request))
            return makeError("backup.busy",
                QStringLiteral("%1%2 is already %3 (operation %4)")
                    .arg(request.kind,
                        r.op.set.isEmpty() ? QString() : QStringLiteral(" of ") + r.op.set,
                        r.op.state)
                    .arg(r.op.id),
                { r.op.id });
    }
    if (!touched.isEmpty())
        request.touched = QSet<QString>(touched.begin(), touched.end());
    if (request.kind == QLatin1String("drill"))
        request.scratch = m_setup.scratch;
    Running run;
    run.op.id = m_nextId++;
    run.op.kind = request.kind;
    run.op.set = request.set.name;
    run.op.type = request.kind == QLatin1String("verify")
        ? (request.quick ? QStringLiteral("quick") : QStringLiteral("full"))
        : request.kind == QLatin1String("backup")  ? request.type
        : request.kind == QLatin1String("offsite") ? request.remote.name
                                                   : QString();
    run.op.trigger = trigger;
    run.op.actor = actor;
    run.op.state = QStringLiteral("queued");
    run.op.queuedMs = m_setup.clock->nowMs();
    run.cancel = std::make_shared<std::atomic<bool>>(false);

    const qint64 id = run.op.id;
    const auto cancelFlag = run.cancel;
    const QString repo = m_setup.repository;
    const BackupConfig config = m_setup.config;
    const bool manual = trigger == QLatin1String("manual");
    auto task = [this, id, cancelFlag, repo, config, request] {
        QMetaObject::invokeMethod(
            this, [this, id] { started(id); }, Qt::QueuedConnection);
        Result<OperationOutcome> outcome = makeError("", QString());
        const auto credential = configuredCredential(config, repo);
        if (!credential) {
            outcome = credential.error();
        } else {
            Control control;
            control.cancel = cancelFlag.get();
            control.progress = [this, id](const Progress &p) {
                QMetaObject::invokeMethod(
                    this, [this, id, p] { progressed(id, p); }, Qt::QueuedConnection);
            };
            outcome = runOperation(repo, *credential, request, control);
        }
        QMetaObject::invokeMethod(
            this, [this, id, outcome] { finished(id, outcome); }, Qt::QueuedConnection);
    };
    const auto handle = m_setup.executor->submit(manual ? ManualKind : ScheduledKind, task);
    if (!handle)
        return handle.error();
    run.handle = *handle;
    const BackupOperation op = run.op;
    m_active.insert(id, std::move(run));
    if (trigger != QLatin1String("start"))
        audit(op, QStringLiteral("requested"));
    publish(false);
    Q_EMIT operationChanged(op);
    return op;
}

Result<BackupOperation> BackupController::cancel(qint64 id, const QString &actor)
{
    const auto it = m_active.find(id);
    if (it == m_active.end()) {
        for (const BackupOperation &op : std::as_const(m_recent))
            if (op.id == id)
                return makeError("backup.finished",
                    QStringLiteral("operation %1 has finished (%2)").arg(id).arg(op.state), { id });
        return makeError(
            "backup.no_operation", QStringLiteral("no operation %1 in this engine run").arg(id));
    }
    it->cancel->store(true);
    BackupOperation op = it->op;
    AuditSink *sink = m_setup.audit;
    if (sink)
        sink->record({ QStringLiteral("operator"), actor, QStringLiteral("backup.cancel_requested"),
            { { QStringLiteral("operation"), id }, { QStringLiteral("kind"), op.kind },
                { QStringLiteral("set"), op.set } },
            m_setup.clock->nowMs() });
    if (it->handle.cancel()) // still queued: it will never run
        finished(id, makeError("backup.cancelled", QStringLiteral("cancelled before it started")));
    return op;
}

void BackupController::started(qint64 id)
{
    const auto it = m_active.find(id);
    if (it == m_active.end())
        return;
    it->op.state = QStringLiteral("running");
    it->op.startedMs = m_setup.clock->nowMs();
    publish(false);
    Q_EMIT operationChanged(it->op);
}

void BackupController::progressed(qint64 id, const Progress &p)
{
    const auto it = m_active.find(id);
    if (it == m_active.end())
        return;
    BackupOperation &op = it->op;
    op.doneBytes = p.doneBytes;
    op.totalBytes = p.totalBytes;
    op.doneItems = p.doneItems;
    op.totalItems = p.totalItems;
    const qint64 elapsed = m_setup.clock->nowMs() - op.startedMs;
    if (p.doneBytes > 0 && p.totalBytes > p.doneBytes && elapsed > 0)
        op.etaMs
            = qint64(double(elapsed) * double(p.totalBytes - p.doneBytes) / double(p.doneBytes));
    else
        op.etaMs = p.totalBytes && p.doneBytes >= p.totalBytes ? 0 : -1;
    publish(false);
    Q_EMIT operationChanged(op);
}

void BackupController::finished(qint64 id, const Result<OperationOutcome> &outcome)
{
    const auto it = m_active.find(id);
    if (it == m_active.end())
        return;
    BackupOperation op = it->op;
    m_active.erase(it);
    op.finishedMs = m_setup.clock->nowMs();
    op.etaMs = 0;
    if (!outcome) {
        const bool cancelled = outcome.error().code == QLatin1String("backup.cancelled");
        op.state = cancelled ? QStringLiteral("cancelled") : QStringLiteral("failed");
        op.errorCode = outcome.error().code;
        op.errorMessage = outcome.error().message;
    } else {
        op.result = outcome->result;
        op.doneBytes = outcome->bytes;
        op.totalBytes = qMax(op.totalBytes, op.doneBytes);
        op.state = outcome->problems ? QStringLiteral("failed") : QStringLiteral("succeeded");
        if (outcome->problems) {
            const bool drill = op.kind == QLatin1String("drill");
            op.errorCode = drill                      ? QStringLiteral("backup.drill_mismatch")
                : op.kind == QLatin1String("compare") ? QStringLiteral("backup.restore_mismatch")
                                                      : QStringLiteral("backup.verify_problems");
            op.errorMessage = op.kind != QLatin1String("verify")
                ? QStringLiteral("%1 entries differ from the manifest")
                      .arg(op.result.value(QStringLiteral("mismatch_count")).toInteger())
                : QStringLiteral("verify found %1 problems")
                      .arg(op.result.value(QStringLiteral("problem_count")).toInteger());
        }
        if (m_catalogue) {
            Result<void> r;
            if (outcome->snapshot)
                r = m_catalogue->addSnapshot(*outcome->snapshot);
            else if (outcome->snapshots)
                r = m_catalogue->replaceSnapshots(*outcome->snapshots);
            if (!r)
                qCWarning(lcBackup).noquote() << r.error().message;
        }
    }
    if (m_catalogue && op.kind != QLatin1String("catalogue")) {
        if (auto r = m_catalogue->recordRun(op); !r)
            qCWarning(lcBackup).noquote() << r.error().message;
    }
    audit(op, op.state);
    m_recent.append(op);
    while (m_recent.size() > RecentKept)
        m_recent.removeFirst();
    publish(true);
    Q_EMIT operationChanged(op);
    if (op.kind == QLatin1String("backup"))
        Q_EMIT backupFinished(op.set, op.state == QLatin1String("succeeded"));
    copyOffsite(op);
}

void BackupController::copyOffsite(const BackupOperation &after)
{
    // A repository that changed goes off-site: after a backup, or a prune that deleted.
    const bool changed = after.state == QLatin1String("succeeded")
        && (after.kind == QLatin1String("backup")
            || (after.kind == QLatin1String("prune")
                && !after.result.value(QStringLiteral("dry_run")).toBool()));
    if (!changed)
        return;
    for (const OffsiteRemote &remote : std::as_const(m_setup.config.offsite)) {
        OperationRequest r;
        r.kind = QStringLiteral("offsite");
        r.remote = remote;
        const auto op = submit(r, after.trigger, QStringLiteral("engine"));
        if (!op)
            qCWarning(lcBackup).noquote()
                << "off-site copy to" << remote.name << "not started:" << op.error().message;
    }
}

void BackupController::audit(const BackupOperation &op, const QString &what)
{
    if (!m_setup.audit)
        return;
    QJsonObject data { { QStringLiteral("operation"), op.id }, { QStringLiteral("kind"), op.kind },
        { QStringLiteral("trigger"), op.trigger } };
    if (!op.set.isEmpty())
        data.insert(QStringLiteral("set"), op.set);
    if (!op.type.isEmpty())
        data.insert(QStringLiteral("type"), op.type);
    if (!op.errorCode.isEmpty())
        data.insert(QStringLiteral("error"), op.errorCode);
    if (op.finishedMs) {
        data.insert(QStringLiteral("duration_ms"), op.finishedMs - op.startedMs);
        data.insert(QStringLiteral("bytes"), qint64(op.doneBytes));
    }
    // The numbers a reviewer of the chain needs: what was written, what a drill measured.
    for (const char *key : { "snapshot", "rto_ms", "rpo_ms", "mismatch_count", "problem_count",
             "snapshots", "forgotten", "target", "path" }) {
        const QJsonValue v = op.result.value(QLatin1String(key));
        if (v.isString() || v.isDouble())
            data.insert(QLatin1String(key), v);
    }
    const bool byOperator = op.actor != QLatin1String("engine");
    m_setup.audit->record(
        { byOperator ? QStringLiteral("operator") : QStringLiteral("resilience"), op.actor,
            QStringLiteral("backup.%1_%2").arg(op.kind, what), data, m_setup.clock->nowMs() });
}

void BackupController::publish(bool refreshSets)
{
    if (refreshSets) {
        QStringList names;
        for (const BackupSetSpec &s : m_setup.config.sets)
            names << s.name;
        BackupState fresh;
        if (m_catalogue) {
            if (auto r = m_catalogue->fillState(names, m_setup.clock->nowMs(), &fresh); !r)
                qCWarning(lcBackup).noquote() << r.error().message;
        }
        for (int i = 0; i < fresh.sets.size(); ++i) {
            const BackupSetSpec &spec = m_setup.config.sets.at(i);
            fresh.sets[i].schedule = scheduleText(spec);
            fresh.sets[i].nextRunMs = m_scheduler ? m_scheduler->nextBackupMs(spec.name) : 0;
        }
        const auto credential = configuredCredential(m_setup.config, m_setup.repository);
        fresh.problem = !credential ? credential.error().message : m_catalogueError;
        m_sets = fresh;
    }
    auto s = std::make_shared<BackupState>(m_sets);
    s->running = true;
    s->repository = m_setup.repository;
    for (const Running &r : std::as_const(m_active))
        s->operations.append(r.op);
    for (auto it = m_recent.crbegin(); it != m_recent.crend(); ++it)
        s->operations.append(*it);
    {
        std::lock_guard lock(m_stateMutex);
        m_state = s;
    }
    Q_EMIT stateChanged(*s);
}

Result<QList<CatalogueSnapshot>> BackupController::snapshots(const QString &set)
{
    if (!m_catalogue)
        return makeError("backup.catalogue", m_catalogueError);
    return m_catalogue->snapshots(set);
}

Result<QList<BackupOperation>> BackupController::history(int limit, const QString &kind)
{
    if (!m_catalogue)
        return makeError("backup.catalogue", m_catalogueError);
    return m_catalogue->runs(limit, kind);
}

Result<BackupOperation> BackupController::syncCatalogue(const QString &actor)
{
    OperationRequest sync;
    sync.kind = QStringLiteral("catalogue");
    return submit(sync, QStringLiteral("manual"), actor);
}

} // namespace Shivx
