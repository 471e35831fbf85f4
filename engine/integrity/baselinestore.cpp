#include "integrity/baselinestore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <openssl/evp.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace Shivx {

namespace {

// Qt names every connection; each use gets its own so that threads never share one.
QString nextConnectionName()
{
    static std::atomic<int> counter { 0 };
    return QStringLiteral("shivx-integrity-baseline-%1").arg(counter.fetch_add(1));
}

// Removes the named connection when the scope ends (every query on it must be gone by then).
struct Connection
{
    QString name = nextConnectionName();
    ~Connection() { QSqlDatabase::removeDatabase(name); }
};

Error unreadable(const QString &path, const QString &why)
{
    return makeError("integrity.baseline_unreadable",
        QStringLiteral("baseline %1 cannot be read: %2").arg(path, why), { path, why });
}

Error writeError(const QString &path, const QString &why)
{
    return makeError("integrity.baseline_write",
        QStringLiteral("baseline %1 cannot be written: %2").arg(path, why), { path, why });
}

bool syncPath(const QString &path, bool directory)
{
    const int fd = ::open(QFile::encodeName(path).constData(),
        (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

const char Schema[] = "CREATE TABLE files (path TEXT PRIMARY KEY, set_name TEXT NOT NULL, "
                      "kind INTEGER NOT NULL, sha256 BLOB, size INTEGER NOT NULL, "
                      "mode INTEGER NOT NULL, uid INTEGER NOT NULL, gid INTEGER NOT NULL, "
                      "inode INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, "
                      "ctime_ns INTEGER NOT NULL, error TEXT, snapshot BLOB) WITHOUT ROWID";

} // namespace

BaselineStore::BaselineStore(QString path)
    : m_path(std::move(path))
{
}

QString BaselineStore::pathIn(const QString &dataDir)
{
    return dataDir + QStringLiteral("/integrity/baseline.db");
}

bool BaselineStore::exists() const
{
    return QFileInfo::exists(m_path);
}

Result<QByteArray> BaselineStore::digest() const
{
    QFile f(m_path);
    if (!f.open(QIODevice::ReadOnly))
        return unreadable(m_path, f.errorString());
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
    QByteArray buffer(1 << 20, Qt::Uninitialized);
    for (;;) {
        const qint64 n = f.read(buffer.data(), buffer.size());
        if (n < 0) {
            EVP_MD_CTX_free(ctx);
            return unreadable(m_path, f.errorString());
        }
        if (n == 0)
            break;
        EVP_DigestUpdate(ctx, buffer.constData(), size_t(n));
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx, md, &len);
    EVP_MD_CTX_free(ctx);
    return QByteArray(reinterpret_cast<const char *>(md), int(len)).toHex();
}

Result<Baseline> BaselineStore::load() const
{
    if (!exists())
        return unreadable(m_path, QStringLiteral("no such file"));
    Connection c;
    Result<Baseline> result = Baseline {};
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), c.name);
        db.setDatabaseName(m_path);
        // Read-only, so that reading never changes the bytes whose digest the audit holds.
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (!db.open())
            return unreadable(m_path, db.lastError().text());
        QSqlQuery meta(db);
        if (!meta.exec(QStringLiteral("SELECT key, value FROM meta")))
            return unreadable(m_path, meta.lastError().text());
        Baseline &b = result.value();
        while (meta.next()) {
            if (meta.value(0).toString() == QLatin1String("created_ms"))
                b.createdMs = meta.value(1).toLongLong();
            else if (meta.value(0).toString() == QLatin1String("updated_ms"))
                b.updatedMs = meta.value(1).toLongLong();
        }
        // Baselines written before safe snapshots have no `snapshot` column: read NULL there.
        QSqlQuery columns(db);
        bool hasSnapshot = false;
        if (columns.exec(QStringLiteral("SELECT name FROM pragma_table_info('files')")))
            while (columns.next())
                hasSnapshot
                    = hasSnapshot || columns.value(0).toString() == QLatin1String("snapshot");
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral("SELECT path, set_name, kind, sha256, size, mode, uid, gid, "
                                   "inode, mtime_ns, ctime_ns, error, %1 FROM files")
                        .arg(hasSnapshot ? QStringLiteral("snapshot") : QStringLiteral("NULL"))))
            return unreadable(m_path, q.lastError().text());
        while (q.next()) {
            FileState f;
            f.path = q.value(0).toString();
            f.set = q.value(1).toString();
            const int kind = q.value(2).toInt();
            f.kind = kind == 1 ? FileState::Kind::Symlink
                : kind == 2    ? FileState::Kind::Other
                               : FileState::Kind::Regular;
            f.sha256 = q.value(3).toByteArray();
            f.size = q.value(4).toLongLong();
            f.mode = quint32(q.value(5).toLongLong());
            f.uid = quint32(q.value(6).toLongLong());
            f.gid = quint32(q.value(7).toLongLong());
            f.inode = quint64(q.value(8).toLongLong());
            f.mtimeNs = q.value(9).toLongLong();
            f.ctimeNs = q.value(10).toLongLong();
            f.error = q.value(11).toString();
            f.snapshot = q.value(12).toByteArray();
            b.files.insert(f.path, std::move(f));
        }
        if (q.lastError().isValid())
            return unreadable(m_path, q.lastError().text());
    }
    return result;
}

