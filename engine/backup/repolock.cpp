#include "backup/repolock.h"

#include "backup/backupcrypto.h"
#include "backup/repofiles.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSysInfo>
#include <QThread>

#include <cerrno>
#include <csignal>

namespace Shivx::Backup {

namespace {

struct Holder
{
    QString file;
    bool exclusive = false;
    qint64 pid = 0;
    QString host;
    QDateTime time;
};

bool isLive(const Holder &h)
{
    if (h.host == QSysInfo::machineHostName())
        return ::kill(pid_t(h.pid), 0) == 0 || errno == EPERM;
    return h.time.secsTo(QDateTime::currentDateTimeUtc()) < 3600;
}

// The other holders that still count; stale ones are removed on the way.
QList<Holder> others(const QString &dir, const QString &own)
{
    QList<Holder> out;
    for (const QString &name : QDir(dir).entryList({ QStringLiteral("*.json") }, QDir::Files)) {
        const QString path = dir + QLatin1Char('/') + name;
        if (path == own)
            continue;
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            continue; // removed meanwhile
        const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
        Holder h { path, o.value(QStringLiteral("exclusive")).toBool(),
            o.value(QStringLiteral("pid")).toInteger(), o.value(QStringLiteral("host")).toString(),
            QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODate) };
        if (o.isEmpty())
            continue; // being written (atomic rename makes this rare)
        if (!isLive(h)) {
            QFile::remove(path);
            continue;
        }
        out.append(h);
    }
    return out;
}

} // namespace

Result<std::unique_ptr<RepoLock>> RepoLock::acquire(const QString &repo, Kind kind, int timeoutMs)
{
    const QString dir = repo + QStringLiteral("/locks");
    QDir().mkpath(dir);
    std::uint8_t rnd[8];
    randomBytes(rnd, sizeof rnd);
    const QString file = dir + QLatin1Char('/') + QString::fromStdString(toHex(rnd, 8)) + ".json";
    const bool exclusive = kind == Kind::Exclusive;
    const QJsonObject o { { QStringLiteral("exclusive"), exclusive },
        { QStringLiteral("pid"), qint64(QCoreApplication::applicationPid()) },
        { QStringLiteral("host"), QSysInfo::machineHostName() },
        { QStringLiteral("time"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate) } };
    const QByteArray bytes = QJsonDocument(o).toJson(QJsonDocument::Compact);
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        if (auto w = writeFileAtomic(file, bytes); !w)
            return w.error();
        const QList<Holder> held = others(dir, file);
        const Holder *conflict = nullptr;
        for (const Holder &h : held) {
            if (exclusive || h.exclusive) {
                conflict = &h;
                break;
            }
        }
        if (!conflict)
            return std::unique_ptr<RepoLock>(new RepoLock(file));
        QFile::remove(file);
        if (deadline.hasExpired())
            return makeError("backup.locked",
                QStringLiteral("the repository %1 is locked %2 by process %3 on %4 since %5 (%6); "
                               "a stale lock of this host goes by itself")
                    .arg(repo,
                        conflict->exclusive ? QStringLiteral("exclusively")
                                            : QStringLiteral("by a backup"))
                    .arg(conflict->pid)
                    .arg(conflict->host, conflict->time.toString(Qt::ISODate), conflict->file),
                { repo });
        // Jitter, so that two processes wanting the exclusive lock do not back off in step.
        std::uint8_t j;
        randomBytes(&j, 1);
        QThread::msleep(50 + j);
    }
}

RepoLock::~RepoLock()
{
    QFile::remove(m_file);
}

} // namespace Shivx::Backup
