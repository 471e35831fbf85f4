#include "backup/drcoordinator.h"

#include "audit/auditsink.h"
#include "core/clock.h"

#include <QJsonObject>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcDr, "shivx.backup.dr")

namespace Shivx {

namespace {

constexpr int RunsKept = 20;

} // namespace

DrCoordinator::DrCoordinator(QString plansDir, QObject *parent)
    : QObject(parent)
    , m_dir(std::move(plansDir))
    , m_runs(std::make_shared<QList<DrRun>>())
{
}

std::shared_ptr<const QList<DrRun>> DrCoordinator::runs() const
{
    std::lock_guard lock(m_mutex);
    return m_runs;
}

void DrCoordinator::load(const QString &databasePath)
{
    auto store = BackupCatalogue::open(databasePath, QStringLiteral("shivx-backup-dr"));
    if (!store) {
        qCWarning(lcDr) << "DR runs are kept in memory only:" << store.error().message;
        return;
    }
    m_store = std::move(*store);
    const auto interrupted = m_store->interruptDrRuns();
    if (!interrupted)
        qCWarning(lcDr) << interrupted.error().message;
    for (const DrRun &run : interrupted ? *interrupted : QList<DrRun>()) {
        qCWarning(lcDr).noquote() << QStringLiteral(
            "DR run %1 of plan %2 was still running when the engine stopped: interrupted")
                                         .arg(run.id)
                                         .arg(run.plan);
        if (m_services.audit)
            m_services.audit->record({ QStringLiteral("resilience"), QStringLiteral("engine"),
                QStringLiteral("dr.interrupted"),
                QJsonObject { { QStringLiteral("run"), run.id },
                    { QStringLiteral("plan"), run.plan },
                    { QStringLiteral("step"),
                        run.currentStep >= 0 && run.currentStep < run.steps.size()
                            ? QJsonValue(run.steps.at(run.currentStep).name)
                            : QJsonValue(QJsonValue::Null) } },
                m_services.clock ? m_services.clock->nowMs() : Clock::system()->nowMs() });
    }
    const auto stored = m_store->drRuns(RunsKept);
    if (!stored) {
        qCWarning(lcDr) << stored.error().message;
        return;
    }
    if (!stored->isEmpty())
        m_nextId = qMax(m_nextId, stored->first().id + 1);
    std::lock_guard lock(m_mutex);
    m_runs = std::make_shared<QList<DrRun>>(*stored);
}

void DrCoordinator::update(const DrRun &run)
{
    if (m_store) {
        // A failed write costs the stored copy only: the run goes on and the audit chain has it.
        if (auto r = m_store->saveDrRun(run); !r)
            qCWarning(lcDr) << r.error().message;
    }
    auto list = std::make_shared<QList<DrRun>>(*runs());
    bool found = false;
    for (DrRun &r : *list) {
        if (r.id == run.id) {
            r = run;
            found = true;
        }
    }
    if (!found)
        list->prepend(run);
    while (list->size() > RunsKept)
        list->removeLast();
    {
        std::lock_guard lock(m_mutex);
        m_runs = list;
    }
    Q_EMIT runChanged(run);
}

Result<DrRun> DrCoordinator::activate(const QString &name, bool dryRun, const QString &actor)
{
    if (m_active)
        return makeError("dr.busy",
            QStringLiteral("DR plan %1 is running (run %2); abort it first")
                .arg(m_active->run().plan)
                .arg(m_active->run().id));
    const auto plans = loadDrPlans(m_dir);
    if (!plans)
        return plans.error();
    const DrPlan *plan = nullptr;
    QStringList names;
    for (const DrPlan &p : *plans) {
        names << p.name;
        if (p.name == name)
            plan = &p;
    }
    if (!plan)
        return makeError("dr.no_plan",
            QStringLiteral("no DR plan %1 in %2 (plans: %3)")
                .arg(name, m_dir.isEmpty() ? QStringLiteral("(backup.dr_plans is not set)") : m_dir,
                    names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", "))),
            { name });
    DrRun run;
    run.id = m_nextId++;
    run.plan = plan->name;
    run.dryRun = dryRun;
    run.actor = actor;
    m_active = new DrRunner(*plan, run, m_services, this);
    connect(m_active, &DrRunner::changed, this, &DrCoordinator::update);
    connect(m_active, &DrRunner::finished, this, [this](const DrRun &) {
        m_active->deleteLater();
        m_active = nullptr;
    });
    m_active->start();
    return m_active ? m_active->run() : runs()->first();
}

Result<DrRun> DrCoordinator::abort(qint64 id, const QString &actor)
{
    if (!m_active || m_active->run().id != id) {
        for (const DrRun &r : *runs())
            if (r.id == id)
                return makeError("dr.finished",
                    QStringLiteral("DR run %1 has ended (%2)").arg(id).arg(r.state), { id });
        return makeError("dr.no_run",
            QStringLiteral("no DR run %1 among the newest %2").arg(id).arg(RunsKept), { id });
    }
    DrRunner *runner = m_active;
    runner->abort(actor);
    return runs()->first();
}

void DrCoordinator::stop()
{
    if (m_active)
        m_active->abort(QStringLiteral("engine"));
    // The connection belongs to this thread: closed here, not in the destructor.
    m_store.reset();
}

} // namespace Shivx
