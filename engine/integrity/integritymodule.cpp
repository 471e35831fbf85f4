#include "integrity/integritymodule.h"

#include "backup/backupconfig.h"
#include "core/config.h"
#include "core/configreader.h"
#include "core/modulehost.h"
#include "degradation/degradationmodule.h"
#include "degradation/degradationservice.h"
#include "integrity/integrityapi.h"
#include "integrity/integrityconfig.h"
#include "integrity/integritymetrics.h"
#include "integrity/integrityscanner.h"
#include "integrity/integrityservice.h"
#include "integrity/integritywatcher.h"

#include <yaml-cpp/yaml.h>

namespace Shivx {

namespace {

void registerMetaTypes()
{
    qRegisterMetaType<IntegrityMode>();
    qRegisterMetaType<IntegrityProgress>();
    qRegisterMetaType<IntegrityResult>();
    qRegisterMetaType<IntegrityBaselineStatus>();
    qRegisterMetaType<IntegrityDifference>();
    qRegisterMetaType<FileState>();
}

DegradationService *degradationOf(ModuleHost &host)
{
    DegradationRuntime *d = host.runtime<DegradationRuntime>();
    return d ? qobject_cast<DegradationService *>(d->service()) : nullptr;
}

} // namespace

QStringList IntegrityModule::configKeys() const
{
    return { QStringLiteral("integrity") };
}

void IntegrityModule::readConfig(
    Internal::ConfigReader &reader, const YAML::Node &root, Config &config) const
{
    Internal::readIntegrityConfig(
        reader, root["integrity"], &config.editSection<IntegrityConfig>());
}

std::unique_ptr<ModuleRuntime> IntegrityModule::createRuntime(ModuleHost &host) const
{
    return std::make_unique<IntegrityRuntime>(host);
}

IntegrityRuntime::IntegrityRuntime(ModuleHost &host)
    : m_service(std::make_unique<IntegrityService>(host.config().section<IntegrityConfig>()))
{
    registerMetaTypes();
}

IntegrityRuntime::~IntegrityRuntime() = default;

QObject *IntegrityRuntime::service()
{
    return m_service.get();
}

Result<void> IntegrityRuntime::prepare(ModuleHost &host)
{
    IntegrityService *service = m_service.get();
    m_scanner = new IntegrityScanner(service->config(), host.dataDir(), host.audit(), host.clock());
    m_scanner->setBackupConfig(
        std::make_shared<const BackupConfig>(host.config().section<BackupConfig>()));
    QObject::connect(
        m_scanner, &IntegrityScanner::progressChanged, service, &IntegrityService::progressChanged);
    QObject::connect(m_scanner, &IntegrityScanner::finished, service, &IntegrityService::finished);
    QObject::connect(
        m_scanner, &IntegrityScanner::baselineChanged, service, &IntegrityService::baselineChanged);
    QObject::connect(m_scanner, &IntegrityScanner::differencesChanged, service,
        &IntegrityService::differencesChanged);
    // The level is read by the hashing threads between reads, so it is stored directly from
    // degradation's thread instead of waiting for the scanner's (busy) event loop.
    if (DegradationService *degradation = degradationOf(host)) {
        IntegrityScanner *scanner = m_scanner;
        QObject::connect(
            degradation, &DegradationService::changed, m_scanner,
            [scanner](const DegradationSnapshot &s) {
                scanner->setDegradationLevel(levelValue(s.level));
            },
            Qt::DirectConnection);
    }
    // Auto restore looks again whenever the differences change (a check, a real-time
    // re-check) and when an operation ends (it may have been busy before).
    IntegrityScanner *restorer = m_scanner;
    const auto autoRestore = [restorer] { restorer->autoRestore(); };
    QObject::connect(m_scanner, &IntegrityScanner::differencesChanged, m_scanner, autoRestore,
        Qt::QueuedConnection);
    QObject::connect(
        m_scanner, &IntegrityScanner::finished, m_scanner, autoRestore, Qt::QueuedConnection);
    host.placeOnThread("shivx-integrity", m_scanner);
    if (service->config().hasCritical()) {
        m_watcher = new IntegrityWatcher(service->config(), m_scanner);
        host.placeOnThread("shivx-integrity-watch", m_watcher);
    }

    host.addRoutes(IntegrityApi::routes(service));
    registerIntegrityMetrics(*host.metrics(), service);
    return {};
}

void IntegrityRuntime::start(ModuleHost &host)
{
    if (DegradationService *degradation = degradationOf(host))
        m_scanner->setDegradationLevel(levelValue(degradation->snapshotPtr()->level));
    QMetaObject::invokeMethod(m_scanner, &IntegrityScanner::start, Qt::QueuedConnection);
    if (m_watcher)
        QMetaObject::invokeMethod(m_watcher, &IntegrityWatcher::start, Qt::QueuedConnection);
    m_service->setScanner(m_scanner);
}

void IntegrityRuntime::stop(ModuleHost &)
{
    m_service->setScanner(nullptr);
    if (m_scanner)
        m_scanner->cancel(QStringLiteral("the engine is stopping"), QStringLiteral("engine"));
    ModuleHost::callBlocking(m_watcher, [](IntegrityWatcher *w) { w->stop(); });
    ModuleHost::callBlocking(m_scanner, [](IntegrityScanner *s) { s->stop(); });
}

void IntegrityRuntime::stopped()
{
    m_watcher = nullptr;
    m_scanner = nullptr;
}

} // namespace Shivx
