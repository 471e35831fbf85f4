// Artifacts with their hashes: recorded when an attempt succeeds, checked before a
// downstream stage reads them; and retention, which deletes runs with their files.
#include "pipelines/pipelinerunner.h"

#include "core/clock.h"
#include "pipelines/pipelinecatalog.h"
#include "pipelines/pipelinerunnershared.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace Shivx {

using namespace RunnerShared;

namespace {

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

} // namespace

QString PipelineRunner::checkInputs(const Run &run, int idx)
{
    // A downstream stage sees exactly what was recorded: every file of each dependency's
    // artifacts still has its recorded hash, and nothing was added.
    for (const QString &dep : run.def.stages.at(idx).needs) {
        const QString dir = run.artifactDirs.value(dep);
        if (dir.isEmpty())
            continue;
        commitBatch();
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

QList<ArtifactRecord> PipelineRunner::collectArtifacts(const Run &run, int idx, QString *error)
{
    QList<ArtifactRecord> list;
    const Stage &s = run.stages[idx];
    if (s.attempt.artifactsDir.isEmpty())
        return list;
    commitBatch();
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
        const auto doomed = store()->prune(name, keepRuns, keepFor > 0 ? now - keepFor : 0);
        if (!doomed) {
            noteStoreError(doomed.error());
            continue;
        }
        commitBatch(); // not holding the write lock while files are deleted
        for (qint64 id : *doomed)
            QDir(runDir(id)).removeRecursively();
        if (!doomed->isEmpty())
            audit(AuditStreams::resilience(), engineActor(), QStringLiteral("pipeline.runs_pruned"),
                { { QStringLiteral("pipeline"), name },
                    { QStringLiteral("runs"), int(doomed->size()) } });
    }
}

} // namespace Shivx
