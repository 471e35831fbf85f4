// Artifacts with their hashes: recorded when an attempt succeeds, checked before a
// downstream stage reads them.
#include "pipelines/pipelinerunner.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>

#include <algorithm>

namespace Shivx {

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

} // namespace Shivx
