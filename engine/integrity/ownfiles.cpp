#include "integrity/ownfiles.h"

#include "core/datadir.h"
#include "integrity/baselinestore.h"

#include <QDir>
#include <QFileInfo>

#include <sys/stat.h>

namespace Shivx {

OwnFiles::OwnFiles(const QStringList &databases)
{
    static const char *const Sidecars[] = { "", "-wal", "-shm", "-journal" };
    for (const QString &db : databases) {
        const QFileInfo info(db);
        const QString canonicalDir = QFileInfo(info.absolutePath()).canonicalFilePath();
        m_tmpPrefixes.append(QDir::cleanPath(info.absoluteFilePath()) + QStringLiteral(".tmp-"));
        if (!canonicalDir.isEmpty())
            m_tmpPrefixes.append(
                canonicalDir + QLatin1Char('/') + info.fileName() + QStringLiteral(".tmp-"));
        for (const char *suffix : Sidecars) {
            const QString name = info.fileName() + QLatin1String(suffix);
            const QString path = QDir::cleanPath(info.absolutePath() + QLatin1Char('/') + name);
            m_paths.insert(path);
            if (!canonicalDir.isEmpty())
                m_paths.insert(canonicalDir + QLatin1Char('/') + name);
            struct stat st;
            if (::stat(path.toUtf8().constData(), &st) == 0)
                m_ids.insert({ quint64(st.st_dev), quint64(st.st_ino) });
        }
    }
}

OwnFiles OwnFiles::ofDataDir(const QString &dataDir)
{
    return OwnFiles({ DataDir::databasePath(dataDir), BaselineStore::pathIn(dataDir) });
}

bool OwnFiles::contains(const QString &path, const FileState *state) const
{
    if (m_paths.contains(path))
        return true;
    for (const QString &prefix : m_tmpPrefixes)
        if (path.startsWith(prefix))
            return true;
    if (m_ids.isEmpty() || (state && state->kind != FileState::Kind::Regular))
        return false;
    // Another name for one of them (a bind mount, a symlinked directory on the way): the
    // same inode on the same device. The inode alone narrows it to a stat() in the rare case.
    if (state) {
        bool inodeKnown = false;
        for (const auto &id : m_ids)
            inodeKnown = inodeKnown || id.second == state->inode;
        if (!inodeKnown)
            return false;
    }
    struct stat st;
    if (::stat(path.toUtf8().constData(), &st) != 0)
        return false;
    return m_ids.contains({ quint64(st.st_dev), quint64(st.st_ino) });
}

QString OwnFiles::reason()
{
    return QStringLiteral("the engine's own database file: never opened by integrity (closing it "
                          "would drop the engine's SQLite locks)");
}

} // namespace Shivx
