#include "backup/drcoordinator.h"

#include "core/clock.h"

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

void DrCoordinator::update(const DrRun &run)
{
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
        return makeError(
            "dr.no_run", QStringLiteral("no DR run %1 in this engine run").arg(id), { id });
    }
    DrRunner *runner = m_active;
    runner->abort(actor);
    return runs()->first();
}

void DrCoordinator::stop()
{
    if (m_active)
        m_active->abort(QStringLiteral("engine"));
}

} // namespace Shivx
