// The console's words for the outcomes of DR plan steps (the `dr.*` codes the engine's DR runner
// gives a step): shown in the run view and printed in the DR report.
#include "drreport.h"
#include "recovery/processesmodel.h"
#include "widgets/enginewording.h"
#include "widgets/enginewording_p.h"

#include <QLocale>

namespace Shivx::Ui::Internal {

namespace {

QString text(const QVariant &v)
{
    return v.toString();
}

QString count(const QVariant &v)
{
    return QLocale().toString(v.toLongLong());
}

QString processState(const QVariant &code)
{
    for (ProcessState s : { ProcessState::Stopped, ProcessState::Starting, ProcessState::Running,
             ProcessState::Backoff, ProcessState::CrashLoop, ProcessState::Stopping })
        if (toString(s) == code.toString())
            return ProcessesModel::stateText(s);
    return code.toString();
}

} // namespace

void addDrStepWordings(QHash<QString, Wording> &t)
{
    t.insert(QStringLiteral("dr.module_not_running"), [](const QVariantList &a) {
        return EngineWording::tr("The %1 module is not running").arg(text(a.value(0)));
    });
    t.insert(QStringLiteral("dr.process_state"), [](const QVariantList &a) {
        return EngineWording::tr("Process %1: %2").arg(text(a.value(0)), processState(a.value(1)));
    });
    t.insert(QStringLiteral("dr.process_gone"), [](const QVariantList &a) {
        return EngineWording::tr("Process %1 is no longer supervised").arg(text(a.value(0)));
    });
    t.insert(QStringLiteral("dr.target_state"), [](const QVariantList &a) {
        return EngineWording::tr("Target %1: %2").arg(text(a.value(0)), targetState(a.value(1)));
    });
    t.insert(QStringLiteral("dr.no_target"), [](const QVariantList &a) {
        return EngineWording::tr("No target named %1").arg(text(a.value(0)));
    });
    t.insert(QStringLiteral("dr.no_process"), [](const QVariantList &a) {
        return EngineWording::tr("No supervised process named %1").arg(text(a.value(0)));
    });
    t.insert(QStringLiteral("dr.no_backup_set"), [](const QVariantList &a) {
        return EngineWording::tr("No backup set named %1").arg(text(a.value(0)));
    });
    t.insert(QStringLiteral("dr.not_executable"), [](const QVariantList &a) {
        return EngineWording::tr("%1 is not an executable program").arg(text(a.value(0)));
    });
    t.insert(QStringLiteral("dr.dry_run"), [](const QVariantList &a) {
        return EngineWording::tr("Dry run: the step would run (%1)")
            .arg(Reports::DrReport::action(text(a.value(0))));
    });
    t.insert(QStringLiteral("dr.verified"), [](const QVariantList &a) {
        return EngineWording::tr("%1 entries match the manifest of snapshot %2")
            .arg(count(a.value(0)), text(a.value(1)));
    });
    t.insert(QStringLiteral("dr.would_change"), [](const QVariantList &a) {
        return EngineWording::tr("%1 entries would change").arg(count(a.value(0)));
    });
    t.insert(QStringLiteral("dr.restored"), [](const QVariantList &a) {
        return EngineWording::tr("%1 files (%2) restored from snapshot %3")
            .arg(count(a.value(0)), DisplayFormat::bytes(a.value(1).toULongLong()),
                text(a.value(2)));
    });
    t.insert(QStringLiteral("dr.guardian_mode"), [](const QVariantList &a) {
        return EngineWording::tr("Guardian mode %1 (was %2)")
            .arg(text(a.value(0)), text(a.value(1)));
    });
    t.insert(QStringLiteral("dr.source_freed"), [](const QVariantList &a) {
        return EngineWording::tr("%1 is no longer isolated").arg(text(a.value(0)));
    });
    t.insert(QStringLiteral("dr.isolated"), [](const QVariantList &a) {
        return EngineWording::tr("%1 isolated for %2")
            .arg(text(a.value(0)), DisplayFormat::duration(a.value(1).toLongLong()));
    });
    t.insert(QStringLiteral("dr.unpinned"), [](const QVariantList &) {
        return EngineWording::tr("Degradation level no longer pinned");
    });
    t.insert(QStringLiteral("dr.pinned"), [](const QVariantList &a) {
        return EngineWording::tr("Degradation pinned at %1").arg(level(a.value(0)));
    });
    t.insert(QStringLiteral("dr.notified"), [](const QVariantList &a) {
        return EngineWording::tr("Notified: %1 (alert DrNotify sent to the notifiers)")
            .arg(text(a.value(0)));
    });
    t.insert(QStringLiteral("dr.notified_audit_only"), [](const QVariantList &a) {
        return EngineWording::tr("Notified: %1 (in the audit chain only: %2)")
            .arg(text(a.value(0)), text(a.value(1)));
    });
    t.insert(QStringLiteral("dr.webhook_answered"), [](const QVariantList &a) {
        return EngineWording::tr("The webhook answered HTTP %1").arg(text(a.value(0)));
    });
    t.insert(QStringLiteral("dr.webhook_failed"), [](const QVariantList &a) {
        return EngineWording::tr("The webhook failed: %1").arg(text(a.value(0)));
    });
    t.insert(QStringLiteral("dr.not_started"), [](const QVariantList &a) {
        return EngineWording::tr("The command could not start: %1").arg(text(a.value(0)));
    });
    t.insert(QStringLiteral("dr.exit_code"), [](const QVariantList &a) {
        return EngineWording::tr("The command ended with exit code %1").arg(text(a.value(0)));
    });
    t.insert(QStringLiteral("dr.timed_out"), [](const QVariantList &a) {
        return EngineWording::tr("Timed out after %1")
            .arg(DisplayFormat::duration(a.value(0).toLongLong()));
    });
    t.insert(QStringLiteral("dr.aborted"), [](const QVariantList &a) {
        return EngineWording::tr("Aborted by %1").arg(text(a.value(0)));
    });
}

} // namespace Shivx::Ui::Internal
