#include "backup/backupservice.h"

#include "backup/backupcontroller.h"
#include "backup/backupjob.h"
#include "backup/drcoordinator.h"
#include "core/callonthread.h"

#include <QDir>
#include <QThread>

namespace Shivx {

namespace {

Error notRunning()
{
    return makeError("engine.not_running", QStringLiteral("the engine is not running"));
}

} // namespace

BackupService::BackupService(BackupConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_stopped(std::make_shared<BackupState>())
{
}

template <class T, class Obj>
Result<T> BackupService::callOn(Obj *obj, const std::function<Result<T>(Obj *)> &f)
{
    if (!obj)
        return notRunning();
    if (obj->thread() == QThread::currentThread())
        return f(obj);
    std::optional<Result<T>> out;
    // The backup thread never waits for the caller's thread, so this cannot deadlock.
    const bool ran = callOnThread(obj, [&] { out.emplace(f(obj)); });
    if (!ran || !out)
        return notRunning();
    return std::move(*out);
}

template <class T>
Result<T> BackupService::call(const std::function<Result<T>(BackupController *)> &f) const
{
    return callOn<T, BackupController>(m_controller.load(), f);
}

BackupState BackupService::state() const
{
    return *statePtr();
}

std::shared_ptr<const BackupState> BackupService::statePtr() const
{
    BackupController *controller = m_controller.load();
    return controller ? controller->statePtr() : m_stopped;
}

Result<BackupOperation> BackupService::operation(qint64 id) const
{
    const auto s = statePtr();
    for (const BackupOperation &op : s->operations)
        if (op.id == id)
            return op;
    if (!s->running)
        return notRunning();
    return makeError("backup.no_operation",
        QStringLiteral("no operation %1 among this engine run's recent ones").arg(id), { id });
}

Result<BackupOperation> BackupService::backupNow(
    const QString &set, const QString &type, const QString &actor, const QString &trigger)
{
    const BackupSetSpec *spec = m_config.set(set);
    if (!spec)
        return makeError("backup.no_set",
            QStringLiteral("no backup set %1 in the configuration's backup.sets").arg(set),
            { set });
    Backup::BackupType parsed;
    const QString t = type.isEmpty() ? QStringLiteral("incremental") : type;
    if (!Backup::parseBackupType(t, &parsed))
        return makeError("backup.bad_type",
            QStringLiteral("%1 is not full, incremental or differential").arg(t), { t });
    Backup::OperationRequest r;
    r.kind = QStringLiteral("backup");
    r.set = *spec;
    r.type = t;
    const QString how = trigger.isEmpty() ? QStringLiteral("manual") : trigger;
    return call<BackupOperation>([=](BackupController *c) { return c->submit(r, how, actor); });
}

Result<BackupOperation> BackupService::backupChanged(const QString &set, const QStringList &touched)
{
    const BackupSetSpec *spec = m_config.set(set);
    if (!spec)
        return makeError("backup.no_set", QStringLiteral("no backup set %1").arg(set), { set });
    Backup::OperationRequest r;
    r.kind = QStringLiteral("backup");
    r.set = *spec;
    return call<BackupOperation>([=](BackupController *c) {
        return c->submit(r, QStringLiteral("continuous"), QStringLiteral("engine"), touched);
    });
}

Result<BackupOperation> BackupService::verify(bool quick, const QString &actor)
{
    Backup::OperationRequest r;
    r.kind = QStringLiteral("verify");
    r.quick = quick;
    return call<BackupOperation>(
        [=](BackupController *c) { return c->submit(r, QStringLiteral("manual"), actor); });
}

Result<BackupOperation> BackupService::restore(
    const BackupRestoreRequest &request, const QString &actor)
{
    return restoreLike(QStringLiteral("restore"), request, actor);
}

Result<BackupOperation> BackupService::verifyRestored(
    const BackupRestoreRequest &request, const QString &actor)
{
    return restoreLike(QStringLiteral("compare"), request, actor);
}

Result<BackupOperation> BackupService::restoreLike(
    const QString &kind, const BackupRestoreRequest &request, const QString &actor)
{
    if (!QDir::isAbsolutePath(request.target))
        return makeError("backup.bad_path",
            QStringLiteral("target: %1 is not an absolute directory (\"/\" restores in place)")
                .arg(request.target),
            { request.target });
    if (!request.path.isEmpty() && !QDir::isAbsolutePath(request.path))
        return makeError("backup.bad_path",
            QStringLiteral("path: %1 is not an absolute path inside the snapshot")
                .arg(request.path),
            { request.path });
    Backup::OperationRequest r;
    r.kind = kind;
    if (!request.set.isEmpty()) {
        const BackupSetSpec *spec = m_config.set(request.set);
        if (!spec)
            return makeError("backup.no_set",
                QStringLiteral("no backup set %1 in the configuration's backup.sets")
                    .arg(request.set),
                { request.set });
        r.set = *spec;
    }
    r.snapshot = request.snapshot;
    r.atMs = request.atMs;
    r.path = request.path;
    r.target = request.target;
    r.dryRun = request.dryRun;
    return call<BackupOperation>(
        [=](BackupController *c) { return c->submit(r, QStringLiteral("manual"), actor); });
}

Result<BackupOperation> BackupService::prune(bool dryRun, const QString &actor)
{
    Backup::OperationRequest r;
    r.kind = QStringLiteral("prune");
    r.dryRun = dryRun;
    r.sets = m_config.sets;
    return call<BackupOperation>(
        [=](BackupController *c) { return c->submit(r, QStringLiteral("manual"), actor); });
}

Result<BackupOperation> BackupService::drill(const QString &set, const QString &actor)
{
    const BackupSetSpec *spec = m_config.set(set);
    if (!spec)
        return makeError("backup.no_set",
            QStringLiteral("no backup set %1 in the configuration's backup.sets").arg(set),
            { set });
    Backup::OperationRequest r;
    r.kind = QStringLiteral("drill");
    r.set = *spec;
    return call<BackupOperation>(
        [=](BackupController *c) { return c->submit(r, QStringLiteral("manual"), actor); });
}

Result<BackupOperation> BackupService::cancel(qint64 id, const QString &actor)
{
    return call<BackupOperation>([=](BackupController *c) { return c->cancel(id, actor); });
}

Result<BackupOperation> BackupService::syncCatalogue(const QString &actor)
{
    return call<BackupOperation>([=](BackupController *c) { return c->syncCatalogue(actor); });
}

Result<QList<CatalogueSnapshot>> BackupService::snapshots(const QString &set) const
{
    return call<QList<CatalogueSnapshot>>([=](BackupController *c) { return c->snapshots(set); });
}

Result<QList<BackupOperation>> BackupService::history(int limit, const QString &kind) const
{
    return call<QList<BackupOperation>>(
        [=](BackupController *c) { return c->history(limit, kind); });
}

Result<QList<DrPlan>> BackupService::drPlans() const
{
    DrCoordinator *dr = m_dr.load();
    if (!dr)
        return notRunning();
    return loadDrPlans(dr->plansDir());
}

Result<DrRun> BackupService::activateDr(const QString &plan, bool dryRun, const QString &actor)
{
    return callOn<DrRun, DrCoordinator>(
        m_dr.load(), [=](DrCoordinator *d) { return d->activate(plan, dryRun, actor); });
}

Result<DrRun> BackupService::abortDr(qint64 run, const QString &actor)
{
    return callOn<DrRun, DrCoordinator>(
        m_dr.load(), [=](DrCoordinator *d) { return d->abort(run, actor); });
}

QList<DrRun> BackupService::drRuns() const
{
    DrCoordinator *dr = m_dr.load();
    return dr ? *dr->runs() : QList<DrRun>();
}

} // namespace Shivx
