#include "guardian/guardianmodule.h"

#include "alerting/alertingmodule.h"
#include "alerting/alertingservice.h"
#include "audit/auditsink.h"
#include "core/config.h"
#include "core/configreader.h"
#include "core/modulehost.h"
#include "guardian/detectors/logwatcher.h"
#include "guardian/guardianapi.h"
#include "guardian/guardianapiguard.h"
#include "guardian/guardianconfig.h"
#include "guardian/guardiancontroller.h"
#include "guardian/guardianmetrics.h"
#include "guardian/guardianservice.h"
#include "health/healthmodule.h"
#include "health/healthservice.h"
#include "pipelines/pipelineservice.h"
#include "pipelines/pipelinesmodule.h"
#include "recovery/recoveryconfig.h"
#include "recovery/recoverymodule.h"
#include "recovery/recoveryservice.h"
#include "storage/migrations.h"

#include <QLoggingCategory>

#include <yaml-cpp/yaml.h>

Q_LOGGING_CATEGORY(lcGuardianModule, "shivx.guardian.module")

namespace Shivx {

namespace {

void registerMetaTypes()
{
    qRegisterMetaType<DefenseMode>();
    qRegisterMetaType<ThreatSeverity>();
    qRegisterMetaType<ThreatEvent>();
    qRegisterMetaType<ThreatRecord>();
    qRegisterMetaType<Isolation>();
    qRegisterMetaType<GuardianSnapshot>();
    qRegisterMetaType<WatcherHit>();
}

} // namespace

QStringList GuardianModule::configKeys() const
{
    return { QStringLiteral("guardian") };
}

void GuardianModule::readConfig(
    Internal::ConfigReader &reader, const YAML::Node &root, Config &config) const
{
    Internal::readGuardianConfig(reader, root["guardian"], &config.editSection<GuardianConfig>());
}

QStringList GuardianModule::targetKeys() const
{
    return { QStringLiteral("external") };
}

void GuardianModule::readTarget(Internal::ConfigReader &reader, const YAML::Node &entry,
    const QString &path, Config &config, TargetSpec &target) const
{
    bool external = false;
    reader.boolean(entry, path, "external", &external);
    if (reader.failed() || !external)
        return;
    // Recovery reads its keys of the entry first (module order), so its spec is there.
    bool supervised = false;
    for (const RecoverySpec &s : config.section<RecoveryConfig>().supervised)
        supervised = supervised || (s.name == target.name && s.supervised);
    if (!supervised) {
        reader.fail(entry["external"],
            Internal::ConfigReader::join(path, QStringLiteral("external")),
            QStringLiteral("applies only to a target with supervise: (LOCKDOWN stops it)"));
        return;
    }
    config.editSection<GuardianConfig>().externalTargets.append(target.name);
}

QList<Internal::Migration> GuardianModule::migrations() const
{
    // Never edit a step that has shipped; add one (docs/storage.md, "Migrations").
    return {
        { 3, QStringLiteral("guardian threats, isolations and defense mode"),
            {
                // One row per source and type while repeats keep coming (aggregate_window).
                QStringLiteral("CREATE TABLE guardian_threat ("
                               " id INTEGER PRIMARY KEY,"
                               " type TEXT NOT NULL,"
                               " severity INTEGER NOT NULL," // 0 info, 1 warning, 2 critical
                               " source TEXT NOT NULL,"
                               " evidence TEXT NOT NULL,"
                               " score INTEGER NOT NULL,"
                               " count INTEGER NOT NULL,"
                               " first_ts INTEGER NOT NULL,"
                               " last_ts INTEGER NOT NULL)"),
                QStringLiteral(
                    "CREATE INDEX guardian_threat_source ON guardian_threat (source, type, id)"),
                QStringLiteral("CREATE INDEX guardian_threat_last ON guardian_threat (last_ts)"),
                QStringLiteral("CREATE TABLE guardian_isolation ("
                               " source TEXT PRIMARY KEY,"
                               " since_ts INTEGER NOT NULL,"
                               " until_ts INTEGER NOT NULL,"
                               " reason TEXT NOT NULL,"
                               " actor TEXT NOT NULL) WITHOUT ROWID"),
                // One row (id 1): the mode in effect, so that it survives a restart.
                QStringLiteral("CREATE TABLE guardian_state ("
                               " id INTEGER PRIMARY KEY CHECK (id = 1),"
                               " mode TEXT NOT NULL,"
                               " floor TEXT NOT NULL,"
                               " reason TEXT NOT NULL," // JSON {code, args, text}
                               " actor TEXT NOT NULL,"
                               " changed_ts INTEGER NOT NULL)"),
            },
            {} },
    };
}

std::unique_ptr<ModuleRuntime> GuardianModule::createRuntime(ModuleHost &host) const
{
    return std::make_unique<GuardianRuntime>(host);
}

GuardianRuntime::GuardianRuntime(ModuleHost &host)
    : m_service(std::make_unique<GuardianService>(host.config().section<GuardianConfig>()))
{
    registerMetaTypes();
}

GuardianRuntime::~GuardianRuntime() = default;

QObject *GuardianRuntime::service()
{
    return m_service.get();
}

Result<void> GuardianRuntime::prepare(ModuleHost &host)
{
    const GuardianConfig &config = m_service->config();
    // The guard hands its events to the controller, which exists once this returns; events
    // only come once the API serves, after start().
    GuardianController **controller = &m_controller;
    if (config.enabled)
        m_guard = std::make_shared<GuardianApiGuard>(
            config.api, host.clock(), [controller](const ThreatEvent &e) {
                GuardianController *c = *controller;
                if (c)
                    QMetaObject::invokeMethod(
                        c, [c, e] { c->raise(e); }, Qt::QueuedConnection);
            });
    m_controller
        = new GuardianController(config, host.databasePath(), host.clock(), host.audit(), m_guard);
    GuardianService *service = m_service.get();
    QObject::connect(
        m_controller, &GuardianController::snapshotChanged, service, &GuardianService::changed);
    QObject::connect(
        m_controller, &GuardianController::modeChanged, service, &GuardianService::modeChanged);
    QObject::connect(m_controller, &GuardianController::threatRecorded, service,
        &GuardianService::threatRecorded);
    QObject::connect(m_controller, &GuardianController::notifyRequested, service,
        [this](const ThreatEvent &e) { notify(e); });
    host.placeOnThread("shivx-guardian", m_controller);
    m_service->setController(m_controller, host.databasePath());
    if (m_guard)
        host.setApiGuard(m_guard);

    // The detectors raise through the controller, as the API guard does: policies, aggregation,
    // the mode and isolation apply to their events alike.
    const QString positions = host.dataDir() + QStringLiteral("/guardian-watchers");
    for (const WatcherConfig &w : config.watchers) {
        auto watcher = LogWatcher::create(w, positions, host.clock());
        if (!watcher)
            return watcher.error();
        LogWatcher *lw = watcher->release();
        QObject::connect(
            lw, &LogWatcher::thresholdCrossed, m_controller, &GuardianController::watcherHit);
        QObject::connect(
            lw, &LogWatcher::lineMatched, m_controller, &GuardianController::watcherMatched);
        host.placeOnThread("shivx-guardian-logs", lw);
        m_watchers.append(lw);
    }
    if (HealthRuntime *health = host.runtime<HealthRuntime>())
        if (auto *hs = qobject_cast<HealthService *>(health->service()))
            QObject::connect(
                hs, &HealthService::hostSampled, m_controller, &GuardianController::hostSampled);

    if (PipelinesRuntime *pipelines = host.runtime<PipelinesRuntime>())
        m_pipelines = qobject_cast<PipelineService *>(pipelines->service());
    if (RecoveryRuntime *recovery = host.runtime<RecoveryRuntime>())
        m_recovery = qobject_cast<RecoveryService *>(recovery->service());
    QObject::connect(service, &GuardianService::modeChanged, service,
        [this](DefenseMode mode) { followMode(mode); });

    host.addRoutes(GuardianApi::routes(service, host.clock()));
    registerGuardianMetrics(*host.metrics(), service, m_guard);
    return {};
}

void GuardianRuntime::notify(const ThreatEvent &e)
{
    if (!m_alerting) {
        qCWarning(lcGuardianModule, "notify for %s from %s: no alerting module to send it",
            qPrintable(e.type), qPrintable(e.source));
        return;
    }
    const QMap<QString, QString> labels { { QStringLiteral("alertname"),
                                              QStringLiteral("GuardianThreat") },
        { QStringLiteral("severity"), toString(e.severity) }, { QStringLiteral("type"), e.type },
        { QStringLiteral("source"), e.source } };
    if (const Result<void> r = m_alerting->pushAlert(labels,
            QStringLiteral("%1 from %2 (score %3)").arg(e.type, e.source).arg(e.score), e.evidence,
            GuardianPolicy::notifyHoldMs);
        !r)
        qCWarning(lcGuardianModule, "notify for %s: %s", qPrintable(e.type),
            qPrintable(r.error().toString()));
}

void GuardianRuntime::start(ModuleHost &host)
{
    if (AlertingRuntime *alerting = host.runtime<AlertingRuntime>())
        m_alerting = qobject_cast<AlertingService *>(alerting->service());
    // Blocking, so that the stored mode and isolations hold before Engine::start() returns.
    ModuleHost::callBlocking(m_controller, [](GuardianController *c) { c->start(); });
    for (LogWatcher *w : std::as_const(m_watchers))
        ModuleHost::callBlocking(w, [&host](LogWatcher *lw) {
            // A watcher that cannot keep its position still must not stop the engine.
            if (const Result<void> r = lw->start(); !r) {
                qCWarning(lcGuardianModule, "watcher %s: %s", qPrintable(lw->config().name),
                    qPrintable(r.error().toString()));
                host.audit()->record({ AuditStreams::security(), QStringLiteral("engine"),
                    QStringLiteral("guardian.watcher_failed"),
                    { { QStringLiteral("watcher"), lw->config().name },
                        { QStringLiteral("error"), r.error().toString() } },
                    0 });
            }
        });
    // A LOCKDOWN restored from before the restart holds for the external targets too.
    followMode(m_service->snapshotPtr()->mode);
}

void GuardianRuntime::followMode(DefenseMode mode)
{
    const bool stop = mode == DefenseMode::Lockdown;
    if (stop == m_externalStopped)
        return;
    m_externalStopped = stop;
    if (m_pipelines)
        if (const Result<void> r = m_pipelines->setExternalPaused(stop); !r)
            qCWarning(lcGuardianModule, "%s external pipelines: %s", stop ? "pausing" : "resuming",
                qPrintable(r.error().toString()));
    if (!m_recovery)
        return;
    for (const QString &name : m_service->config().externalTargets) {
        const Result<void> r = stop ? m_recovery->stopProcess(name, QStringLiteral("engine"))
                                    : m_recovery->startProcess(name, QStringLiteral("engine"));
        if (!r)
            qCWarning(lcGuardianModule, "%s external target %s: %s", stop ? "stopping" : "starting",
                qPrintable(name), qPrintable(r.error().toString()));
    }
}

void GuardianRuntime::stop(ModuleHost &)
{
    if (m_guard)
        m_guard->stopRaising();
    for (LogWatcher *w : std::as_const(m_watchers))
        ModuleHost::callBlocking(w, [](LogWatcher *lw) { lw->stop(); });
    ModuleHost::callBlocking(m_controller, [](GuardianController *c) { c->stop(); });
    m_service->setController(nullptr, {});
}

void GuardianRuntime::stopped()
{
    m_controller = nullptr;
    m_watchers.clear();
}

} // namespace Shivx
