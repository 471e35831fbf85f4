#include "pipelines/pipelinesmodule.h"

#include "core/config.h"
#include "core/configreader.h"
#include "core/modulehost.h"
#include "degradation/degradationmodule.h"
#include "degradation/degradationservice.h"
#include "pipelines/pipelinesapi.h"
#include "pipelines/pipelinesconfig.h"
#include "pipelines/pipelineservice.h"
#include "storage/migrations.h"

#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcPipelines, "shivx.pipelines")

namespace Shivx {

namespace {

void registerMetaTypes()
{
    qRegisterMetaType<RunRecord>();
    qRegisterMetaType<StageRecord>();
    qRegisterMetaType<AttemptRecord>();
    qRegisterMetaType<ArtifactRecord>();
    qRegisterMetaType<PipelineInfo>();
    qRegisterMetaType<RunDetail>();
}

const QString BackgroundTasks = QStringLiteral("background_tasks");

// Relative to the configuration file's folder; the embedded configuration has none, so its
// relative paths go under the data directory.
QString resolveDirectory(const QString &dir, const Config &config, const QString &dataDir)
{
    if (dir.isEmpty() || dir.startsWith(QLatin1Char(':')) || QDir::isAbsolutePath(dir))
        return dir;
    const QString base
        = config.sourceFile.isEmpty() || config.sourceFile.startsWith(QLatin1Char(':'))
        ? dataDir
        : QFileInfo(config.sourceFile).absolutePath();
    return QDir::cleanPath(QDir(base).filePath(dir));
}

} // namespace

QStringList PipelinesModule::configKeys() const
{
    return { QStringLiteral("pipelines") };
}

void PipelinesModule::readConfig(
    Internal::ConfigReader &reader, const YAML::Node &root, Config &config) const
{
    Internal::readPipelinesConfig(
        reader, root["pipelines"], &config.editSection<PipelinesConfig>());
}

QList<Internal::Migration> PipelinesModule::migrations() const
{
    // docs/storage.md, "Pipelines". Never edit a step that has shipped; add one.
    return {
        { 2, QStringLiteral("pipeline job store"),
            {
                QStringLiteral("CREATE TABLE pipeline_run ("
                               " id INTEGER PRIMARY KEY,"
                               " pipeline TEXT NOT NULL,"
                               " version TEXT NOT NULL," // SHA-256 of definition
                               " file TEXT NOT NULL,"
                               " definition BLOB NOT NULL," // the bytes the run started with
                               " params TEXT NOT NULL," // JSON object
                               " state TEXT NOT NULL,"
                               " triggered_by TEXT NOT NULL," // manual, schedule
                               " actor TEXT NOT NULL,"
                               " created_ms INTEGER NOT NULL,"
                               " started_ms INTEGER NOT NULL DEFAULT 0,"
                               " finished_ms INTEGER NOT NULL DEFAULT 0,"
                               " error TEXT NOT NULL DEFAULT '',"
                               " failed_stage TEXT NOT NULL DEFAULT '')"),
                QStringLiteral(
                    "CREATE INDEX pipeline_run_by_pipeline ON pipeline_run (pipeline, id)"),
                QStringLiteral("CREATE INDEX pipeline_run_by_state ON pipeline_run (state)"),
                QStringLiteral(
                    "CREATE TABLE pipeline_stage ("
                    " run_id INTEGER NOT NULL REFERENCES pipeline_run(id) ON DELETE CASCADE,"
                    " stage TEXT NOT NULL,"
                    " state TEXT NOT NULL,"
                    " attempts INTEGER NOT NULL DEFAULT 0,"
                    " failures INTEGER NOT NULL DEFAULT 0,"
                    " next_attempt_ms INTEGER NOT NULL DEFAULT 0,"
                    " PRIMARY KEY (run_id, stage)) WITHOUT ROWID"),
                QStringLiteral(
                    "CREATE TABLE pipeline_attempt ("
                    " id INTEGER PRIMARY KEY,"
                    " run_id INTEGER NOT NULL REFERENCES pipeline_run(id) ON DELETE CASCADE,"
                    " stage TEXT NOT NULL,"
                    " attempt INTEGER NOT NULL,"
                    " state TEXT NOT NULL,"
                    " lease_owner TEXT NOT NULL,"
                    " lease_until_ms INTEGER NOT NULL,"
                    " pid INTEGER NOT NULL DEFAULT 0,"
                    " pgid INTEGER NOT NULL DEFAULT 0,"
                    " start_ticks INTEGER NOT NULL DEFAULT 0,"
                    " boot_id TEXT NOT NULL DEFAULT '',"
                    " started_ms INTEGER NOT NULL DEFAULT 0,"
                    " finished_ms INTEGER NOT NULL DEFAULT 0,"
                    " schedule_delay_us INTEGER NOT NULL DEFAULT -1,"
                    " slot_wait_us INTEGER NOT NULL DEFAULT -1,"
                    " exit_code INTEGER NOT NULL DEFAULT 0,"
                    " signal INTEGER NOT NULL DEFAULT 0,"
                    " error TEXT NOT NULL DEFAULT '',"
                    " stdout_path TEXT NOT NULL,"
                    " stderr_path TEXT NOT NULL,"
                    " status_path TEXT NOT NULL,"
                    " artifacts_dir TEXT NOT NULL DEFAULT '',"
                    " UNIQUE (run_id, stage, attempt))"),
                QStringLiteral("CREATE INDEX pipeline_attempt_running ON pipeline_attempt (state)"
                               " WHERE state = 'running'"),
                QStringLiteral(
                    "CREATE TABLE pipeline_artifact ("
                    " run_id INTEGER NOT NULL REFERENCES pipeline_run(id) ON DELETE CASCADE,"
                    " stage TEXT NOT NULL,"
                    " path TEXT NOT NULL," // relative to the attempt's artifacts dir
                    " sha256 TEXT NOT NULL,"
                    " size INTEGER NOT NULL,"
                    " PRIMARY KEY (run_id, stage, path)) WITHOUT ROWID"),
                QStringLiteral("CREATE TABLE pipeline_schedule ("
                               " pipeline TEXT PRIMARY KEY,"
                               " last_fired_ms INTEGER NOT NULL)"),
            },
            QStringLiteral("pipelines") },
    };
}

std::unique_ptr<ModuleRuntime> PipelinesModule::createRuntime(ModuleHost &host) const
{
    return std::make_unique<PipelinesRuntime>(host);
}

PipelinesRuntime::PipelinesRuntime(ModuleHost &)
    : m_service(std::make_unique<PipelineService>())
{
    registerMetaTypes();
}

PipelinesRuntime::~PipelinesRuntime() = default;

QObject *PipelinesRuntime::service()
{
    return m_service.get();
}

Result<void> PipelinesRuntime::prepare(ModuleHost &host)
{
    const PipelinesConfig &config = host.config().section<PipelinesConfig>();
    PipelineRunner::Options options;
    options.config = config;
    options.pipelinesDirectory = resolveDirectory(config.directory, host.config(), host.dataDir());
    options.dataDir = host.dataDir();
    options.databasePath = host.databasePath();
    options.audit = host.audit();
    options.clock = host.clock();
    options.executor = host.executor();
    m_runner = new PipelineRunner(options);
    PipelineService *service = m_service.get();
    QObject::connect(
        m_runner, &PipelineRunner::pipelinesChanged, service, &PipelineService::pipelinesChanged);
    QObject::connect(m_runner, &PipelineRunner::runChanged, service, &PipelineService::runChanged);
    QObject::connect(
        m_runner, &PipelineRunner::stageChanged, service, &PipelineService::stageChanged);
    QObject::connect(
        m_runner, &PipelineRunner::attemptChanged, service, &PipelineService::attemptChanged);
    if (DegradationRuntime *degradation = host.runtime<DegradationRuntime>()) {
        auto *d = qobject_cast<DegradationService *>(degradation->service());
        PipelineRunner *runner = m_runner;
        if (d)
            QObject::connect(
                d, &DegradationService::changed, runner, [runner](const DegradationSnapshot &s) {
                    runner->setBackgroundPaused(!s.feature(BackgroundTasks).enabled);
                });
    }
    host.placeOnThread("shivx-pipelines", m_runner);
    service->setRunner(m_runner);
    host.addRoutes(PipelinesApi::routes(service, host.clock()));
    PipelinesApi::registerMetrics(*host.metrics(), [service] { return service->counters(); });
    return {};
}

void PipelinesRuntime::start(ModuleHost &host)
{
    bool backgroundOff = false;
    if (DegradationRuntime *degradation = host.runtime<DegradationRuntime>())
        if (auto *d = qobject_cast<DegradationService *>(degradation->service()))
            backgroundOff = !d->snapshot().feature(BackgroundTasks).enabled;
    PipelineRunner *runner = m_runner;
    QMetaObject::invokeMethod(
        runner,
        [runner, backgroundOff] {
            runner->setBackgroundPaused(backgroundOff);
            if (const auto r = runner->start(); !r)
                qCCritical(lcPipelines).noquote() << "pipelines cannot start:" << r.error().message;
        },
        Qt::QueuedConnection);
}

void PipelinesRuntime::stop(ModuleHost &)
{
    m_service->setRunner(nullptr);
    ModuleHost::callBlocking(m_runner, [](PipelineRunner *r) { r->shutdown(); });
}

void PipelinesRuntime::stopped()
{
    m_runner = nullptr;
}

} // namespace Shivx
