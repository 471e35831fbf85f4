#include "pipelines/pipelinecatalog.h"

#include <QDir>
#include <QFile>
#include <QFileSystemWatcher>
#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcCatalog, "shivx.pipelines.catalog")

namespace Shivx {

PipelineCatalog::PipelineCatalog(QString directory, QObject *parent)
    : QObject(parent)
    , m_directory(std::move(directory))
{
    m_settle = new QTimer(this);
    m_settle->setSingleShot(true);
    m_settle->setInterval(200);
    connect(m_settle, &QTimer::timeout, this, &PipelineCatalog::reload);
}

const PipelineDefinition *PipelineCatalog::find(const QString &name) const
{
    const auto it = m_pipelines.constFind(name);
    return it == m_pipelines.cend() ? nullptr : &it.value();
}

void PipelineCatalog::reload()
{
    QMap<QString, PipelineDefinition> pipelines;
    QList<Error> errors;
    const QDir dir(m_directory);
    // QDir("") is the working directory, which holds no pipelines of ours.
    const QStringList files = m_directory.isEmpty()
        ? QStringList()
        : dir.entryList(
            { QStringLiteral("*.yaml"), QStringLiteral("*.yml") }, QDir::Files, QDir::Name);
    for (const QString &name : files) {
        const QString path = dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            errors.append(
                makeError("pipeline.invalid", QStringLiteral("%1: %2").arg(path, f.errorString())));
            continue;
        }
        auto p = PipelineParser::parse(f.readAll(), path);
        if (!p) {
            errors.append(p.error());
            continue;
        }
        if (const auto it = pipelines.constFind(p->name); it != pipelines.cend()) {
            errors.append(makeError("pipeline.invalid",
                QStringLiteral("%1:1: name: pipeline \"%2\" is already defined in %3")
                    .arg(path, p->name, it->file)));
            continue;
        }
        pipelines.insert(p->name, *p);
    }
    for (const Error &e : std::as_const(errors))
        qCWarning(lcCatalog).noquote() << e.message;
    m_pipelines = std::move(pipelines);
    m_errors = std::move(errors);
    watch();
    Q_EMIT changed();
}

void PipelineCatalog::watch()
{
    if (m_directory.startsWith(QLatin1Char(':')) || m_directory.isEmpty())
        return;
    if (!m_watcher) {
        m_watcher = new QFileSystemWatcher(this);
        connect(m_watcher, &QFileSystemWatcher::directoryChanged, m_settle,
            qOverload<>(&QTimer::start));
        connect(m_watcher, &QFileSystemWatcher::fileChanged, m_settle, qOverload<>(&QTimer::start));
    }
    // An editor that saves by rename replaces the file: watch the new one each time.
    if (!m_watcher->files().isEmpty())
        m_watcher->removePaths(m_watcher->files());
    if (m_watcher->directories().isEmpty())
        m_watcher->addPath(m_directory);
    const QDir dir(m_directory);
    QStringList paths;
    for (const QString &name : dir.entryList(
             { QStringLiteral("*.yaml"), QStringLiteral("*.yml") }, QDir::Files, QDir::Name))
        paths.append(dir.filePath(name));
    if (!paths.isEmpty())
        m_watcher->addPaths(paths);
}

} // namespace Shivx