Result<QByteArray> BaselineStore::write(const Baseline &baseline)
{
    const QFileInfo info(m_path);
    if (!QDir().mkpath(info.absolutePath()))
        return writeError(m_path, QStringLiteral("cannot create its directory"));
    const QDir dir = info.absoluteDir();
    for (const QString &stale :
        dir.entryList({ info.fileName() + QStringLiteral(".tmp-*") }, QDir::Files))
        QFile::remove(dir.filePath(stale));
    const QString tmp = m_path + QStringLiteral(".tmp-%1").arg(QString::number(qint64(::getpid())));
    {
        Connection c;
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), c.name);
        db.setDatabaseName(tmp);
        if (!db.open())
            return writeError(tmp, db.lastError().text());
        QSqlQuery q(db);
        // The file is not live until renamed: no journal needed, fsync once at the end.
        const QString setup[] = { QStringLiteral("PRAGMA journal_mode=OFF"),
            QStringLiteral("PRAGMA synchronous=OFF"), QString::fromLatin1(Schema),
            QStringLiteral("CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)"),
            QStringLiteral("BEGIN") };
        for (const QString &sql : setup)
            if (!q.exec(sql))
                return writeError(tmp, q.lastError().text());
        if (!q.prepare(QStringLiteral("INSERT INTO meta VALUES (?, ?)")))
            return writeError(tmp, q.lastError().text());
        for (const auto &[key, value] : { std::pair { "created_ms", baseline.createdMs },
                 std::pair { "updated_ms", baseline.updatedMs } }) {
            q.addBindValue(QString::fromLatin1(key));
            q.addBindValue(value);
            if (!q.exec())
                return writeError(tmp, q.lastError().text());
        }
        if (!q.prepare(QStringLiteral("INSERT INTO files VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")))
            return writeError(tmp, q.lastError().text());
        // Sorted, so that the same records always give the same bytes.
        QStringList paths = baseline.files.keys();
        paths.sort();
        for (const QString &path : std::as_const(paths)) {
            const FileState &f = baseline.files[path];
            q.bindValue(0, f.path);
            q.bindValue(1, f.set);
            q.bindValue(2, int(f.kind));
            q.bindValue(3, f.sha256.isEmpty() ? QVariant() : QVariant(f.sha256));
            q.bindValue(4, f.size);
            q.bindValue(5, qint64(f.mode));
            q.bindValue(6, qint64(f.uid));
            q.bindValue(7, qint64(f.gid));
            q.bindValue(8, qint64(f.inode));
            q.bindValue(9, f.mtimeNs);
            q.bindValue(10, f.ctimeNs);
            q.bindValue(11, f.error.isEmpty() ? QVariant() : QVariant(f.error));
            q.bindValue(12, f.snapshot.isEmpty() ? QVariant() : QVariant(f.snapshot));
            if (!q.exec())
                return writeError(tmp, q.lastError().text());
        }
        if (!q.exec(QStringLiteral("COMMIT")))
            return writeError(tmp, q.lastError().text());
        q.finish();
        db.close();
    }
    QFile::setPermissions(tmp, QFile::ReadOwner | QFile::WriteOwner);
    if (!syncPath(tmp, false))
        return writeError(tmp, QString::fromLocal8Bit(std::strerror(errno)));
    if (::rename(QFile::encodeName(tmp).constData(), QFile::encodeName(m_path).constData()) != 0) {
        const QString why = QString::fromLocal8Bit(std::strerror(errno));
        QFile::remove(tmp);
        return writeError(m_path, why);
    }
    syncPath(info.absolutePath(), true);
    return digest();
}

} // namespace Shivx
